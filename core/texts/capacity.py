"""The model-capacity lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

TEXT_EN = """\
**Capacity** is how rich a family of functions a model can represent: how many shapes it
can bend into. A polynomial of degree d has d+1 coefficients; each degree can do all a
lower one can, and more. Here the data are noisy samples of a smooth curve (the grey
line): 20 training points (orange) and 200 test points drawn the same way (60 of them
shown, cyan).

**The sweep.** Playing fits the least-squares polynomial of each degree 0..15 to the
training points, one per step, and plots its training and test loss (MSE, log scale)
against the degree. Each fit is the exact minimum of its training loss, so the
training loss can only fall or stay as the degree grows: a higher degree can always
copy a lower one. The test loss tells another story:

- **too little capacity** (degree 0-2): the curve cannot bend enough; train and test
  loss are both high: *underfitting*;
- **about right**: the curve follows the signal, the test loss is lowest;
- **too much** for 20 points: the curve threads through the noise and swings between
  and beyond the points; the training loss keeps falling while the test loss climbs,
  often by orders of magnitude: *overfitting*. That is the U-curve.

"Too much" is relative to the data: with 100 points the same degree 15 is tame. The
noise sets the floor: no model gets the test loss below the noise variance (0.09 at
noise 0.3) on average. To choose a degree in practice you would compare the fits on a
validation split; the test loss here only shows the curve and must not choose.

**Double descent.** Past the point where a model can fit every training point exactly
(about as many parameters as points), the test loss can fall *again* as capacity grows
further: the U is followed by a second descent. Established: this happens with
minimum-norm least squares, random-feature models and wide neural networks, and the
peak sits at the interpolation threshold, sharpest when the noise is high and there is
no regularization; with many more parameters than points the smoothest of the many
exact fits is chosen, and it can generalize well. Debated: how much of it matters for
real networks, since its height depends on the noise, the regularization and the
training (early stopping or weight decay often flatten the peak). At 20 points this
sweep stops at degree 15, below the threshold, so it shows the classical U. Set training
points to 10: degree 9 has as many coefficients as points and threads through every one;
around there (degree 8 or 9) the test loss peaks, and past it (least squares then picks the minimum-norm fit
among the many exact ones) it falls again: a small double descent.

**Try it:** space plays the sweep; ←/→ on capacity changes the fitted degree (live);
noise and training points start a new sweep. Watch degree 15 at 20 points, then at 100.
"""

TEXT_KO = """\
**모델 용량**(capacity)은 모델이 표현할 수 있는 함수들이 얼마나 풍부한지, 곧 얼마나 다양한
모양으로 휠 수 있는지를 말합니다. d차 다항식의 계수는 d+1개이고, 높은 차수는 낮은 차수가
하는 일을 모두 하고 그 이상을 합니다. 여기서 데이터는 매끄러운 곡선(회색 선)에 잡음을 더한
표본입니다. 학습 데이터 20개(주황색)와 같은 방식으로 뽑은 테스트 데이터 200개(그중 60개를 청록색으로 표시)가 있습니다.

**스윕.** 재생하면 0차부터 15차까지 각 차수의 최소제곱 다항식을 학습 데이터에 한 스텝에
하나씩 맞추고, 그 학습 손실과 테스트 손실(MSE, 로그 눈금)을 차수에 따라 그립니다. 각 적합은
학습 손실의 정확한 최솟값이므로, 차수가 올라가도 학습 손실은 내려가거나 그대로일 뿐입니다.
높은 차수는 언제나 낮은 차수를 흉내 낼 수 있기 때문입니다. 테스트 손실은 다릅니다.

- **용량이 너무 작으면** (0~2차): 곡선이 충분히 휘지 못해 학습 손실과 테스트 손실이 모두
  높습니다. *과소적합(underfitting)* 입니다.
- **적당하면**: 곡선이 신호를 따라가고 테스트 손실이 가장 낮습니다.
- **데이터 20개에 비해 너무 크면**: 곡선이 잡음을 꿰어 지나가며 점들 사이와 바깥에서 크게
  출렁입니다. 학습 손실은 계속 내려가는데 테스트 손실은 올라가고, 흔히 몇 자릿수나
  커집니다. *과적합(overfitting)* 입니다. 이것이 U자 곡선입니다.

'너무 크다'는 데이터에 비해서입니다. 데이터가 100개면 같은 15차도 얌전합니다. 잡음은
바닥을 정합니다. 어떤 모델도 평균적으로 테스트 손실을 잡음의 분산(잡음 0.3이면 0.09)
아래로 낮출 수 없습니다. 실제로 차수를 고를 때는 검증(validation) 데이터에서 비교해야 하고,
여기의 테스트 손실은 곡선을 보여 줄 뿐 선택에 쓰면 안 됩니다.

