"""Parameterized items: numbers drawn per copy, the key computed by running Keras.

Each item draws its parameters from small grids (so the cached Keras builds in
``autograder.reference`` make 1,000 draws fast), asks Keras for the answer, and builds its
distractors from named misconceptions. A draw whose four choices do not all differ is
thrown away and drawn again, so every copy has four distinct choices and one key, placed
at a uniformly drawn position.
"""
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from autograder import reference
from autograder.reference.sequences import keras_one_hot_dtype
from autograder.reference.shapes import recurrent_weight_shapes
from quizzes.items import Choice, Question
from quizzes.korean import josa

TIMESTEPS = (10, 20, 50, 100)
FEATURES = (4, 8, 10, 16, 20, 32, 100)
UNITS = (4, 8, 16, 32)
MAX_REDRAWS = 200

_COUNTS = {"SimpleRNN": reference.simple_rnn_params, "LSTM": reference.lstm_params,
           "GRU": reference.gru_params}


def count_params(kind, n_features, units, reset_after=True):
    """Keras ``count_params()`` of one recurrent layer (an int)."""
    if kind == "GRU":
        return _COUNTS[kind](n_features, units, reset_after=reset_after)
    return _COUNTS[kind](n_features, units)


def _shapes(p):
    """Keras weight shapes of the layer in ``p`` (kind, features, units, reset_after)."""
    return recurrent_weight_shapes(p["kind"], p["features"], p["units"], p.get("reset_after", True))


def _count(p, n_features=None):
    """Keras parameter count of the layer in ``p``, optionally on another number of features."""
    return count_params(p["kind"], n_features or p["features"], p["units"], p.get("reset_after", True))


def _layer_code(p):
    args = f"{p['units']}, reset_after={p['reset_after']}" if p["kind"] == "GRU" else f"{p['units']}"
    return f"keras.layers.{p['kind']}({args})"


@dataclass(frozen=True)
class Option:
    """A choice value and why it is there: {"ko": ..., "en": ...}."""

    value: object
    why: dict


@dataclass(frozen=True)
class Misconception:
    """A named wrong way to get the answer: ``value(params)`` and ``why(params)``."""

    name: str
    value: Callable
    why: Callable

    def option(self, p):
        return Option(self.value(p), self.why(p))


class ParametricItem:
    """Base: subclasses define ``draw_params(rng)``, ``key_option(p)``, ``distractors(p, rng)``,
    ``stem(p)``, ``code(p)``, ``explanation(p)`` and ``format(value)``."""

    origin = "parametric"

    def __init__(self, item_id, objective):
        self.id = item_id
        self.section = item_id.rsplit("-", 1)[0]
        self.objective = objective

    def format(self, value):
        """Choice text of a value (the same in both languages)."""
        return f"{value:,}" if isinstance(value, int) else str(value)

    def draw(self, rng):
        """One copy (a Question) from ``rng`` (a ``random.Random``); redrawn until the choices differ."""
        for _ in range(MAX_REDRAWS):
            p = self.draw_params(rng)
            key = self.key_option(p)
            wrong = self.distractors(p, rng)
            texts = [self.format(o.value) for o in (key, *wrong)]
            if len(set(texts)) == 4:
                break
        else:
            raise RuntimeError(f"{self.id}: no copy with four distinct choices in {MAX_REDRAWS} draws")
        position = rng.randrange(4)
        options = list(wrong)
        options.insert(position, key)
        choices = tuple(Choice({"ko": self.format(o.value), "en": self.format(o.value)}, o.why)
                        for o in options)
        return Question(id=self.id, section=self.section, origin=self.origin,
                        objective=self.objective, stem=self.stem(p), choices=choices,
                        key=position + 1, explanation=self.explanation(p, key.value),
                        code=self.code(p), params=p)


class MisconceptionItem(ParametricItem):
    """An item whose key is a Keras value and whose distractors are three misconceptions
    picked at random from ``misconceptions(p)``."""

    def distractors(self, p, rng):
        return [m.option(p) for m in rng.sample(self.misconceptions(p), 3)]


class LayerItem(MisconceptionItem):
    """A misconception item about one recurrent layer drawn from ``kinds``."""

    def __init__(self, item_id, kinds, objective):
        super().__init__(item_id, objective)
        self.kinds = kinds

    def draw_params(self, rng):
        p = {"kind": rng.choice(self.kinds), "timesteps": rng.choice(TIMESTEPS),
             "features": rng.choice(FEATURES), "units": rng.choice(UNITS)}
        if p["kind"] == "GRU":
            p["reset_after"] = rng.choice((True, False))
        return p


