"""The autoencoder lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

INFO = LessonInfo(
    key="autoencoder",
    number=13,
    title={"en": "Autoencoders", "ko": "오토인코더"},
    question={"en": "What is an autoencoder?", "ko": "오토인코더(Autoencoder)란?"},
    text={
        "en": """\
An **autoencoder** learns to copy its input to its output through a narrow middle: the
**encoder** maps an image to a short **code** z (the **latent** representation), the
**decoder** rebuilds the image from z, and training minimises the reconstruction error.
No labels are used: the input is its own target. Because the code is smaller than the
input, the net cannot simply copy; it must find the few numbers that describe the data
best.

Here: the 8×8 digits (64 pixels) through 64 → 32 → d → 32 → 64 (tanh hidden layers),
mean squared error, Adam. Two baselines measure the result on the held-out test digits:
the **mean image** (every digit rebuilt as the average digit) and **PCA** with as many
components as the code has numbers.

- **digits and reconstructions**: test digits, each followed by what the net rebuilds
- **latent map**: every test digit's 2-number code as a point, drawn as its own digit (so
  classes are told apart without colour); the cursor (✛) is a point you choose
- **decoded at the cursor**: the image the decoder makes from that point
- **loss**: test loss against the two baselines

**Try**: with a code of 2, the test loss falls below the mean image's within seconds and,
within about 1000 steps, below PCA-2's: the tanh layers bend the map where PCA can only
project. Move the cursor (cursor x, cursor y) across the map and watch the decoded digit
morph from one class to another. Set *layers* to linear and press r: the linear autoencoder
levels off at PCA's loss, as theory says it must. A code of 8 rebuilds far better.
""",
        "ko": """\
**오토인코더**(autoencoder)는 가운데가 좁은 신경망으로 입력을 출력에 그대로 옮기는 법을 배웁니다.
**인코더**(encoder)는 이미지를 짧은 **코드** z(**잠재**(latent) 표현)로 바꾸고, **디코더**(decoder)는 z에서
이미지를 다시 만들며, 학습은 복원 오차를 줄입니다. 레이블은 쓰지 않습니다. 입력이 곧 정답입니다.
코드가 입력보다 작으므로 그냥 베낄 수는 없고, 데이터를 가장 잘 설명하는 몇 개의 숫자를 찾아야
합니다.

여기서는: 8×8 숫자(픽셀 64개)를 64 → 32 → d → 32 → 64(은닉층은 tanh)로 통과시키고, 평균 제곱 오차와
Adam으로 학습합니다. 따로 떼어 둔 테스트 숫자에서 두 기준선과 비교합니다. **평균 이미지**(모든 숫자를
평균 숫자로 복원)와, 코드의 크기만큼 성분을 쓰는 **PCA**입니다.

- **숫자와 복원**: 테스트 숫자와 그 뒤에 신경망이 복원한 이미지
- **잠재 공간 지도**: 테스트 숫자마다 숫자 2개짜리 코드를 점으로, 그 숫자 자체의 글자로 그립니다(색이
  없어도 구별됩니다). 커서(✛)는 직접 고르는 점입니다
- **커서 위치의 복원**: 디코더가 그 점에서 만든 이미지
- **손실**: 두 기준선과 비교한 테스트 손실

**해 보기**: 코드 크기 2에서 테스트 손실은 몇 초 만에 평균 이미지보다 낮아지고, 1000 스텝 안팎이면
PCA-2보다도 낮아집니다. PCA는 사영만 할 수 있지만 tanh 층은 지도를 휠 수 있기 때문입니다. 커서(cursor
x, cursor y)를 지도 위로 움직이면 복원된 숫자가 한 숫자에서 다른 숫자로 바뀌어 갑니다. *layers*를
linear로 하고 r을 누르면 선형 오토인코더는 이론대로 PCA의 손실에서 멈춥니다. 코드 크기 8은 훨씬 잘 복원합니다.
""",
    },
    claim={
        "en": "The test reconstruction loss falls well below the mean image's; in a 2-number code, digits of one class "
        "sit closer together than digits of different classes; a linear autoencoder levels off at PCA's loss and the "
        "non-linear one goes below it (code of 2, 1000 steps).",
        "ko": "테스트 복원 손실이 평균 이미지보다 훨씬 낮아진다. 숫자 2개짜리 코드에서 같은 숫자끼리는 다른 "
        "숫자끼리보다 가까이 모인다. 선형 오토인코더는 PCA의 손실에서 멈추고, 비선형 오토인코더는 그보다 낮아진다"
        "(코드 크기 2, 1000 스텝).",
    },
    answer={
        "en": """\
An autoencoder is a neural network trained, without labels, to reproduce its input at
its output through a bottleneck: an encoder maps the input to a lower-dimensional latent
code and a decoder reconstructs the input from that code, with the reconstruction error
as the loss. Because the code is small, the network has to learn a compact
representation that keeps what matters about the data. A linear autoencoder with
squared error learns the same subspace as PCA; non-linear layers let it capture curved
structure and reconstruct better at the same code size. Autoencoders are used for
dimensionality reduction, denoising, anomaly detection and pre-training, and variants
such as the variational autoencoder make the latent space one that can be sampled.
""",
        "ko": """\
오토인코더는 레이블 없이, 병목을 거쳐 입력을 출력에 그대로 재현하도록 학습하는 신경망입니다.
인코더가 입력을 더 낮은 차원의 잠재 코드로 바꾸고 디코더가 그 코드에서 입력을 복원하며, 복원 오차가
손실입니다. 코드가 작기 때문에 신경망은 데이터의 중요한 것을 담은 압축된 표현을 배워야 합니다. 제곱
오차를 쓰는 선형 오토인코더는 PCA와 같은 부분 공간을 배우고, 비선형 층을 쓰면 휘어진 구조까지 잡아
같은 코드 크기에서 더 잘 복원합니다. 차원 축소, 잡음 제거, 이상 탐지, 사전 학습 등에 쓰이며, 변분
오토인코더(VAE) 같은 변형은 잠재 공간에서 표본을 뽑을 수 있게 만듭니다.
""",
    },
    controls={
        "latent_size": ControlText({"ko": "코드 크기"}, {"ko": "인코더와 디코더 사이 코드의 숫자 개수 (2: 잠재 공간 지도가 코드 전체)"}),
        "layers": ControlText({"ko": "층"}, {"ko": "tanh: tanh 은닉층을 둔 64 → 32 → d → 32 → 64, linear: tanh 없는 64 → d → 64"}),
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "Adam 스텝 크기. 바로 적용됨"}),
        "cursor_x": ControlText({"ko": "커서 x"}, {"ko": "잠재 공간 지도 위 커서, 왼쪽에서 오른쪽: 디코더가 그 점을 그림"}),
        "cursor_y": ControlText({"ko": "커서 y"}, {"ko": "잠재 공간 지도 위 커서, 아래에서 위"}),
    },
)
