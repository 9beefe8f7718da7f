"""The activation-functions lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

TEXT_EN = """\
**Why a non-linearity.** A layer computes W·x + b and then an activation function. Without
the activation (the "linear" choice here) a stack of layers is a product of matrices, which
is one matrix: however deep, the network is a single linear map, and its decision boundary
is a straight line. XOR's four corners cannot be split by one line; the best line gets about
three corners of four right. Switch the activation to linear, at any depth, and the map
stays cut by one line while the accuracy stays at most about 75-80%. Any non-linear activation lets
the layers bend the plane, and the same net fits XOR in a few seconds.

**The common activations** (top panel: the function and its slope):
- **sigmoid** σ(x) = 1/(1+e^{−x}), from 0 to 1; its slope σ(x)(1−σ(x)) is at most ¼, at
  x = 0. It turns a score into a probability, which is why it sits on the output of a
  binary classifier. (Some notes write 1/(1+e^{x}); that is σ(−x), a falling curve.)
- **tanh**, from −1 to 1, centred on 0, slope at most 1.
- **ReLU** max(0, x): slope 1 for x > 0 and 0 below. Cheap, and it does not squash the
  gradient where a unit is on. It is not free of problems: a unit whose input stays
  negative gets no gradient at all (a "dead" unit).
- **leaky ReLU** keeps a small slope (0.01) below 0, so no unit is ever fully dead.

**Vanishing gradients.** Backpropagation multiplies the gradient by each layer's
activation slope on its way to the input. Sigmoid's slope is at most ¼, usually less, so
a deep sigmoid net's gradient shrinks by a large factor per layer: the bars show ‖∂L/∂W‖
per layer, and with six sigmoid layers the first gets over a thousand times less than
the last; its early layers barely learn, and at depth 4 or more it stays near chance on XOR
for hundreds of steps. With ReLU (and He initialisation) the first and last layers get
gradients of the same order. That is what "ReLU has no vanishing-gradient problem" means:
the activation itself does not shrink the gradient; weights can still do so.

**Softmax** turns a vector of scores (logits) into probabilities: softmax(z)ᵢ =
e^{zᵢ}/Σⱼe^{zⱼ}. Every output is positive and they sum to 1; adding the same number to every
logit changes nothing, only differences between logits count. Raise one logit and its
probability grows at the others' expense. It is used on the output of a classifier with
more than two classes (with two, it is a sigmoid of the difference of the two logits).

**Try it:** space plays, ↑/↓ select a control, ←/→ change it. Watch tanh fit XOR; then
switch to linear and raise the depth; then sigmoid at depth 6 and compare the gradient
bars with ReLU's. Edit logits a, b, c to move the softmax.
"""

TEXT_KO = """\
**왜 비선형 함수인가.** 층은 W·x + b를 계산한 뒤 활성화 함수를 거칩니다. 활성화 함수가
없으면(여기서 "linear") 층을 쌓은 것은 행렬의 곱이고, 행렬의 곱은 행렬 하나입니다. 아무리
깊어도 망 전체가 선형 변환 하나이고 결정 경계는 직선입니다. XOR의 네 모서리는 직선 하나로
나눌 수 없어서, 가장 좋은 직선도 네 모서리 중 세 개쯤만 맞힙니다. 활성화를 linear로 바꾸면
깊이와 상관없이 지도가 직선 하나로 나뉘고 정확도는 많아야 75~80% 정도에 머뭅니다. 비선형 활성화라면
무엇이든 층이 평면을 휘게 할 수 있어서, 같은 망이 몇 초 만에 XOR을 맞춥니다.

**흔히 쓰는 활성화 함수** (위 패널: 함수와 그 기울기):
- **sigmoid** σ(x) = 1/(1+e^{−x}), 0에서 1 사이. 기울기 σ(x)(1−σ(x))는 x = 0에서 최대 ¼.
  점수를 확률로 바꾸므로 이진 분류기의 출력에 씁니다. (1/(1+e^{x})로 적은 자료도 있는데,
  그것은 σ(−x), 내려가는 곡선입니다.)
- **tanh**, −1에서 1 사이, 0이 중심, 기울기 최대 1.
- **ReLU** max(0, x): x > 0에서 기울기 1, 그 아래는 0. 계산이 싸고, 켜진 유닛에서는
  gradient를 줄이지 않습니다. 문제가 없지는 않습니다. 입력이 늘 음수인 유닛은 gradient를
  전혀 받지 못합니다("죽은" 유닛).
- **leaky ReLU**는 0 아래에서도 작은 기울기(0.01)를 남겨 완전히 죽는 유닛이 없습니다.

**gradient 소실.** 역전파는 입력 쪽으로 가면서 층마다 활성화 함수의 기울기를 곱합니다.
sigmoid의 기울기는 최대 ¼이고 보통 그보다 작아서, 깊은 sigmoid 망의 gradient는 층마다 크게
줄어듭니다. 막대는 층별 ‖∂L/∂W‖인데, sigmoid 층이 6개면 첫 층이 받는 gradient가 마지막 층의
1,000분의 1도 안 됩니다. 앞쪽 층은 거의 배우지 못하고, 깊이 4 이상이면 XOR에서 수백 스텝 동안
무작위 수준에 머뭅니다. ReLU(와 He 초기화)에서는 첫 층과 마지막 층의 gradient가 같은 자릿수입니다.
"ReLU에는 gradient 소실 문제가 없다"는 말의 뜻은 이것입니다. 활성화 함수 자체는 gradient를
줄이지 않지만, 가중치는 여전히 줄일 수 있습니다.

