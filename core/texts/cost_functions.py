"""The cost-function lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

INFO = LessonInfo(
    key="cost-functions",
    number=2,
    title={"en": "Cost functions", "ko": "비용 함수"},
    question={"en": "What is a cost function? (MSE, MAE, Huber)", "ko": "비용 함수(Cost function)란? (MSE, MAE, Huber)"},
    text={
        "en": """\
A **cost function** (loss function) turns "how wrong is the model" into one number J that
training makes small. Here the model is a line ŷ = w·x + b; each point's **residual** is
rᵢ = ŷᵢ − yᵢ (the dotted segments from the points to the line). For n points i = 1 … n:

    MSE = (1/n) Σᵢ₌₁ⁿ rᵢ²        MAE = (1/n) Σᵢ₌₁ⁿ |rᵢ|
    Huber = (1/n) Σᵢ₌₁ⁿ h(rᵢ),  h(r) = ½r² if |r| ≤ δ, else δ(|r| − ½δ)

(The sum has n terms, one per point: from i = 1 to n, or i = 0 to n − 1 when counting
from 0; not 0 to n.) The formula panel fills them in with the current numbers.

- **MSE** (mean squared error) is a smooth **bowl** over (w, b): convex, one minimum,
  which is exactly the least-squares line (the normal equations; `np.linalg.lstsq`).
  Squaring makes a large residual count a lot: each point pulls with force 2r.
- **MAE** (mean absolute error) pulls every point with force 1, near or far, so outliers
  move it little (in 2-D its best line passes through two of the points, like a median).
  Its surface has **kinks** (creases where a residual crosses 0), and its gradient does
  not shrink near the minimum: a fixed step keeps hopping around it.
- **Huber** is squared for small residuals and absolute beyond δ: smooth near the
  minimum like MSE, robust to outliers like MAE. When the outliers come in, its line moves
  far less than MSE's and (on 9 of 10 seeds here) a little more than MAE's.

Cross-entropy, the cost of classification, has its own lesson.

**Try**: ↑/↓ pick w or b, ←/→ move the line by hand and watch the residuals, the
formula and the point on the surface (+ marks the exact minimum). Press space to let
gradient descent run from there. Turn outliers on, then switch the cost between mse,
mae and huber: see which line the three far points drag.
""",
        "ko": """\
**비용 함수**(손실 함수)는 "모델이 얼마나 틀렸는가"를 학습이 줄여 나갈 숫자 하나 J로
바꿉니다. 여기서 모델은 직선 ŷ = w·x + b이고, 점마다의 **잔차**는 rᵢ = ŷᵢ − yᵢ입니다
(점에서 직선까지 이은 점선). 점이 n개일 때 i = 1 … n에 대해:

    MSE = (1/n) Σᵢ₌₁ⁿ rᵢ²        MAE = (1/n) Σᵢ₌₁ⁿ |rᵢ|
    Huber = (1/n) Σᵢ₌₁ⁿ h(rᵢ),  h(r) = |r| ≤ δ이면 ½r², 아니면 δ(|r| − ½δ)

(합은 점마다 하나씩 n개의 항입니다. i = 1부터 n까지, 0부터 센다면 0부터 n − 1까지이며
0부터 n까지가 아닙니다.) 수식 패널에 지금의 숫자가 채워집니다.

- **MSE**(평균 제곱 오차)는 (w, b) 위에서 매끄러운 **그릇**입니다. 볼록하고 최솟점이
  하나이며, 그 최솟점이 바로 최소제곱 직선입니다(정규 방정식, `np.linalg.lstsq`).
  제곱하기 때문에 큰 잔차가 크게 반영됩니다. 점마다 2r의 힘으로 끌어당깁니다.
- **MAE**(평균 절대 오차)는 가깝든 멀든 모든 점이 1의 힘으로 끌어당겨, 이상치에 덜
  움직입니다(2차원에서는 최적 직선이 중앙값처럼 점 두 개를 지납니다). 곡면에는 **꺾인 곳**
  (잔차가 0을 지나는 주름)이 있고, 기울기가 최솟점 근처에서도 줄지 않아 고정된 스텝으로는
  그 주변을 계속 맴돕니다.
- **Huber**는 작은 잔차에는 제곱, δ보다 큰 잔차에는 절댓값을 씁니다. 최솟점 근처에서는
  MSE처럼 매끄럽고, 이상치에는 MAE처럼 강합니다. 이상치가 들어오면 직선이 MSE보다 훨씬
  덜 움직이고, (여기서는 시드 10개 중 9개에서) MAE보다는 조금 더 움직입니다.

