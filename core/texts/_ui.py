"""Every UI string (status line, key bar, help, home, dialogs, messages, command palette)
in English and Korean, and ``ui(key, lang, **fmt)`` to show one. No NumPy here.

Lesson texts live in core/texts/<lesson>.py; control labels and help in _controls.py.
"""

from __future__ import annotations

import re

#: key -> {language: text}; a text may hold ``str.format`` fields.
UI: dict[str, dict[str, str]] = {
    # -- status line ----------------------------------------------------------------
    "status.step": {"en": "step {step:,}", "ko": "스텝 {step:,}"},
    "status.epoch": {"en": "epoch {epoch:.2f}", "ko": "에포크 {epoch:.2f}"},
    "status.rate": {"en": "{rate:,.0f} steps/s", "ko": "초당 {rate:,.0f}스텝"},
    "status.seed": {"en": "seed {seed}", "ko": "시드 {seed}"},
    "status.no_seed": {"en": "no randomness", "ko": "무작위성 없음"},
    "status.diverged": {"en": "DIVERGED", "ko": "발산"},
    "status.reset_hint": {"en": "r: reset", "ko": "r: 처음부터"},
    "status.converged": {"en": "converged", "ko": "수렴"},
    "speed.max": {"en": "max", "ko": "최대"},
    "speed.per_second": {"en": "{n}/s", "ko": "{n}/초"},
    # metric names as the status line shows them
    "metric.loss": {"en": "loss", "ko": "손실"},
    "metric.accuracy": {"en": "accuracy", "ko": "정확도"},
    "metric.test_accuracy": {"en": "test accuracy", "ko": "테스트 정확도"},
    "metric.val_accuracy": {"en": "validation accuracy", "ko": "검증 정확도"},
    "metric.train_accuracy": {"en": "train accuracy", "ko": "학습 정확도"},
    "metric.grad_norm": {"en": "grad norm", "ko": "기울기 크기"},
    "metric.test_loss": {"en": "test loss", "ko": "테스트 손실"},
    "metric.train_loss": {"en": "train loss", "ko": "학습 손실"},
    "metric.test_r2": {"en": "test R²", "ko": "테스트 R²"},
    "metric.test_rmse": {"en": "test RMSE", "ko": "테스트 RMSE"},
    # -- remarks (front of the status line) -------------------------------------------
    "remark.new_seed": {"en": "new seed: {seed}", "ko": "새 시드: {seed}"},
    "remark.no_seed": {
        "en": "no randomness: R restarts it, as r does",
        "ko": "무작위성 없음: R도 r처럼 처음부터 다시 시작",
    },
    "remark.changed_reset": {"en": "{label} changed: run reset", "ko": "{label} 변경: 처음부터 다시"},
    "remark.smoothing_on": {"en": "smoothing on", "ko": "평활 켜짐"},
    "remark.smoothing_off": {"en": "smoothing off", "ko": "평활 꺼짐"},
    "remark.log_y_on": {"en": "log y on", "ko": "y축 로그 켜짐"},
    "remark.log_y_off": {"en": "log y off", "ko": "y축 로그 꺼짐"},
    "remark.lesson_digit": {"en": "lesson {digits}…", "ko": "레슨 {digits}…"},
    # -- key bar (a lesson's bottom line) ----------------------------------------------
    # key bar: "key.<action>" for a binding's action (its description otherwise)
    "key.toggle_play": {"en": "play", "ko": "시작/정지"},
    "key.step_once": {"en": "step", "ko": "한 스텝"},
    "key.reset": {"en": "reset", "ko": "처음부터"},
    "key.inspect": {"en": "weights", "ko": "가중치"},
    "key.save": {"en": "save", "ko": "저장"},
    "key.next_lesson": {"en": "next", "ko": "다음 레슨"},
    "key.toggle_lang": {"en": "한국어", "ko": "English"},
    "key.help": {"en": "help", "ko": "도움말"},
    "key.quit": {"en": "quit", "ko": "종료"},
    "key.palette": {"en": "palette", "ko": "명령"},
    "key.choose": {"en": "choose", "ko": "고르기"},
    "key.open": {"en": "open", "ko": "열기"},
    "key.turn_page": {"en": "panels", "ko": "패널"},
    "key.new_data": {"en": "new data", "ko": "새 데이터"},
    "key.load_data": {"en": "data file", "ko": "데이터 파일"},
    "key.export_model": {"en": "export model", "ko": "모델 내보내기"},
    # shorter labels for a narrow key bar ("key.<action>.short")
    "key.toggle_play.short": {"en": "play", "ko": "재생"},
    "key.step_once.short": {"en": "step", "ko": "스텝"},
    "key.reset.short": {"en": "reset", "ko": "처음"},
    "key.next_lesson.short": {"en": "next", "ko": "다음"},
    "key.toggle_lang.short": {"en": "한국어", "ko": "EN"},
    # -- messages (notifications) ------------------------------------------------------
    "msg.not_changed": {"en": "Not changed", "ko": "바뀌지 않음"},
    "msg.not_saved": {"en": "Not saved", "ko": "저장 안 됨"},
    "msg.not_loaded": {"en": "Not loaded", "ko": "불러오지 못함"},
    "msg.not_exported": {"en": "Not exported", "ko": "내보내지 못함"},
    "msg.saved_step": {"en": "Saved step {step:,}", "ko": "스텝 {step:,} 저장함"},
    "msg.resume_with": {"en": "resume with: nndojo --resume {name}   (or o here)", "ko": "이어서 하기: nndojo --resume {name}   (또는 여기서 o)"},
    "msg.exported": {"en": "Metric history exported", "ko": "지표 기록을 내보냄"},
    "msg.session_loaded": {"en": "Session loaded", "ko": "불러옴"},
    "msg.loaded_paused": {"en": "{name}: step {step:,}, paused (space to go on)", "ko": "{name}: 스텝 {step:,}, 일시정지 (space로 계속)"},
    "msg.not_in_menu": {"en": "{path}: lesson {key!r} is not in this version's menu", "ko": "{path}: 레슨 {key!r}은(는) 이 버전의 메뉴에 없습니다"},
    "msg.run_diverged": {"en": "This run diverged. Press r to reset.", "ko": "이 학습은 발산했습니다. r을 눌러 처음부터 다시 하세요."},
    "msg.diverged_title": {"en": "Diverged", "ko": "발산"},
    "msg.diverged": {
        "en": "{metric} became {value} at step {step:,} (its last finite value was {last}). Press r to reset (lower the learning rate first).",
        "ko": "스텝 {step:,}에서 {metric}이(가) {value}이(가) 되었습니다 (마지막 유한값 {last}). r을 눌러 처음부터 다시 하세요 (먼저 학습률을 낮추세요).",
    },
    "msg.diverged_plain": {
        "en": "{message}. Press r to reset (lower the learning rate first).",
        "ko": "{message}. r을 눌러 처음부터 다시 하세요 (먼저 학습률을 낮추세요).",
    },
    "msg.no_lesson": {"en": "There is no lesson {number} yet; the lessons are {numbers}.", "ko": "{number}번 레슨은 아직 없습니다. 있는 레슨: {numbers}."},
    "msg.drawing_failed": {"en": "drawing failed: {error}", "ko": "그리기 실패: {error}"},
    "msg.training_stopped": {"en": "training stopped: {error}", "ko": "학습 중단: {error}"},
    # -- command palette ---------------------------------------------------------------
    "cmd.lesson": {"en": "Lesson {number}: {title}", "ko": "레슨 {number}: {title}"},
    "cmd.home": {"en": "Home", "ko": "홈"},
    "cmd.home_help": {"en": "The list of lessons", "ko": "레슨 목록"},
    "cmd.help": {"en": "Help", "ko": "도움말"},
    "cmd.help_help": {"en": "Every key", "ko": "모든 키"},
    "cmd.lang": {"en": "한국어", "ko": "English"},
    "cmd.lang_help": {"en": "Show everything in Korean", "ko": "모든 것을 영어로 보기"},
    "cmd.theme": {"en": "Theme", "ko": "테마"},
    "cmd.theme_help": {"en": "Change the colour theme", "ko": "색 테마 바꾸기"},
    "cmd.screenshot": {"en": "Screenshot", "ko": "스크린샷"},
    "cmd.screenshot_help": {"en": "Save an SVG picture of the screen", "ko": "화면을 SVG 그림으로 저장"},
    "cmd.search": {"en": "Search for commands…", "ko": "명령 찾기…"},
    "cmd.quit": {"en": "Quit", "ko": "종료"},
    "cmd.quit_help": {"en": "Quit nndojo", "ko": "nndojo 끝내기"},
    # -- help screen -------------------------------------------------------------------
    "answer.title": {"en": "Model answer (as you would say it in an interview)", "ko": "모범 답안 (면접에서 말하듯이)"},
    "answer.close": {"en": "esc / a to close", "ko": "esc / a 닫기"},
    "answer.none": {"en": "This lesson has no model answer yet.", "ko": "이 레슨에는 아직 모범 답안이 없습니다."},
    "help.title": {"en": "nndojo — keys", "ko": "nndojo — 키"},
    "help.close": {"en": "esc / ? to close", "ko": "esc / ? 닫기"},
    # -- home --------------------------------------------------------------------------
    "home.title": {"en": " nndojo · deep learning, trained live in your terminal", "ko": " nndojo · 터미널에서 눈앞에 학습하는 딥러닝"},
    "home.intro": {
        "en": "Pick a question: a small network trains live to show you the answer.",
        "ko": "질문을 고르면, 그 답을 보여 주는 작은 신경망이 눈앞에서 학습합니다.",
    },
    # -- dialogs -----------------------------------------------------------------------
    "value.keys": {"en": "enter: apply   esc: cancel", "ko": "enter: 적용   esc: 취소"},
    "load.title": {"en": "Load a saved session (a file that s wrote)", "ko": "저장한 학습 불러오기 (s로 저장한 파일)"},
    "load.saved_in": {"en": "saved in {directory}:", "ko": "{directory}에 저장된 것:"},
    "load.none_in": {"en": "no saved sessions in {directory}", "ko": "{directory}에 저장된 학습이 없습니다"},
    "load.option": {"en": "  {title}, step {step}  {saved_at}", "ko": "  {title}, 스텝 {step}  {saved_at}"},
    "load.keys": {"en": "enter: load   ↓: choose from the list   esc: cancel", "ko": "enter: 불러오기   ↓: 목록에서 고르기   esc: 취소"},
    "load.type_path": {"en": "Type the path of a session file.", "ko": "저장 파일의 경로를 입력하세요."},
    "inspector.title": {
        "en": "Weights: every parameter array of the current model  (w / esc: close)",
        "ko": "가중치: 지금 모델의 모든 파라미터 배열  (w / esc: 닫기)",
    },
    "inspector.none": {"en": "This lesson has no model parameters to inspect.", "ko": "이 레슨에는 살펴볼 모델 파라미터가 없습니다."},
    "inspector.values": {"en": "values", "ko": "값"},
    "inspector.parameter": {"en": "parameter", "ko": "파라미터"},
    "inspector.shape": {"en": "shape", "ko": "모양"},
    "inspector.mean": {"en": "mean", "ko": "평균"},
    "inspector.std": {"en": "std", "ko": "표준편차"},
    "inspector.min": {"en": "min", "ko": "최소"},
    "inspector.max": {"en": "max", "ko": "최대"},
    # parameter names in the inspector: kind of layer, kind of array
    "layer.conv2d": {"en": "conv {n}", "ko": "합성곱 {n}"},
    "layer.dense": {"en": "dense {n}", "ko": "완전연결 {n}"},
    "layer.linear": {"en": "dense {n}", "ko": "완전연결 {n}"},
    "layer.other": {"en": "layer {n}", "ko": "층 {n}"},
    "array.W.conv2d": {"en": "kernels", "ko": "커널"},
    "array.W": {"en": "weights", "ko": "가중치"},
    "array.b": {"en": "biases", "ko": "편향"},
    "array.gamma": {"en": "scales", "ko": "스케일"},
    "array.beta": {"en": "shifts", "ko": "이동"},
    "heatmap.path": {"en": "path", "ko": "경로"},
    "heatmap.now": {"en": "now", "ko": "지금"},
    "heatmap.off_map": {"en": "off-map", "ko": "지도 밖"},
    "value.bad": {"en": "{label}: {range}", "ko": "{label}: {range} 중에서 입력하세요"},
    "too_small": {
        "en": "Terminal {width}x{height} is too small: nndojo needs {min_width}x{min_height}. Enlarge the window (q quits).",
        "ko": "터미널 {width}x{height}은(는) 너무 작습니다: nndojo에는 {min_width}x{min_height}이 필요합니다. 창을 키우세요 (q: 종료).",
    },
}


