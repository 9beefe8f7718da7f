"""The backprop lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

INFO = LessonInfo(
    key="backprop",
    number=4,
    title={"en": "Backpropagation, stage by stage", "ko": "역전파, 한 단계씩"},
    question={"en": "What is backpropagation?", "ko": "역전파(Backpropagation)란?"},
    text={
        "en": """\
**Backpropagation** computes the gradient of the loss with respect to every weight of a
network, by the **chain rule**, in one backward sweep. Here it is worked through on a
tiny **2-2-1** network learning XOR on ±1 inputs: two tanh hidden units h₁, h₂, a
sigmoid output ŷ, and the loss L = ½(ŷ − y)² on one sample at a time.

One pass has nine stages; **n** does one (play does one a second):

1. **forward**, node by node: aⱼ = wⱼ₁x₁ + wⱼ₂x₂ + bⱼ, hⱼ = tanh(aⱼ); then
   z = v₁h₁ + v₂h₂ + c and ŷ = σ(z).
2. **loss**: L = ½(ŷ − y)².
3. **backward**, from the output side: first **∂L/∂ŷ = ŷ − y**. This is the derivative of
   the loss with respect to the output, not "the error y − ŷ" (that has the opposite sign,
   and for another loss, e.g. cross-entropy, it is another expression altogether). Then
   ∂L/∂z = ∂L/∂ŷ · σ'(z), the output weights' gradients ∂L/∂vⱼ = ∂L/∂z · hⱼ, the hidden
   units' ∂L/∂hⱼ = ∂L/∂z · vⱼ, ∂L/∂aⱼ = ∂L/∂hⱼ · (1 − hⱼ²), and last the input weights'
   ∂L/∂wⱼₖ = ∂L/∂aⱼ · xₖ. Every gradient reuses the one computed just before it: that
   reuse is why backpropagation costs about as much as one more forward pass.
4. **update**: every parameter moves against its gradient, θ ← θ − η·∂L/∂θ.

- **network**: the graph, values on the nodes in the forward stages, gradients (∂) in
  the backward ones, each weight's old → new value at the update
- **chain rule**: the selected *weight*'s gradient as a product of local derivatives,
  with the current numbers
- **gradient check**: every analytic gradient beside a **central difference**
  (L(θ + ε) − L(θ − ε)) / 2ε, and their relative error: usually 1e-8 or smaller
  in float64, far below 1e-6. A wrong sign or a missing factor anywhere shows as an error
  near 1.

