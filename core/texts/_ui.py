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
    "metric.train_loss": {"en": "train loss", "ko": "학습 손실"},
    "metric.test_loss": {"en": "test loss", "ko": "테스트 손실"},
    # lessons 4 (backprop), 13 (autoencoder), 16 (recurrent)
    "metric.sample_loss": {"en": "sample loss", "ko": "샘플 손실"},
    "metric.max_rel_error": {"en": "rel. err", "ko": "상대 오차"},
    "metric.rnn_accuracy": {"en": "RNN", "ko": "RNN"},
    "metric.mlp_accuracy": {"en": "window", "ko": "창"},
    "metric.mlp_loss": {"en": "window loss", "ko": "창 손실"},
    "metric.pca_baseline": {"en": "PCA", "ko": "PCA"},
    "metric.integer/loss": {"en": "integer", "ko": "정수"},
    "metric.one-hot/loss": {"en": "one-hot", "ko": "원-핫"},
    "metric.floor": {"en": "floor", "ko": "바닥"},
    "metric.deep/train_loss": {"en": "deep", "ko": "깊은 망"},
    "metric.shallow/train_loss": {"en": "shallow", "ko": "얕은 망"},
    "metric.deep/loss": {"en": "deep (batch)", "ko": "깊은 망 (배치)"},
    "metric.shallow/loss": {"en": "shallow (batch)", "ko": "얕은 망 (배치)"},
    # lockstep pairs of the dropout and cross-entropy lessons
    "metric.plain/gap": {"en": "gap", "ko": "차이"},
    "metric.dropout/gap": {"en": "gap, drop", "ko": "차이, 드롭"},
    "metric.mse/accuracy": {"en": "MSE accuracy", "ko": "MSE 정확도"},
    "metric.ce/accuracy": {"en": "CE accuracy", "ko": "CE 정확도"},
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
    # -- predict, then run (p), the drill, progress ----------------------------------------
    "key.predict": {"en": "predict", "ko": "예측"},
    "key.predict.short": {"en": "predict", "ko": "예측"},
    "key.drill": {"en": "drill", "ko": "모의 면접"},
    "predict.title": {"en": "Predict, then run · question {n} of {total}", "ko": "예측하고 돌려 보기 · 질문 {n}/{total}"},
    "predict.pick": {
        "en": "1-{n} or ↑↓ enter: your prediction   esc: cancel",
        "ko": "1-{n} 또는 ↑↓ enter: 내 예측   esc: 취소",
    },
    "predict.running": {"en": "The question's run: {steps:,} steps…", "ko": "질문의 실행: {steps:,} 스텝…"},
    "predict.keys_running": {
        "en": "esc: back to your run as it was",
        "ko": "esc: 원래 하던 학습으로 돌아가기",
    },
    "predict.verdict": {"en": "You predicted “{predicted}”; the run shows “{shown}”.", "ko": "예측: “{predicted}”, 실행 결과: “{shown}”."},
    "predict.right": {"en": "✓ right", "ko": "✓ 맞음"},
    "predict.wrong": {"en": "✗ not this time", "ko": "✗ 이번엔 아님"},
    "predict.unexpected": {
        "en": "This run showed another choice than the one the explanation below is written for.",
        "ko": "이번 실행은 아래 설명이 다루는 것과 다른 결과를 보였습니다.",
    },
    "predict.explore": {
        "en": "The run stays: explore it (space plays on, ←→ change it).",
        "ko": "실행은 그대로 남습니다: 살펴보세요 (space로 계속, ←→로 값 변경).",
    },
    "predict.keys_done": {
        "en": "p: next question   esc: back to your run as it was",
        "ko": "p: 다음 질문   esc: 원래 하던 학습으로 돌아가기",
    },
    "predict.keys_failed": {"en": "esc: back to your run as it was", "ko": "esc: 원래 하던 학습으로 돌아가기"},
    "predict.failed": {"en": "The question's run failed: {error}", "ko": "질문의 실행이 실패했습니다: {error}"},
    "predict.none": {"en": "This lesson has no questions yet.", "ko": "이 레슨에는 아직 질문이 없습니다."},
    "predict.drill_wait": {"en": "wait for the run's verdict (esc leaves the drill)", "ko": "실행 결과를 기다리세요 (esc: 모의 면접 그만두기)"},
    "drill.title": {"en": "Drill · question {n} of {total} · lesson {number}", "ko": "모의 면접 · 질문 {n}/{total} · 레슨 {number}"},
    "drill.next": {
        "en": "p: next drill question   esc: leave the drill (it resumes)",
        "ko": "p: 다음 질문   esc: 모의 면접 그만두기 (나중에 이어서)",
    },
    "drill.last": {
        "en": "p: the drill's score   esc: leave the drill (it resumes)",
        "ko": "p: 모의 면접 점수 보기   esc: 그만두기 (나중에 이어서)",
    },
    "drill.left": {
        "en": "Drill left at {answered} of {total} answered: d on the home screen (or nndojo drill) resumes it.",
        "ko": "모의 면접을 {total}개 중 {answered}개 답한 곳에서 멈췄습니다. 홈에서 d (또는 nndojo drill)로 이어서 합니다.",
    },
    "drill.resumed": {
        "en": "Drill resumed: {answered} of {total} answered (seed {seed}).",
        "ko": "모의 면접을 이어서 합니다: {total}개 중 {answered}개 답함 (시드 {seed}).",
    },
    "drill.empty": {"en": "No lesson in the menu has questions yet.", "ko": "메뉴의 레슨에 아직 질문이 없습니다."},
    "drill.score_title": {"en": " nndojo · drill finished (seed {seed})", "ko": " nndojo · 모의 면접 끝 (시드 {seed})"},
    "drill.score": {"en": "{right} of {total} predictions right", "ko": "예측 {total}개 중 {right}개 맞음"},
    "drill.revisit": {"en": "Lessons to revisit (enter opens one):", "ko": "다시 볼 레슨 (enter로 열기):"},
    "drill.missed": {"en": "missed: {question}", "ko": "틀림: {question}"},
    "drill.all_right": {"en": "Nothing to revisit: the runs showed what you predicted, every time.", "ko": "다시 볼 것이 없습니다: 모든 실행이 예측대로였습니다."},
    "drill.keys": {"en": "enter: open the lesson   d: a new drill   esc: home", "ko": "enter: 레슨 열기   d: 새 모의 면접   esc: 홈"},
    "home.legend": {"en": "✓ predicted right  ✗ missed  · not answered yet   (p on a lesson asks)", "ko": "✓ 맞힌 예측  ✗ 틀린 예측  · 아직 안 함   (레슨에서 p로 질문)"},
    "progress.cannot_save": {
        "en": "Progress cannot be saved in {directory}; nndojo runs on without saving it.",
        "ko": "{directory}에 진행 기록을 저장할 수 없습니다. 저장하지 않고 계속합니다.",
    },
    "progress.aside.directory": {"en": "a folder was in its place", "ko": "파일 자리에 폴더가 있어"},
    "progress.aside.newer": {"en": "it was written by a newer nndojo", "ko": "더 새 버전의 nndojo가 쓴 파일이라"},
    "progress.aside.corrupt": {"en": "it was damaged", "ko": "파일이 손상되어"},
    "progress.aside.unreadable": {"en": "it could not be read", "ko": "파일을 읽을 수 없어"},
    "progress.set_aside": {
        "en": "Progress file {path}: {why}; kept as {aside}, a fresh record starts.",
        "ko": "진행 기록 파일 {path}: {why} {aside}(으)로 옮겨 두고 새 기록을 시작합니다.",
    },
    "progress.left_in_place": {
        "en": "Progress file {path}: {why}; it could not be moved aside, and progress is not saved.",
        "ko": "진행 기록 파일 {path}: {why} 옮길 수도 없어 진행 기록을 저장하지 않습니다.",
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
DIVERGENCE = re.compile(r"^diverged: (?P<metric>[\w/-]+) became (?P<value>\S+) at step (?P<step>\d+)(?:; its last finite value was (?P<last>\S+))?$")


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


# -- charts' legends (tui/widgets: each widget takes the screen's language, set_lang) ----
UI.update({
    "chart.more": {"en": "+{n} more", "ko": "+{n}개 더"},
    "chart.low": {"en": "low", "ko": "낮음"},
    "chart.high": {"en": "high", "ko": "높음"},
    "chart.per_item": {"en": "per item (data {lo}…{hi})", "ko": "항목마다 (데이터 {lo}…{hi})"},
    "chart.grey_nan": {"en": "grey nan/inf", "ko": "회색 nan/inf"},
    "chart.no_data": {"en": "no data", "ko": "데이터 없음"},
    "chart.no_data_yet": {"en": "no data yet", "ko": "아직 데이터 없음"},
    "chart.no_finite": {"en": "no finite values", "ko": "유한한 값 없음"},
    "chart.failed": {"en": "plot failed: {error}", "ko": "그리기 실패: {error}"},
    "chart.nonfinite_hidden": {"en": "{n} nan/inf hidden", "ko": "nan/inf {n}개 숨김"},
    "chart.nonpositive_hidden": {"en": "{axis}: {n} values ≤ 0 hidden", "ko": "{axis}: 0 이하 값 {n}개 숨김"},
    "chart.no_positive": {"en": "{axis}: no values > 0 for log", "ko": "{axis}: 로그로 그릴 양수 값 없음"},
    "chart.log_y": {"en": "log y", "ko": "로그 y"},
    "chart.log_x": {"en": "log x", "ko": "로그 x"},
    "chart.linear_y": {"en": "linear y", "ko": "선형 y"},
    "chart.linear_x": {"en": "linear x", "ko": "선형 x"},
    "chart.ema": {"en": "ema {weight:g}", "ko": "평활 {weight:g}"},
    "histogram.range": {"en": "range {lo} … {hi}", "ko": "범위 {lo} … {hi}"},
    "histogram.bins": {"en": "{bins} bins", "ko": "구간 {bins}개"},
    "histogram.sigma": {"en": "σ: std", "ko": "σ: 표준편차"},
    "histogram.has_nan": {"en": "* has nan/inf", "ko": "* nan/inf 있음"},
})


# -- errors from core/ that reach the screen, said in the screen's language ---------------
#: (pattern of the English message core/ writes, UI key of its text); the groups are the
#: text's fields. A message no pattern matches is shown as it is.
ERRORS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<path>.+?): is a directory; choose a file name$"), "error.is_directory"),
    (re.compile(r"^(?P<path>.+?): cannot write it \((?P<detail>.*)\)$"), "error.cannot_write"),
    (re.compile(r"^(?P<path>.+?): a session of lesson (?P<lesson>\S+), which this nndojo does not have \(it has (?P<have>.*)\)$"), "error.unknown_lesson"),
    (re.compile(r"^(?P<path>.+?): a session of lesson (?P<lesson>\S+), not (?P<expected>\S+)$"), "error.other_lesson"),
    (re.compile(r"^(?P<path>.+?): the session's pinned runs are corrupted: (?P<detail>.*)$"), "error.pins_corrupted"),
    (re.compile(r"^(?P<path>.+?): the saved hyperparameters are invalid here: (?P<detail>.*)$"), "error.values_invalid"),
    (re.compile(r"^(?P<path>.+?): the session file is corrupted or from an incompatible nndojo: (?P<detail>.*)$"), "error.corrupted"),
    (re.compile(r"^(?P<path>.+?): (?:\[Errno \d+\] )?No such file or directory.*$"), "error.no_file"),
    (re.compile(r"^\[Errno \d+\] (?P<reason>[^:]+): (?P<path>.+)$"), "error.os"),
    (re.compile(r"^(?P<label>.+?): (?P<value>.+) is not one of (?P<choices>.+)$"), "error.not_a_choice"),
    (re.compile(r"^(?P<label>.+?): expected on/off, got (?P<value>.+)$"), "error.not_on_off"),
    (re.compile(r"^(?P<label>.+?): expected a number, got (?P<value>.+)$"), "error.not_a_number"),
    (re.compile(r"^(?P<label>.+?): (?P<value>.+) is not a finite number$"), "error.not_finite"),
    (re.compile(r"^(?P<label>.+?): expected a whole number, got (?P<value>.+)$"), "error.not_whole"),
    (re.compile(r"^(?P<label>.+?): (?P<value>.+) is out of range (?P<range>\[.+\])$"), "error.out_of_range"),
    (re.compile(r"^(?P<key>\S+) has no hyperparameter (?P<name>.+); it has (?P<names>.+)$"), "error.no_such_control"),
]

