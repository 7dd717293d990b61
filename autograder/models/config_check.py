"""A model's JSON config from the sandbox -> ModelSpec, or Refused; nothing here imports Keras.

Read as data only: the text is capped (MAX_CONFIG_CHARS) and parsed with NaN/Infinity refused;
the top level must be a ``keras.Sequential``; each layer must be one of LAYERS with only the
arguments listed for it, each value in its allowed range or form. Nested configs (initializers,
dtype policies) are checked the same way; ``registered_name`` must be null everywhere and
``module`` Keras's own, so no registered custom object, Lambda, or unknown class gets through.
Strings are short names from fixed sets: nothing can carry weights, code or predictions.

From the checked config every layer's input and output shape and its parameter count are
computed as Keras would build them (tests compare with ``count_params()`` of built models), and
LIMITS are applied to them before anything is allocated. A layer that cannot take its input (an
LSTM after a layer that returns only the last state) is kept with a ``problem`` (Korean): the
architecture score names it, and the model is then not built.

The spec's ``config`` is the canonical form: only the checked arguments, layers renamed
``layer_<i>``, the model ``student_model``: what ``build`` gives Keras.
"""
import json
import math
import re
from dataclasses import dataclass, field

from autograder.models import Refused

MAX_CONFIG_CHARS = 200_000


@dataclass(frozen=True)
class Limits:
    """Sizes refused before anything is built (the book's models: 3-4 layers, 8 units, 9,353 parameters)."""

    layers: int = 10
    units: int = 256
    vocabulary: int = 20_000
    embedding_dim: int = 256
    timesteps: int = 1_000
    params: int = 1_000_000


LIMITS = Limits()

ACTIVATIONS = frozenset({"tanh", "sigmoid", "relu", "linear", "softmax", "elu", "selu", "softplus", "softsign",
                         "hard_sigmoid", "silu", "swish", "gelu", "exponential", "leaky_relu", "relu6", "mish",
                         "log_softmax", "hard_silu", "hard_swish", "hard_tanh", "celu", "log_sigmoid"})
DTYPES = frozenset({"float32"})
INPUT_DTYPES = frozenset({"float32", "int32", "int64"})
NAME = re.compile(r"^[\w.\-]{1,64}$")
RECURRENT = ("SimpleRNN", "LSTM", "GRU")


def _refuse(where, what, key="argument"):
    raise Refused(f"{where}: {what}", key)


# ---- value checks: each returns the value to keep, or raises Refused ----------------------------------

def _int(lo, hi):
    def check(value, where):
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            _refuse(where, f"{lo} 이상 {hi:,} 이하의 정수여야 합니다 (받은 값: {_shown(value)}).",
                    "size" if isinstance(value, int) and not isinstance(value, bool) and value > hi else "argument")
        return value
    return check


def _float(lo, hi, hi_open=False):
    def check(value, where):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
            and lo <= value and (value < hi if hi_open else value <= hi)
        if not ok:
            _refuse(where, f"{lo} 이상 {hi} {'미만' if hi_open else '이하'}의 수여야 합니다 (받은 값: {_shown(value)}).")
        return float(value)
    return check


def _bool(value, where):
    if not isinstance(value, bool):
        _refuse(where, f"True 또는 False여야 합니다 (받은 값: {_shown(value)}).")
    return value


def _exactly(*allowed):
    def check(value, where):
        if not any(value is a or (type(value) is type(a) and value == a) for a in allowed):
            shown = " 또는 ".join(repr(a) for a in allowed)
            _refuse(where, f"이 과제에서는 {shown}만 쓸 수 있습니다 (받은 값: {_shown(value)}).")
        return value
    return check


def _one_of(values, what):
    def check(value, where):
        if not isinstance(value, str) or value not in values:
            _refuse(where, f"{what} 중 하나여야 합니다 (받은 값: {_shown(value)}).")
        return value
    return check


_null = _exactly(None)
_false = _exactly(False)
_seed = lambda value, where: None if value is None else _int(0, 2**31 - 1)(value, where)  # noqa: E731
_activation = _one_of(ACTIVATIONS, "케라스 기본 활성화 함수 이름")


