"""What a model grader module is made of: its cases and ``grade(case, answers)``.

A grader module (graders/build_lstm.py, ...) names the student's function and the reference
model it builds; its cases are the checks of architecture.py, one reference layer each, and the
grader's own training::

    층의 종류와 순서 (2)  ·  one case per reference layer (1 each)  ·  입력과 출력 shape (0.5)
    파라미터 개수 (1)  ·  기능 확인 (1)  ·  훈련 (3)

``answers(function)`` is called once per notebook (the result is kept with the ``answers``
object): it returns the model's JSON config (``wire.ModelConfig``) from the sandbox. Training
settings come from ``answers("training_settings")`` and the training plan from
``answers.training_plan`` (a trained.TrainingPlan; the default when the caller gives none).
"""
import re
import weakref
from dataclasses import dataclass

from autograder.grading.cases import Case
from autograder.grading.checks import CaseFailed
from autograder.errors import StudentError
from autograder.models import Refused, architecture
from autograder.models.config_check import check_model_config
from autograder.models.settings_check import check_training_settings
from autograder.models.trained import TrainingPlan, train
from autograder.grading.progress import epoch_reporter
from autograder.sandbox.wire import ModelConfig

SETTINGS_FUNCTION = "training_settings"
CORPUS_LABEL = {"imdb": "IMDB", "synthetic": "합성 데이터"}
STACKING_ERROR = re.compile(r"expected ndim=3, found ndim=2")


@dataclass(frozen=True)
class ModelCase(Case):
    """A check of a submitted model: ``check`` names it, ``index`` is the reference layer it is about."""

    check: str = ""
    index: int | None = None


def model_cases(name, plan=TrainingPlan()):
    """The cases of reference model ``name`` (reference.CHAPTER_MODELS), labels in Korean."""
    from reference import pass_line

    reference = architecture.reference_spec(name)
    data = plan.data()
    order = " → ".join(layer.class_name for layer in reference.layers)
    cases = [ModelCase(f"층의 종류와 순서: {order}", weight=2.0, check="layer_order")]
    cases += [ModelCase(f"{i + 1}번째 층: {architecture.describe(layer)}", check="layer_settings", index=i)
              for i, layer in enumerate(reference.layers)]
    line = pass_line(name, data.key, plan.max_epochs)
    cases += [
        ModelCase(f"입력 (None, {reference.input_shape[1]}) → 출력 (None, 1)", weight=0.5, check="shapes"),
        ModelCase(f"파라미터 개수: 층마다, 합계 {reference.params:,}개", check="parameter_counts"),
        ModelCase("기능 확인: 참조 모델의 가중치를 넣으면 참조 모델과 같은 출력", check="functional"),
        ModelCase(f"훈련: 채점기가 직접 훈련해 떼어 둔 리뷰 {len(data.y_test):,}개의 정확도 {line:.2f} 이상 "
                  f"({CORPUS_LABEL[data.corpus]})", weight=3.0, check="training"),
    ]
    return cases


class Submission:
    """One notebook's answer for one model function: the checked spec, the built model, the training result.

    failure: what every case raises instead of being checked (the student's error, a refusal, not a model)."""

    def __init__(self, answers, function):
        self.failure = self.spec = self._model = self.training = self.pass_line = None
        try:
            value = answers(function)
        except StudentError as err:
            self.failure = err
            if STACKING_ERROR.search(err.message):
                self.failure = CaseFailed(f"모델을 만들다 오류가 났습니다: {err.message[:200]}", "missing_return_sequences",
                                          advice="순환층을 쌓을 때 아래층에 return_sequences=True가 없으면 다음 "
                                                 "순환층이 (배치, 타임스텝, 특성) 대신 (배치, 뉴런 수)를 받습니다.")
            return
        if not isinstance(value, ModelConfig):
            self.failure = CaseFailed(f"keras 모델을 반환해야 하는데 {type(value).__name__} 값이 반환되었습니다.",
                                      "not_a_model")
            return
        try:
            self.spec = check_model_config(value.text)
        except Refused as refusal:
            self.failure = CaseFailed("채점기가 이 모델을 만들지 않습니다.", f"refused_{refusal.key}",
                                      advice=refusal.message)

    @property
    def model(self):
        """The student's model built by the grader (None when the config cannot be built)."""
        if self._model is None and self.spec is not None and self.spec.buildable:
            from autograder.models.build import build_model

            self._model = build_model(self.spec)
        return self._model