UI.update({
    "error.not_a_choice": {"en": "{label}: {value} is not one of {choices}", "ko": "{label}: {value}은(는) 고를 수 있는 값({choices})이 아닙니다"},
    "error.not_on_off": {"en": "{label}: expected on/off, got {value}", "ko": "{label}: on/off여야 합니다 ({value})"},
    "error.not_a_number": {"en": "{label}: expected a number, got {value}", "ko": "{label}: 수가 아닙니다 ({value})"},
    "error.not_finite": {"en": "{label}: {value} is not a finite number", "ko": "{label}: {value}은(는) 유한한 수가 아닙니다"},
    "error.not_whole": {"en": "{label}: expected a whole number, got {value}", "ko": "{label}: 정수여야 합니다 ({value})"},
    "error.out_of_range": {"en": "{label}: {value} is out of range {range}", "ko": "{label}: {value}은(는) 범위 {range} 밖입니다"},
    "error.no_such_control": {"en": "{key} has no hyperparameter {name}; it has {names}", "ko": "{key}에는 하이퍼파라미터 {name}이(가) 없습니다 (있는 것: {names})"},
    "error.is_directory": {"en": "{path}: is a directory; choose a file name", "ko": "{path}: 폴더입니다. 파일 이름을 고르세요"},
    "error.cannot_write": {"en": "{path}: cannot write it ({detail})", "ko": "{path}: 쓸 수 없습니다 ({detail})"},
    "error.unknown_lesson": {"en": "{path}: a session of lesson {lesson}, which this nndojo does not have (it has {have})", "ko": "{path}: 이 nndojo에 없는 레슨 {lesson}의 학습입니다 (있는 레슨: {have})"},
    "error.other_lesson": {"en": "{path}: a session of lesson {lesson}, not {expected}", "ko": "{path}: {expected}이(가) 아니라 레슨 {lesson}의 학습입니다"},
    "error.pins_corrupted": {"en": "{path}: the session's pinned runs are corrupted: {detail}", "ko": "{path}: 저장된 비교 실행이 손상되었습니다 ({detail})"},
    "error.values_invalid": {"en": "{path}: the saved hyperparameters are invalid here: {detail}", "ko": "{path}: 저장된 하이퍼파라미터를 여기서 쓸 수 없습니다 ({detail})"},
    "error.corrupted": {"en": "{path}: the session file is corrupted or from an incompatible nndojo: {detail}", "ko": "{path}: 저장 파일이 손상되었거나 호환되지 않는 nndojo의 것입니다 ({detail})"},
    "error.no_file": {"en": "{path}: no such file", "ko": "{path}: 그런 파일이 없습니다"},
    "error.os": {"en": "[Errno] {reason}: {path}", "ko": "{path}: {reason}"},
})


