"""Cases and known mistakes: the data a grader module is made of."""
import zlib
from dataclasses import dataclass, field

import numpy as np

from autograder.grading.feedback import shorten


@dataclass(frozen=True)
class Case:
    """One call of the student's function.

    label: what the case tests, in Korean; weight: its share of the function's points;
    raises: the exception type name the call must raise (e.g. "ValueError"), or None.
    """

    label: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    weight: float = 1.0
    raises: str | None = None

    def call_text(self, function):
        """``pad_sequences([[1, 2]], maxlen=3)``, with big arrays shown by shape only."""
        parts = [_short(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"{function}({', '.join(parts)})"


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: ``produce(case)`` is what that mistake returns on the case.

    message: the Korean explanation shown when the student's output equals it.
    """

    key: str
    message: str
    produce: object


def _short(value, limit=80):
    if isinstance(value, np.ndarray):
        if value.size <= 12:
            return np.array2string(value, separator=", ").replace("\n", "")
        return f"<배열 shape={value.shape}, dtype={value.dtype}>"
    return shorten(repr(value), limit)


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and np.array_equal(a, b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def same_case(a, b):
    """True when two cases call the function identically (label, arguments, weight, expected error)."""
    return (a.label, a.weight, a.raises) == (b.label, b.weight, b.raises) and _same(a.args, b.args) \
        and _same(a.kwargs, b.kwargs)


SCORING = "scoring"  # the stream of the scoring cases: one for every run, never a seed anyone sets


def case_rng(function, seed=0):
    """The random generator for a function's random cases: the same for every run with this seed
    (an int; or SCORING, the stream scores are made from)."""
    return np.random.default_rng(zlib.crc32(f"{seed}:{function}".encode()))


def rnn_weights(rng, features, units, gates=1, scale=0.5):
    """Random (kernel (features, g*units), recurrent_kernel (units, g*units), bias (g*units,)) float64."""
    return (scale * rng.standard_normal((features, gates * units)),
            scale * rng.standard_normal((units, gates * units)),
            scale * rng.standard_normal(gates * units))


def imdb_inputs(rng, batch, steps, vocab, dim, units, pad_front=0):
    """(token_ids (batch, steps) with the first ``pad_front`` ids 0, embeddings (vocab, dim), kernel,
    recurrent_kernel, bias, dense_kernel (units, 1), dense_bias (1,)): the IMDB classifier's inputs."""
    token_ids = rng.integers(1, vocab, size=(batch, steps))
    token_ids[:, :pad_front] = 0
    kernel, recurrent_kernel, bias = rnn_weights(rng, dim, units)
    return (token_ids, 0.5 * rng.standard_normal((vocab, dim)), kernel, recurrent_kernel, bias,
            rng.standard_normal((units, 1)), 0.5 * rng.standard_normal(1))


def imdb_gradient_case(rng, label, batch, steps, vocab, dim, units, pad_front=0, kwargs=None):
    """A gradient case: (token_ids, y (batch,) of 0/1, *weights) as in imdb_inputs."""
    token_ids, *weights = imdb_inputs(rng, batch, steps, vocab, dim, units, pad_front)
    y = rng.integers(0, 2, size=batch).astype(np.float64)
    return Case(label, (token_ids, y, *weights), kwargs or {})
