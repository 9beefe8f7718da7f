"""The gradient-descent lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

INFO = LessonInfo(
    key="gradient-descent",
    number=3,
    title={"en": "Gradient descent", "ko": "경사 하강법"},
    question={"en": "What is gradient descent?", "ko": "경사 하강법(Gradient descent)이란?"},
    text={
        "en": """\
**Gradient descent** is the optimisation algorithm that learns the parameter values
which make the cost function J as small as possible. Every iteration it computes the
gradient of J with respect to *each* parameter and moves every parameter a little downhill:

    W ← W − α · ∂J/∂W

- **W**: the parameters (here just two: the axes of the map)
- **α**: the learning rate, the size of each step
- **J**: the cost function (the colour of the map); **∂J/∂W**: its gradient, the direction of steepest rise

On a quadratic J, write the distance to the minimum along each eigenvector of the Hessian,
**with its sign**: each step multiplies it by (1 − α·λ), λ being the curvature (eigenvalue)
of that direction. The largest, **λmax**, sets the limit: below the **critical learning rate
2/λmax** every factor lies between −1 and 1 and the error shrinks (a negative factor means
the step overshoots to the other side: a zigzag); above it the steepest direction's factor is
below −1, every step lands further out on the other side than the last, and the run
**diverges** (the loss grows without bound).

