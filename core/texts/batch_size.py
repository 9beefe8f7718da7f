"""The batch-size lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

INFO = LessonInfo(
    key="batch-size",
    number=5,
    title={"en": "SGD, mini-batch, full batch", "ko": "SGD, 미니배치, 전체 배치"},
    question={"en": "Stochastic vs batch vs mini-batch gradient descent?",
              "ko": "확률적(SGD), 배치, 미니배치 경사 하강법의 차이는?"},
    text={
        "en": """\
Gradient descent needs the gradient of the cost over the **whole** training set. How
many points go into each estimate of it is the **batch size**:

- **Full-batch** (batch) GD: all N points per update. The exact gradient, a smooth
  path, but one update per **epoch** (one pass over the data), and each update costs N.
- **Stochastic** GD (SGD, strictly batch 1): one point per update, N updates per epoch.
  Each step is cheap but follows a single point: the path wanders and the loss jitters.
- **Mini-batch** GD: B points per update, N/B per epoch: the usual compromise (in deep
  learning "SGD" usually means this). B also fits the hardware: a GPU processes a batch
  in parallel for about the cost of one point.

Here one line fit (MSE, 64 points) is trained three ways **in lockstep**: each step is
one update of each, with the same learning rate and the same order of the points. A
mini-batch gradient is an **unbiased** estimate of the full gradient (averaged over
batches it equals it), and its spread falls like 1/√B: four times the batch, half the
noise. Switch the x axis: per **update** full batch is best; per **epoch** SGD is far
ahead (N updates to one); per **second** on a CPU and this tiny set an update costs
about the same whatever B, which is not so for large data.

What is established and what is debated: the noise of small batches lets SGD keep moving
where full-batch GD would stop, and with a fixed learning rate it makes SGD hover around
the minimum instead of settling (lower the rate, or let it decay, to settle). The seed
says small batches find "flat minima" that generalise better and "escape local minima":
large-batch training has been seen to generalise worse at equal epochs (Keskar et al.,
2017), but sharpness depends on how the weights are scaled and tuned large batches can
match small ones (Goyal et al., 2017; Dinh et al., 2017). It is a tendency under some
settings, not a law. The line fit is a convex bowl with no local minimum to escape; the
*two-basins* surface has one: the runs start in a shallow basin with a deeper one past a
ridge. At α = 0.03, after 600 updates, over seeds 0-19, SGD had crossed into the deep
basin on 14, B = 8 and the full batch on none: the exact gradient never climbs the ridge,
the noise of one point can. Whether the deeper or flatter place generalises better is a
separate question this surface cannot answer.

**Try**: space to run; ←/→ on B; raise α and watch SGD's path scatter first; switch the
x axis between updates, epochs and seconds; then pick the two-basins surface (α = 0.03).
""",
        "ko": """\
경사 하강법에는 **전체** 학습 데이터에 대한 비용의 기울기가 필요합니다. 그 기울기를 한 번
추정하는 데 쓰는 점의 수가 **배치 크기**입니다.

- **전체 배치**(batch) GD: 갱신마다 N개 점 전부. 정확한 기울기와 매끄러운 경로를 얻지만,
  **에포크**(데이터 한 바퀴)마다 한 번만 갱신하고 갱신 한 번에 N만큼 계산합니다.
- **확률적** GD(SGD, 엄밀히는 배치 1): 갱신마다 점 하나, 에포크마다 N번 갱신. 한 스텝은
  싸지만 점 하나만 따라가서 경로가 헤매고 손실이 흔들립니다.
- **미니배치** GD: 갱신마다 B개, 에포크마다 N/B번. 보통의 절충안입니다(딥러닝에서 "SGD"는
  대개 이것을 뜻합니다). B는 하드웨어에도 맞춥니다. GPU는 배치를 병렬로 처리해 점 하나와
  비슷한 비용으로 계산합니다.

여기서는 직선 하나(MSE, 점 64개)를 세 가지로 **나란히** 학습합니다. 한 스텝은 셋의 갱신
한 번씩이며, 학습률과 점의 순서가 같습니다. 미니배치 기울기는 전체 기울기의 **불편 추정량**
(배치들에 대해 평균하면 같아짐)이고, 퍼짐은 1/√B로 줄어듭니다. 배치를 네 배로 하면 잡음은
절반입니다. x축을 바꿔 보세요. **갱신** 한 번당으로는 전체 배치가 가장 좋고, **에포크**당으로는
SGD가 훨씬 앞섭니다(갱신 N번 대 한 번). **초** 단위로는 CPU와 이 작은 데이터에서 B와 상관없이
갱신 비용이 비슷하지만, 큰 데이터에서는 그렇지 않습니다.

