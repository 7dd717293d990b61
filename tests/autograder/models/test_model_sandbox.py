"""Keras in the sandbox for the notebook that allows it, and nothing but a model's architecture out of it."""
import json

import nbformat

import pytest

from autograder.errors import StudentError
from autograder.sandbox.session import SandboxSession
from autograder.sandbox.wire import ModelConfig
from autograder.settings import GradingSettings
from helpers import RELEASE, part

BUILD = '''import keras


def build():
    model = keras.Sequential([keras.Input((100,)), keras.layers.Embedding(500, 16), keras.layers.LSTM(8),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([w * 0 + 0.123 for w in model.get_weights()])  # "pretrained" weights
    return model


def grader():
    import reference
'''


def test_keras_is_there_only_where_the_notebook_allows_it():
    with SandboxSession([("build", BUILD)], GradingSettings(), allows={"keras"}) as session:
        config = session.call("build")
        with pytest.raises(StudentError) as hidden:
            session.call("grader")
    assert isinstance(config, ModelConfig) and hidden.value.forbidden
    text = config.text
    assert "0.123" not in text and len(text) < 10_000  # the architecture, no weights
    assert json.loads(text)["class_name"] == "Sequential"
    with SandboxSession([("build", BUILD)], GradingSettings()) as session:
        with pytest.raises(StudentError) as refused:
            session.call("build")
    assert refused.value.kind == "NameError"  # the cell that imports keras failed, so build is not defined
    assert session.cell_errors["build"].forbidden


PRETRAINED = '''import keras


def build_lstm():
    model = keras.Sequential()
    model.add(keras.Input(shape=(MAXLEN,)))
    model.add(keras.layers.Embedding(NUM_WORDS, 16))
    model.add(keras.layers.LSTM(8))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.set_weights([w * 0 for w in model.get_weights()])  # weights that predict nothing: they never leave
    return model
'''


def test_weights_set_in_the_sandbox_change_nothing(grade, solutions):
    solution = part(grade(solutions, "05_imdb_models"), "build_lstm")
    pretrained = part(grade({**solutions, "build_lstm": PRETRAINED}, "05_imdb_models"), "build_lstm")
    assert pretrained["score"] == solution["score"] == solution["max_score"]


def test_a_model_part_shows_its_layers_and_the_graders_curves(grade, solutions):
    from nbgrader.utils import determine_grade

    from autograder.nbgrader_preprocessor import write_results
    from samples.wrong_answers import WRONG_ANSWERS

    answers = {**solutions, "build_stacked_lstm": WRONG_ANSWERS["stack_without_return_sequences"].source}
    result = grade(answers, "05_imdb_models")
    lstm = part(result, "build_lstm")["details"]
    assert [row["same"] for row in lstm["layers"]] == [True, True, True]
    assert lstm["training"]["accuracy"] >= lstm["training"]["pass_line"] and lstm["training"]["corpus"] == "synthetic"
    assert len(lstm["training"]["history"]["val_loss"]) == lstm["training"]["epochs_run"]
    assert "details" not in part(result, "training_settings")
    # the stack that Keras cannot build was never read: no table, its feedback names the mistake
    assert "details" not in part(result, "build_stacked_lstm")
    nb = nbformat.read(RELEASE / "05_imdb_models.ipynb", as_version=4)
    write_results(nb, result)
    cell = next(c for c in nb.cells if c.get("id") == "test-build-lstm")
    kinds = [o.output_type for o in cell.outputs]
    assert kinds == ["stream", "display_data", "display_data", "execute_result"]
    assert "참조 모델의 층" in cell.outputs[1].data["text/html"] and cell.outputs[2].data["image/png"]
    assert determine_grade(cell) == (part(result, "build_lstm")["score"], 10)
