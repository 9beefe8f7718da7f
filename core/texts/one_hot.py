"""The one-hot lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

#: The categories in list order: colour names in English and Korean.
COLOURS = (
    {"en": "red", "ko": "빨강"}, {"en": "orange", "ko": "주황"}, {"en": "yellow", "ko": "노랑"},
    {"en": "green", "ko": "초록"}, {"en": "blue", "ko": "파랑"}, {"en": "navy", "ko": "남색"},
    {"en": "purple", "ko": "보라"}, {"en": "pink", "ko": "분홍"}, {"en": "brown", "ko": "갈색"},
    {"en": "grey", "ko": "회색"}, {"en": "black", "ko": "검정"}, {"en": "white", "ko": "하양"},
)

TEXT_EN = """\
**Categories are not numbers.** A feature such as a colour takes one of a few values with
no arithmetic between them. The quick fix is to number them (red 0, orange 1, yellow 2, …)
and feed the number; the careful one is **one-hot encoding**: one column per category, 1 in
the row's own column and 0 elsewhere (red = 1 0 0 …, orange = 0 1 0 …).

**What the numbering claims.** A model that reads the label as a number treats it as an
amount: orange sits between red and yellow, and a linear model w·label + b can only put
the colours' predictions on a straight line over the labels. Here each colour's target
zigzags, so the best line misses most of them: its loss stops at a **floor**, the
least-squares residual of the best line (the flat "floor" line on the loss plot, computed
in closed form). The integer column is standardised before training; that changes how fast
the model gets to the floor, not the floor.

**What one-hot gives.** With a column per colour the model has a weight per colour,
prediction = w_c + b, so it can give each colour any value: the targets are fitted exactly
and the loss falls toward 0 (the float32 limit). Numbering the colours in the order of
their targets (label order) shrinks the floor but keeps it: rising is not a straight line.
The integer label is right only when the categories really are amounts at even steps;
for an order (small < medium < large) it is a choice to check, not a given.

**Costs and details.** K categories make K columns, almost all zero: fine for 8 colours,
heavy for 50,000 words. With a bias the K columns always sum to 1, so one of them is
redundant (the "dummy variable trap"): closed-form linear regression drops one column;
gradient descent does not mind. Trees can split on integer labels; linear models and
neural networks read the number as an amount.

**When categories are many: learned embeddings.** An embedding maps each category to a
short dense vector of d numbers (d ≪ K) that is learned with the rest of the network.
It is the same as one-hot times a K×d weight matrix, just looked up instead of multiplied.
What it adds: far fewer parameters per category, and categories used alike end up
with nearby vectors, so a rare category borrows what the model learned from similar ones
(word embeddings). One-hot keeps every category separate and says nothing of similarity.

**Try it:** space plays. Both models train side by side on the same rows: watch the
integer-label loss flatten on its floor while the one-hot loss keeps falling, and the fit
plot: the integer model's predictions always lie on a line. ←/→ on "table shows" switches
the table between the two encodings; change the number of colours and the label order.
"""

TEXT_KO = """\
**범주는 숫자가 아니다.** 색 같은 특성은 몇 가지 값 중 하나를 가지며, 값들 사이에 산술이
없습니다. 쉬운 방법은 번호를 매겨(빨강 0, 주황 1, 노랑 2, …) 그 번호를 넣는 것이고, 신중한
방법은 **원-핫 인코딩**입니다. 범주마다 열을 하나 두고 자기 열에만 1, 나머지에는 0을 씁니다
(빨강 = 1 0 0 …, 주황 = 0 1 0 …).

**번호가 주장하는 것.** 라벨을 숫자로 읽는 모델은 그것을 양으로 봅니다. 주황은 빨강과 노랑의
중간이 되고, 선형 모델 w·라벨 + b는 색들의 예측값을 라벨 위의 직선에만 놓을 수 있습니다.
여기서는 색마다 목표값이 지그재그라 가장 좋은 직선도 대부분을 빗나갑니다. 손실은
**바닥**에서 멈추는데, 가장 좋은 직선의 최소제곱 잔차입니다(손실 그래프의 평평한 '바닥' 선, 닫힌
형태로 계산). 정수 열은 학습 전에 표준화하는데, 바닥에 닿는 속도만 바뀌고 바닥은 그대로입니다.

**원-핫이 주는 것.** 색마다 열이 있으면 색마다 가중치가 있어 예측 = w_c + b가 되고, 색마다
아무 값이나 낼 수 있습니다. 목표값을 정확히 맞히고 손실은 0(float32의 한계)을 향해 내려갑니다.
색의 번호를 목표값 순서로 매기면(label order) 바닥이 낮아지지만 남습니다. 커진다고 직선인
것은 아니기 때문입니다. 정수 라벨은 범주가 정말로 고른 간격의 양일 때만 맞습니다. 순서가
있는 범주(소 < 중 < 대)라도 당연한 것이 아니라 확인할 선택입니다.

