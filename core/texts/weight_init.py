"""The weight-init lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

TEXT_EN = """\
**Why the start matters.** Training only nudges weights from where they begin. A bad
start can stall learning; a good one converges faster and to a lower error. The rule:
weights must be random, non-zero, and neither too small nor too large for the layer.

**Zeros or a constant** (here every weight = 1/fan_in, a sensible size, so only the
symmetry is at fault). Each unit of a layer sees the same inputs through the same
weights, so it computes the same output and backpropagation hands it the same
gradient: the units move in lockstep and the layer acts like one unit. In exact
arithmetic this lasts forever; with zeros and tanh or ReLU the hidden layers never
change at all. In floating point, rounding may make two identical columns of a matrix
product differ in the last bit (about 1e-7 in float32), depending on the CPU's BLAS
kernel, and training can amplify that: with ReLU on an AVX2 kernel the units drift
apart to a visible split (unit spread 1e-3) after 2,000-2,500 steps; on an AVX-512
kernel they stayed bit-identical for 6,000 steps. Even split, that network stays near
loss 0.8, where Xavier gets below 0.05 within 1,000 steps: rounding is an accident,
not a remedy. Anything asymmetric breaks the symmetry (rounding, dropout, a random
start); a random init breaks it by design, from step 0. The loss plot also draws the
unit spread (the largest difference between a unit's weights and unit 0's, relative
to the largest weight; a random init gives about 1.5); in the heatmap (rows = units of
h2) identical units are identical rows.

**Too small, too large.** Each layer scales the spread of its input by about
std(W)·√fan_in. With N(0, 0.01) that is far below 1: with tanh or ReLU the histograms
shrink to a spike at 0 layer by layer, and every layer's gradient norm is tiny. With
sigmoid the spike sits at ½ and forms at once, at h1, then holds (each layer sees an input
of nearly constant ½s); its gradient norms shrink about 40x per layer toward the input.
With N(0, 1) and tanh the factor is far above 1: half to three quarters of the units of
h2-h8 start at ±1 (|a| > 0.99), where tanh is flat. Yet the gradient norms *grow* toward the input,
about 2x per layer: the weights are so large that each layer amplifies a change more than
tanh's flat ends damp it (σw²·fan_in·E[tanh′²] ≈ 4 > 1, the "chaotic" regime). The first
big steps push about 90% of the units to ±1, and from there training is erratic: at step
300 some seeds are above 90% accuracy, others stuck near chance (33%).

**Xavier and He** choose the std that keeps the spread: Xavier √(2/(fan_in+fan_out))
for tanh, He √(2/fan_in) for ReLU, which zeroes half of its inputs. Xavier assumes
tanh is linear; its slope is below 1 away from 0, so the spread still falls a little,
about 4-8% per layer (h8's std is 0.55-0.75 of h1's), but no unit saturates. With ReLU,
Xavier loses about a factor √2 per layer, He keeps it. Sigmoid is not centred on 0 and
its slope is at most ¼, so a deep sigmoid stack learns slowly even with Xavier: its
gradient norms shrink about 4-5x per layer toward the input, and at depth 8 it is still
near chance after 300 steps.

**Try it:** ↑/↓ select a control, ←/→ change it, space plays, n takes one step,
w opens the weight inspector. The default, Xavier with tanh, is the healthy case: note
its histograms and gradient bars, press space and watch the loss fall. Then switch init
to N(0, 0.01) and N(0, 1) (each change restarts the run) and compare; then pair Xavier
with ReLU, then He, and change the depth.
"""

TEXT_KO = """\
**왜 시작점이 중요한가.** 학습은 가중치를 시작한 자리에서 조금씩 옮길 뿐입니다. 나쁜
초기화는 학습을 막고, 좋은 초기화는 더 빨리, 더 낮은 오차로 수렴합니다. 원칙은
가중치가 무작위이고, 0이 아니며, 층의 입력 수(fan_in)에 맞게 너무 작지도 크지도 않아야 한다는 것입니다.