**softmax**는 점수(logit) 벡터를 확률로 바꿉니다: softmax(z)ᵢ = e^{zᵢ}/Σⱼe^{zⱼ}. 출력은 모두
양수이고 합이 1이며, 모든 logit에 같은 수를 더해도 바뀌지 않습니다. logit 사이의 차이만
중요합니다. logit 하나를 올리면 그 확률이 다른 확률을 덜어 내며 커집니다. 클래스가 셋 이상인
분류기의 출력에 씁니다(둘이면 두 logit의 차이에 sigmoid를 씌운 것과 같습니다).

**해 보기:** space는 재생, ↑/↓로 항목을 고르고 ←/→로 값을 바꿉니다. tanh가 XOR을 맞추는
것을 본 뒤 linear로 바꿔 깊이를 올려 보고, 깊이 6의 sigmoid와 ReLU의 gradient 막대를 비교해
보세요. logit a, b, c를 바꾸면 softmax가 움직입니다.
"""

INFO = LessonInfo(
    key="activations",
    number=9,
    title={"en": "Activation functions", "ko": "활성화 함수"},
    question={
        "en": "What does an activation function do, and how do sigmoid, ReLU and softmax differ?",
        "ko": "활성화 함수는 무슨 일을 하며, sigmoid, ReLU, softmax는 어떻게 다른가?",
    },
    text={"en": TEXT_EN, "ko": TEXT_KO},
    claim={
        "en": "With the linear activation no depth fits XOR (training accuracy stays at most 85%); with tanh or "
        "ReLU the same net fits it. With six sigmoid layers the first layer's gradient norm is under 1/1000 of "
        "the last hidden layer's at the start, with ReLU it is within a factor of 10. Sigmoid's slope is at "
        "most ¼; softmax sums to 1 and is unchanged by adding a constant to every logit.",
        "ko": "linear 활성화로는 깊이와 상관없이 XOR을 맞추지 못한다(학습 정확도 85% 이하). tanh나 ReLU면 "
        "같은 망이 맞춘다. sigmoid 층이 6개면 시작할 때 첫 층의 gradient norm이 마지막 은닉층의 1/1000보다 "
        "작고, ReLU면 10배 안쪽이다. sigmoid의 기울기는 최대 ¼이다. softmax는 합이 1이고 모든 logit에 같은 "
        "수를 더해도 바뀌지 않는다.",
    },
    controls={
        "activation": ControlText({"ko": "활성화 함수"}, {"ko": "각 은닉층 뒤의 비선형 함수"}),
        "depth": ControlText({"ko": "은닉층 수"}, {"ko": "유닛 16개짜리 은닉층의 개수"}),
        "dataset": ControlText({"ko": "데이터"}, {"ko": "XOR의 네 모서리, 또는 두 고리"}),
        "logit_a": ControlText({"ko": "logit a"}, {"ko": "softmax 패널의 첫째 logit"}),
        "logit_b": ControlText({"ko": "logit b"}, {"ko": "softmax 패널의 둘째 logit"}),
        "logit_c": ControlText({"ko": "logit c"}, {"ko": "softmax 패널의 셋째 logit"}),
    },
    answer={
        "en": """\
An activation function adds non-linearity: without it, stacked layers collapse into one
linear map and cannot learn even XOR. Sigmoid, 1/(1+e^{−x}), squashes a score into (0, 1),
so it suits the output of a binary classifier, but its slope is at most ¼, so in deep
hidden stacks the gradient vanishes layer by layer. ReLU, max(0, x), has slope 1 where a
unit is on, is cheap, and is the usual choice for hidden layers; its drawback is units
that stay off and stop learning, which leaky ReLU avoids. Softmax turns a vector of logits
into probabilities that sum to 1, for multi-class outputs; only differences between
logits matter.
""",
        "ko": """\
활성화 함수는 비선형성을 더합니다. 이것이 없으면 층을 쌓아도 선형 변환 하나로 합쳐져 XOR조차
배우지 못합니다. sigmoid 1/(1+e^{−x})는 점수를 (0, 1)로 눌러 이진 분류기의 출력에 알맞지만,
기울기가 최대 ¼이라 깊은 은닉층에서는 gradient가 층마다 사라집니다. ReLU max(0, x)는 켜진
유닛에서 기울기가 1이고 계산이 싸서 은닉층의 기본 선택입니다. 단점은 꺼진 채 배우지 않는
유닛인데, leaky ReLU가 이를 막습니다. softmax는 logit 벡터를 합이 1인 확률로 바꿔 다중 클래스
출력에 쓰며, logit 사이의 차이만 중요합니다.
""",
    },
)