_SUBMISSIONS = weakref.WeakKeyDictionary()  # answers -> {function: Submission}


def recorded(answers, function):
    """The Submission graded for ``function`` with these ``answers``, or None (not a model, or not graded)."""
    return _SUBMISSIONS.get(answers, {}).get(function)


def submission(answers, function):
    """The Submission of ``function`` for this ``answers`` (one notebook), made on first use."""
    per_notebook = _SUBMISSIONS.setdefault(answers, {})
    if function not in per_notebook:
        per_notebook[function] = Submission(answers, function)
    return per_notebook[function]


def _raise(problems):
    """CaseFailed for the problems: what differs as the message, why for the named mistakes as the advice."""
    if problems:
        named = [p for p in problems if p.mistake]
        message = "\n".join(p.fact if p.mistake and p.why else p.message for p in problems)
        advice = " ".join(p.why for p in named if p.why) or None
        raise CaseFailed(message, named[0].mistake if named else None, advice=advice)


def grade_model_case(function, name, case, answers):
    """Check ``case`` of the model ``function`` returns; raises CaseFailed / StudentError as the graders do."""
    sub = submission(answers, function)
    if sub.failure is not None:
        raise sub.failure
    reference = architecture.reference_spec(name)
    if case.check == "layer_order":
        _raise(architecture.layer_order(sub.spec, reference))
    elif case.check == "layer_settings":
        _raise(architecture.layer_settings(sub.spec, reference, case.index))
    elif case.check == "shapes":
        _raise(architecture.shapes(sub.spec, reference))
    elif case.check in ("parameter_counts", "functional", "training"):
        if sub.model is None:
            problem = next(layer.problem for layer in sub.spec.layers if layer.problem)
            raise CaseFailed(f"이 구조로는 케라스 모델을 만들 수 없어 확인하지 못했습니다: {problem}",
                             "cannot_build")
        if case.check == "parameter_counts":
            from reference import chapter_model

            _raise(architecture.parameter_counts(sub.model, sub.spec, chapter_model(name), reference))
        elif case.check == "functional":
            _raise(architecture.functional(sub.model, name))
        else:
            _grade_training(sub, answers, function, name)
    else:
        raise ValueError(f"unknown model check {case.check!r}")


def _grade_training(sub, answers, function, name):
    from reference import NUM_WORDS, pass_line

    if sub.spec.output_shape != (None, 1) or sub.spec.input_shape[1] not in (None, 100):
        raise CaseFailed("입력이 (None, 100)이고 출력이 (None, 1)인 모델만 훈련합니다 (위의 shape 확인).", "not_trained")
    first = sub.spec.layers[0]
    if first.class_name != "Embedding" or first.arg("input_dim") < NUM_WORDS:
        raise CaseFailed(f"단어 id 0~{NUM_WORDS - 1}을 받는 Embedding 층으로 시작하는 모델만 훈련합니다.", "not_trained")
    try:
        settings = check_training_settings(answers(SETTINGS_FUNCTION))
    except Refused as refusal:
        raise CaseFailed(f"훈련 설정({SETTINGS_FUNCTION})을 쓸 수 없어 훈련하지 않았습니다.", "settings_refused",
                         advice=refusal.message) from None
    except StudentError as err:
        raise CaseFailed(f"{SETTINGS_FUNCTION}()가 실패해 훈련하지 않았습니다: {err.kind}: {err.message[:200]}",
                         "settings_refused") from None
    plan = getattr(answers, "training_plan", None) or TrainingPlan()
    try:
        result = train(sub.spec, settings, plan, on_epoch=epoch_reporter(function))
    except Refused as refusal:
        raise CaseFailed(f"채점기가 훈련하지 않습니다: {refusal.message}",
                         "over_budget" if refusal.key == "over_budget" else "not_trained") from None
    sub.training = result
    line = pass_line(name, result["data_key"], plan.max_epochs)
    sub.pass_line = line
    if not result["accuracy"] >= line:
        raise CaseFailed(f"채점기가 훈련한 모델의 정확도 {result['accuracy']:.4f}가 통과선 {line:.2f}보다 낮습니다 "
                         f"({result['epochs_run']}에포크, 최대 {plan.max_epochs}에포크). 학습률·에포크 수·배치 크기와 "
                         "모델 구조를 확인하세요.", "below_pass_line")
