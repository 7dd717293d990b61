"""What comes out of a sandbox as a model is checked as data before Keras sees it (autograder/models/)."""
import json

import numpy as np
import pytest

import reference
import keras  # after reference, which quiets TensorFlow
from autograder.models import Refused
from autograder.models.build import build_model
from autograder.models.config_check import LIMITS, MAX_CONFIG_CHARS, check_model_config
from autograder.models.settings_check import check_training_settings

L = keras.layers


def sequential(*layers, maxlen=100):
    return keras.Sequential([keras.Input(shape=(maxlen,)), *layers] if maxlen else list(layers))


BOOK_SETTINGS = {"optimizer": "adam", "learning_rate": 0.001, "loss": "binary_crossentropy", "batch_size": 64,
                 "epochs": 100, "early_stopping": {"monitor": "val_loss", "patience": 3, "restore_best_weights": True},
                 "checkpoint": {"filepath": "best-2lstm-model.keras", "monitor": "val_loss", "save_best_only": True}}

VALID = {
    "gru_no_reset_after_no_bias": lambda: sequential(L.Embedding(500, 16), L.GRU(8, reset_after=False, use_bias=False),
                                                     L.Dense(1, activation="sigmoid")),
    "stacked_gru_dropout_layer": lambda: sequential(L.Embedding(300, 8), L.GRU(4, return_sequences=True),
                                                    L.Dropout(0.3), L.SimpleRNN(5, recurrent_dropout=0.1),
                                                    L.Dense(3, activation="relu"), L.Dense(1)),
    "dense_on_sequences": lambda: sequential(L.Embedding(500, 16), L.LSTM(8, return_sequences=True), L.Dense(2)),
    "no_input_layer": lambda: sequential(L.Embedding(500, 16), L.SimpleRNN(8), L.Dense(1), maxlen=None),
    "initializers": lambda: sequential(L.Embedding(50, 4, embeddings_initializer="he_normal", mask_zero=True),
                                       L.LSTM(3, kernel_initializer=keras.initializers.RandomNormal(0.0, 0.1, seed=3),
                                              recurrent_initializer="identity", unit_forget_bias=False),
                                       L.Dense(1, bias_initializer=keras.initializers.Constant(0.5))),
}


@pytest.mark.parametrize("name", [*reference.CHAPTER_MODELS, *VALID])
def test_counts_computed_from_the_config_are_keras_counts(name):
    model = reference.chapter_model(name) if name in reference.CHAPTER_MODELS else VALID[name]()
    spec = check_model_config(model.to_json())
    if model.built:
        assert spec.params == model.count_params()
        assert [layer.params for layer in spec.layers] == [layer.count_params() for layer in model.layers]
        assert [layer.output_shape for layer in spec.layers] == [tuple(layer.output.shape) for layer in model.layers]
    built = build_model(spec)
    assert built.count_params() == spec.params
    assert [type(layer).__name__ for layer in built.layers] == [layer.class_name for layer in spec.layers]


def test_canonical_config_drops_names_and_keeps_the_architecture():
    one = sequential(L.Embedding(500, 16, name="내_임베딩"), L.LSTM(8, name="first"), L.Dense(1, activation="sigmoid"))
    two = reference.chapter_model("lstm")
    assert check_model_config(one.to_json()).canonical_json() == check_model_config(two.to_json()).canonical_json()
    assert "first" not in check_model_config(one.to_json()).canonical_json()


def test_a_stack_without_return_sequences_is_described_not_built():
    model = sequential(L.Embedding(500, 16), L.LSTM(8), L.LSTM(8), L.Dense(1), maxlen=None)  # unbuilt: no Input
    spec = check_model_config(model.to_json())
    assert not spec.buildable and spec.layers[1].problem is None
    assert "return_sequences=False" in spec.layers[2].problem and spec.output_shape is None


def _layer_json(class_name, config, module="keras.layers", **extra):
    return {"module": module, "class_name": class_name, "config": config, "registered_name": None, **extra}


def _with_layer(layer, base="lstm"):
    data = json.loads(reference.chapter_model(base).to_json())
    data["config"]["layers"].insert(2, layer)
    return json.dumps(data)


def _edit(edit, base="lstm"):
    data = json.loads(reference.chapter_model(base).to_json())
    edit(data)
    return json.dumps(data)


def _lambda_model():
    return sequential(L.Embedding(500, 16), L.LSTM(8), L.Lambda(lambda x: x * 2), L.Dense(1)).to_json()


@keras.saving.register_keras_serializable(package="student")
class Doubler(L.Layer):
    def call(self, x):
        return 2 * x