_KEY_WHY = {"ko": "케라스로 층을 만들어 얻은 값과 같다.", "en": "Matches what Keras reports for the built layer."}


class ParamCountItem(LayerItem):
    """Parameter count of SimpleRNN/LSTM/GRU(units) on (timesteps, features) inputs."""

    def __init__(self, item_id, kind):
        super().__init__(item_id, (kind,), {
            "ko": f"{josa(kind, '이/가')} 가진 모델 파라미터 개수를 입력 크기와 뉴런 개수로 구한다.",
            "en": f"Count the parameters of a {kind} layer from its input shape and units."})

    def key_option(self, p):
        return Option(_count(p), _KEY_WHY)

    def misconceptions(self, p):
        return _COUNT_MISCONCEPTIONS + _KIND_MISCONCEPTIONS[p["kind"]]

    def stem(self, p):
        shape = f"({p['timesteps']}, {p['features']})"
        return {"ko": f"다음 코드에서 {josa(p['kind'], '은/는')} {shape} 크기의 입력을 받고 뉴런이 {p['units']}개이다. "
                      f"이 층의 모델 파라미터 개수는?",
                "en": f"In the code below, the {p['kind']} layer receives inputs of shape {shape} and has "
                      f"{p['units']} units. How many parameters does this layer have?"}

    def code(self, p):
        return ("model = keras.Sequential([\n"
                f"    keras.Input(shape=({p['timesteps']}, {p['features']})),\n"
                f"    {_layer_code(p)},\n"
                "])\n"
                "model.count_params()")

    def explanation(self, p, key):
        parts = [(name, shape, math.prod(shape)) for name, shape in _shapes(p).items()]
        if sum(n for _, _, n in parts) != key:
            raise AssertionError(f"{self.id}: Keras weight shapes {parts} do not add up to {key}")
        ko = " + ".join(f"{name} {shape} {n:,}개" for name, shape, n in parts)
        en = " + ".join(f"{name} {shape} ({n:,})" for name, shape, n in parts)
        return {"ko": f"케라스로 층을 만들어 가중치를 세면 {ko} = {key:,}개이다. 타임스텝 길이는 파라미터 개수와 무관하다.",
                "en": f"Building the layer in Keras gives {en} = {key:,} parameters. "
                      f"The number of timesteps does not change the count."}


_COUNT_MISCONCEPTIONS = [
    Misconception("forgot the bias", lambda p: _count(p) - math.prod(_shapes(p)["bias"]),
                  lambda p: {"ko": "편향(bias)을 빼고 가중치만 센 값이다.",
                             "en": "Counts the weights but forgets the bias."}),
    Misconception("timesteps instead of features", lambda p: _count(p, p["timesteps"]),
                  lambda p: {"ko": f"특성 개수({p['features']}) 대신 타임스텝 길이({p['timesteps']})를 입력 크기로 쓴 값이다.",
                             "en": f"Uses the number of timesteps ({p['timesteps']}) instead of the number of "
                                   f"features ({p['features']})."}),
]


def _gru_other_bias(p):
    if p["reset_after"]:
        return {"ko": "reset_after=True일 때 추가되는 두 번째 편향을 빠뜨린 값이다.",
                "en": "Forgets the second bias that reset_after=True adds."}
    return {"ko": "reset_after=False인데도 두 번째 편향을 더한 값이다.",
            "en": "Adds a second bias although reset_after=False."}


