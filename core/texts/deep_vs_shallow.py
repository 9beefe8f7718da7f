"""The deep-vs-shallow lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

TEXT_EN = """\
**Deep learning** is machine learning with neural networks of several layers that learn
their own features from data, layer on layer, instead of features a person designs. (A
net with one hidden layer is usually called shallow; "deep" means more than one.)

**What theory promises.** One hidden layer is already enough *in principle*: with enough
units it approximates any continuous function on a bounded set as closely as you like
(the universal approximation theorem, Cybenko 1989, Hornik 1991). The catch is "enough":
some functions need exponentially many units in one layer but only a few in many layers.
The classic example is here: the tent map folds [0, 1] onto itself, and composing it n
times gives a sawtooth of 2^(n-1) teeth, 2^n straight pieces. A ReLU net with 2 units per
layer and n layers computes it exactly, while one hidden layer of H ReLU units has at most
H + 1 pieces, so it needs about 2^n units (Telgarsky 2016; linear regions that multiply
with depth: Montúfar et al. 2014). That is *depth separation*: composition reuses what
earlier layers computed, and the usual answer, that deep nets learn more abstract features
layer by layer, is the informal version of it.

**What training delivers.** Gradient descent does not find those exact constructions. Here
both nets have the same number of parameters (the "parameters" control), a deep narrow
1-8×6-1 (385) and a shallow 1-128-1 (385), trained on the same minibatches of a 4-tent
sawtooth (16 pieces, which 128 units could draw). Measured over seeds 0-9 at the defaults
(Adam 0.003): after 1,000 steps the deep net's loss is lower in 9 of 10 runs, after 2,000
in all 10 (median 0.038 vs 0.068; the target's variance is 0.084). Neither draws all the
teeth: the deep net gets some right, the shallow one smooths over them. The pieces column
counts the straight pieces each ReLU net draws on [-1, 1]: trained nets have far fewer
than depth allows (Hanin and Rolnick 2019).

**Deep and narrow is hard to train.** Give the deep net a budget of 50 and its layers are 2
units wide: a dead unit (ReLU output 0 for every input) closes half of a layer and two close
all of it, and the net stays at the variance, predicting little more than the mean (all 10
seeds, 1,000 steps). More
teeth than training can find: with 5 tents, after 4,000 steps the deep net is 15-20% below
the variance and the shallow one about at it; with 6 neither moves. The head start also
depends on the setup. On a 3-tent target (budget 250, depth 4, rate 0.01) with biases
starting at 0, every first-layer kink starts at x = 0: the deep net is ahead in all 10
runs at step 600 while the shallow net's kinks creep outward; with spread biases the same
race is a coin toss at step 1,000 (5 of 10), the shallow net often fitting it first.

**What is established, what is debated.** Established: depth separation for particular
functions, and that the models that work best in practice (vision, language) are deep.
Debated: how much of that is expressiveness and how much is optimisation and the kinds of
functions deep nets prefer (inductive bias). Width and depth trade off; very deep nets
train well with tools such as normalisation and residual connections.

**Try it:** space plays (the race is clear within about 2,000 steps). Watch the fits:
teeth appear in the deep net's curve first. Change the budget, the depth and the number of
tents (each change restarts both nets), and the biases.
"""

TEXT_KO = """\
**딥러닝**은 여러 층으로 된 신경망이 사람이 설계한 특징 대신 데이터에서 층층이 스스로
특징을 배우는 머신러닝입니다. (은닉층이 하나인 망은 보통 얕은 망이라 부르고, "깊다"는 은닉층이
둘 이상이라는 뜻입니다.)

**이론이 약속하는 것.** *원리상*으로는 은닉층 하나로도 충분합니다. 유닛이 충분하면 유계 집합
위의 어떤 연속 함수든 원하는 만큼 가깝게 근사합니다(보편 근사 정리, Cybenko 1989, Hornik 1991).
문제는 "충분히"입니다. 어떤 함수는 한 층으로는 유닛이 지수적으로 많이 필요하지만 여러 층으로는
몇 개면 됩니다. 고전적인 예가 여기 있습니다. 텐트 사상은 [0, 1]을 자기 자신 위로 접고, n번
합성하면 이가 2^(n-1)개, 직선 조각이 2^n개인 톱니파가 됩니다. 층마다 유닛 2개, 층 n개인 ReLU
망은 이것을 정확히 계산하지만, ReLU 유닛 H개짜리 은닉층 하나는 조각이 많아야 H + 1개라 유닛이
약 2^n개 필요합니다(Telgarsky 2016, 깊이에 따라 곱으로 늘어나는 선형 영역: Montúfar 외 2014).
이것이 *깊이 분리*입니다. 합성은 앞 층이 계산한 것을 다시 쓰며, 흔히 하는 답인 "깊은 망은 층마다
더 추상적인 특징을 배운다"는 이것의 비공식적인 표현입니다.

**학습이 실제로 내놓는 것.** 경사 하강법은 그런 정확한 구성을 찾지 못합니다. 여기서는 두 망의
파라미터 수가 같습니다("파라미터 예산" 항목). 깊고 좁은 1-8×6-1(385개)과 얕고 넓은
1-128-1(385개)이 텐트 4번 합성 톱니파(조각 16개, 유닛 128개면 그릴 수 있음)의 같은
미니배치로 학습합니다. 기본값(Adam 0.003)에서 시드 0-9로 잰 결과, 1,000 스텝 뒤 깊은 망의
손실이 10번 중 9번 더 낮고, 2,000 스텝 뒤에는 10번 모두 더 낮습니다(중앙값 0.038 대 0.068,
목표의 분산은 0.084). 어느 쪽도 이를 다 그리지는 못합니다. 깊은 망은 일부를 맞히고, 얕은 망은
뭉개 버립니다. 조각 열은 각 ReLU 망이 [-1, 1]에서 그리는 직선 조각 수입니다. 학습된 망의 조각은
깊이가 허락하는 것보다 훨씬 적습니다(Hanin, Rolnick 2019).

**깊고 좁은 망은 학습이 어렵다.** 깊은 망에 예산 50을 주면 층 너비가 2가 됩니다. 죽은
유닛(모든 입력에 ReLU 출력 0) 하나는 층의 절반을, 둘은 층 전체를 막아, 망은 분산 수준에 머물며
평균과 별로 다르지 않은 값을 냅니다(시드 10개 모두, 1,000 스텝). 학습이 찾을 수 있는 것보다 이가 많으면: 텐트 5번에서 4,000 스텝 뒤
깊은 망은 분산보다 15~20% 낮고 얕은 망은 거의 그대로이며, 텐트 6번에서는 둘 다 움직이지
않습니다. 앞서 나가는 것도 설정에 달려 있습니다. 텐트 3번 목표(예산 250, 깊이 4, 학습률
0.01)에서 편향이 0에서 시작하면 첫 층의 꺾이는 점이 모두 x = 0에서 시작합니다. 얕은 망의 꺾이는
점이 천천히 퍼지는 동안 600 스텝에서 깊은 망이 10번 모두 앞섭니다. 편향을 퍼뜨려 시작하면 같은
경주가 1,000 스텝에서 반반(10번 중 5번)이고, 얕은 망이 먼저 맞히는 일이 잦습니다.

**확립된 것과 논쟁 중인 것.** 확립된 것: 특정 함수에 대한 깊이 분리, 그리고 실제로 가장 잘 작동하는
모델(비전, 언어)이 깊다는 점. 논쟁 중인 것: 그중 얼마가 표현력 덕분이고 얼마가
최적화와 깊은 망이 선호하는 함수의 종류(귀납적 편향) 덕분인가. 너비와 깊이는 서로 맞바꿀 수
있고, 아주 깊은 망은 정규화나 잔차 연결 같은 도구로 잘 학습됩니다.

**해 보기:** space로 재생합니다(약 2,000 스텝 안에 승부가 보입니다). 적합 그래프를 보세요.
깊은 망의 곡선에 이가 먼저 나타납니다. 예산, 깊이, 텐트 수(바꿀 때마다 두 망 모두 처음부터
다시 시작)와 편향을 바꿔 보세요.
"""

INFO = LessonInfo(
    key="deep-vs-shallow",
    number=1,
    title={"en": "Deep vs shallow", "ko": "깊은 망과 얕은 망"},
    question={"en": "What is deep learning, and why deep rather than shallow?",
              "ko": "딥러닝이란 무엇이며, 왜 얕은 모델보다 깊은 모델인가?"},
    text={"en": TEXT_EN, "ko": TEXT_KO},
    claim={
        "en": "With the same number of parameters, a deep narrow ReLU net trained in lockstep with a "
        "shallow wide one reaches a lower loss on a sawtooth made of composed tent maps at the defaults "
        "(10 of seeds 0-9 after 1,500 and after 2,000 steps); neither finds the exact fit depth makes possible, and a "
        "too narrow deep net does not train at all.",
        "ko": "파라미터 수가 같을 때, 얕고 넓은 망과 나란히 학습한 깊고 좁은 ReLU 망이 기본값에서 텐트 사상을 "
        "합성한 톱니파에 더 낮은 손실에 이른다(1,500 스텝 뒤와 2,000 스텝 뒤 모두 시드 0-9 중 10개). 어느 쪽도 깊이가 가능하게 "
        "하는 정확한 적합은 찾지 못하며, 너무 좁은 깊은 망은 아예 학습되지 않는다.",
    },
    controls={
        "budget": ControlText({"ko": "파라미터 예산"}, {"ko": "두 망이 함께 쓰는 파라미터 수"}),
        "depth": ControlText({"ko": "깊은 망 층 수"}, {"ko": "깊은 망의 은닉층 수 (얕은 망은 1개)"}),
        "activation": ControlText({"ko": "활성화 함수"}, {"ko": "두 망의 모든 은닉층 뒤의 비선형 함수"}),
        "teeth": ControlText({"ko": "텐트 수"}, {"ko": "목표에 합성한 텐트 사상 수: 이 2^(n-1)개, 직선 조각 2^n개"}),
        "biases": ControlText({"ko": "편향 시작"}, {"ko": "spread: ±1/√fan_in 안에서 균등 (꺾이는 점이 퍼짐), zero: 첫 층의 꺾이는 점이 모두 x = 0"}),
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "두 망의 Adam 스텝 크기. 바로 적용됨"}),
    },
    answer={
        "en": """\
Deep learning is machine learning with multi-layer neural networks that learn their own
features from data, each layer building on the one before. A single hidden layer can in
principle approximate any continuous function, but it may need exponentially many units:
a deep net reuses what earlier layers computed, so some functions (such as a sawtooth made
by composing a tent map) take few parameters in many layers and very many in one. That
efficiency, plus features that build from simple to abstract, is why depth often wins
at a fixed budget. In practice the advantage depends on training: very deep, narrow nets
can stall (dead units, poor signal flow), which is why tools like good initialisation,
normalisation and residual connections matter.
""",
        "ko": """\
딥러닝은 여러 층의 신경망이 데이터에서 스스로 특징을 배우는 머신러닝으로, 각 층이 앞 층 위에
쌓아 올립니다. 은닉층 하나로도 원리상 어떤 연속 함수든 근사할 수 있지만 유닛이 지수적으로 많이
필요할 수 있습니다. 깊은 망은 앞 층이 계산한 것을 다시 쓰므로, 어떤 함수(텐트 사상을 합성한 톱니파
등)는 여러 층으로는 파라미터가 적게, 한 층으로는 아주 많이 듭니다. 이 효율과 단순한 것에서
추상적인 것으로 쌓이는 특징 덕분에 같은 예산이면 깊이가 이기는 일이 많습니다. 실제로는 그 이점이 학습에
달려 있습니다. 아주 깊고 좁은 망은 멈춰 버릴 수 있어서(죽은 유닛, 약한 신호 흐름) 좋은 초기화,
정규화, 잔차 연결 같은 도구가 중요합니다.
""",
    },
)