On the *ravine* (λmax/λmin = 100) the steep walls cap α, so along the flat floor the distance
is multiplied by (1 − α·λmin), close to 1, per step and the path zigzags. **Momentum** keeps a velocity
v ← β·v + ∂J/∂W and steps W ← W − α·v (β = 0.9): the zigzags cancel, the pushes along the floor
add up; its own limit is **2(1+β)/λmax**, 3.8/λmax here. **Adam** divides each coordinate's step by a running RMS
of its gradient, so its steps are about α long however steep the slope: it has no such simple
limit (on these surfaces even α = 10, the control's maximum, does not diverge). The step-size
panel shows the limit of the chosen optimiser. On *rosenbrock* the curvature changes from place
to place: the limit there is local, from the Hessian at the current point, and changes as the
point moves.

**Try**: ↑/↓ select a control, ←/→ change it, space plays, n takes one step, r resets.
Raise α past the limit and watch the path fly off; switch to momentum mid-run; then try
*rosenbrock* (a curved valley) and *regression* (the MSE of a line fit, over (w, b)).
""",
        "ko": """\
**경사 하강법**(gradient descent)은 비용 함수 J를 가장 작게 만드는 파라미터 값을 학습하는
최적화 알고리즘입니다. 매 반복(iteration)마다 *각* 파라미터에 대한 J의 기울기(gradient)를
계산하고, 모든 파라미터를 내리막 쪽으로 조금씩 옮깁니다.

    W ← W − α · ∂J/∂W

- **W**: 파라미터 (여기서는 두 개뿐이라 지도의 두 축이 됩니다)
- **α**: 학습률(learning rate), 한 걸음의 크기
- **J**: 비용 함수 (지도의 색), **∂J/∂W**: 그 기울기, J가 가장 가파르게 커지는 방향

J가 이차 함수라면, 최솟점까지의 거리를 헤시안의 고유벡터 방향마다 **부호까지 포함해** 재어 봅시다.
한 걸음마다 그 거리는 (1 − α·λ)배가 됩니다. 여기서 λ는 그 방향의 곡률(고윳값)입니다. 한계를
정하는 것은 가장 큰 고윳값 **λmax**입니다. **임계 학습률 2/λmax**보다 작으면 모든 배율이 −1과 1
사이에 있어 오차가 줄어듭니다(배율이 음수면 반대편으로 넘어가며 지그재그를 그립니다). 크면
가장 가파른 방향의 배율이 −1보다 작아져, 걸음마다 반대편으로 전보다 더 멀리 넘어가고
**발산**합니다 (loss가 한없이 커집니다).

*ravine*(λmax/λmin = 100)에서는 가파른 벽 때문에 α를 키울 수 없어, 평평한 바닥을 따라서는
거리가 한 걸음에 1에 가까운 (1 − α·λmin)배가 될 뿐이라 경로는 지그재그를 그립니다. **Momentum**은
속도 v ← β·v + ∂J/∂W를 쌓아 W ← W − α·v로 움직입니다 (β = 0.9). 좌우로 튀는 성분은 서로
상쇄되고 바닥을 따라가는 성분은 쌓입니다. momentum의 한계는 **2(1+β)/λmax**, 여기서는 3.8/λmax입니다.
**Adam**은 좌표마다 기울기 제곱의 지수 이동 평균의 제곱근(RMS)으로 걸음을 나누어, 경사가 얼마나
가파르든 걸음 길이가 대략 α입니다. 그래서 이런 간단한 한계가 없습니다(이 곡면들에서는 α를 최댓값인
10으로 올려도 발산하지 않습니다). 스텝 크기 패널은 고른 옵티마이저의 한계를 보여 줍니다.
*rosenbrock*에서는 곡률이 자리마다 달라서, 한계도 지금 위치의 헤시안으로 구한 국소적인 값이며
점이 움직이면 함께 바뀝니다.

**해 보기**: ↑/↓로 항목을 고르고 ←/→로 값을 바꿉니다. space는 재생/정지, n은 한 스텝,
r은 처음부터 다시. α를 한계보다 크게 올려 경로가 튕겨 나가는 것을 보고, 도중에
momentum으로 바꿔 보세요. *rosenbrock*(휘어진 골짜기)과 *regression*((w, b) 위에서 본
직선 회귀의 MSE)도 해 보세요.
""",
    },
    claim={
        "en": "On a quadratic, a learning rate below 2/λmax converges and one above it diverges "
        "(for momentum the limit is 2(1+β)/λmax); "
        "on an ill-conditioned bowl, momentum reaches the tolerance in fewer steps than plain GD.",
        "ko": "이차 함수에서 학습률이 2/λmax보다 작으면 수렴하고 크면 발산한다(momentum의 한계는 2(1+β)/λmax). "
        "조건수가 큰 그릇에서는 momentum이 일반 경사 하강법보다 적은 걸음으로 허용 오차에 도달한다.",
    },
    controls={
        "learning_rate": ControlText({"ko": "학습률 α"}, {"ko": "스텝 크기. 이차 함수에서 GD는 α < 2/λmax, momentum은 α < 2(1+β)/λmax여야 함 (스텝 크기 패널에 표시)"}),
        "optimizer": ControlText({"ko": "옵티마이저"}, {"ko": "gd, momentum (β = 0.9), Adam. 바꿔도 지금 위치에서 이어 감"}),
        "surface": ControlText({"ko": "손실 곡면"}, {"ko": "둥근 그릇, 조건수가 큰 협곡, Rosenbrock 골짜기, (w, b)에 대한 회귀의 MSE"}),
        "start": ControlText({"ko": "시작점"}, {"ko": "지도의 네 귀퉁이 중 학습을 시작할 곳"}),
    },
    answer={
        "en": """\
Gradient descent minimises a cost function J(W) by repeatedly stepping against its
gradient: W ← W − α·∂J/∂W, with α the learning rate. Each step is the steepest local
descent, so it finds a minimum (on a convex cost, the minimum) if α is small enough. On a
quadratic with largest curvature λmax, plain GD converges only for α < 2/λmax; above it
the error along that direction grows every step and the run diverges. On an
ill-conditioned (stretched) cost it zigzags across the steep direction and crawls along
the flat one; momentum (stable up to 2(1+β)/λmax) and adaptive methods such as Adam
speed that up. In deep learning the gradient is estimated on minibatches (SGD).
""",
        "ko": """\
경사 하강법은 비용 함수 J(W)를 최소화하기 위해 기울기의 반대 방향으로 파라미터를 반복해서
옮기는 최적화 알고리즘입니다: W ← W − α·∂J/∂W, α는 학습률입니다. 한 스텝은 그 자리에서 가장
가파르게 내려가는 방향이므로, α가 충분히 작으면 최솟값(볼록 함수라면 전역 최솟값)에 이릅니다.
가장 큰 곡률이 λmax인 이차 함수에서 보통 경사 하강법은 α < 2/λmax일 때만 수렴하고, 그보다
크면 그 방향의 오차가 스텝마다 커져 발산합니다. 한 방향으로 길게 늘어난(ill-conditioned) 비용
함수에서는 가파른 방향으로 지그재그하며 완만한 방향으로는 느리게 기어가는데, 모멘텀(2(1+β)/λmax까지
안정)이나 Adam 같은 적응형 방법이 이를 빠르게 합니다. 딥러닝에서는 기울기를 미니배치로 추정합니다(SGD).
""",
    },
)