_KIND_MISCONCEPTIONS = {
    "SimpleRNN": [
        Misconception("no recurrent weights (counted like Dense)",
                      lambda p: reference.dense_params(p["features"], p["units"]),
                      lambda p: {"ko": "은닉 상태에 곱하는 순환 가중치를 빼고 Dense 층처럼 센 값이다.",
                                 "en": "Counts it like a Dense layer, without the recurrent weights."}),
        Misconception("no input weights",
                      lambda p: _count(p) - math.prod(_shapes(p)["kernel"]),
                      lambda p: {"ko": "입력에 곱하는 가중치(kernel)를 빼먹고 순환 가중치와 편향만 센 값이다.",
                                 "en": "Counts only the recurrent weights and the bias, not the input kernel."}),
    ],
    "LSTM": [
        Misconception("three gates for LSTM",
                      lambda p: reference.lstm_params(p["features"], p["units"]) * 3 // 4,
                      lambda p: {"ko": "LSTM의 가중치 묶음을 게이트 세 개로만 센 값이다(셀 상태 후보를 만드는 묶음까지 넷이다).",
                                 "en": "Counts three gate blocks only; the cell candidate makes it four."}),
        Misconception("one block like SimpleRNN",
                      lambda p: reference.simple_rnn_params(p["features"], p["units"]),
                      lambda p: {"ko": "LSTM을 SimpleRNN처럼 가중치 한 묶음으로 센 값이다.",
                                 "en": "Counts a single weight block, as for SimpleRNN."}),
    ],
    "GRU": [
        Misconception("no second GRU bias / reset_after mixed up",
                      lambda p: reference.gru_params(p["features"], p["units"],
                                                     reset_after=not p["reset_after"]),
                      _gru_other_bias),
        Misconception("four blocks like LSTM",
                      lambda p: reference.lstm_params(p["features"], p["units"]),
                      lambda p: {"ko": "GRU에도 LSTM처럼 가중치 묶음이 네 개 있다고 본 값이다(GRU는 세 개).",
                                 "en": "Counts four weight blocks as in an LSTM; a GRU has three."}),
    ],
}


class RecurrentKernelItem(LayerItem):
    """Shape of ``recurrent_kernel`` of a built SimpleRNN/LSTM/GRU layer."""

    def __init__(self, item_id, kinds):
        super().__init__(item_id, kinds, {
            "ko": "순환층의 recurrent_kernel 크기를 뉴런 개수와 게이트 수로 설명한다.",
            "en": "Explain the shape of a recurrent layer's recurrent_kernel from units and gates."})

    def key_option(self, p):
        return Option(_shapes(p)["recurrent_kernel"], _KEY_WHY)

    def misconceptions(self, p):
        return _KERNEL_MISCONCEPTIONS + _GATE_MISCONCEPTIONS.get(p["kind"], [])

    def stem(self, p):
        return {"ko": f"다음 코드의 {josa(p['kind'], '이/가')} 만드는 가중치 중 이전 타임스텝의 은닉 상태에 곱하는 "
                      f"`recurrent_kernel`의 크기는?",
                "en": f"Which shape does the `recurrent_kernel` (the weights applied to the previous hidden "
                      f"state) of the {p['kind']} layer below have?"}

    def code(self, p):
        return (f"layer = {_layer_code(p)}\n"
                f"model = keras.Sequential([keras.Input(shape=({p['timesteps']}, {p['features']})), layer])\n"
                "[w.shape for w in layer.weights]  # kernel, recurrent_kernel, bias")

    def explanation(self, p, key):
        s = _shapes(p)
        return {"ko": f"케라스로 층을 만들면 kernel {s['kernel']}, recurrent_kernel {s['recurrent_kernel']}, "
                      f"bias {s['bias']}이다. recurrent_kernel의 행 개수는 은닉 상태의 크기(뉴런 {p['units']}개)이다.",
                "en": f"Built in Keras: kernel {s['kernel']}, recurrent_kernel {s['recurrent_kernel']}, "
                      f"bias {s['bias']}. The rows of recurrent_kernel are the hidden-state size ({p['units']} units)."}


_KERNEL_MISCONCEPTIONS = [
    Misconception("kernel instead of recurrent_kernel", lambda p: _shapes(p)["kernel"],
                  lambda p: {"ko": "입력에 곱하는 kernel의 크기와 혼동한 값이다.",
                             "en": "Confuses it with the input kernel."}),
    Misconception("timesteps instead of units", lambda p: (p["timesteps"], _shapes(p)["recurrent_kernel"][1]),
                  lambda p: {"ko": "행 개수를 이전 은닉 상태의 크기(뉴런 개수) 대신 타임스텝 길이로 쓴 값이다.",
                             "en": "Uses the number of timesteps for the rows instead of the hidden-state size."}),
    Misconception("bias shape", lambda p: _shapes(p)["bias"],
                  lambda p: {"ko": "편향(bias)의 크기와 혼동한 값이다.", "en": "Confuses it with the bias."}),
]
_NOT_STACKED = Misconception(
    "gates not stacked", lambda p: (p["units"], p["units"]),
    lambda p: {"ko": "게이트마다의 가중치가 열 방향으로 이어 붙어 있다는 것을 빠뜨린 값이다.",
               "en": "Forgets that the gates' weights are stacked along the columns."})
