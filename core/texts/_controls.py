"""Control (HyperParam) labels and help in other languages than English, shared by every
lesson; a lesson overrides one in its own ``INFO.controls``. No NumPy here.

English is what each HyperParam declares (its ``label`` and ``help``); a language or a
control without a text here shows the English.
"""

from __future__ import annotations

from ..info import ControlText, LessonInfo

#: Korean labels and help by HyperParam name, for the names lessons share.
COMMON: dict[str, ControlText] = {
    "learning_rate": ControlText({"ko": "학습률"}, {"ko": "한 번 갱신할 때의 스텝 크기. 바로 적용됨"}),
    "batch_size": ControlText({"ko": "배치 크기"}, {"ko": "한 번 갱신에 쓰는 학습 데이터 수. 바로 적용됨"}),
    "init": ControlText({"ko": "초기화"}, {"ko": "가중치의 초깃값을 정하는 방법"}),
    "activation": ControlText({"ko": "활성화 함수"}, {"ko": "은닉층마다 뒤에 붙는 비선형 함수"}),
    "depth": ControlText({"ko": "은닉층 수"}, {"ko": "은닉층의 개수"}),
    "width": ControlText({"ko": "층 너비"}, {"ko": "은닉층 하나의 유닛 수"}),
    "filters": ControlText({"ko": "필터 수"}, {"ko": "합성곱 층의 필터 개수"}),
    "kernel_size": ControlText({"ko": "커널 크기"}, {"ko": "필터 하나는 커널 크기 × 커널 크기의 가중치"}),
    "optimizer": ControlText({"ko": "옵티마이저"}, {"ko": "가중치를 갱신하는 방법"}),
    "momentum": ControlText({"ko": "모멘텀"}, {"ko": "지난 스텝 방향을 얼마나 이어 갈지"}),
    "weight_decay": ControlText({"ko": "가중치 감쇠"}, {"ko": "가중치를 0 쪽으로 당기는 세기"}),
    "dropout": ControlText({"ko": "드롭아웃"}, {"ko": "학습 중 유닛을 끄는 비율"}),
    "surface": ControlText({"ko": "손실 곡면"}, {"ko": "최소화할 손실 함수의 모양"}),
    "start": ControlText({"ko": "시작점"}, {"ko": "학습을 시작하는 위치"}),
    "sample": ControlText({"ko": "샘플"}, {"ko": "패널에 보여 줄 테스트 데이터"}),
    "filter": ControlText({"ko": "필터"}, {"ko": "자세히 보여 줄 필터"}),
    "noise": ControlText({"ko": "잡음"}, {"ko": "데이터에 섞인 잡음의 크기"}),
    "seed": ControlText({"ko": "시드"}, {"ko": "난수 시드"}),
}


def control_text(info: LessonInfo | None, name: str, lang: str, label: str, help: str = "") -> tuple[str, str]:
    """The label and help of control ``name`` in ``lang``: the lesson's own text, else the
    shared one, else the declared English ``label`` and ``help``."""
    if lang == "en":
        return label, help
    own = info.controls.get(name) if info is not None else None
    common = COMMON.get(name)
    texts = [t for t in (own, common) if t is not None]
    shown_label = next((t.label[lang] for t in texts if lang in t.label), label)
    shown_help = next((t.help[lang] for t in texts if lang in t.help), help)
    return shown_label, shown_help
