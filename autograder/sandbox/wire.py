"""The value format between the sandbox and the grader: one JSON object per line.

numpy arrays travel as {"__nd__": [dtype, shape, base64]} with dtype limited to plain
numeric kinds; tuples as {"__tuple__": [...]}; a Keras model (of Keras's own classes, where the
notebook may use Keras) as {"__model_json__": model.to_json()}, its architecture only, which
the grader reads as text (autograder/models/config_check.py); anything else the student returns
that is not JSON data as {"__unsupported__": type name}. Decoding never runs code and never yields an
object dtype, so what the grader compares is plain data it built itself.

This file is also copied into the sandbox next to runner.py: stdlib + numpy only.
"""
import base64
import json

import numpy as np

# Top-level packages an answer may not import (deep-learning libraries, the grader and its Keras truth).
FORBIDDEN = ("keras", "tensorflow", "tf_keras", "jax", "jaxlib", "torch", "autograder", "reference")
# What a notebook may allow (assignment's ``sandbox_allows``): "keras" with the backends it runs on.
ALLOWABLE = {"keras": ("keras", "tensorflow", "tf_keras", "jax", "jaxlib")}
KERAS_BACKENDS = {"tensorflow": ("tensorflow", "tf_keras"), "jax": ("jax", "jaxlib")}


def forbidden_for(allows=(), backend=None):
    """FORBIDDEN less what the notebook allows (``allows``: keys of ALLOWABLE); never the grader itself.
    backend: the Keras backend the sandbox runs (KERAS_BACKENDS' key): keras then opens that backend's
    packages only (Keras on JAX would import TensorFlow lazily, seconds a notebook, where it can see it)."""
    opened = set()
    for key in allows:
        opened |= set(("keras", *KERAS_BACKENDS[backend]) if key == "keras" and backend in KERAS_BACKENDS
                      else ALLOWABLE[key])
    return tuple(name for name in FORBIDDEN if name not in opened)
ALLOWED_KINDS = "biuf"  # bool, int, uint, float
MAX_LINE_BYTES = 64 * 2**20


def encode(value):
    """A student's return value -> JSON-able data (raises nothing)."""
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, np.generic):
        value = np.asarray(value)
    if isinstance(value, np.ndarray):
        arr = np.asarray(value, order="C")  # ascontiguousarray would make a 0-d array 1-d
        if arr.dtype.kind not in ALLOWED_KINDS:
            return {"__unsupported__": f"ndarray[{arr.dtype}]"}
        return {"__nd__": [arr.dtype.str, list(arr.shape), base64.b64encode(arr.tobytes()).decode()]}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[str(k), encode(v)] for k, v in value.items()]}
    if type(value).__module__.split(".")[0] == "keras" and callable(getattr(value, "to_json", None)):
        try:
            return {"__model_json__": str(value.to_json())}
        except Exception:  # noqa: BLE001 - a model Keras cannot describe is just not a model here
            pass
    return {"__unsupported__": type(value).__name__}


def decode(data):
    """JSON data from the wire -> python/numpy values built here (ValueError on bad data)."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "__nd__" in data:
        dtype, shape, payload = data["__nd__"]
        dtype = np.dtype(dtype)
        if dtype.kind not in ALLOWED_KINDS:
            raise ValueError(f"dtype {dtype} not allowed")
        shape = tuple(int(d) for d in shape)
        raw = base64.b64decode(payload, validate=True)
        if len(raw) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise ValueError("array byte count does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if "__tuple__" in data:
        return tuple(decode(v) for v in data["__tuple__"])
    if "__dict__" in data:
        return {str(k): decode(v) for k, v in data["__dict__"]}
    if "__model_json__" in data:
        if not isinstance(data["__model_json__"], str):
            raise ValueError("a model's config must be text")
        return ModelConfig(data["__model_json__"])
    if "__unsupported__" in data:
        return Unsupported(str(data["__unsupported__"]))
    raise ValueError("unknown object on the wire")


class Unsupported:
    """A return value of a type the grader does not accept (its type name only)."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"


class ModelConfig:
    """A model's JSON config as the sandbox sent it: untrusted text, never parsed here."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return f"<모델 설정 {len(self.text):,}자>"


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, allow_nan=True) + "\n"
