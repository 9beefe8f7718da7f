"""The dropout lesson's texts, in English and Korean (no NumPy here)."""

from ..info import ControlText, LessonInfo

TEXT_EN = """\
**Overfitting, on purpose.** 80 noisy points from two rings, and a net far bigger than they
need: two hidden layers of 64 ReLU units. Two copies start from the same weights and see
the same minibatches; the only difference is dropout in the right one. Without dropout the
net memorises the noise: its training loss falls toward 0, its test loss climbs, and its
decision boundary bends around single stray points. With dropout the gap between test
and training loss stays several times smaller (the loss plot and the table).

**What dropout does.** In each training step every hidden unit is switched off (set to 0)
with probability p, independently, with a fresh mask every step: the heatmap shows the
mask of one hidden layer for a dozen examples of the last batch (dark, or blank without
colour: dropped). A unit
cannot count on any particular other unit being there, so the net cannot build fragile
co-adapted detectors for single points. It is a regularizer: training fits worse, the
test error (often) improves; its cost is slower, noisier training.

**Inverted scaling, and evaluation.** The survivors are multiplied by 1/(1−p) during
training, so each unit's *expected* output equals its output with nothing dropped. At
evaluation no unit is dropped and nothing is rescaled (switch the view to eval: the mask
is all ones). The original paper scaled the weights by (1−p) at test time instead; the
two are equivalent.

**Many networks that share weights.** Each mask picks a subnetwork; all of them share one
set of weights, and training takes one step of a different subnetwork each time. The net
used at evaluation is often called their average, but it is only an approximation: one
pass with the mean activation in place of the average of the subnetworks' predictions.
For a linear network it is exact (the mean of the outputs equals the output of the mean);
with ReLU and a softmax it is not. Here, after 600 steps at p = 0.5, the eval net's class
probabilities differ from the average of 1,000 sampled subnetworks by 0.06-0.08 on
average, and the two pick the same class for 87-90% of the test points, the rest lying
near the boundary. The table shows the same measure live (20 subnetworks, so a little
noisier). The train view draws one sampled subnetwork's map, which changes every frame.

**Try it:** space plays; ←/→ on the dropout rate changes it live (0 makes both nets the
same); switch the view between train and eval; noise restarts the run.
"""

TEXT_KO = """\
**일부러 과적합시키기.** 두 고리에서 뽑은 잡음 섞인 점 80개와, 그보다 훨씬 큰 망(ReLU 64
유닛짜리 은닉층 2개)입니다. 두 복사본이 같은 가중치에서 시작해 같은 미니배치를 봅니다. 다른
점은 오른쪽 망에만 dropout이 있다는 것뿐입니다. dropout이 없으면 망이 잡음을 외웁니다. 학습
손실은 0으로 내려가고, 테스트 손실은 올라가며, 결정 경계가 엇나간 점 하나하나를 돌아
휘어집니다. dropout이 있으면 테스트 손실과 학습 손실의 차이가 몇 배 작게 유지됩니다(손실
그래프와 표).

**dropout이 하는 일.** 학습 스텝마다 은닉 유닛 하나하나를 확률 p로, 서로 독립적으로 끕니다(0으로
만듭니다). 마스크는 스텝마다 새로 뽑습니다. 히트맵은 마지막 배치의 예제 12개에 대해 은닉층 하나의
마스크를 보여 줍니다(어두운 칸, 색이 없으면 빈칸: 꺼짐). 어떤 유닛도 특정한 다른 유닛이 있으리라 기대할 수 없으니,
점 하나에 맞춘 깨지기 쉬운 검출기를 여럿이 함께 만들 수 없습니다. dropout은 정규화 기법입니다.
학습 데이터는 덜 맞추고, 테스트 오차는 (대개) 좋아집니다. 대가는 더 느리고 들쭉날쭉한 학습입니다.

**역(inverted) 스케일링과 평가.** 학습 중 살아남은 유닛에 1/(1−p)를 곱하므로, 각 유닛 출력의
*기댓값*은 아무것도 끄지 않았을 때의 출력과 같습니다. 평가할 때는 아무 유닛도 끄지 않고 다시
조정하지도 않습니다(보기를 eval로 바꾸면 마스크가 모두 1입니다). 원 논문은 대신 테스트 때
가중치에 (1−p)를 곱했는데, 둘은 같은 결과를 냅니다.

**가중치를 공유하는 여러 망.** 마스크 하나가 부분망 하나를 고릅니다. 모든 부분망이 가중치 한
벌을 나눠 쓰고, 학습은 스텝마다 다른 부분망을 한 걸음씩 움직입니다. 평가에 쓰는 망을 흔히 이들의
평균이라고 부르지만 근사일 뿐입니다. 부분망들의 예측을 평균하는 대신, 평균 활성값으로 한 번
계산하는 것입니다. 선형 망이라면 정확히 같습니다(출력의 평균이 평균의 출력과 같습니다). ReLU와
softmax가 있으면 같지 않습니다. 여기서 p = 0.5로 600 스텝 학습한 뒤, 평가용 망의 클래스 확률은
부분망 1,000개를 뽑아 평균한 것과 평균 0.06~0.08 다르고, 테스트 점의 87~90%에서 같은 클래스를
고릅니다. 나머지는 경계 근처의 점입니다. 표는 같은 값을 실시간으로 보여 줍니다(부분망 20개라
조금 더 흔들립니다). train 보기는 뽑힌 부분망 하나의 지도를 그리며, 프레임마다 바뀝니다.

**해 보기:** space로 재생합니다. dropout 비율은 ←/→로 바로 바뀝니다(0이면 두 망이 같아집니다).
보기를 train과 eval 사이에서 바꿔 보고, 잡음(noise)을 바꾸면 처음부터 다시 시작합니다.
"""

