"""The normalisation lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

INFO = LessonInfo(
    key="normalization",
    number=7,
    title={"en": "Data normalisation", "ko": "데이터 정규화"},
    question={"en": "What is data normalisation, and why do it?", "ko": "데이터 정규화(Normalization)란? 왜 할까?"},
    text={
        "en": """\
**Normalisation** puts the input features on comparable scales before training. Here a
line ŷ = w₁x₁ + w₂x₂ is fitted by gradient descent (MSE) to two features: x₁ in [0, 1]
and x₂ in [0, 1000]. The map is the loss over (w₁, w₂), the path starts at (0, 0).

- **min-max**: x′ = (x − min) / (max − min), every feature in [0, 1].
- **z-score** (standardisation): x′ = (x − mean) / std, mean 0 and spread 1.

Why it matters: the loss is a quadratic whose Hessian is H = 2XᵀX/n. A feature a
thousand times larger makes the curvature along its weight about a million times larger:
the bowl becomes a long, thin **ravine**. Its **condition number** κ = λmax/λmin says
how stretched it is. Gradient descent is stable only for α < **2/λmax** (lesson 3), so
the steep direction caps the step, and along the flat direction each step removes only
about 2/κ of the distance: with raw features, millions of steps. Min-max fixes the scales
but leaves the features off-centre (both positive), which still tilts and stretches the
bowl; z-scores centre them too, and the bowl is nearly round (κ near 1): a few steps.

The panel shows κ and 2/λmax for each choice. The learning rate is set as a fraction of
2/λmax, because each normalisation has its own: an α that suits z-scores blows up the raw
run at once. Compute the statistics (min, max, mean, std) on the training data only, and
apply the same numbers to validation and test data. Tree models do not care about scale;
distance-based methods (k-NN, SVM) and gradient-trained networks do. (Batch normalisation
inside a network is a related but different idea.)

**Try**: space to run on raw features (the path crawls along the ravine); switch to
min-max and z-score (each restarts) and compare the steps; c pins a run to compare with.
""",
        "ko": """\
**정규화**는 학습 전에 입력 특성들의 스케일을 비슷하게 맞추는 일입니다. 여기서는 직선
ŷ = w₁x₁ + w₂x₂를 경사 하강법(MSE)으로 두 특성에 맞춥니다. x₁은 [0, 1], x₂는 [0, 1000]
범위입니다. 지도는 (w₁, w₂)에 대한 손실이고, 경로는 (0, 0)에서 시작합니다.

- **min-max**: x′ = (x − 최솟값) / (최댓값 − 최솟값), 모든 특성이 [0, 1] 안에 들어옵니다.
- **z-점수**(표준화): x′ = (x − 평균) / 표준편차, 평균 0, 퍼짐 1이 됩니다.

왜 중요할까요? 손실은 헤시안이 H = 2XᵀX/n인 이차 함수입니다. 천 배 큰 특성은 그 가중치
방향의 곡률을 약 백만 배 키워, 그릇이 길고 가는 **협곡**이 됩니다. **조건수** κ = λmax/λmin이
얼마나 늘어났는지 말해 줍니다. 경사 하강법은 α < **2/λmax**일 때만 안정하므로(3강) 가파른
방향이 스텝을 제한하고, 완만한 방향으로는 한 스텝에 거리의 약 2/κ만 줄어듭니다. 정규화하지
않으면 수백만 스텝이 걸립니다. min-max는 스케일은 맞추지만 특성이 한쪽으로 치우친(둘 다 양수)
채로 남아 그릇이 여전히 기울고 늘어납니다. z-점수는 중심까지 맞춰 그릇이 거의 둥글어지고(κ가
1에 가까움) 몇 스텝이면 됩니다.

패널에 정규화마다 κ와 2/λmax가 나옵니다. 학습률은 2/λmax에 대한 비율로 정합니다. 정규화마다
그 값이 달라서, z-점수에 알맞은 α로는 정규화하지 않은 학습이 바로 발산하기 때문입니다. 통계량
(최솟값, 최댓값, 평균, 표준편차)은 학습 데이터로만 구하고, 검증과 테스트 데이터에도 같은 값을
씁니다. 트리 모델은 스케일에 무관하지만, 거리 기반 방법(k-NN, SVM)과 경사로 학습하는 신경망은
영향을 받습니다. (신경망 안의 배치 정규화는 관련은 있지만 다른 기법입니다.)

**해 보기**: space로 정규화하지 않은 특성에서 학습해 경로가 협곡을 따라 기어가는 것을 보고,
min-max와 z-점수로 바꿔(각각 다시 시작) 스텝 수를 비교하세요. c는 비교할 실행을 고정합니다.
""",
    },
    claim={
        "en": "With z-scores gradient descent reaches the loss tolerance in far fewer steps than on raw features, "
              "each at its own best stable learning rate; the Hessian's condition number κ falls by orders of magnitude.",
        "ko": "z-점수를 쓰면 경사 하강법이 정규화하지 않은 특성보다 훨씬 적은 스텝으로 손실 허용 오차에 도달한다"
              "(각자 가장 좋은 안정한 학습률에서). 헤시안의 조건수 κ는 몇 자릿수나 줄어든다.",
    },
    controls={
        "normalization": ControlText({"ko": "정규화"}, {"ko": "그대로, [0, 1]로 min-max, 또는 z-점수(평균 0, 표준편차 1)"}),
        "lr_fraction": ControlText({"ko": "학습률 α/(2/λmax)"}, {"ko": "안정 한계 2/λmax에 대한 스텝의 비율. 정규화마다 2/λmax가 다름"}),
    },
    answer={
        "en": """\
Normalisation rescales input features to comparable ranges: min-max maps each to [0, 1],
z-score standardisation subtracts the mean and divides by the standard deviation. Features
on very different scales make the loss surface a stretched ravine (a large Hessian
condition number κ = λmax/λmin); gradient descent must keep α below 2/λmax for the steep
direction and then crawls along the flat one, so training is slow and sensitive to the
learning rate. After z-scoring, the surface is close to round and gradient descent
converges in far fewer steps; no feature dominates just because of its units. The
statistics come from the training set only and are reused for validation and test data.
""",
        "ko": """\
정규화는 입력 특성들의 범위를 비슷하게 맞추는 것입니다. min-max는 각 특성을 [0, 1]로 옮기고,
z-점수 표준화는 평균을 빼고 표준편차로 나눕니다. 특성의 스케일이 크게 다르면 손실 곡면이 길게
늘어난 협곡이 되어(헤시안의 조건수 κ = λmax/λmin이 큼), 경사 하강법은 가파른 방향 때문에 α를
2/λmax 아래로 두어야 하고 완만한 방향으로는 기어가게 되어 학습이 느리고 학습률에 민감해집니다.
z-점수로 바꾸면 곡면이 거의 둥글어져 훨씬 적은 스텝으로 수렴하고, 단위 때문에 한 특성이
지배하지도 않습니다. 통계량은 학습 데이터로만 구해 검증과 테스트 데이터에도 그대로 씁니다.
""",
    },
)