HOSTILE = {
    "lambda_layer": (_lambda_model, "unknown_class"),
    "registered_custom_layer": (lambda: sequential(L.Embedding(500, 16), L.LSTM(8), Doubler(), L.Dense(1)).to_json(),
                                "custom_object"),
    "functional_model": (lambda: keras.Model(*(lambda i: (i, L.Dense(1)(L.LSTM(8)(L.Embedding(500, 16)(i)))))(
        keras.Input((100,)))).to_json(), "not_sequential"),
    "unknown_class": (lambda: _with_layer(_layer_json("Conv1D", {"filters": 8, "kernel_size": 3})), "unknown_class"),
    "registered_name_on_known_class": (lambda: _with_layer(_layer_json("Dropout", {"rate": 0.1},
                                                                       registered_name="student>Dropout")),
                                       "custom_object"),
    "module_of_another_package": (lambda: _with_layer(_layer_json("Dropout", {"rate": 0.1}, module="os")),
                                  "custom_object"),
    "huge_units": (lambda: sequential(L.Embedding(500, 16), L.LSTM(10**6), maxlen=None).to_json(), "size"),
    "huge_vocabulary": (lambda: _edit(lambda d: d["config"]["layers"][1]["config"].update(input_dim=10**9)), "size"),
    "too_many_parameters": (lambda: sequential(L.Embedding(20_000, 256), L.LSTM(8)).to_json(), "size"),
    "too_many_layers": (lambda: sequential(L.Embedding(500, 8), *[L.Dropout(0.1) for _ in range(20)]).to_json(), "size"),
    "weights_in_a_config_field": (lambda: _edit(lambda d: d["config"]["layers"][1]["config"].update(
        weights=np.zeros((500, 16)).tolist())), "argument"),
    "weights_in_an_initializer": (lambda: _edit(lambda d: d["config"]["layers"][1]["config"].update(
        embeddings_initializer={"module": "keras.initializers", "class_name": "Constant",
                                "config": {"value": np.ones((500, 16)).tolist()}, "registered_name": None})),
                                  "argument"),
    "predictions_in_a_name": (lambda: _edit(lambda d: d["config"]["layers"][2]["config"].update(
        name="0110" * 500)), "argument"),
    "code_in_an_activation": (lambda: _edit(lambda d: d["config"]["layers"][2]["config"].update(
        activation={"module": "builtins", "class_name": "function", "config": "lambda x: __import__('os')",
                    "registered_name": "function"})), "argument"),
    "pickle_in_a_dtype": (lambda: _edit(lambda d: d["config"]["layers"][1]["config"].update(
        dtype={"module": "numpy", "class_name": "dtype", "config": {"value": "gASV..."}, "registered_name": None})),
                          "custom_object"),
    "extra_top_level_weights": (lambda: _edit(lambda d: d.update(weights=[[1.0]])), "structure"),
    "deep_nesting": (lambda: '{"module": "keras", "class_name": "Sequential", "config": ' + "[" * 90_000
                     + "]" * 90_000 + "}", "structure"),
    "nested_inside_an_initializer": (lambda: _edit(lambda d: d["config"]["layers"][2]["config"].update(
        kernel_initializer={"module": "keras.initializers", "class_name": "GlorotUniform",
                            "config": {"seed": {"nested": [[[1]]]}}, "registered_name": None})), "argument"),
    "nan": (lambda: _edit(lambda d: d["config"]["layers"][2]["config"].update(dropout=float("nan"))), "structure"),
    "too_long": (lambda: " " * (MAX_CONFIG_CHARS + 1), "size"),
    "not_text": (lambda: b"{}", "not_a_model"),
    "stateful_return_state": (lambda: sequential(L.Embedding(500, 16), L.LSTM(8, return_state=True)).to_json(),
                              "argument"),
    "two_inputs": (lambda: _with_layer(_layer_json("InputLayer", {"batch_shape": [None, 100]})), "structure"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_configs_are_refused_before_keras(name, monkeypatch):
    make, key = HOSTILE[name]
    text = make()
    # nothing may reach Keras's deserializer for a refused config
    monkeypatch.setattr(keras.saving, "deserialize_keras_object", lambda *a, **k: pytest.fail("Keras was called"))
    with pytest.raises(Refused) as refused:
        check_model_config(text)
    assert refused.value.key == key
    assert any("가" <= ch <= "힣" for ch in refused.value.message)


def test_limits_are_far_past_the_reference():
    assert LIMITS.params >= 100 * reference.chapter_model("stacked_lstm").count_params()
    assert LIMITS.units >= 16 * 8 and LIMITS.vocabulary >= 20 * reference.NUM_WORDS


def test_book_settings_read_as_the_reference_settings():
    assert check_training_settings(BOOK_SETTINGS) == reference.BOOK_TRAINING
    no_callbacks = {k: v for k, v in BOOK_SETTINGS.items() if k not in ("early_stopping", "checkpoint")}
    assert check_training_settings(no_callbacks).early_stopping is None


@pytest.mark.parametrize("change, key", [
    ({"checkpoint": {"filepath": "best-model.h5", "save_best_only": True}}, "checkpoint_suffix"),
    ({"checkpoint": {"filepath": "../../etc/passwd.keras"}}, "filepath"),
    ({"optimizer": "adagrad_custom"}, "optimizer"),
    ({"learning_rate": "0.001"}, "learning_rate"),
    ({"learning_rate": float("inf")}, "learning_rate"),
    ({"batch_size": True}, "batch_size"),
    ({"epochs": 10**6}, "epochs"),
    ({"callbacks": ["EarlyStopping"]}, "unknown_key"),
    ({"early_stopping": {"patience": 3, "baseline": 0.9}}, "unknown_key"),
    ({"early_stopping": {"restore_best_weights": "yes"}}, "restore_best_weights"),
])
def test_settings_out_of_their_allow_list_are_refused(change, key):
    with pytest.raises(Refused) as refused:
        check_training_settings({**BOOK_SETTINGS, **change})
    assert refused.value.key == key


def test_settings_must_be_a_dict_with_every_required_key():
    with pytest.raises(Refused):
        check_training_settings([("optimizer", "adam")])
    with pytest.raises(Refused) as refused:
        check_training_settings({"optimizer": "adam"})
    assert refused.value.key == "missing_key"
