"""The cross-entropy lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

TEXT_EN = """\
**The loss of a classifier.** A classifier turns its scores (logits z) into probabilities:
a sigmoid p = 1/(1+e^{−z}) for two classes, a softmax for more. Cross-entropy charges
−log of the probability given to the true class, averaged over the examples:
C = −(1/n) Σᵢ [yᵢ log ŷᵢ + (1−yᵢ) log(1−ŷᵢ)] for two classes, −(1/n) Σᵢ log ŷᵢ,true for
more. It is 0 for a sure right answer and grows without bound for a sure wrong one. It is
the negative log-likelihood of the labels under the model, so minimising it is maximum
likelihood.

**Why not the squared error?** Its gradient goes through the sigmoid. For one example,
∂(p−y)²/∂z = 2(p−y)·p(1−p), and p(1−p) is nearly 0 when p is near 0 or 1, so a model that
is *confidently wrong* gets almost no gradient and learns slowly. With cross-entropy the
sigmoid's slope cancels: ∂C/∂z = p − y, largest exactly when the model is most wrong.
The same holds for softmax: ∂C/∂zₖ = pₖ − yₖ (the tests check both numerically). The
middle panels show the two losses of one example (two classes) against the probability
of its true class, and the size of their gradients with respect to the logit; the marks are each
model's mean probability of the true class now.

**The race.** Two copies of a linear classifier start from the same weights, chosen to
be confidently wrong: every point is assigned to the wrong side with a mean |logit| of
6. Both are trained by gradient descent on the same batches; only the loss differs. The
cross-entropy model flips its decision map within a few steps; the squared-error model
sits nearly still for tens of steps (its mark near p = 0, where its gradient curve is
flat) and then catches up. At the default start, cross-entropy reaches 90% training
accuracy in 4-6 steps and the squared error in 57-74 (binary; 6-9 and 106-189 with
three classes). Set the start confidence to 0 and the two start even; raise it and the
squared error's delay grows fast (about 10 steps at 3, 65 at 6, binary). The absolute error on the
probabilities (pairing "mae") has the same p(1−p) factor and is slower still.

**Try it:** space plays; change the start confidence, the number of classes and the
compared loss (each restarts the run); c pins the run to compare with.
"""

TEXT_KO = """\
**분류기의 손실.** 분류기는 점수(logit z)를 확률로 바꿉니다. 클래스가 둘이면 sigmoid
p = 1/(1+e^{−z}), 더 많으면 softmax를 씁니다. cross-entropy는 참 클래스에 준 확률의 −log를
예제마다 매겨 평균합니다. 두 클래스이면 C = −(1/n) Σᵢ [yᵢ log ŷᵢ + (1−yᵢ) log(1−ŷᵢ)], 더
많으면 −(1/n) Σᵢ log ŷᵢ(참)이며, ŷᵢ(참)은 예제 i의 참 클래스에 준 확률입니다. 확신에 찬 정답이면 0이고, 확신에 찬 오답이면 끝없이 커집니다.
모델 아래에서 레이블의 음의 로그 가능도이므로, 이를 최소화하는 것이 최대 가능도 추정입니다.

**왜 제곱 오차가 아닌가?** 제곱 오차의 gradient는 sigmoid를 거칩니다. 예제 하나에 대해
∂(p−y)²/∂z = 2(p−y)·p(1−p)인데, p가 0이나 1 근처면 p(1−p)가 거의 0이라, *확신에 찬 오답*을
내는 모델은 gradient를 거의 받지 못하고 느리게 배웁니다. cross-entropy에서는 sigmoid의 기울기가
약분되어 ∂C/∂z = p − y이고, 모델이 가장 많이 틀렸을 때 가장 큽니다. softmax도 마찬가지로
∂C/∂zₖ = pₖ − yₖ입니다(테스트가 둘 다 수치 미분으로 확인합니다). 가운데 패널은 예제 하나(두 클래스)의 두
손실과 logit에 대한 gradient 크기를 참 클래스의 확률에 따라 그린 것이고, 표시선은 지금 각
모델이 참 클래스에 주는 평균 확률입니다.

