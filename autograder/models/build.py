"""A checked ModelSpec -> a Keras model: Keras's own deserializer, in safe mode, on the canonical config only."""
import json

from autograder.models.config_check import ModelSpec


def build_model(spec: ModelSpec):
    """``keras.models.model_from_json`` of the spec's canonical config, with safe mode forced on.

    (Keras 3.15's ``model_from_json`` takes no ``safe_mode`` argument: it is
    ``deserialize_keras_object(json.loads(text))``, done here with ``safe_mode=True`` inside a
    SafeModeScope, so even a process that called ``keras.config.enable_unsafe_deserialization()``
    builds no Lambda.) The spec must be buildable; the built model's parameter count must be the
    one the spec computed (else a RuntimeError: a fault of the grader, not of the student).
    """
    import keras
    from keras.src.saving.serialization_lib import SafeModeScope

    if not spec.buildable:
        raise ValueError("the spec has a layer that cannot take its input")
    with SafeModeScope(True):
        model = keras.saving.deserialize_keras_object(json.loads(spec.canonical_json()), custom_objects={},
                                                      safe_mode=True)
    if not model.built:
        model.build(spec.input_shape)
    if model.count_params() != spec.params:
        raise RuntimeError(f"config_check computed {spec.params} parameters, Keras built {model.count_params()}")
    return model
