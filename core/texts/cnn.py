"""The cnn lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

INFO = LessonInfo(
    key="cnn",
    number=12,
    title={"en": "Convolutional networks", "ko": "합성곱 신경망 (CNN)"},
    question={
        "en": "What is a convolutional neural network (CNN)?",
        "ko": "합성곱 신경망(CNN)이란?",
    },
    text={
        "en": """\
A **convolution layer** is a set of small **filters** (also called **kernels**): here F grids
of k×k weights, each with one bias. A filter **slides** over the image one pixel at a time;
at every position it takes the **dot product** of its weights with the patch it covers,
adds its bias, and writes that one number into its **feature map**:

    out[r, c] = Σᵢ Σⱼ patch[i, j] · kernel[i, j] + b

(Deep learning calls this a convolution, but the kernel is not flipped as in a signal-processing
convolution: strictly it is a **cross-correlation**. Since the kernel is learned, a flipped
one would simply be learned flipped.) The border is padded with zeros, so an 8×8 digit gives an 8×8 map per filter. The same few
weights are reused at every position, so a filter finds its pattern wherever it appears.
Nobody designs the filters: they start random, and training adjusts them to help the
classifier. On these small 8×8 digits random 3×3 filters already respond to edges and
blobs, and training here mostly **strengthens** them: after 300 steps each kernel still has
a cosine similarity of 0.7-1.0 with its random start, while it has grown 1.2-2.8x in size;
the dense layer moves much further (cosine 0.3-0.4 with its start). A filter whose ReLU
output is 0 on every digit gets no gradient and never changes. (In bigger nets trained on
bigger images, first-layer filters do end up as clear edge detectors.)
Here ReLU → 2×2 max-pool → one dense layer turn the maps into probabilities for the 10 digits.

- **kernels**: the filters as heatmaps (one colour scale for all): their patterns change little
- **feature maps**: each filter's output on the chosen test digit (bright = strong response):
  the digit's strokes, each map stressing other edges
- **dot product**: one position of one filter worked out, patch × kernel, summed, plus bias
  (shown where that filter responds most strongly)

**Try**: space plays, n takes one step, ↑/↓ select a control, ←/→ change it. A fifth of
the training digits is held out as a **validation** set that the net never trains on; the
run counts as converged when validation accuracy passes 96.5%, and only then is the
**test** accuracy read: on most seeds it is above 95% by then, within seconds. (Picking the
best of many test scores would flatter the net: the test set is for the final verdict.)
Change *sample* to look at another digit, *filter* to explain
another kernel. With 1 filter accuracy stalls near 90% and never converges; 16 filters converge sooner than 8.
Set the learning rate to its maximum, 1, and press r: the steps are so big that every filter dies (its
ReLU output is 0 on every digit), and accuracy falls to chance, 10%.
""",
        "ko": """\
**합성곱 층**(convolution layer)은 작은 **필터**(filter, 커널 kernel이라고도 함)들의 묶음입니다.
여기서는 k×k 가중치 격자 F개이고, 필터마다 편향(bias)이 하나씩 있습니다. 필터는 이미지 위를
한 칸씩 **미끄러지며**(sliding), 위치마다 자신이 덮은 영역(patch)과 가중치의 **내적**(dot product)을
구하고 편향을 더해 그 값 하나를 자신의 **특징 맵**(feature map)에 적습니다.

    out[r, c] = Σᵢ Σⱼ patch[i, j] · kernel[i, j] + b

(딥러닝에서는 이것을 합성곱이라 부르지만, 신호 처리의 합성곱처럼 커널을 뒤집지 않으므로 엄밀히는
**상호상관**(cross-correlation)입니다. 커널은 학습되는 값이라, 뒤집힌 커널이 필요하면 뒤집힌 채로
학습될 뿐입니다.) 가장자리는 0으로 채우므로(zero padding) 8×8 숫자 이미지에서 필터마다 8×8 맵이 나옵니다.
같은 가중치를 모든 위치에서 다시 쓰기 때문에, 필터는 패턴이 어디에 있든 찾아냅니다.
필터는 사람이 설계하지 않습니다. 무작위로 시작해서, 학습이 분류에 도움이 되도록 조금씩 고쳐
나갑니다. 작은 8×8 숫자에서는 무작위 3×3 필터도 이미 경계(에지)나 덩어리 모양에 반응하기 때문에,
여기서 학습은 필터를 주로 **강하게** 만듭니다. 300 스텝 뒤에도 각 커널은 무작위로 시작한 값과의
코사인 유사도가 0.7~1.0이지만, 크기는 1.2~2.8배로 커집니다. 완전 연결층은 훨씬 많이
바뀝니다(시작값과의 코사인 유사도 0.3~0.4). 어떤 숫자에서도 ReLU 출력이 0인 필터는 gradient를 받지
못해 전혀 바뀌지 않습니다. (더 큰 이미지로 학습하는 더 큰 망에서는 첫 층 필터가 뚜렷한 에지
검출기가 됩니다.)
그 뒤 ReLU → 2×2 max pooling → 완전 연결층 하나가 맵을 숫자 10개의 확률로 바꿉니다.