**비용과 세부.** 범주가 K개면 열이 K개이고 거의 모두 0입니다. 색 8개면 괜찮지만 단어
50,000개면 무겁습니다. 편향이 있으면 K개 열의 합은 항상 1이라 한 열은 중복입니다("더미 변수
함정"). 닫힌 형태의 선형 회귀는 한 열을 빼고, 경사 하강법은 상관하지 않습니다. 트리는 정수
라벨로도 나눌 수 있지만, 선형 모델과 신경망은 숫자를 양으로 읽습니다.

**범주가 많을 때: 학습된 임베딩.** 임베딩은 범주마다 d개(d ≪ K)의 짧고 조밀한 벡터를
대응시키고, 이 벡터를 망의 나머지와 함께 학습합니다. 원-핫에 K×d 가중치 행렬을 곱한 것과
같고, 곱하는 대신 찾아볼 뿐입니다. 임베딩이 더하는 것은 범주당 훨씬 적은 파라미터, 그리고
비슷하게 쓰이는 범주가 가까운 벡터를 갖게 되어 드문 범주가 비슷한 범주에서 배운 것을
빌려 쓸 수 있다는 점입니다(단어 임베딩). 원-핫은 범주를 모두 따로 두고 유사성에 대해서는
아무것도 말하지 않습니다.

**해 보기:** space로 재생합니다. 두 모델이 같은 데이터로 나란히 학습합니다. 정수 라벨의
손실이 바닥에서 평평해지는 동안 원-핫 손실은 계속 내려가는 것을 보고, 적합 그래프에서 정수
모델의 예측이 늘 한 직선 위에 있는 것을 보세요. "표" 항목에서 ←/→로 표를 두 인코딩 사이에서
바꾸고, 색의 수와 라벨 순서도 바꿔 보세요.
"""

INFO = LessonInfo(
    key="one-hot",
    number=6,
    title={"en": "One-hot encoding", "ko": "원-핫 인코딩"},
    question={
        "en": "What is one-hot encoding, and why not feed a category as its integer label?",
        "ko": "원-핫 인코딩이란 무엇이며, 범주를 정수 라벨 그대로 넣으면 왜 안 되는가?",
    },
    text={"en": TEXT_EN, "ko": TEXT_KO},
    claim={
        "en": "A linear model fits a categorical target exactly with one-hot columns (its loss falls "
        "toward 0) and cannot with the integer labels: its loss stops at the least-squares floor of "
        "the best line over the labels, which renumbering shrinks but does not remove.",
        "ko": "선형 모델은 원-핫 열로는 범주형 목표를 정확히 맞히고(손실이 0을 향해 내려감), 정수 "
        "라벨로는 맞히지 못한다. 손실은 라벨 위의 가장 좋은 직선이 남기는 최소제곱 바닥에서 멈추며, "
        "번호를 다시 매기면 바닥이 낮아질 뿐 사라지지 않는다.",
    },
    controls={
        "encoding": ControlText({"ko": "표"}, {"ko": "표가 입력 열과 예측을 보여 줄 인코딩 (두 모델 모두 학습함)"}),
        "categories": ControlText({"ko": "색의 수"}, {"ko": "범주(색)의 개수"}),
        "order": ControlText({"ko": "라벨 순서"}, {"ko": "정수 라벨을 목록 순서로, 또는 목표값 순위로"}),
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "두 모델의 경사 하강 스텝 크기. 바로 적용됨"}),
    },
    answer={
        "en": """\
One-hot encoding turns a categorical feature with K values into K binary columns, a 1 in
the column of the row's category and 0 elsewhere. Feeding the integer label instead
(red 0, green 1, blue 2) tells the model the categories are amounts on a line: a linear
model can then only make predictions that change by the same step from one label to the
next, so it cannot fit categories whose effects do not follow that order. With one-hot
each category gets its own weight, so any value per category can be fitted. The costs are
K mostly-zero columns and no notion of similarity between categories; with a bias one
column is redundant. When categories are many (words, user IDs), a learned embedding maps
each to a short dense vector instead, with fewer parameters and similar categories close
together.
""",
        "ko": """\
원-핫 인코딩은 값이 K개인 범주형 특성을 K개의 이진 열로 바꾸어, 그 행의 범주 열에만 1을,
나머지에는 0을 씁니다. 대신 정수 라벨(빨강 0, 초록 1, 파랑 2)을 넣으면 범주가 직선 위의 양이라고
모델에 알리는 셈입니다. 그러면 선형 모델의 예측은 라벨이 1 늘 때 늘 같은 만큼만 변할 수 있어,
그 순서를 따르지 않는 범주의 효과를 맞히지 못합니다. 원-핫에서는 범주별로 자기 가중치가 있어
각 범주에 어떤 값이든 맞힐 수 있습니다. 대가는 대부분 0인 K개의 열과 범주 간 유사성이 없다는
점이며, 편향이 있으면 한 열은 중복입니다. 범주가 많을 때(단어, 사용자 ID)는 학습된 임베딩이 각
범주를 짧고 조밀한 벡터로 대응시켜, 파라미터가 적고 비슷한 범주가 가까이 놓입니다.
""",
    },
)
