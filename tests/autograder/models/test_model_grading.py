"""Model grading against the reference: each typical mistake named, the functional check, the grader's training."""
import json

import pytest

import reference
import keras  # after reference, which quiets TensorFlow
from autograder.grading.answers import LocalAnswers
from autograder.grading.checks import CaseFailed
from autograder.grading import progress
from autograder.errors import GraderFault
from autograder.models import Refused, architecture, trained
from autograder.models.cases import grade_model_case, model_cases, recorded
from autograder.models.config_check import check_model_config
from autograder.models.settings_check import check_training_settings
from test_model_configs import BOOK_SETTINGS, sequential

L = keras.layers
SIGMOID = {"activation": "sigmoid"}


def _problems(model, name):
    student, ref = check_model_config(model.to_json()), architecture.reference_spec(name)
    found = architecture.layer_order(student, ref) + architecture.shapes(student, ref)
    for i in range(len(ref.layers)):
        found += architecture.layer_settings(student, ref, i)
    return {p.mistake for p in found if p.mistake}


MISTAKES = {  # model the student wrote, the reference it should be, the mistakes the feedback must name
    "missing_return_sequences": (lambda: sequential(L.Embedding(500, 16), L.LSTM(8, dropout=0.2), L.LSTM(8, dropout=0.2),
                                                    L.Dense(1, **SIGMOID), maxlen=None), "stacked_lstm"),
    "return_sequences_on_last": (lambda: sequential(L.Embedding(500, 16), L.LSTM(8, return_sequences=True),
                                                    L.Dense(1, **SIGMOID)), "lstm"),
    "wrong_units": (lambda: sequential(L.Embedding(500, 16), L.SimpleRNN(32), L.Dense(1, **SIGMOID)), "simple_rnn"),
    "dense_without_sigmoid": (lambda: sequential(L.Embedding(500, 16), L.LSTM(8), L.Dense(1)), "lstm"),
    "dropout_as_layer": (lambda: sequential(L.Embedding(500, 16), L.LSTM(8, return_sequences=True), L.Dropout(0.2),
                                            L.LSTM(8), L.Dropout(0.2), L.Dense(1, **SIGMOID)), "stacked_lstm"),
    "recurrent_dropout_instead": (lambda: sequential(L.Embedding(500, 16),
                                                     L.LSTM(8, recurrent_dropout=0.2, return_sequences=True),
                                                     L.LSTM(8, recurrent_dropout=0.2), L.Dense(1, **SIGMOID)),
                                  "stacked_lstm"),
    "dropout_missing": (lambda: sequential(L.Embedding(500, 16), L.LSTM(8, return_sequences=True), L.LSTM(8),
                                           L.Dense(1, **SIGMOID)), "stacked_lstm"),
    "unexpected_dropout": (lambda: sequential(L.Embedding(500, 16), L.LSTM(8, dropout=0.2), L.Dense(1, **SIGMOID)),
                           "lstm"),
    "wrong_layer_type": (lambda: sequential(L.Embedding(500, 16), L.GRU(8), L.Dense(1, **SIGMOID)), "lstm"),
    "wrong_vocabulary": (lambda: sequential(L.Embedding(200, 16), L.SimpleRNN(8), L.Dense(1, **SIGMOID)), "simple_rnn"),
    "missing_layer": (lambda: sequential(L.Embedding(500, 16), L.LSTM(8), L.Dense(1, **SIGMOID)), "stacked_lstm"),
    "wrong_input_shape": (lambda: sequential(L.Embedding(500, 16), L.SimpleRNN(8), L.Dense(1, **SIGMOID), maxlen=200),
                          "simple_rnn"),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_typical_mistake_is_named(mistake):
    make, name = MISTAKES[mistake]
    assert mistake in _problems(make(), name)


@pytest.mark.parametrize("name", reference.CHAPTER_MODELS)
def test_the_books_models_have_no_problem(name):
    written = {"simple_rnn": [L.SimpleRNN(8)], "lstm": [L.LSTM(8)],
               "stacked_lstm": [L.LSTM(8, dropout=0.2, return_sequences=True), L.LSTM(8, dropout=0.2)]}[name]
    assert _problems(sequential(L.Embedding(500, 16), *written, L.Dense(1, activation="sigmoid")), name) == set()


def _built(model):
    from autograder.models.build import build_model

    return build_model(check_model_config(model.to_json()))


def test_functional_check_uses_the_reference_weights():
    assert architecture.functional(_built(reference.chapter_model("lstm")), "lstm") == []
    # same weights, different computation: no sigmoid, or a relu cell
    assert architecture.functional(_built(sequential(L.Embedding(500, 16), L.LSTM(8), L.Dense(1))), "lstm")
    relu = sequential(L.Embedding(500, 16), L.LSTM(8, activation="relu"), L.Dense(1, activation="sigmoid"))
    assert "출력이 다릅니다" in architecture.functional(_built(relu), "lstm")[0].message
    gru = sequential(L.Embedding(500, 16), L.GRU(8), L.Dense(1, activation="sigmoid"))
    assert "shape" in architecture.functional(_built(gru), "lstm")[0].message


def _outcomes(function, name, answers):
    out = {}
    for case in model_cases(name):
        try:
            grade_model_case(function, name, case, answers)
            out[case.check, case.index] = None
        except CaseFailed as failed:
            out[case.check, case.index] = failed.mistake or "failed"
    return out


def _settings(**change):
    return lambda: {**BOOK_SETTINGS, **change}


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return trained.TrainingPlan(cache_dir=str(tmp_path_factory.mktemp("model-cache")))


class PlannedAnswers(LocalAnswers):
    def __init__(self, functions, plan):
        super().__init__(functions)
        self.training_plan = plan


def test_book_lstm_passes_every_case_and_trains_once(plan):
    answers = PlannedAnswers({"build_lstm": lambda: reference.chapter_model("lstm"),
                              "training_settings": _settings()}, plan)
    assert set(_outcomes("build_lstm", "lstm", answers).values()) == {None}
    # another notebook, another layer name, same model and settings: the result comes from the cache
    again = PlannedAnswers({"build_lstm": lambda: sequential(L.Embedding(500, 16, name="emb"), L.LSTM(8),
                                                             L.Dense(1, activation="sigmoid")),
                            "training_settings": _settings()}, plan)
    spec = check_model_config(again("build_lstm").text)
    result = trained.train(spec, check_training_settings(again("training_settings")), plan)
    assert result["cached"] and result["accuracy"] >= reference.pass_line("lstm", result["data_key"])
    trained._RESULTS.clear()  # a new process: the file in the cache folder answers
    assert trained.train(spec, check_training_settings(again("training_settings")), plan)["cached"]


def test_settings_that_cannot_learn_miss_the_pass_line(plan):
    answers = PlannedAnswers({"build_lstm": lambda: reference.chapter_model("lstm"),
                              "training_settings": _settings(learning_rate=1e-5, epochs=2)}, plan)
    outcomes = _outcomes("build_lstm", "lstm", answers)
    assert outcomes.pop(("training", None)) == "below_pass_line"
    assert set(outcomes.values()) == {None}


def test_two_gradings_on_a_cpu_train_alike_and_say_each_epoch(tmp_path):
    """Nothing cached: the same model and settings graded twice (two uploads) train to the same history and
    held-out accuracy on a CPU, so every case scores the same; while training, each epoch is reported."""
    plan = trained.TrainingPlan(cache_dir=trained.NO_CACHE)
    runs, events = [], []
    for run in range(2):
        answers = PlannedAnswers({"build_simple_rnn": lambda: reference.chapter_model("simple_rnn"),
                                  "training_settings": _settings(epochs=2)}, plan)
        with progress.reporting(events.append if run == 0 else None):
            outcomes = _outcomes("build_simple_rnn", "simple_rnn", answers)
        runs.append((outcomes, recorded(answers, "build_simple_rnn").training))
    (first, one), (second, two) = runs
    assert first == second and not one["cached"] and not two["cached"]
    assert one["history"] == two["history"] and one["accuracy"] == two["accuracy"] and one["epochs_run"] == 2
    assert one["deterministic"] and one["backend"] == "tensorflow" and one["device"] == "cpu"
    assert [(e["stage"], e["function"], e["epoch"], e["epochs"]) for e in events] == \
        [("training", "build_simple_rnn", 1, 2), ("training", "build_simple_rnn", 2, 2),
         ("training", "build_simple_rnn", 2, 2)]
    assert events[1]["val_accuracy"] == round(one["history"]["val_accuracy"][0], 4)


def test_a_training_past_the_estimate_on_the_clock_is_the_graders_fault(monkeypatch):
    """The budget is decided from the estimate; a training that still overruns it (a machine far slower than
    estimated) is a grader fault, never a score, and nothing is kept."""
    monkeypatch.setattr(trained, "estimated_seconds", lambda *args, **kwargs: 0.0)
    plan = trained.TrainingPlan(budget_s=0.01, cache_dir=trained.NO_CACHE)
    spec = check_model_config(reference.chapter_model("simple_rnn").to_json())
    with pytest.raises(GraderFault, match="추정"):
        trained.train(spec, check_training_settings(_settings(epochs=1)()), plan)


def test_the_budget_is_decided_before_training_from_the_config_alone():
    """Same model and settings, same answer, however fast the machine is: the book's models fit the default budget
    with room; a large stack at batch 8 is refused before anything is built."""
    book = trained.TrainingPlan()
    data = book.data()
    sizes = (len(data.y_train), len(data.y_val))
    for name in reference.CHAPTER_MODELS:
        spec = check_model_config(reference.chapter_model(name).to_json())
        assert trained.estimated_seconds(spec, check_training_settings(BOOK_SETTINGS), 10, *sizes) < 0.75 * book.budget_s
    big = check_model_config(sequential(L.Embedding(500, 64), L.LSTM(128, return_sequences=True), L.LSTM(128),
                                        L.Dense(1, **SIGMOID)).to_json())
    small_batches = check_training_settings({**BOOK_SETTINGS, "batch_size": 8})
    with pytest.raises(Refused) as refused:
        trained.train(big, small_batches, book)
    assert refused.value.key == "over_budget" and "추정" in refused.value.message


def test_a_broken_submission_fails_before_training(plan):
    refused = PlannedAnswers({"build_lstm": lambda: sequential(L.Embedding(500, 16), L.LSTM(8),
                                                               L.Lambda(lambda x: x), L.Dense(1)),
                              "training_settings": _settings()}, plan)
    assert set(_outcomes("build_lstm", "lstm", refused).values()) == {"refused_unknown_class"}
    stack = PlannedAnswers({"build_lstm": lambda: sequential(L.Embedding(500, 16), L.LSTM(8), L.LSTM(8), L.Dense(1)),
                            "training_settings": _settings()}, plan)
    assert set(_outcomes("build_lstm", "lstm", stack).values()) == {"missing_return_sequences"}
    h5 = PlannedAnswers({"build_lstm": lambda: reference.chapter_model("lstm"),
                         "training_settings": _settings(checkpoint={"filepath": "best.h5", "save_best_only": True})},
                        plan)
    assert _outcomes("build_lstm", "lstm", h5)["training", None] == "settings_refused"
    not_a_model = PlannedAnswers({"build_lstm": lambda: json.dumps({"a": 1}), "training_settings": _settings()}, plan)
    assert set(_outcomes("build_lstm", "lstm", not_a_model).values()) == {"not_a_model"}


def test_over_budget_gives_the_architecture_points_only(tmp_path):
    tight = trained.TrainingPlan(budget_s=0.0, cache_dir=str(tmp_path))
    answers = PlannedAnswers({"build_simple_rnn": lambda: reference.chapter_model("simple_rnn"),
                              "training_settings": _settings()}, tight)
    outcomes = _outcomes("build_simple_rnn", "simple_rnn", answers)
    assert outcomes.pop(("training", None)) == "over_budget"
    assert set(outcomes.values()) == {None}


def test_a_training_step_too_big_for_memory_is_refused_before_building():
    wide = sequential(L.Embedding(500, 128), L.LSTM(128, return_sequences=True), L.LSTM(128, return_sequences=True),
                      L.LSTM(128), L.Dense(1), maxlen=None)  # not built here: no Input
    spec = check_model_config(wide.to_json())
    big_batch = check_training_settings({**BOOK_SETTINGS, "batch_size": 1024})
    assert trained.activation_bytes(spec, 1024) > trained.MAX_ACTIVATION_BYTES
    with pytest.raises(Refused):
        trained.train(spec, big_batch)
    book = check_model_config(reference.chapter_model("stacked_lstm").to_json())
    assert trained.activation_bytes(book, 64) < trained.MAX_ACTIVATION_BYTES / 50


def test_auto_trains_on_imdb_only_where_its_pass_lines_are_measured(monkeypatch):
    """An instructor who places imdb.npz gets the synthetic corpus until IMDB's pass lines are measured (no
    submission is then "not graded" for want of a line); with them, the real IMDB."""
    monkeypatch.setattr(reference, "imdb_available", lambda: True)
    assert trained.TrainingPlan().data().corpus == "synthetic"
    monkeypatch.setattr(reference, "measured", lambda key, max_epochs: key.startswith("imdb-") and max_epochs == 10)
    monkeypatch.setattr(reference, "grading_data", lambda corpus: corpus)
    assert trained.TrainingPlan().data() == "imdb" and trained.TrainingPlan(max_epochs=5).data() == "synthetic"