**경주.** 선형 분류기 두 벌이 같은 가중치에서 시작합니다. 이 가중치는 확신에 찬 오답이 되도록
골랐습니다. 모든 점이 평균 |logit| 6으로 반대편에 놓입니다. 둘 다 같은 배치에서 경사 하강법으로
학습하고, 손실만 다릅니다. cross-entropy 모델은 몇 스텝 만에 결정 지도를 뒤집고, 제곱 오차
모델은 수십 스텝 동안 거의 멈춰 있다가(표시선이 p = 0 근처, gradient 곡선이 평평한 곳) 뒤늦게
따라옵니다. 기본 시작점에서 학습 정확도 90%에 cross-entropy는 4~6 스텝, 제곱 오차는 57~74
스텝에 닿습니다(두 클래스. 세 클래스에서는 6~9 스텝과 106~189 스텝). 시작 확신을 0으로 하면
둘이 나란히 출발하고, 높이면 제곱 오차의 지연이 빠르게 커집니다(두 클래스에서 3이면 약 10 스텝, 6이면 약 65 스텝). 확률에 대한 절대
오차(pairing "mae")도 같은 p(1−p) 인자를 가지며 더 느립니다.

**해 보기:** space로 재생합니다. 시작 확신, 클래스 수, 비교할 손실을 바꿔 보세요(바꾸면 처음부터
다시 시작합니다). c로 실행 하나를 고정해 나란히 볼 수 있습니다.
"""

INFO = LessonInfo(
    key="cross-entropy",
    number=15,
    title={"en": "Cross-entropy", "ko": "크로스 엔트로피"},
    question={
        "en": "What is the cross-entropy loss, and why is it preferred to squared error for classification?",
        "ko": "크로스 엔트로피(cross-entropy) 손실이란 무엇이고, 분류에서 왜 제곱 오차보다 선호되는가?",
    },
    text={"en": TEXT_EN, "ko": TEXT_KO},
    claim={
        "en": "The gradient of cross-entropy with respect to the logits is p − y (sigmoid and softmax, checked "
        "against central differences in float64). From the same confidently wrong start, cross-entropy reaches "
        "90% training accuracy in fewer steps than the squared error (10 of seeds 0-9, binary and three classes; "
        "4-6 against 57-74 steps, binary), whose gradient at the start is under a tenth of cross-entropy's.",
        "ko": "cross-entropy의 logit에 대한 gradient는 p − y이다(sigmoid와 softmax, float64 중앙 차분으로 확인). "
        "같은 확신에 찬 오답에서 시작하면 cross-entropy가 제곱 오차보다 적은 스텝에 학습 정확도 90%에 닿는다"
        "(시드 0-9 중 10개, 두 클래스와 세 클래스; 두 클래스에서 4~6 대 57~74 스텝). 시작할 때 제곱 오차의 "
        "gradient는 cross-entropy의 10분의 1보다 작다.",
    },
    controls={
        "confidence": ControlText({"ko": "시작 확신"}, {"ko": "시작이 얼마나 확신에 찬 오답인가: 참 클래스 logit의 평균 크기 (부호는 반대)"}),
        "task": ControlText({"ko": "클래스"}, {"ko": "binary: logit 하나와 sigmoid; multi-class: logit 셋과 softmax"}),
        "pairing": ControlText({"ko": "비교 손실"}, {"ko": "cross-entropy와 나란히 학습할 확률의 손실: 제곱 오차 또는 절대 오차"}),
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "경사 하강법 스텝 크기 (둘 다). 바로 적용됨"}),
    },
    answer={
        "en": """\
Cross-entropy measures how much probability the model gives to the true class: the mean
of −log p(true class), which for two classes is −[y log ŷ + (1−y) log(1−ŷ)]. It is the
negative log-likelihood of the labels, so minimising it is maximum-likelihood estimation,
and it pairs with a sigmoid or softmax output. Its gradient with respect to the logits is
simply p − y, large whenever the prediction is wrong. With squared error on a sigmoid
output the gradient carries an extra factor p(1−p), which vanishes when the output
saturates, so a confidently wrong model learns very slowly. That is why classifiers are
trained with cross-entropy.
""",
        "ko": """\
cross-entropy는 모델이 참 클래스에 얼마나 확률을 주는지를 잽니다. −log p(참 클래스)의 평균이고,
두 클래스이면 −[y log ŷ + (1−y) log(1−ŷ)]입니다. 레이블의 음의 로그 가능도라서 이를 최소화하는
것이 최대 가능도 추정이며, sigmoid나 softmax 출력과 짝을 이룹니다. logit에 대한 gradient는 단순히
p − y여서, 예측이 틀릴 때마다 큽니다. sigmoid 출력에 제곱 오차를 쓰면 gradient에 p(1−p)가 더
곱해지는데, 출력이 포화되면 이 값이 사라져 확신에 찬 오답을 내는 모델은 아주 느리게 배웁니다.
그래서 분류기는 cross-entropy로 학습합니다.
""",
    },
)
