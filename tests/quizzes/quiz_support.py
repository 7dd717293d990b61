"""Helpers for the quiz engine tests: the fixture bank, rosters, and Keras's own answers.

Plain functions in a module with its own name (not a conftest.py: the suite's top-level
conftest is imported by name from other test files, and a second one would shadow it).
"""
import os
import shutil
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

FIXTURE_BANK = Path(__file__).parent / "bank"


def copy_bank(tmp_path):
    """A writable copy of the fixture bank (a folder with 9-1.yaml, 9-2.yaml, 9-3.yaml)."""
    target = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, target)
    return target


def write_roster(tmp_path):
    """A three-student roster CSV in ``tmp_path``."""
    path = tmp_path / "roster.csv"
    path.write_text("student_id,name\n2024001,김철수\n2024002,이영희\n2024003,Jane Doe\n", encoding="utf-8")
    return path


def keras_answer(item_id, params):
    """What Keras says the key of a parameterized copy is, as choice text (a str), computed
    here from the copy's parameters through the reference API, not through quizzes.parametric.

    For the pad_sequences item the key is the row Keras does NOT produce, so this returns
    the set of rows Keras does produce (choice texts).
    """
    import reference

    p = params
    if item_id in ("9-2-p1", "9-3-p1", "9-3-p2"):
        if p["kind"] == "GRU":
            return f"{reference.gru_params(p['features'], p['units'], reset_after=p['reset_after']):,}"
        fn = {"SimpleRNN": reference.simple_rnn_params, "LSTM": reference.lstm_params}[p["kind"]]
        return f"{fn(p['features'], p['units']):,}"
    if item_id in ("9-1-p1", "9-3-p3"):
        shapes = reference.recurrent_weight_shapes(p["kind"], p["features"], p["units"], p.get("reset_after", True))
        return str(shapes["recurrent_kernel"])
    if item_id == "9-2-p2":
        rows = reference.pad_sequences(p["sequences"], maxlen=p["maxlen"], padding=p["padding"],
                                       truncating=p["truncating"])
        return {str(row) for row in rows.tolist()}
    if item_id == "9-2-p3":
        return f"{reference.one_hot_nbytes((p['samples'], p['maxlen']), p['classes']):,}"
    raise KeyError(item_id)


def assert_keras_key(question):
    """The question's key choice is Keras's answer and no other choice is."""
    texts = [c.text["ko"] for c in question.choices]
    key_text = texts[question.key - 1]
    others = texts[:question.key - 1] + texts[question.key:]
    truth = keras_answer(question.id, question.params)
    if isinstance(truth, set):  # pad_sequences: every distractor is a real row, the key is not
        assert key_text not in truth and set(others) == truth, (question.params, texts)
    else:
        assert key_text == truth and truth not in others, (question.params, texts)