- **커널**: 필터를 히트맵으로 표시합니다(모든 필터가 같은 색 척도). 무늬는 거의 바뀌지 않습니다
- **특징 맵**: 고른 테스트 숫자에 대한 각 필터의 출력 (밝을수록 강한 반응). 숫자의 획이
  맵마다 다른 경계를 강조해 보입니다
- **내적**: 한 필터의 한 위치를 직접 계산해 보입니다. patch × kernel, 합, 그리고 편향
  (그 필터가 가장 강하게 반응한 위치)

**해 보기**: space로 재생, n으로 한 스텝, ↑/↓로 항목 선택, ←/→로 값 변경. 학습 숫자의 5분의 1은
학습에 쓰지 않는 **검증**(validation) 세트로 떼어 둡니다. 검증 정확도가 96.5%를 넘으면 수렴한 것으로
보고, 그때 비로소 **테스트** 정확도를 읽습니다. 대부분의 시드에서 그 시점의 테스트 정확도는 몇 초 안에
95%를 넘습니다. (테스트 점수를 여러 번 재서 가장 좋은 값을 고르면 실력이 부풀려집니다. 테스트 세트는
마지막 판정에만 씁니다.)
*sample*을 바꿔 다른 숫자를 보고, *filter*로 다른 커널을 살펴보세요.
필터가 1개면 정확도가 90% 근처에서 멈춰 수렴하지 못하고, 16개면 8개보다 빨리 수렴합니다.
학습률을 최댓값인 1로 올리고 r을 누르면 한 스텝이 너무 커서 모든 필터가 죽고(어떤 숫자에서도
ReLU 출력이 0), 정확도는 무작위로 찍는 수준인 10%로 떨어집니다.
""",
    },
    claim={
        "en": "Judged converged on a validation split, the conv net passes 95% test accuracy on the held-out digits within the default "
        "budget; each conv output equals the direct sliding dot product.",
        "ko": "기본 설정의 학습 예산 안에 합성곱 신경망이 따로 떼어 둔 테스트 숫자에서 정확도 95%를 "
        "넘고, 합성곱 출력 하나하나는 필터를 직접 밀며 구한 내적과 같다.",
    },
    controls={
        "filters": ControlText({"ko": "필터 수"}, {"ko": "합성곱 층의 k×k 필터 개수"}),
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "Adam 스텝 크기. 바로 적용됨"}),
        "batch_size": ControlText({"ko": "배치 크기"}, {"ko": "한 번 갱신에 쓰는 학습 이미지 수. 바로 적용됨"}),
        "sample": ControlText({"ko": "샘플"}, {"ko": "패널에 보여 줄, 따로 떼어 둔 테스트 숫자 359개 중 하나"}),
        "filter": ControlText({"ko": "필터"}, {"ko": "내적 패널이 계산해 보일 필터 (필터 수보다 작게)"}),
    },
    answer={
        "en": """\
A convolutional neural network is built from convolution layers: small filters (kernels)
of learned weights slide over the input, and at each position the dot product of the
filter with the patch under it (plus a bias) gives one value of a feature map (strictly
a cross-correlation: the kernel is not flipped). Because the same few weights are used
at every position, a conv layer has far fewer parameters than a dense one and detects a
pattern wherever it appears. Stacked with non-linearities and pooling, the layers build
features from edges up to shapes, and the filters are not designed by hand: training
learns whichever filters help the task.
""",
        "ko": """\
합성곱 신경망은 합성곱 층으로 이루어집니다. 학습되는 가중치로 된 작은 필터(커널)가 입력 위를
미끄러지며, 위치마다 필터와 그 아래 영역(patch)의 내적에 편향을 더한 값이 특징 맵의 한 칸이
됩니다(엄밀히는 커널을 뒤집지 않는 상호상관입니다). 같은 적은 수의 가중치를 모든 위치에서 다시
쓰기 때문에 완전 연결층보다 파라미터가 훨씬 적고, 패턴이 어디에 있든 찾아냅니다. 비선형 함수와
풀링을 사이에 두고 층을 쌓으면 경계에서 모양까지 점점 복잡한 특징을 만들며, 필터는 사람이 설계하지
않고 과제에 도움이 되는 쪽으로 학습됩니다.
""",
    },
)
