"""The recurrent lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

INFO = LessonInfo(
    key="recurrent",
    number=16,
    title={"en": "Feedforward vs recurrent networks", "ko": "순방향 신경망과 순환 신경망"},
    question={"en": "How do feedforward and recurrent neural networks differ?",
              "ko": "순방향 신경망과 순환 신경망(RNN)은 어떻게 다른가?"},
    text={
        "en": """\
A **feedforward** network maps a fixed-size input to an output: the signal flows one way,
from input to output, and nothing is kept between inputs. A **recurrent** network (RNN)
keeps a **hidden state** and updates it at every step from the previous state and the
new input:

    hₜ = tanh(Wₓ xₜ + Wₕ hₜ₋₁ + b)

so hₜ can summarise everything seen so far, and the same weights serve a sequence of any
length. It is trained by **backpropagation through time** (BPTT): the network unrolled
over the sequence is one deep feedforward graph whose layers share weights, and the
chain rule runs back through every step.

The task: at every step, output the bit that came **k steps back**. Both nets see the
same sequences: a feedforward net that sees only the latest *window* inputs, and an RNN
with 16 hidden units. With the window shorter than k (the defaults: window 2, k 3) the
bit it needs is never in its view, so it stays at chance, 50%; the RNN learns to carry
the bit in its state and passes 99% within about 100 steps.

- **hidden state**: the RNN's 16 units (rows) along one sequence (columns): the bits
  travel through the state
- **sequence**: inputs, targets and each net's prediction at every step
- **parameters**: the window net's count grows with the window; the RNN's does not
  depend on the length at all
- **accuracy**: both nets on held-out sequences, and the RNN on sequences 3× as long as
  those it trains on: the same weights, run for more steps, still recall

**Try**: set the window to k + 1 and press r: now the bit is inside the window and the
feedforward net learns it too. Set the length to 60: the RNN has the same parameters
and still solves it. Raise k: the RNN needs longer to learn to carry a bit further
(gradients through many steps shrink or grow; LSTMs and GRUs were designed for that).
""",
        "ko": """\
**순방향**(feedforward) 신경망은 크기가 정해진 입력을 출력으로 바꿉니다. 신호는 입력에서 출력으로
한 방향으로만 흐르고, 입력과 입력 사이에 아무것도 남기지 않습니다. **순환**(recurrent) 신경망(RNN)은
**은닉 상태**(hidden state)를 두고, 매 스텝 이전 상태와 새 입력으로 그것을 갱신합니다.

    hₜ = tanh(Wₓ xₜ + Wₕ hₜ₋₁ + b)

그래서 hₜ는 지금까지 본 것 전체를 요약할 수 있고, 같은 가중치로 어떤 길이의 시퀀스든 처리합니다.
학습은 **시간에 따른 역전파**(backpropagation through time, BPTT)로 합니다. 시퀀스 길이만큼 펼친
신경망은 층끼리 가중치를 공유하는 하나의 깊은 순방향 그래프이고, 연쇄 법칙이 모든 스텝을 거슬러
올라갑니다.

과제: 매 스텝, **k 스텝 전**에 들어온 비트를 출력합니다. 두 신경망은 같은 시퀀스를 봅니다. 최근
*window*개의 입력만 보는 순방향 신경망, 그리고 은닉 유닛 16개짜리 RNN입니다. 창이 k보다 짧으면
(기본값: 창 2, k 3) 필요한 비트가 한 번도 창 안에 들어오지 않아 순방향 신경망은 찍는 수준인
50%에 머뭅니다. RNN은 그 비트를 상태에 실어 나르는 법을 배워 100 스텝 안팎에서 99%를 넘습니다.

- **은닉 상태**: 시퀀스 하나(열)를 따라가는 RNN의 유닛 16개(행). 비트가 상태를 따라 이동합니다
- **시퀀스**: 스텝마다 입력, 정답, 각 신경망의 예측
- **파라미터**: 창 신경망의 파라미터 수는 창과 함께 늘지만, RNN의 수는 길이와 전혀 무관합니다
- **정확도**: 따로 떼어 둔 시퀀스에서 두 신경망의 정확도, 그리고 학습한 것보다 3배 긴 시퀀스에서
  RNN의 정확도. 같은 가중치를 더 많은 스텝 동안 돌려도 여전히 기억해 냅니다

**해 보기**: 창을 k + 1로 하고 r을 누르면 비트가 창 안에 들어와 순방향 신경망도 배웁니다. 길이를
60으로 하면 RNN은 파라미터가 그대로인데도 여전히 풉니다. k를 키우면 RNN이 비트를 더 멀리 나르는
법을 배우는 데 더 오래 걸립니다(여러 스텝을 거치는 gradient는 작아지거나 커집니다. LSTM과 GRU는
이 문제를 위해 고안되었습니다).
""",
    },
    claim={
        "en": "With the window shorter than k, the window net stays at chance while the RNN trained by BPTT passes "
        "95%; BPTT's gradients match finite differences; the RNN's parameter count does not depend on the length.",
        "ko": "창이 k보다 짧으면 창 신경망은 찍는 수준에 머물고 BPTT로 학습한 RNN은 95%를 넘는다. BPTT의 "
        "gradient는 유한 차분과 일치하고, RNN의 파라미터 수는 길이와 무관하다.",
    },
    answer={
        "en": """\
In a feedforward network the signal flows one way, from a fixed-size input to the
output, and each input is processed on its own. A recurrent network keeps a hidden
state and updates it at every step from the previous state and the current input,
h_t = f(h_{t−1}, x_t), so the state summarises the sequence seen so far. The same
weights are applied at every step, so an RNN handles sequences of any length with a
fixed number of parameters, whereas a feedforward net given a window can only use
what falls inside that window. RNNs are trained by backpropagation through time, the
chain rule over the unrolled sequence; over long spans their gradients tend to vanish
or explode, which gated variants such as LSTMs and GRUs mitigate.
""",
        "ko": """\
순방향 신경망에서는 신호가 크기가 정해진 입력에서 출력으로 한 방향으로만 흐르고, 입력 하나하나를
따로 처리합니다. 순환 신경망은 은닉 상태를 두고 매 스텝 이전 상태와 현재 입력으로 그것을 갱신합니다
(h_t = f(h_{t−1}, x_t)). 그래서 상태가 지금까지 본 시퀀스를 요약합니다. 매 스텝 같은 가중치를 쓰므로
RNN은 파라미터 수를 늘리지 않고도 어떤 길이의 시퀀스든 다루며, 창을 입력으로 받는 순방향 신경망은
창 안에 들어온 것만 쓸 수 있습니다. RNN은 펼친 시퀀스 전체에 연쇄 법칙을 적용하는 시간에 따른
역전파(BPTT)로 학습하는데, 긴 구간에서는 gradient가 사라지거나 폭발하기 쉬워 LSTM, GRU 같은 게이트
구조가 이를 완화합니다.
""",
    },
    controls={
        "window": ControlText({"ko": "창"}, {"ko": "순방향 신경망이 보는 최근 입력의 개수"}),
        "k": ControlText({"ko": "k"}, {"ko": "정답은 k 스텝 전의 입력"}),
        "length": ControlText({"ko": "길이"}, {"ko": "시퀀스 하나의 스텝 수"}),
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "두 신경망의 Adam 스텝 크기. 바로 적용됨"}),
    },
)
