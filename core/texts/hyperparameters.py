"""The hyperparameters lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

TEXT_EN = """\
**Parameters and hyperparameters.** A network's *parameters* are what training changes:
here the weights and biases of a 2-32-32-3 tanh MLP (the panel lists them, 1,251 numbers),
moved by every update. Its *hyperparameters* are what you set before or around training
and training never changes: the learning rate, the number of epochs, the batch size (and
the architecture, the optimiser, ...). They decide how the parameters get learned.

**Epoch, batch, iteration.** One *epoch* is one pass over the whole training set. It is
cut into minibatches of B points; each minibatch is one *iteration*: a forward pass, a
backward pass and one update. So an epoch is ⌈N/B⌉ iterations, not one forward and one
backward pass over everything: with N = 300 and B = 32, 10 updates (the last minibatch
has 12 points). A larger B gives fewer, smoother updates per epoch; B = 1 is SGD in its
purest form, B = N full-batch gradient descent. The number of epochs is the budget:
too few and the model is still improving when it stops; too many and it may overfit
(judge that on a validation split, not the test set).

**The learning rate** is the step size of each update. Too small and a fixed budget is
spent crawling (try 0.0001: the loss barely moves); too large and each step overshoots,
the loss bounces or blows up (try 10). The default here, 0.01, is on the small side.

**The LR range test** (Leslie Smith, 2015) finds a sensible range cheaply: train a fresh
copy of the model for one update at each of a rising series of learning rates (here 100
of them, 0.0001 to 10, log-spaced) and plot the smoothed loss against the learning rate
on a log axis. The loss first stays flat (too small to matter), then falls (learning),
then turns up and blows up (too large); the test stops there. A common rule of thumb takes
a tenth of the learning rate at the lowest point, a little before the curve turns; the
mark on the plot is that suggestion. It is a starting point, not an optimum: with
momentum or Adam, with schedules (one-cycle), or with another budget the best value moves.

**Try it:** space plays (20 updates/s); the range test runs alongside at one learning
rate per update. When the mark appears, set the learning rate to it (↑/↓ to the control,
←/→ halves or doubles it), press r and compare the loss with the default; then try a
hundredth and a hundred times the suggestion. Change the batch size and watch the
iterations per epoch.
"""

TEXT_KO = """\
**파라미터와 하이퍼파라미터.** 신경망의 *파라미터*는 학습이 바꾸는 값입니다. 여기서는
2-32-32-3 tanh MLP의 가중치와 편향(패널에 나열된 1,251개의 수)으로, 갱신할 때마다
움직입니다. *하이퍼파라미터*는 학습 전이나 학습 바깥에서 사람이 정하고 학습이 결코 바꾸지
않는 값입니다. 학습률, 에포크 수, 배치 크기(그리고 구조, 옵티마이저 등)가 그것이며, 파라미터가
어떻게 학습될지를 정합니다.

**에포크, 배치, 반복.** *에포크* 하나는 학습 데이터 전체를 한 번 훑는 것입니다. 데이터는 B개씩
미니배치로 나뉘고, 미니배치 하나가 *반복(iteration)* 하나, 곧 순전파 한 번, 역전파 한 번,
갱신 한 번입니다. 그래서 한 에포크는 전체에 대한 순전파와 역전파 한 번이 아니라 ⌈N/B⌉번의
반복입니다. N = 300, B = 32이면 갱신 10번입니다(마지막 미니배치는 12개). B가 크면 에포크당
갱신이 적고 매끄러워지며, B = 1은 가장 순수한 SGD, B = N은 전체 배치 경사 하강법입니다.
에포크 수는 예산입니다. 너무 적으면 아직 나아지는 중에 멈추고, 너무 많으면 과적합될 수
있습니다(이는 테스트 데이터가 아니라 검증 데이터로 판단합니다).

**학습률**은 갱신 한 번의 스텝 크기입니다. 너무 작으면 정해진 예산을 기어가는 데 다 쓰고
(0.0001을 해 보세요. 손실이 거의 움직이지 않습니다), 너무 크면 매 스텝이 지나쳐 손실이 튀거나
폭발합니다(10을 해 보세요). 여기 기본값 0.01은 작은 편입니다.