**0 또는 상수 초기화** (여기서는 모든 가중치 = 1/fan_in으로, 크기는 적당하니 문제는
대칭뿐입니다). 한 층의 뉴런들이 같은 입력을 같은 가중치로 받으므로 출력이 모두 같고,
역전파에서도 똑같은 gradient를 받습니다. 뉴런들이 한 몸처럼 움직여 층 전체가 뉴런
하나처럼 동작합니다. 정확한 산술에서는 이 상태가 영원히 이어지고, 0 초기화에 tanh나
ReLU를 쓰면 은닉층은 아예 변하지 않습니다. 부동소수점에서는 반올림 때문에 행렬곱의 똑같은
두 열이 마지막 비트에서 달라질 수 있고(float32에서 약 1e-7), 이는 CPU의 BLAS 커널에
따라 다릅니다. 학습은 이 차이를 키울 수 있습니다. AVX2 커널에서 ReLU를 쓰면
2,000~2,500 스텝 뒤 뉴런들이 눈에 띄게 갈라지지만(unit spread 1e-3), AVX-512 커널에서는
6,000 스텝 동안 비트 하나까지 똑같이 남았습니다. 갈라져도 이 망은 손실 0.8 근처에
머무르는데, Xavier는 1,000 스텝 안에 0.05 아래로 내려갑니다. 반올림은 우연일 뿐
해결책이 아닙니다. 비대칭인 것은 무엇이든(반올림, dropout, 무작위 시작점) 대칭을 깨며,
무작위 초기화는 처음(0 스텝)부터 의도적으로 대칭을 깹니다. 손실 그래프에는 unit
spread(각 뉴런의 가중치가 0번 뉴런의 가중치와 가장 크게 다른 정도를 가장 큰 가중치에
대한 비율로 나타낸 값, 무작위 초기화는 약 1.5)도 함께 그려지고, 히트맵(행 = h2의
뉴런)에서는 똑같은 뉴런이 똑같은 행으로 보입니다.

**너무 작거나 너무 크면.** 각 층은 입력의 퍼짐을 대략 std(W)·√fan_in 배로 바꿉니다.
N(0, 0.01)이면 이 배율이 1보다 훨씬 작습니다. tanh나 ReLU에서는 히스토그램이 층을 지날수록
0에 몰린 가는 막대로 좁아지고, 모든 층의 gradient norm이 아주 작습니다. sigmoid에서는 그 막대가
½에 서는데, 첫 층(h1)에서 곧바로 생긴 뒤 그대로 유지됩니다(각 층의 입력이 거의 일정한 ½이기
때문입니다). 대신 gradient norm이 입력 쪽으로 갈수록 층마다 약 40배씩 작아집니다.
N(0, 1)에 tanh이면 배율이 1보다 훨씬 커서, h2~h8 뉴런의 절반에서 4분의 3가량이 처음부터 ±1(|a| > 0.99)에
몰립니다. tanh가 평평한 곳입니다. 그런데도 gradient norm은 입력 쪽으로 갈수록 층마다 약 2배씩
*커집니다*. 가중치가 워낙 커서 각 층이 작은 변화를 키우는 정도가 tanh의 평평한 끝이 줄이는
정도보다 크기 때문입니다(σw²·fan_in·E[tanh′²] ≈ 4 > 1, 이른바 "혼돈(chaotic)" 영역). 처음 몇 번의
큰 걸음이 뉴런의 약 90%를 ±1로 밀어내고, 그 뒤의 학습은 들쭉날쭉합니다. 300 스텝에서 어떤
시드는 정확도 90%를 넘고, 어떤 시드는 무작위 수준(33%) 근처에 머뭅니다.

**Xavier와 He**는 퍼짐을 유지하는 표준편차를 고릅니다. tanh에는 Xavier
√(2/(fan_in+fan_out)), 입력의 절반을 0으로 만드는 ReLU에는 He √(2/fan_in)입니다.
Xavier는 tanh를 선형으로 가정하지만 실제 기울기는 0에서 멀어질수록 1보다 작아서, 퍼짐이 층마다
4~8%쯤 줄어듭니다(h8의 표준편차는 h1의 0.55~0.75배). 그래도 포화되는 뉴런은 없습니다. ReLU와
짝지으면 Xavier는 층마다 퍼짐이 약 1/√2배가 되고, He는 퍼짐을 유지합니다. sigmoid는 출력이 0을
중심으로 하지 않고 기울기가 최대 ¼이라, Xavier로도 깊은 망은 느리게 배웁니다. gradient norm이
입력 쪽으로 층마다 약 4~5배씩 작아지고, depth 8에서는 300 스텝 뒤에도 무작위 수준에 머뭅니다.