#: The operating system's reasons a file could not be written or read.
OS_ERRORS: dict[str, dict[str, str]] = {
    "Permission denied": {"ko": "권한이 없습니다"},
    "No space left on device": {"ko": "디스크에 남은 공간이 없습니다"},
    "Read-only file system": {"ko": "읽기 전용 파일 시스템입니다"},
    "No such file or directory": {"ko": "그런 파일이나 폴더가 없습니다"},
    "Is a directory": {"ko": "폴더입니다"},
    "Not a directory": {"ko": "폴더가 아닙니다"},
    "File exists": {"ko": "파일이 이미 있습니다"},
}


def error_text(error: BaseException | str, lang: str, /, names: dict[str, str] | None = None) -> str:
    """An error core/ raised (its English message), said in ``lang``: a known message is
    rewritten with its parts (a part found in ``names``, e.g. a control's English label,
    is shown as its value there); an unknown one is shown as it is."""
    message = str(error)
    if lang == "en":
        return message
    names = names or {}
    for pattern, key in ERRORS:
        m = pattern.match(message)
        if m is not None:
            parts = {k: names.get(v, v) for k, v in m.groupdict().items()}
            if "reason" in parts:
                parts["reason"] = OS_ERRORS.get(parts["reason"], {}).get(lang) or parts["reason"]
            if "detail" in parts:
                detail = parts["detail"]
                parts["detail"] = OS_ERRORS.get(detail, {}).get(lang) or error_text(detail, lang, names)
            return ui(key, lang, **parts)
    return message