**이중 하강(double descent).** 모델이 모든 학습 데이터를 정확히 맞출 수 있게 되는 지점(대략
파라미터 수 ≈ 데이터 수)을 지나 용량을 더 키우면 테스트 손실이 *다시* 내려갈 수 있습니다.
U자 뒤에 두 번째 하강이 오는 것입니다. 확립된 것: 최소 노름(minimum-norm) 최소제곱, 랜덤 특성
모델, 넓은 신경망에서 이 현상이 일어나고, 봉우리는 보간 임계점에 있으며 잡음이 크고 정규화가
없을 때 가장 뾰족합니다. 파라미터가 데이터보다 훨씬 많으면 정확히 맞추는 수많은 해 가운데 가장
매끄러운 해가 골라지고, 그 해는 잘 일반화될 수 있습니다. 논쟁 중인 것: 실제 신경망에서 이것이
얼마나 중요한지입니다. 봉우리의 높이는 잡음, 정규화, 학습 방식에 따라 달라지고 조기 종료나
가중치 감쇠가 봉우리를 흔히 평평하게 만듭니다. 데이터가 20개일 때 이 스윕은 임계점 아래인
15차에서 멈추므로 고전적인 U자를 보여 줍니다. 학습 데이터 수를 10으로 바꿔 보세요. 9차는 계수가
데이터 수와 같아 모든 점을 꿰어 지나가고, 그 근처(8차나 9차)에서 테스트 손실이 봉우리를 이룹니다. 그 너머에서는
(최소제곱이 정확히 맞추는 수많은 해 가운데 최소 노름 해를 고르므로) 다시 내려갑니다. 작은 이중 하강입니다.

**해 보기:** space로 스윕을 재생하고, capacity에서 ←/→로 그려지는 차수를 바꿉니다(바로 적용).
잡음과 학습 데이터 수를 바꾸면 스윕이 새로 시작됩니다. 데이터 20개일 때와 100개일 때의
15차를 비교해 보세요.
"""

INFO = LessonInfo(
    key="capacity",
    number=11,
    title={"en": "Model capacity", "ko": "모델 용량"},
    question={
        "en": "What is model capacity, and what happens when a model has too little or too much of it?",
        "ko": "모델 용량이란 무엇이며, 용량이 너무 작거나 너무 크면 어떻게 되는가?",
    },
    text={"en": TEXT_EN, "ko": TEXT_KO},
    claim={
        "en": "At the defaults, over polynomial degrees 0-15 fitted by least squares to 20 noisy points, the training loss "
        "never rises with the degree, while the test loss falls and then rises (a U-curve).",
        "ko": "기본값에서, 잡음 섞인 데이터 20개에 최소제곱으로 맞춘 0~15차 다항식에서, 학습 손실은 차수가 올라가도 "
        "결코 오르지 않고, 테스트 손실은 내려갔다가 다시 올라간다(U자 곡선).",
    },
    controls={
        "degree": ControlText({"ko": "용량 (차수)"}, {"ko": "데이터 위에 그리는 다항식의 차수. 바로 적용됨"}),
        "noise": ControlText({"ko": "잡음"}, {"ko": "각 표본에 더하는 잡음의 표준편차"}),
        "n_train": ControlText({"ko": "학습 데이터 수"}, {"ko": "학습 표본의 개수 (테스트는 200개)"}),
    },
    answer={
        "en": """\
Model capacity is the range of functions a model can represent, set by its size and form
(number of parameters, layers, polynomial degree). Too little capacity underfits: the model
cannot express the pattern, so both training and test error stay high. Too much capacity
for the amount of data overfits: the model also fits the noise, so training error keeps
falling while test error rises, the classic U-shaped test curve. The right capacity
depends on the data size and noise, and is chosen on a validation set, or controlled
with regularization, dropout, early stopping or more data. Beyond the point where the
model can interpolate the training data, test error can fall again (double descent),
which is why very large networks can still generalize.
""",
        "ko": """\
모델 용량은 모델이 표현할 수 있는 함수의 범위로, 모델의 크기와 형태(파라미터 수, 층 수,
다항식 차수)가 정합니다. 용량이 너무 작으면 패턴을 표현하지 못해 학습 오차와 테스트 오차가 모두
높은 과소적합이 됩니다. 데이터 양에 비해 용량이 너무 크면 잡음까지 맞추는 과적합이 되어, 학습
오차는 계속 줄어드는데 테스트 오차는 올라갑니다. 이것이 고전적인 U자 테스트 곡선입니다. 알맞은
용량은 데이터의 양과 잡음에 따라 다르며, 검증 데이터로 고르거나 정규화, 드롭아웃, 조기 종료,
더 많은 데이터로 조절합니다. 모델이 학습 데이터를 모두 맞출 수 있는 지점을 넘어서면 테스트 오차가
다시 내려갈 수 있고(이중 하강), 그래서 아주 큰 신경망도 일반화할 수 있습니다.
""",
    },
    finished=True,
)
