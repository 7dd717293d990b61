"""Keras in the sandbox for the notebook that allows it, and nothing but a model's architecture out of it."""
import json

import pytest

from autograder.errors import StudentError
from autograder.sandbox.session import SandboxSession
from autograder.sandbox.wire import ModelConfig
from autograder.settings import GradingSettings
from helpers import part

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