# -- a choice control's values as the controls panel shows them ---------------------------
#: Values that are plain words. Names ("xavier", "adam", "tanh"), formulas
#: ("normal(0.01)") and values a lesson's Korean text names as they are ("ravine", "gd",
#: "momentum") are shown as they are; typed values stay the English ones.
CHOICES: dict[str, dict[str, str]] = {
    "top-left": {"ko": "왼쪽 위"},
    "top-right": {"ko": "오른쪽 위"},
    "bottom-left": {"ko": "왼쪽 아래"},
    "bottom-right": {"ko": "오른쪽 아래"},
    "zeros": {"ko": "0"},
    "constant": {"ko": "상수"},
    # plain words among the lessons' choices (names of methods and functions stay as they are,
    # and so do the values a lesson's Korean text names: regression, two-basins, train/eval, update)
    "on": {"ko": "켬"},
    "off": {"ko": "끔"},
    "none": {"ko": "없음"},
    "zero": {"ko": "0"},
    "spread": {"ko": "흩뿌림"},
    "circle": {"ko": "원"},
    "circles": {"ko": "두 고리"},
    "gaussians": {"ko": "가우스 두 덩이"},
    "multi_gaussian": {"ko": "가우스 여럿"},
    "spiral": {"ko": "나선"},
    "moons": {"ko": "초승달"},
    "checkerboard": {"ko": "체크무늬"},
    "plane": {"ko": "평면"},
    "cycle": {"ko": "차례로"},
    "line": {"ko": "직선"},
    "epochs": {"ko": "에포크"},
    "updates": {"ko": "갱신 횟수"},
    "seconds": {"ko": "초"},
    "integer": {"ko": "정수"},
    "one-hot": {"ko": "원-핫"},
    "listed": {"ko": "나열 순"},
    "by-target": {"ko": "목표값 순"},
    "binary": {"ko": "이진"},
    "z-score": {"ko": "z-점수"},  # as the normalisation lesson's table and text write it
    "multi-class": {"ko": "다중 클래스"},
}