INFO = LessonInfo(
    key="dropout",
    number=14,
    title={"en": "Dropout", "ko": "드롭아웃"},
    question={
        "en": "What is dropout, why does it reduce overfitting, and what happens at test time?",
        "ko": "드롭아웃(dropout)이란 무엇이고, 왜 과적합을 줄이며, 테스트 때는 어떻게 하는가?",
    },
    text={"en": TEXT_EN, "ko": TEXT_KO},
    claim={
        "en": "From the same start on the same minibatches, the net with dropout (p = 0.5) ends with a smaller "
        "test-minus-train loss gap than the net without (10 of seeds 0-9 at 200, 600 and 1,500 steps). At "
        "evaluation no unit is dropped, and with inverted scaling a unit's mean output over many masks equals "
        "its output with none. The eval net is close to, not equal to, the average of sampled subnetworks "
        "(mean |Δp| 0.06-0.08, the same class on 87-90% of test points); for a linear net the two are equal.",
        "ko": "같은 시작점과 같은 미니배치에서, dropout(p = 0.5)을 쓴 망이 쓰지 않은 망보다 테스트 손실과 학습 "
        "손실의 차이가 작다(시드 0-9 중 10개, 200, 600, 1,500 스텝에서). 평가할 때는 아무 유닛도 끄지 않고, "
        "역 스케일링 덕분에 여러 마스크에 걸친 유닛 출력의 평균이 아무것도 끄지 않은 출력과 같다. 평가용 망은 "
        "뽑힌 부분망들의 평균에 가깝지만 같지는 않다(평균 |Δp| 0.06-0.08, 테스트 점의 87-90%에서 같은 클래스). "
        "선형 망이라면 둘이 같다.",
    },
    controls={
        "rate": ControlText({"ko": "드롭아웃 비율"}, {"ko": "학습 스텝마다 은닉 유닛을 끌 확률 (dropout 쪽 망). 바로 적용됨"}),
        "layer": ControlText({"ko": "마스크 층"}, {"ko": "마스크를 보여 줄 은닉층"}),
        "view": ControlText({"ko": "보기"}, {"ko": "train: 마지막 스텝의 마스크와 부분망 하나; eval: 평가할 때의 망"}),
        "noise": ControlText({"ko": "잡음"}, {"ko": "점이 고리에서 벗어나는 정도"}),
        "learning_rate": ControlText({"ko": "학습률"}, {"ko": "Adam 스텝 크기. 바로 적용됨"}),
    },
    answer={
        "en": """\
Dropout is a regularizer: in every training step each hidden unit is set to zero with
probability p, with a new random mask each step. Units cannot rely on specific other units,
so the network cannot co-adapt to memorise noise, and the gap between training and test
error shrinks. Each mask is a different subnetwork, and all of them share one set of
weights, so training resembles training an ensemble. At test time nothing is dropped;
with inverted dropout the kept units were scaled by 1/(1−p) in training, so the expected
activations already match and no rescaling is needed. The full network approximates the
average of the subnetworks' predictions; the match is exact only for a linear network.
""",
        "ko": """\
dropout은 정규화 기법입니다. 학습 스텝마다 각 은닉 유닛을 확률 p로 0으로 만들고, 마스크는 매번
새로 뽑습니다. 유닛이 특정한 다른 유닛에 기댈 수 없어서 망이 함께 잡음을 외우지 못하고, 학습
오차와 테스트 오차의 차이가 줄어듭니다. 마스크 하나하나가 다른 부분망이고 모두 가중치 한 벌을
공유하므로, 앙상블을 학습하는 것과 비슷합니다. 테스트 때는 아무것도 끄지 않습니다. inverted
dropout은 학습 중 살아남은 유닛에 1/(1−p)를 곱해 두었으므로 활성값의 기댓값이 이미 맞고 다시 조정할
필요가 없습니다. 전체 망은 부분망 예측의 평균을 근사하며, 선형 망에서만 정확히 같습니다.
""",
    },
)