def _shown(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _keras_object(value, where, module, classes):
    """A nested {"module", "class_name", "config", "registered_name"} of Keras's own: (class, config dict)."""
    if not isinstance(value, dict) or set(value) - {"module", "class_name", "config", "registered_name"}:
        _refuse(where, "케라스가 직렬화한 형태({module, class_name, config})여야 합니다.", "structure")
    if value.get("module") != module or value.get("registered_name") is not None:
        _refuse(where, f"케라스 자체의 객체만 쓸 수 있습니다 (module {_shown(value.get('module'))}, "
                       f"registered_name {_shown(value.get('registered_name'))}).", "custom_object")
    name = value.get("class_name")
    if name not in classes:
        _refuse(where, f"{_shown(name)}는 쓸 수 없습니다. 쓸 수 있는 것: {', '.join(sorted(classes))}.", "unknown_class")
    config = value.get("config", {})
    if not isinstance(config, dict):
        _refuse(where, "config가 dict가 아닙니다.", "structure")
    return name, config


def _fields(config, allowed, where):
    """{key: checked value} for the keys of ``config``; a key not in ``allowed`` is refused."""
    kept = {}
    for key, value in config.items():
        check = allowed.get(key)
        if check is None:
            _refuse(where, f"허용하지 않는 인자 {_shown(key)}.", "argument")
        kept[key] = check(value, f"{where}의 {key}")
    return kept


_SEEDED = {"seed": _seed}
_AXES = {"input_axes": _null, "output_axes": _null}
INITIALIZERS = {
    **{name: {**_SEEDED, **_AXES} for name in ("GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal",
                                               "LecunUniform", "LecunNormal")},
    "Orthogonal": {**_SEEDED, "gain": _float(0, 100)},
    "Zeros": {}, "Ones": {}, "Identity": {"gain": _float(0, 100)},
    "RandomUniform": {**_SEEDED, "minval": _float(-100, 100), "maxval": _float(-100, 100)},
    "RandomNormal": {**_SEEDED, "mean": _float(-100, 100), "stddev": _float(0, 100)},
    "TruncatedNormal": {**_SEEDED, "mean": _float(-100, 100), "stddev": _float(0, 100)},
    "Constant": {"value": _float(-100, 100)},  # a scalar only: no array of weights rides in here
    "VarianceScaling": {**_SEEDED, **_AXES, "scale": _float(0, 100),
                        "mode": _one_of({"fan_in", "fan_out", "fan_avg"}, "fan_in, fan_out, fan_avg"),
                        "distribution": _one_of({"truncated_normal", "untruncated_normal", "uniform", "normal"},
                                                "truncated_normal, untruncated_normal, uniform")},
}


def _initializer(value, where):
    name, config = _keras_object(value, where, "keras.initializers", INITIALIZERS)
    return {"module": "keras.initializers", "class_name": name, "config": _fields(config, INITIALIZERS[name], where),
            "registered_name": None}


def _dtype(value, where):
    """A layer's dtype: "float32" or its DTypePolicy object."""
    if isinstance(value, str):
        name = value
    else:
        _, config = _keras_object(value, where, "keras", {"DTypePolicy"})
        name = _fields(config, {"name": lambda v, w: v}, where).get("name")
    if name not in DTYPES:
        _refuse(where, f"이 과제의 모델은 float32로 훈련합니다 (받은 값: {_shown(name)}).")
    return "float32"


def _name(value, where):
    if not isinstance(value, str) or not NAME.match(value):
        _refuse(where, "층 이름은 글자·숫자·_·-·. 로 된 64자 이하여야 합니다.")
    return value


def _batch_shape(value, where):
    if not isinstance(value, list) or len(value) not in (2, 3) or value[0] is not None:
        _refuse(where, "(None, 타임스텝) 또는 (None, 타임스텝, 특성) 모양이어야 합니다.", "structure")
    dims = [None if d is None else _int(1, LIMITS.timesteps if i == 1 else LIMITS.vocabulary)(d, where)
            for i, d in enumerate(value[1:], start=1)]
    return [None, *dims]


_COMMON = {"name": _name, "trainable": _bool, "dtype": _dtype}
_RECURRENT = {
    **_COMMON, "units": _int(1, LIMITS.units), "activation": _activation, "use_bias": _bool,
    "kernel_initializer": _initializer, "recurrent_initializer": _initializer, "bias_initializer": _initializer,
    "kernel_regularizer": _null, "recurrent_regularizer": _null, "bias_regularizer": _null,
    "activity_regularizer": _null, "kernel_constraint": _null, "recurrent_constraint": _null,
    "bias_constraint": _null, "dropout": _float(0, 1, hi_open=True), "recurrent_dropout": _float(0, 1, hi_open=True),
    "seed": _seed, "return_sequences": _bool, "return_state": _false, "go_backwards": _bool, "stateful": _false,
    "unroll": _false, "zero_output_for_mask": _bool,
}
LAYERS = {
    "InputLayer": {"name": _name, "batch_shape": _batch_shape, "dtype": _one_of(INPUT_DTYPES, "float32, int32, int64"),
                   "sparse": _false, "ragged": _false, "optional": _false},
    "Embedding": {**_COMMON, "input_dim": _int(1, LIMITS.vocabulary), "output_dim": _int(1, LIMITS.embedding_dim),
                  "embeddings_initializer": _initializer, "embeddings_regularizer": _null,
                  "activity_regularizer": _null, "embeddings_constraint": _null, "mask_zero": _bool,
                  "quantization_config": _null},
    "SimpleRNN": _RECURRENT,
    "LSTM": {**_RECURRENT, "recurrent_activation": _activation, "unit_forget_bias": _bool},
    "GRU": {**_RECURRENT, "recurrent_activation": _activation, "reset_after": _bool},
    "Dense": {**_COMMON, "units": _int(1, LIMITS.units), "activation": _activation, "use_bias": _bool,
              "kernel_initializer": _initializer, "bias_initializer": _initializer, "kernel_regularizer": _null,
              "bias_regularizer": _null, "activity_regularizer": _null, "kernel_constraint": _null,
              "bias_constraint": _null, "quantization_config": _null},
    "Dropout": {**_COMMON, "rate": _float(0, 1, hi_open=True), "noise_shape": _null, "seed": _seed},
}
# Keras's defaults for what describe/compare read when the config leaves it out.
DEFAULTS = {"activation": "linear", "use_bias": True, "return_sequences": False, "dropout": 0.0,
            "recurrent_dropout": 0.0, "reset_after": True, "recurrent_activation": "sigmoid"}
RECURRENT_DEFAULT_ACTIVATION = "tanh"


@dataclass(frozen=True)
class LayerSpec:
    """One layer as its config describes it: class_name, args (checked, names removed), input/output shape
    ((None, ...) tuples; None output when ``problem``), params (what Keras would allocate), problem (Korean)."""

    class_name: str
    args: dict
    input_shape: tuple
    output_shape: tuple | None
    params: int
    problem: str | None = None

    def arg(self, name):
        """The argument's value, or Keras's default for it."""
        if name == "activation" and self.class_name in RECURRENT:
            return self.args.get(name, RECURRENT_DEFAULT_ACTIVATION)
        return self.args.get(name, DEFAULTS.get(name))


@dataclass(frozen=True)
class ModelSpec:
    """A checked Sequential: input_shape, layers (without the InputLayer), total params, the canonical config."""

    input_shape: tuple
    layers: tuple
    params: int
    config: dict = field(repr=False)

    @property
    def buildable(self):
        return all(layer.problem is None for layer in self.layers)

    @property
    def output_shape(self):
        return self.layers[-1].output_shape if self.layers else self.input_shape

    def canonical_json(self):
        return json.dumps(self.config, sort_keys=True, ensure_ascii=False)


def _no_constants(token):
    raise ValueError(f"{token} is not allowed")


def parse(text):
    """The config text as JSON data: a str of at most MAX_CONFIG_CHARS, plain JSON (no NaN), or Refused."""
    if not isinstance(text, str):
        raise Refused("모델 대신 다른 값이 돌아왔습니다: keras 모델을 반환해야 합니다.", "not_a_model")
    if len(text) > MAX_CONFIG_CHARS:
        raise Refused(f"모델 설정(JSON)이 {len(text):,}자로 너무 깁니다 (최대 {MAX_CONFIG_CHARS:,}자).", "size")
    try:
        return json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise Refused("모델 설정을 JSON으로 읽을 수 없습니다.", "structure") from None


def check_model_config(text):
    """The ModelSpec of a Sequential's JSON config text (``model.to_json()``), or Refused."""
    data = parse(text)
    if not isinstance(data, dict) or data.get("class_name") != "Sequential" or data.get("module") != "keras" \
            or data.get("registered_name") is not None:
        name = data.get("class_name") if isinstance(data, dict) else type(data).__name__
        raise Refused(f"keras.Sequential 모델이어야 합니다 (받은 것: {_shown(name)}). "
                      "이 장의 모델은 keras.Sequential([...])로 만듭니다.", "not_sequential")
    extra = set(data) - {"module", "class_name", "config", "registered_name", "build_config", "compile_config"}
    if extra:
        raise Refused(f"모델 설정에 알 수 없는 항목이 있습니다: {sorted(extra)[:3]}", "structure")
    config = data.get("config")
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise Refused("Sequential의 config에 층 목록(layers)이 없습니다.", "structure")
    _fields({k: v for k, v in config.items() if k not in ("layers", "build_input_shape")},
            {"name": _name, "trainable": _bool, "dtype": _dtype}, "Sequential")
    raw = config["layers"]
    if len(raw) > LIMITS.layers + 1:
        raise Refused(f"층이 {len(raw)}개로 너무 많습니다 (최대 {LIMITS.layers}개).", "size")
    checked = [_layer(entry, i) for i, entry in enumerate(raw)]
    if checked and checked[0][0] == "InputLayer":
        input_shape = tuple(checked[0][1].get("batch_shape", (None, None)))
        input_dtype = checked[0][1].get("dtype", "float32")
        checked = checked[1:]
    else:  # no keras.Input: the grader's data decides the shape, as fit would
        input_shape, input_dtype = (None, None), "float32"
    if any(name == "InputLayer" for name, _ in checked):
        raise Refused("Input은 모델의 맨 앞에 한 번만 둘 수 있습니다.", "structure")
    if not checked:
        raise Refused("모델에 층이 없습니다.", "structure")
    layers = _shapes(checked, input_shape)
    return ModelSpec(input_shape, tuple(layers), sum(layer.params for layer in layers),
                     _canonical(input_shape, input_dtype, checked))


def _layer(entry, i):
    where = f"{i + 1}번째 층"
    if not isinstance(entry, dict):
        raise Refused(f"{where}: 케라스 층의 설정이 아닙니다.", "structure")
    extra = set(entry) - {"module", "class_name", "config", "registered_name", "build_config"}
    if extra:
        raise Refused(f"{where}: 알 수 없는 항목 {sorted(extra)[:3]}", "structure")
    name, config = _keras_object({k: v for k, v in entry.items() if k != "build_config"}, where, "keras.layers",
                                 LAYERS)
    where = f"{where} ({name})"
    args = _fields(config, LAYERS[name], where)
    args.pop("name", None)
    return name, args


def _shapes(checked, input_shape):
    layers, shape = [], input_shape
    for name, args in checked:
        out, params, problem = _flow(name, args, shape)
        layers.append(LayerSpec(name, args, shape, out, params, problem))
        if params > LIMITS.params:
            raise Refused(f"{name} 층의 파라미터가 {params:,}개로 너무 많습니다 (모델 전체 최대 {LIMITS.params:,}개).",
                          "size")
        if problem is not None:
            shape = None
            continue
        shape = out
    total = sum(layer.params for layer in layers)
    if total > LIMITS.params:
        raise Refused(f"모델의 파라미터가 {total:,}개로 너무 많습니다 (최대 {LIMITS.params:,}개).", "size")
    return layers


def _flow(name, args, shape):
    """(output shape, params, problem) of one layer on ``shape`` (None: an earlier layer could not build)."""
    if shape is None:
        return None, 0, "앞 층을 만들 수 없어 이 층도 만들 수 없습니다."
    use_bias = args.get("use_bias", True)
    if name == "Embedding":
        return (*shape, args.get("output_dim", 1)), args.get("input_dim", 1) * args.get("output_dim", 1), None
    if name == "Dropout":
        return shape, 0, None
    features = shape[-1]
    if name == "Dense":
        if len(shape) < 2 or features is None:
            return None, 0, "Dense 층의 입력에 특성 축이 없습니다."
        units = args.get("units", 1)
        return (*shape[:-1], units), features * units + (units if use_bias else 0), None
    units = args.get("units", 1)
    if len(shape) != 3 or features is None:
        return None, 0, (f"{name} 층의 입력이 (배치, 타임스텝, 특성) 모양이어야 하는데 {_shape_text(shape)}입니다. "
                         "앞 순환층이 return_sequences=False라 마지막 은닉 상태만 내보내면 다음 순환층에 줄 "
                         "타임스텝이 없습니다.")
    gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[name]
    bias_sets = 2 if name == "GRU" and args.get("reset_after", True) else 1
    params = gates * units * (features + units) + (bias_sets * gates * units if use_bias else 0)
    out = (shape[0], shape[1], units) if args.get("return_sequences", False) else (shape[0], units)
    return out, params, None


def _shape_text(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _canonical(input_shape, input_dtype, checked):
    """The Sequential config Keras is given: our own module/class names, checked arguments, fresh names."""
    layers = [{"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
               "config": {"batch_shape": list(input_shape), "dtype": input_dtype, "name": "input"}}]
    for i, (name, args) in enumerate(checked):
        layers.append({"module": "keras.layers", "class_name": name, "registered_name": None,
                       "config": {**args, "name": f"layer_{i}"}})
    return {"module": "keras", "class_name": "Sequential", "registered_name": None,
            "config": {"name": "student_model", "layers": layers}}