def choice_text(value: object, lang: str) -> str:
    """A choice control's value as shown in ``lang`` (the value itself where it has no text)."""
    text = str(value)
    return CHOICES.get(text, {}).get(lang) or text


# -- the status line names the metric that diverged (lockstep arms' batch losses) -------
UI.update({
    "metric.plain/loss": {"en": "plain loss", "ko": "일반 손실"},
    "metric.dropout/loss": {"en": "dropout loss", "ko": "드롭아웃 손실"},
    "metric.mse/loss": {"en": "MSE/MAE loss", "ko": "MSE/MAE 손실"},
    "metric.ce/loss": {"en": "CE loss", "ko": "CE 손실"},
})


# -- compare runs: the messages of c (pin the run) and C (clear the pins) ---------------
UI.update({
    "remark.pins_full": {"en": "{n} runs pinned already: C clears them", "ko": "이미 {n}개 고정됨: C로 지우기"},
    "remark.pin_nothing": {"en": "nothing to pin yet: train a few steps first",
                           "ko": "고정할 것이 없습니다: 먼저 학습을 진행하세요"},
    "remark.pin_again": {"en": "this run is pinned already", "ko": "이 실행은 이미 고정됨"},
    "remark.pinned": {"en": "run pinned as #{n}: change a control and run again to compare",
                      "ko": "실행 #{n} 고정: 값을 바꾸고 다시 실행해 비교하세요"},
    "remark.no_pins": {"en": "no pinned runs (c to pin one)", "ko": "고정한 실행이 없습니다 (c로 고정)"},
    "remark.pins_cleared": {"en": "pinned runs cleared", "ko": "고정한 실행을 모두 지웠습니다"},
})