**학습률 범위 테스트(LR range test)** (Leslie Smith, 2015)는 적당한 범위를 싸게 찾습니다. 모델의
새 복사본을 점점 커지는 학습률마다 한 번씩 갱신하며(여기서는 0.0001부터 10까지 로그 간격으로
100개) 매끄럽게 만든 손실을 로그 축의 학습률에 대해 그립니다. 손실은 처음에는 평평하다가(너무
작아 효과가 없음), 내려가고(학습), 다시 올라 폭발합니다(너무 큼). 테스트는 거기서 멈춥니다.
흔한 경험칙은 손실이 가장 낮은 곳의 학습률의 10분의 1, 곧 곡선이 꺾이기 조금 전을 고르는
것이고, 그래프의 표시가 그 제안입니다. 이것은 출발점이지 최적값이 아닙니다. 모멘텀이나 Adam,
학습률 스케줄(one-cycle), 다른 예산에서는 가장 좋은 값이 달라집니다.

**해 보기:** space로 재생합니다(초당 갱신 20번). 범위 테스트는 갱신마다 학습률 하나씩 함께
진행됩니다. 표시가 나타나면 학습률을 그 값으로 맞추고(↑/↓로 항목, ←/→로 절반이나 두 배),
r을 눌러 기본값의 손실과 비교해 보세요. 그다음 제안의 100분의 1과 100배도 해 보세요. 배치
크기를 바꾸며 에포크당 반복 수도 보세요.
"""

INFO = LessonInfo(
    key="hyperparameters",
    number=10,
    title={"en": "Hyperparameters", "ko": "하이퍼파라미터"},
    question={
        "en": "What are hyperparameters, and how do the learning rate, epochs and batch size shape training?",
        "ko": "하이퍼파라미터란 무엇이며, 학습률, 에포크, 배치 크기는 학습을 어떻게 좌우하는가?",
    },
    text={"en": TEXT_EN, "ko": TEXT_KO},
    claim={
        "en": "The LR range test's suggested learning rate trains the spiral MLP to a lower training loss in a "
        "fixed budget (20 epochs of batch 32) than a hundredth and a hundred times that rate, on seeds 0-4.",
        "ko": "학습률 범위 테스트가 제안한 학습률은 정해진 예산(배치 32로 20 에포크) 안에서 그 100분의 1이나 "
        "100배의 학습률보다 나선 데이터의 MLP를 더 낮은 학습 손실로 학습시킨다(시드 0~4).",
    },
    controls={
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "SGD 스텝 크기. 바로 적용됨"}),
        "batch_size": ControlText({"ko": "배치 크기"}, {"ko": "갱신 한 번에 쓰는 학습 데이터 수. 다음 미니배치부터 적용됨"}),
        "epochs": ControlText({"ko": "에포크 수"}, {"ko": "학습을 멈추기 전까지 학습 데이터를 훑는 횟수. 바로 적용됨"}),
        "range_test": ControlText({"ko": "학습률 범위 테스트"}, {"ko": "켜면 학습률 범위 테스트를 (다시) 시작, 끄면 멈춤"}),
    },
    answer={
        "en": """\
Hyperparameters are the settings chosen before training rather than learned by it, unlike
the weights and biases (the parameters) that gradient descent updates. The learning rate
is the size of each update: too small wastes the budget, too large makes the loss
oscillate or diverge. The batch size is how many examples each update's gradient is
averaged over, and an epoch is one full pass over the training set, so one epoch is
⌈N/B⌉ updates. The number of epochs sets how long training runs; too few underfit, too
many can overfit, which a validation set reveals. They are tuned on validation data, and
a learning-rate range test is a cheap way to find a good starting learning rate.
""",
        "ko": """\
하이퍼파라미터는 학습이 배우는 값이 아니라 학습 전에 정하는 설정값으로, 경사 하강법이 갱신하는
가중치와 편향(파라미터)과 다릅니다. 학습률은 갱신 한 번의 크기로, 너무 작으면 예산을 낭비하고
너무 크면 손실이 진동하거나 발산합니다. 배치 크기는 갱신 한 번의 gradient를 몇 개의 예제로
평균하는지이고, 에포크는 학습 데이터 전체를 한 번 훑는 것이라 한 에포크는 ⌈N/B⌉번의 갱신입니다.
에포크 수는 학습 기간을 정하며, 너무 적으면 과소적합, 너무 많으면 과적합될 수 있고 이는 검증
데이터로 확인합니다. 하이퍼파라미터는 검증 데이터로 조정하며, 학습률 범위 테스트는 좋은 시작
학습률을 싸게 찾는 방법입니다.
""",
    },
    finished=True,
)