**Try**: press n and watch the values appear; select another *weight* to see a longer
chain (an input weight's passes through the hidden unit). At the update stage the panel
shows the sample's loss before and after: with a small learning rate it falls. At a
learning rate of 30 it falls too, but the mean loss over the four points rises: one
point's gradient only says how to fit that point. Set *step by* to update and play: whole passes, and the mean loss over
the four points falls as XOR is learned.
""",
        "ko": """\
**역전파**(backpropagation)는 손실을 신경망의 모든 가중치로 미분한 값(gradient)을 **연쇄 법칙**
(chain rule)으로, 뒤로 한 번 훑으며 구하는 방법입니다. 여기서는 ±1 입력의 XOR을 배우는 작은
**2-2-1** 신경망으로 직접 따라가 봅니다. tanh 은닉 유닛 h₁, h₂, sigmoid 출력 ŷ, 그리고 샘플
하나에 대한 손실 L = ½(ŷ − y)²입니다.

한 번의 과정은 아홉 단계이고, **n**을 누르면 한 단계씩 나아갑니다(재생하면 1초에 한 단계).

1. **순전파**(forward), 노드 하나씩: aⱼ = wⱼ₁x₁ + wⱼ₂x₂ + bⱼ, hⱼ = tanh(aⱼ), 이어서
   z = v₁h₁ + v₂h₂ + c, ŷ = σ(z).
2. **손실**: L = ½(ŷ − y)².
3. **역전파**(backward), 출력 쪽부터: 먼저 **∂L/∂ŷ = ŷ − y**. 이것은 손실을 출력으로 미분한
   값이지 "오차 y − ŷ"가 아닙니다(부호가 반대이고, 교차 엔트로피 같은 다른 손실에서는 식 자체가
   다릅니다). 그다음 ∂L/∂z = ∂L/∂ŷ · σ'(z), 출력 가중치의 ∂L/∂vⱼ = ∂L/∂z · hⱼ, 은닉 유닛의
   ∂L/∂hⱼ = ∂L/∂z · vⱼ, ∂L/∂aⱼ = ∂L/∂hⱼ · (1 − hⱼ²), 마지막으로 입력 가중치의
   ∂L/∂wⱼₖ = ∂L/∂aⱼ · xₖ. gradient마다 바로 앞에서 구한 값을 다시 쓰기 때문에, 역전파의 비용은
   순전파를 한 번 더 하는 정도입니다.
4. **갱신**(update): 모든 파라미터가 gradient 반대 방향으로 움직입니다. θ ← θ − η·∂L/∂θ.

- **신경망**: 그래프. 순전파 단계에서는 노드에 값이, 역전파 단계에서는 gradient(∂)가, 갱신
  단계에서는 가중치마다 이전 값 → 새 값이 표시됩니다
- **연쇄 법칙**: 고른 *weight*의 gradient를 국소 미분들의 곱으로, 현재 숫자로 풀어 씁니다
- **gradient 검사**: 해석적 gradient 옆에 **중심 차분** (L(θ + ε) − L(θ − ε)) / 2ε과 둘의 상대
  오차를 보입니다. float64에서 보통 1e-8 이하로, 1e-6보다 훨씬 작습니다. 어딘가 부호가 틀리거나
  곱이 하나 빠지면 오차가 1 가까이로 보입니다.

**해 보기**: n을 누르며 값이 하나씩 나타나는 것을 보세요. 다른 *weight*를 고르면 더 긴 연쇄가
보입니다(입력 가중치의 연쇄는 은닉 유닛을 거칩니다). 갱신 단계에서는 그 샘플의 갱신 전후 손실이
나옵니다. 학습률이 작으면 손실이 내려갑니다. 학습률 30에서도 그 점의 손실은 내려가지만, 네 점의
평균 손실은 올라갑니다. 한 점의 gradient는 그 점을 맞추는 방법만 알려 주기 때문입니다. *한 번에*를 update로 바꾸고 재생하면
한 번에 한 과정씩 돌며, XOR을 배워 가면서 네 점의 평균 손실이 내려갑니다.
""",
    },
    claim={
        "en": "Every analytic gradient matches its central difference (relative error below 1e-6 in float64), "
        "and a small enough update lowers the loss on its sample.",
        "ko": "모든 해석적 gradient가 중심 차분과 일치하고(float64에서 상대 오차 1e-6 미만), 충분히 작은 "
        "갱신은 그 샘플의 손실을 낮춘다.",
    },
    answer={
        "en": """\
Backpropagation is how a neural network's gradients are computed: the chain rule applied
from the loss backwards through the network. A forward pass computes and keeps every
node's value; the backward pass starts from the derivative of the loss with respect to
the output (for ½(ŷ − y)² that is ŷ − y; it is a derivative, not simply "the error") and
multiplies it by each node's local derivative on the way back, so each layer's gradient
is built from the one after it. That reuse makes the whole gradient cost about one extra
forward pass. The gradients then go to an optimiser such as gradient descent, which
updates the weights; backpropagation itself only computes the gradients. A standard way
to check an implementation is to compare with finite differences.
""",
        "ko": """\
역전파는 신경망의 gradient를 구하는 방법으로, 손실에서 시작해 신경망을 거꾸로 거슬러 가며 연쇄
법칙을 적용합니다. 순전파에서 모든 노드의 값을 계산해 두고, 역전파는 손실을 출력으로 미분한 값
(½(ŷ − y)²이라면 ŷ − y이며, 단순한 "오차"가 아니라 미분입니다)에서 출발해 돌아가는 길에 노드마다
국소 미분을 곱해 나갑니다. 그래서 각 층의 gradient는 바로 뒤 층의 gradient로부터 만들어지고, 이
재사용 덕분에 전체 gradient의 비용은 순전파 한 번 정도만 더 듭니다. 구한 gradient로 가중치를
갱신하는 것은 경사 하강법 같은 옵티마이저의 몫이고, 역전파 자체는 gradient만 계산합니다. 구현이
맞는지는 유한 차분과 비교해 확인하는 것이 표준입니다.
""",
    },
    controls={
        "step_by": ControlText({"ko": "한 번에"}, {"ko": "n(과 재생)이 한 단계씩, 또는 순전파·손실·역전파·갱신 전체를 한 번에 진행"}),
        "sample": ControlText({"ko": "샘플"}, {"ko": "다음 과정에 쓸 XOR 점. cycle은 차례로 돌아감"}),
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "갱신의 스텝 크기 η: θ ← θ − η ∂L/∂θ. 바로 적용됨"}),
        "weight": ControlText({"ko": "가중치"}, {"ko": "연쇄 법칙을 풀어 쓸 파라미터"}),
    },
)