**해 보기:** ↑/↓로 항목을 고르고 ←/→로 값을 바꾸세요. space는 재생, n은 한 스텝,
w는 가중치 인스펙터입니다. 기본값인 Xavier + tanh가 건강한 경우입니다. 히스토그램과 gradient
막대를 눈여겨본 뒤 space를 눌러 손실이 내려가는 것을 보세요. 그다음 init을 N(0, 0.01)과 N(0, 1)로
바꿔(바꿀 때마다 처음부터 다시 시작합니다) 비교하고, Xavier를 ReLU와, 이어서 He와 짝지은 뒤
depth도 바꿔 보세요.
"""

INFO = LessonInfo(
    key="weight-init",
    number=8,
    title={"en": "Weight initialization", "ko": "가중치 초기화"},
    question={
        "en": "Why does the way weights are initialised matter, and why not start them at zero?",
        "ko": "가중치 초기화는 왜 중요하며, 왜 0으로 시작하면 안 되는가?",
    },
    text={"en": TEXT_EN, "ko": TEXT_KO},
    claim={
        "en": "Zero/constant init keeps every hidden unit of a layer identical while training: exactly "
        "in exact arithmetic, up to rounding in float32, where training can amplify a rounding "
        "difference until ReLU units split after thousands of steps on some CPUs (a random init "
        "breaks the symmetry by design, from step 0); N(0, 0.01) collapses the spread of deep "
        "activations; N(0, 1) saturates tanh at ±1 while its gradients grow toward the input; Xavier (tanh) "
        "and He (ReLU) keep the spread within a few percent per layer.",
        "ko": "0/상수 초기화에서는 학습 중에도 한 층의 모든 은닉 뉴런이 똑같이 남는다. 정확한 산술에서는 "
        "완전히 같고, float32에서는 반올림 오차 범위에서 같은데, 일부 CPU에서는 학습이 반올림 차이를 "
        "키워 수천 스텝 뒤 ReLU 뉴런이 갈라진다(무작위 초기화는 0 스텝부터 의도적으로 대칭을 깬다). "
        "N(0, 0.01)은 깊은 층 활성값의 퍼짐을 없애 버리고, N(0, 1)은 tanh를 ±1에 포화시키면서도 "
        "gradient는 입력 쪽으로 갈수록 커지게 하며, Xavier(tanh)와 He(ReLU)는 층마다 몇 퍼센트 안쪽으로 퍼짐을 유지한다.",
    },
    controls={
        "init": ControlText({"ko": "초기화"}, {"ko": "모든 Dense 층 가중치의 초깃값 (편향은 0에서 시작)"}),
        "depth": ControlText({"ko": "은닉층 수"}, {"ko": "유닛 64개짜리 은닉층의 개수"}),
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "SGD 스텝 크기. 바로 적용됨"}),
    },
    answer={
        "en": """\
Training only moves weights from where they start, so the start decides whether a deep
net learns at all. Weights must not all be equal: identical units get identical
gradients and stay copies of each other (symmetry), which is why we initialise randomly.
Their scale matters too: each layer multiplies the spread of its signal by about
std(W)·√fan_in, so too small a scale makes activations and gradients collapse with depth,
and too large a scale saturates tanh/sigmoid or makes gradients explode. Xavier/Glorot
(std √(2/(fan_in+fan_out))) keeps the spread roughly constant for tanh, and He
(std √(2/fan_in)) does so for ReLU; biases usually start at zero.
""",
        "ko": """\
학습은 가중치를 시작한 자리에서 옮길 뿐이라, 초기값이 깊은 신경망의 학습 여부를 좌우합니다.
가중치가 모두 같으면 안 됩니다. 같은 유닛은 같은 gradient를 받아 계속 서로의 복사본으로 남기(대칭)
때문에 무작위로 초기화합니다. 크기도 중요합니다. 층마다 신호의 퍼짐이 약 std(W)·√fan_in배가
되므로, 너무 작으면 깊어질수록 활성값과 gradient가 사라지고, 너무 크면 tanh/sigmoid가 포화되거나
gradient가 폭발합니다. Xavier/Glorot(표준편차 √(2/(fan_in+fan_out)))는 tanh에서, He(표준편차
√(2/fan_in))는 ReLU에서 퍼짐을 대략 일정하게 유지합니다. 편향은 보통 0으로 시작합니다.
""",
    },
)