def ui(key: str, lang: str, /, **fmt: object) -> str:
    """The UI string ``key`` in ``lang`` (English if it has no text in ``lang``),
    formatted with ``fmt``."""
    texts = UI[key]
    text = texts.get(lang) or texts["en"]
    return text.format(**fmt) if fmt else text


def metric_name(name: str, lang: str) -> str:
    """A metric's name as the status line shows it (``test_accuracy`` -> test accuracy)."""
    key = f"metric.{name}"
    return ui(key, lang) if key in UI else name.replace("_", " ")


def speed_text(label: str, lang: str) -> str:
    """A runner speed label ("5/s", "max") in ``lang``."""
    if label == "max":
        return ui("speed.max", lang)
    if label.endswith("/s"):
        return ui("speed.per_second", lang, n=label.removesuffix("/s"))
    return label


#: The divergence message core/experiment.py writes (Experiment.step), read back here to
#: say it in another language and to show the value that diverged in the status line.
DIVERGENCE = re.compile(r"^diverged: (?P<metric>\w+) became (?P<value>\S+) at step (?P<step>\d+)(?:; its last finite value was (?P<last>\S+))?$")


def divergence(message: str) -> dict[str, str] | None:
    """The parts of a divergence message (metric, value, step, last), or None."""
    m = DIVERGENCE.match(message)
    return None if m is None else {k: v or "?" for k, v in m.groupdict().items()}


def divergence_text(message: str, lang: str) -> str:
    """The message told when a run diverges, in ``lang``."""
    parts = divergence(message)
    if parts is None:
        return ui("msg.diverged_plain", lang, message=message)
    return ui(
        "msg.diverged", lang, metric=metric_name(parts["metric"], lang), value=parts["value"], step=int(parts["step"]), last=parts["last"]
    )