확립된 것과 논쟁 중인 것: 작은 배치의 잡음 덕분에 SGD는 전체 배치 GD가 멈출 곳에서도 계속
움직이며, 학습률이 고정이면 최솟점에 자리 잡지 못하고 그 주변을 맴돕니다(자리 잡으려면 학습률을
낮추거나 줄여 나가야 합니다). 원문은 작은 배치가 일반화가 좋은 "평평한 최솟값"을 찾고 "지역
최솟값을 피한다"고 합니다. 같은 에포크에서 큰 배치의 일반화가 더 나쁘다는 관찰이 있지만(Keskar
외, 2017), 날카로움은 가중치의 스케일에 따라 달라지고 잘 조정한 큰 배치는 작은 배치와 같은
성능을 내기도 합니다(Goyal 외, 2017; Dinh 외, 2017). 어떤 설정에서의 경향이지 법칙이 아닙니다.
직선 맞추기는 벗어날 지역 최솟값이 없는 볼록한 그릇입니다. *two-basins* 곡면에는 있습니다. 실행은
얕은 분지에서 시작하고 능선 너머에 더 깊은 분지가 있습니다. α = 0.03으로 600번 갱신하면 시드
0-19 중 SGD는 14번 깊은 분지로 넘어갔고, B = 8과 전체 배치는 한 번도 넘어가지 않았습니다. 정확한
기울기는 능선을 오르지 않지만 점 하나의 잡음은 넘을 수 있습니다. 더 깊거나 평평한 곳이 일반화에
더 좋은지는 이 곡면으로 답할 수 없는 별개의 질문입니다.

**해 보기**: space로 실행, ←/→로 B를 바꾸고, α를 키워 SGD의 경로가 먼저 흩어지는 것을 보세요.
x축을 갱신, 에포크, 초로 바꿔 보고, two-basins 곡면도 골라 보세요(α = 0.03).
""",
    },
    claim={
        "en": "Per epoch SGD makes N updates and full batch one; the mini-batch gradient is an unbiased estimate of "
              "the full gradient whose spread falls like 1/√B; SGD's loss curve is measurably noisier.",
        "ko": "에포크마다 SGD는 N번, 전체 배치는 한 번 갱신한다. 미니배치 기울기는 전체 기울기의 불편 추정량이며 "
              "퍼짐은 1/√B로 줄어든다. SGD의 손실 곡선은 측정할 만큼 더 시끄럽다.",
    },
    controls={
        "surface": ControlText({"ko": "곡면"}, {"ko": "직선 맞추기(볼록한 그릇), 또는 두 분지: 시작점이 있는 얕은 분지와 능선 너머의 더 깊은 분지"}),
        "batch": ControlText({"ko": "미니배치 크기 B"}, {"ko": "가운데 실행의 배치 크기 (나머지는 1과 64개 전부)"}),
        "learning_rate": ControlText({"ko": "학습률 α"}, {"ko": "세 실행에 같은 스텝 크기"}),
        "x_axis": ControlText({"ko": "x축"}, {"ko": "손실 곡선의 가로축: 에포크, 갱신 횟수, 계산 시간(초, 이 컴퓨터에서 측정; 실행 자체는 시간과 무관)"}),
    },
    answer={
        "en": """\
They differ in how many training examples each gradient estimate uses. Full-batch gradient
descent uses the whole set: an exact gradient and a smooth path, but one expensive update
per epoch and the whole set in memory. Stochastic gradient descent uses one example: N
cheap updates per epoch, but a noisy path that jitters around the minimum unless the
learning rate decays. Mini-batch gradient descent uses B examples: an unbiased gradient
estimate whose noise falls like 1/√B, vectorised on GPUs, and the standard choice in deep
learning. Small-batch noise is often said to help generalisation (flatter minima); that
is observed in some settings and still debated.
""",
        "ko": """\
각 기울기 추정에 학습 예제를 몇 개 쓰는지가 다릅니다. 전체 배치 경사 하강법은 데이터 전체를
써서 기울기가 정확하고 경로가 매끄럽지만, 에포크마다 비싼 갱신을 한 번만 하고 데이터 전체를
메모리에 올려야 합니다. 확률적 경사 하강법은 예제 하나를 써서 에포크마다 N번 싸게 갱신하지만,
경로가 시끄러워 학습률을 줄이지 않으면 최솟점 주변에서 흔들립니다. 미니배치 경사 하강법은 B개를
써서 잡음이 1/√B로 줄어드는 불편 추정 기울기를 얻고, GPU에서 벡터화되어 딥러닝의 표준입니다.
작은 배치의 잡음이 일반화를 돕는다(더 평평한 최솟값)는 말은 일부 설정에서 관찰되지만 아직
논쟁 중입니다.
""",
    },
)
