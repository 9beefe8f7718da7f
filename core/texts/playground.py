"""The playground's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

TEXT_EN = """\
**The playground** is TensorFlow Playground in the terminal: pick a data set, the
input features and a network, press space, and watch it learn. Ask your own question.

**Data.** Classification: circle, XOR, two Gaussians, spiral, moons, checkerboard
(two classes); regression: a plane and six Gaussian bumps. *noise*, *points* and
*test %* change the draw; N draws new data. Filled marks are training points, hollow
ones test points. **d** loads your own CSV file (a header row, two or more numeric
columns and a label column, the last unless you name another); `nndojo --lesson
playground --data FILE` opens with it.

**Features.** The network sees the chosen features of each point (x1, x2 are the
coordinates divided by 3): x1, x2, x1², x2², x1·x2, sin x1, sin x2. A feature that
matches the data's shape replaces a hidden layer: XOR is the sign of x1·x2.

**Network.** Up to 6 hidden layers of 1-8 units (each layer's width on its own row),
the activation, the initialiser, the loss (cross-entropy, or MSE / Huber on the class
probabilities), the optimiser and dropout. These rebuild the network (↻). The learning
rate, the batch size and the regularisation (L1 or L2 with its rate) change live.

**What you see.** The map colours each part of the plane by the class the network
picks there (stronger = surer) or by its predicted value. The small maps are every
hidden neuron's own output over the plane: what each unit has learned to detect.
The *neuron* control picks the unit whose incoming weights are listed with their sign and
size. The plot shows the train and test loss; the readout the accuracy and the test
confusion counts (or RMSE and R²), the epoch and the training time.

**Keep it.** E writes the trained model as a Python script that needs only NumPy
(weights, features and forward pass inline; it prints the same predictions as here), D
the data as CSV, S the setup (data, features, network, values, seed) as a small TOML
file that `nndojo --setup FILE` opens, s saves the whole run.

**Try:** XOR with 0 hidden layers (only a line), then switch on x1·x2; the spiral with
2 layers of 8 tanh units and the sin features; L2 on an oversized net with noisy data.
"""

TEXT_KO = """\
**플레이그라운드**는 터미널 속 TensorFlow Playground입니다. 데이터, 입력 특성, 신경망을
고르고 space를 누르면 학습하는 모습이 보입니다. 스스로 질문을 던져 보세요.

**데이터.** 분류: 원, XOR, 두 가우시안, 나선, 초승달, 체커보드(두 클래스). 회귀: 평면과
여섯 개의 가우시안 봉우리. *잡음*, *점 수*, *테스트 %* 항목으로 데이터를 바꾸고 N은 새로 뽑습니다.
채운 표시는 학습 데이터, 빈 표시는 테스트 데이터입니다. **d**로 직접 만든 CSV 파일을 불러옵니다
(첫 줄은 열 이름, 숫자 열 두 개 이상과 레이블 열 하나. 따로 정하지 않으면 마지막 열).
`nndojo --lesson playground --data FILE`로 바로 열 수도 있습니다.

**특성.** 신경망은 각 점의 특성 중 고른 것을 입력으로 받습니다(x1, x2는 좌표를 3으로 나눈 값):
x1, x2, x1², x2², x1·x2, sin x1, sin x2. 데이터 모양에 맞는 특성은 은닉층을 대신합니다.
XOR은 x1·x2의 부호입니다.

**신경망.** 은닉층은 최대 6개, 층마다 유닛 1-8개(층 너비는 층마다 한 줄), 활성화 함수,
초기화, 손실(교차 엔트로피, 또는 클래스 확률에 대한 MSE / Huber), 옵티마이저, 드롭아웃. 이것들을
바꾸면 신경망을 새로 만듭니다(↻). 학습률, 배치 크기, 규제(L1 또는 L2와 그 세기)는 바로 적용됩니다.

**화면.** 지도는 평면의 각 부분을 신경망이 고르는 클래스의 색(진할수록 확신)이나 예측값으로
칠합니다. 작은 지도들은 은닉 뉴런 하나하나의 출력을 평면 위에 그린 것으로, 각 유닛이 무엇을
감지하도록 배웠는지 보여 줍니다. *뉴런* 항목으로 고른 유닛에 들어오는 가중치가 부호와 크기와
함께 나옵니다. 그래프는 학습/테스트 손실, 판독 패널은 정확도와 테스트 혼동 행렬(또는 RMSE와 R²),
에포크, 학습 시간을 보여 줍니다.

**남기기.** E는 학습된 모델을 NumPy만 있으면 되는 Python 스크립트로 저장합니다(가중치, 특성,
순전파가 들어 있고 여기와 같은 예측을 출력). D는 데이터를 CSV로, S는 설정(데이터, 특성, 신경망, 값, 시드)을 `nndojo --setup FILE`로 여는 작은
TOML 파일로, s는 실행 전체를 저장합니다.

**해 보기:** 은닉층 0개로 XOR(직선 하나뿐), 그다음 x1·x2를 켜기. tanh 유닛 8개짜리 층 둘과 sin
특성으로 나선. 잡음 많은 데이터에서 너무 큰 신경망에 L2 규제.
"""

INFO = LessonInfo(
    key="playground",
    number=0,
    title={"en": "Playground", "ko": "플레이그라운드"},
    question={"en": "What can a small network learn, and what does it need to learn it?",
              "ko": "작은 신경망은 무엇을 배울 수 있고, 배우려면 무엇이 필요한가?"},
    text={"en": TEXT_EN, "ko": TEXT_KO},
    claim={
        "en": "With no hidden layer and only x1, x2 a network cannot fit XOR, and with one hidden layer "
              "(or the x1·x2 feature) it can; with 2 hidden layers of 8 tanh units and the sin features "
              "the spiral separates.",
        "ko": "은닉층 없이 x1, x2만으로는 XOR을 맞추지 못하고, 은닉층 하나(또는 x1·x2 특성)가 있으면 "
              "맞춘다. tanh 유닛 8개짜리 은닉층 둘과 sin 특성이면 나선이 갈라진다.",
    },
    answer={
        "en": """\
A network with no hidden layer is a linear model of its inputs: it can only draw a
straight boundary (a plane for regression). Hidden layers with a non-linear activation
let it bend the boundary: each hidden unit learns a simple feature of the input, and the
next layer combines them, so depth and width buy more complex shapes. Linear activations
would collapse any depth back into one linear map. Good input features can do the same
work as hidden units: XOR needs a hidden layer on x1, x2 but none on x1·x2. What a net can
fit also depends on training: the learning rate, the optimiser and the batch size decide
whether it gets there, and with few or noisy points regularisation (L1, L2, dropout)
keeps the boundary from chasing the noise, which shows as a gap between train and test loss.
""",
        "ko": """\
은닉층이 없는 신경망은 입력의 선형 모델이라 직선 경계(회귀라면 평면)만 그을 수 있습니다.
비선형 활성화 함수를 쓰는 은닉층이 있으면 경계를 휠 수 있습니다. 은닉 유닛 하나하나가 입력의
단순한 특징을 배우고 다음 층이 그것들을 조합하므로, 깊이와 너비가 늘수록 더 복잡한 모양을
만들 수 있습니다. 활성화 함수가 선형이면 몇 층을 쌓아도 하나의 선형 변환으로 줄어듭니다. 좋은
입력 특성은 은닉 유닛과 같은 일을 합니다(XOR은 x1, x2만으로는 은닉층이 필요하지만 x1·x2가
있으면 필요 없습니다). 맞출 수 있는지는 학습에도 달려 있습니다. 학습률, 옵티마이저, 배치 크기가
거기까지 가는지를 정하고, 데이터가 적거나 잡음이 많으면 규제(L1, L2, 드롭아웃)가 경계가 잡음을
쫓지 않게 막아 줍니다. 이는 학습 손실과 테스트 손실의 차이로 드러납니다.
""",
    },
    controls={
        "dataset": ControlText({"ko": "데이터"}, {"ko": "데이터 종류 (분류: circle .. checkerboard, 회귀: plane, multi_gaussian)"}),
        "noise": ControlText({"ko": "잡음 %"}, {"ko": "데이터 크기에 대한 잡음의 비율(%)"}),
        "points": ControlText({"ko": "점 수"}, {"ko": "학습과 테스트를 합친 점의 개수"}),
        "test_percent": ControlText({"ko": "테스트 %"}, {"ko": "테스트용으로 떼어 두는 점의 비율(%)"}),
        "data_seed": ControlText({"ko": "새 데이터"}, {"ko": "데이터를 몇 번째로 뽑은 것인지 (N: 새로 뽑기)"}),
        "use_x1": ControlText({"ko": "x1"}, {"ko": "입력 특성 x1 켜기/끄기"}),
        "use_x2": ControlText({"ko": "x2"}, {"ko": "입력 특성 x2 켜기/끄기"}),
        "use_x1_sq": ControlText({"ko": "x1²"}, {"ko": "입력 특성 x1² 켜기/끄기"}),
        "use_x2_sq": ControlText({"ko": "x2²"}, {"ko": "입력 특성 x2² 켜기/끄기"}),
        "use_x1x2": ControlText({"ko": "x1·x2"}, {"ko": "입력 특성 x1·x2 켜기/끄기"}),
        "use_sin_x1": ControlText({"ko": "sin x1"}, {"ko": "입력 특성 sin x1 켜기/끄기"}),
        "use_sin_x2": ControlText({"ko": "sin x2"}, {"ko": "입력 특성 sin x2 켜기/끄기"}),
        "layers": ControlText({"ko": "은닉층 수"}, {"ko": "은닉층의 개수 (0: 특성의 선형 모델)"}),
        **{f"width{k}": ControlText({"ko": f"{k}층 너비"}, {"ko": f"{k}번째 은닉층의 유닛 수 (은닉층이 {k}개 이상일 때)"})
           for k in range(1, 7)},
        "loss": ControlText({"ko": "손실"}, {"ko": "softmax 교차 엔트로피, 또는 MSE / Huber (분류에서는 클래스 확률에 적용)"}),
        "optimizer": ControlText({"ko": "옵티마이저"}, {"ko": "gd: 기본 SGD, momentum (β 0.9), adam"}),
        "regularization": ControlText({"ko": "규제"}, {"ko": "가중치 벌점과 그 세기: L1 rate·Σ|W|, L2 rate·½ΣW². 바로 적용됨"}),
        "dropout": ControlText({"ko": "드롭아웃"}, {"ko": "학습 중 은닉 유닛을 하나하나 끄는 확률"}),
        "neuron": ControlText({"ko": "뉴런"}, {"ko": "가중치 패널에 들어오는 가중치를 보여 줄 은닉 뉴런"}),
    },
)