분류의 비용 함수인 교차 엔트로피는 따로 다룹니다.

**해 보기**: ↑/↓로 w나 b를 고르고 ←/→로 직선을 손으로 옮기며 잔차, 수식, 곡면 위의 점을
보세요(+는 정확한 최솟점). space를 누르면 그 자리에서 경사 하강법이 시작됩니다. 이상치를
켜고 비용 함수를 mse, mae, huber로 바꿔 가며 멀리 떨어진 세 점이 어느 직선을 끌고 가는지
보세요.
""",
    },
    claim={
        "en": "The MSE minimum is the least-squares line (np.linalg.lstsq, within 1e-3); with outliers the MAE line "
              "moves less than the MSE line, and Huber's moves much less than MSE's (on most seeds more than MAE's); MSE's surface is a bowl, MAE's has kinks.",
        "ko": "MSE의 최솟점은 최소제곱 직선이다(np.linalg.lstsq와 1e-3 이내). 이상치가 있으면 MAE 직선이 MSE 직선보다 "
              "덜 움직이고, Huber 직선은 MSE보다 훨씬 덜 움직인다(대부분의 시드에서 MAE보다는 더). MSE의 곡면은 그릇이고 MAE의 곡면에는 꺾인 곳이 있다.",
    },
    controls={
        "w": ControlText({"ko": "w (기울기)"}, {"ko": "직선의 기울기를 이 값에 놓음 (학습은 새 위치에서 이어 가고, r은 여기로 돌아옴)"}),
        "b": ControlText({"ko": "b (절편)"}, {"ko": "직선의 절편을 이 값에 놓음 (학습은 새 위치에서 이어 가고, r은 여기로 돌아옴)"}),
        "loss": ControlText({"ko": "비용 함수"}, {"ko": "평균 제곱 오차, 평균 절대 오차, Huber (0 근처는 제곱, δ 밖은 절댓값)"}),
        "delta": ControlText({"ko": "Huber δ"}, {"ko": "Huber가 제곱에서 절댓값으로 바뀌는 곳 (huber일 때만)"}),
        "outliers": ControlText({"ko": "이상치"}, {"ko": "오른쪽 끝, 직선보다 훨씬 아래에 점 세 개를 더함"}),
        "learning_rate": ControlText({"ko": "학습률 α"}, {"ko": "경사 하강법의 스텝 크기 (space로 지금 점에서 시작)"}),
    },
    answer={
        "en": """\
A cost (loss) function measures how far a model's predictions are from the targets as
one number that training minimises, e.g. by gradient descent. For regression, MSE =
(1/n)Σᵢ₌₁ⁿ (ŷᵢ − yᵢ)² is smooth and convex for a linear model, and its minimum is the
least-squares solution; squaring makes it sensitive to outliers. MAE = (1/n)Σ|ŷᵢ − yᵢ|
weighs every error linearly, so it is robust to outliers, but it is not differentiable
at zero residual and its gradient does not shrink near the minimum. Huber is quadratic
for small errors and linear beyond δ, combining the two. For classification one uses
cross-entropy. The choice of cost encodes what errors matter and shapes the surface the
optimiser walks on.
""",
        "ko": """\
비용(손실) 함수는 모델의 예측이 정답에서 얼마나 떨어져 있는지를 숫자 하나로 나타낸 것으로,
학습은 경사 하강법 등으로 이 값을 최소화합니다. 회귀에서 MSE = (1/n)Σᵢ₌₁ⁿ (ŷᵢ − yᵢ)²는 선형
모델에 대해 매끄럽고 볼록하며, 최솟점이 최소제곱 해입니다. 제곱하기 때문에 이상치에 민감합니다.
MAE = (1/n)Σ|ŷᵢ − yᵢ|는 모든 오차를 선형으로 반영해 이상치에 강하지만, 잔차가 0인 곳에서
미분할 수 없고 최솟점 근처에서도 기울기가 줄지 않습니다. Huber는 작은 오차에는 제곱, δ보다 큰
오차에는 선형으로 둘을 절충합니다. 분류에는 교차 엔트로피를 씁니다. 비용 함수의 선택은 어떤
오차를 중요하게 볼지를 정하고, 옵티마이저가 걸어갈 곡면의 모양을 정합니다.
""",
    },
)