_GATE_MISCONCEPTIONS = {  # SimpleRNN has one block: (units, units) is its key
    "LSTM": [_NOT_STACKED, Misconception(
        "three gates for LSTM", lambda p: (p["units"], _shapes(p)["recurrent_kernel"][1] * 3 // 4),
        lambda p: {"ko": "LSTM의 가중치 묶음을 셋으로 본 값이다(셀 상태 후보까지 넷이다).",
                   "en": "Counts three blocks for LSTM; the cell candidate makes it four."})],
    "GRU": [_NOT_STACKED, Misconception(
        "four blocks like LSTM", lambda p: (p["units"], _shapes(p)["recurrent_kernel"][1] * 4 // 3),
        lambda p: {"ko": "GRU에도 LSTM처럼 가중치 묶음이 넷이라고 본 값이다(GRU는 셋).",
                   "en": "Counts four blocks as in an LSTM; a GRU has three."})],
}


class PadSequencesItem(ParametricItem):
    """Which row can ``pad_sequences`` NOT produce from three given sequences."""

    def __init__(self, item_id):
        super().__init__(item_id, {
            "ko": "pad_sequences의 padding과 truncating 방향이 결과에 주는 영향을 설명한다.",
            "en": "Explain how padding and truncating sides change the output of pad_sequences."})

    def format(self, value):
        return str(list(value))

    def draw_params(self, rng):
        maxlen = rng.randint(3, 6)
        lengths = [rng.randint(maxlen + 1, maxlen + 3), rng.randint(1, maxlen - 1), rng.randint(1, maxlen + 3)]
        rng.shuffle(lengths)
        flip = rng.choice(("padding", "truncating"))
        # padding only changes short sequences, truncating only long ones
        rows = [i for i, n in enumerate(lengths) if (n > maxlen if flip == "truncating" else n < maxlen)]
        return {"maxlen": maxlen, "padding": rng.choice(("pre", "post")),
                "truncating": rng.choice(("pre", "post")),
                "sequences": [[rng.randint(1, 20) for _ in range(n)] for n in lengths],
                "flip": flip, "flip_row": rng.choice(rows)}

    def _rows(self, p, padding=None, truncating=None):
        out = reference.pad_sequences(p["sequences"], maxlen=p["maxlen"],
                                      padding=padding or p["padding"],
                                      truncating=truncating or p["truncating"])
        return [tuple(int(v) for v in row) for row in out]

    def key_option(self, p):
        """The impossible row: a sequence run through Keras with one side flipped."""
        flip = {"pre": "post", "post": "pre"}
        i = p["flip_row"]
        if p["flip"] == "padding":
            row = self._rows(p, padding=flip[p["padding"]])[i]
            why = {"ko": f"{i + 1}번째 시퀀스에 0을 반대쪽(padding='{flip[p['padding']]}')에 채운 행이다. 실제 출력에는 없다.",
                   "en": f"Sequence {i + 1} padded on the other side (padding='{flip[p['padding']]}'); "
                         f"the real output has no such row."}
        else:
            row = self._rows(p, truncating=flip[p["truncating"]])[i]
            why = {"ko": f"{i + 1}번째 시퀀스를 반대쪽(truncating='{flip[p['truncating']]}')에서 자른 행이다. 실제 출력에는 없다.",
                   "en": f"Sequence {i + 1} cut on the other side (truncating='{flip[p['truncating']]}'); "
                         f"the real output has no such row."}
        return Option(row, why)

    def distractors(self, p, rng):
        return [Option(row, {"ko": f"{i + 1}번째 시퀀스의 실제 출력 행이다.",
                             "en": f"The real output row of sequence {i + 1}."})
                for i, row in enumerate(self._rows(p))]

    def stem(self, p):
        return {"ko": "다음 코드를 실행했을 때 `padded`의 행이 될 수 **없는** 것은?",
                "en": "Which of these can **NOT** be a row of `padded` after running the code below?"}

    def code(self, p):
        return (f"seqs = {p['sequences']}\n"
                f"padded = pad_sequences(seqs, maxlen={p['maxlen']}, "
                f"padding='{p['padding']}', truncating='{p['truncating']}')")

    def explanation(self, p, key):
        rows = ", ".join(str(list(r)) for r in self._rows(p))
        return {"ko": f"케라스로 실행하면 padded의 행은 {rows}이다. {josa(str(list(key)), '은/는')} 이 중에 없다.",
                "en": f"Keras gives the rows {rows}; {list(key)} is not among them."}


class OneHotNbytesItem(MisconceptionItem):
    """``.nbytes`` of ``to_categorical`` on padded (n, maxlen) integer sequences."""

    def __init__(self, item_id):
        super().__init__(item_id, {
            "ko": "원-핫 인코딩 배열의 크기와 자료형으로 메모리 사용량을 구한다.",
            "en": "Work out the memory of a one-hot array from its shape and dtype."})

    def draw_params(self, rng):
        return {"samples": rng.choice((1000, 2000, 5000, 10000, 20000, 25000)),
                "maxlen": rng.choice((50, 100, 200)), "classes": rng.choice((100, 200, 300, 500, 1000))}

    def _seq_shape(self, p):
        return (p["samples"], p["maxlen"])

    def key_option(self, p):
        return Option(reference.one_hot_nbytes(self._seq_shape(p), p["classes"]), {
            "ko": "Keras 3의 to_categorical이 돌려주는 float64 배열의 바이트 수와 같다.",
            "en": "Matches the float64 array that Keras 3's to_categorical returns."})

    def misconceptions(self, p):
        return [
            Misconception("float32 itemsize",
                          lambda p: reference.one_hot_nbytes(self._seq_shape(p), p["classes"], dtype="float32"),
                          lambda p: {"ko": "원소 하나를 float32(4바이트)로 본 값이다. Keras 3의 to_categorical은 float64를 돌려준다.",
                                     "en": "Assumes float32 (4 bytes); Keras 3's to_categorical returns float64."}),
            Misconception("elements, not bytes",
                          lambda p: math.prod(reference.one_hot_shape(self._seq_shape(p), p["classes"])),
                          lambda p: {"ko": "원소 개수만 세고 원소 하나의 바이트 수를 곱하지 않은 값이다.",
                                     "en": "Counts the elements but not the bytes per element."}),
            Misconception("forgot the one-hot axis",
                          lambda p: math.prod(self._seq_shape(p))
                          * reference.pad_sequences([[1]], maxlen=1).dtype.itemsize,
                          lambda p: {"ko": "원-핫 축을 빼먹고 패딩된 정수 배열(int32)의 크기를 센 값이다.",
                                     "en": "Forgets the one-hot axis: the size of the padded int32 array."}),
        ]

    def stem(self, p):
        shape = f"({p['samples']}, {p['maxlen']})"
        return {"ko": f"정수 시퀀스 `train_seq`의 크기가 {shape}일 때, 다음 코드가 출력하는 값(바이트 수)은?",
                "en": f"`train_seq` holds integer sequences of shape {shape}. What does the code below print (bytes)?"}

    def code(self, p):
        return (f"train_oh = keras.utils.to_categorical(train_seq, num_classes={p['classes']})\n"
                "print(train_oh.nbytes)")

    def explanation(self, p, key):
        shape = reference.one_hot_shape(self._seq_shape(p), p["classes"])
        itemsize = np.dtype(keras_one_hot_dtype()).itemsize
        n = math.prod(shape)
        dtype = np.dtype(keras_one_hot_dtype()).name
        return {"ko": f"결과의 크기는 {shape}이고 자료형은 {dtype}이다. 원소 {n:,}개 × {itemsize}바이트 = {key:,}바이트.",
                "en": f"The result has shape {shape} and dtype {dtype}: {n:,} elements × {itemsize} bytes = {key:,} bytes."}


ITEMS = (
    RecurrentKernelItem("9-1-p1", ("SimpleRNN",)),
    ParamCountItem("9-2-p1", "SimpleRNN"),
    PadSequencesItem("9-2-p2"),
    OneHotNbytesItem("9-2-p3"),
    ParamCountItem("9-3-p1", "LSTM"),
    ParamCountItem("9-3-p2", "GRU"),
    RecurrentKernelItem("9-3-p3", ("LSTM", "GRU")),
)


def items_for(section):
    """The parameterized items of one section ("9-1", "9-2" or "9-3"), in id order."""
    return [item for item in ITEMS if item.section == section]
