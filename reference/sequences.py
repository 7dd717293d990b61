"""Padding and one-hot references: ``keras.utils.pad_sequences`` and ``to_categorical``."""
import math

import numpy as np
from keras.utils import pad_sequences as _keras_pad, to_categorical

from reference.memo import memoized


@memoized
def pad_sequences(sequences, maxlen=None, padding="pre", truncating="pre", value=0):
    """``keras.utils.pad_sequences(..., dtype="int32")`` on a list of int lists -> (n, maxlen) int32.

    Two edge cases where Keras 3 raises instead of answering are defined here, and the
    exercise asks for the same:
      * ``maxlen=0``: every sequence is cut to nothing -> an int32 array of shape (n, 0)
        (Keras raises "could not broadcast ... into shape (0,)");
      * an empty batch with ``maxlen=None``: shape (0, 0)
        (Keras raises "zero-size array to reduction operation maximum").
    Invalid ``padding``/``truncating`` raise ValueError, as in Keras.
    """
    for name, side in (("padding", padding), ("truncating", truncating)):
        if side not in ("pre", "post"):
            raise ValueError(f'{name} must be "pre" or "post", got {side!r}')
    sequences = [list(s) for s in sequences]
    if maxlen == 0 or (maxlen is None and not sequences):
        return np.zeros((len(sequences), 0), dtype=np.int32)
    return _keras_pad(sequences, maxlen=maxlen, dtype="int32", padding=padding,
                      truncating=truncating, value=value)


@memoized
def one_hot(sequences, num_classes=None):
    """``keras.utils.to_categorical``: shape ``seq.shape + (num_classes,)``, float64 in Keras 3.

    Like Keras, a trailing axis of length 1 is dropped first when the input has more than
    one axis (labels as a column, (n, 1) -> (n, num_classes)).
    """
    return to_categorical(np.asarray(sequences), num_classes=num_classes)


def _probe(seq_shape, num_classes):
    """``to_categorical`` on a small array shaped like ``seq_shape`` (each axis cut to <= 2).

    Cutting keeps which axes are 0 or 1 long, so Keras makes the same shape decisions
    (the trailing length-1 axis) as on the full array, without allocating it.
    """
    small = tuple(min(d, 2) for d in seq_shape)
    return to_categorical(np.zeros(small, dtype=np.int64), num_classes=num_classes)


def one_hot_shape(seq_shape, num_classes):
    """Shape of ``to_categorical`` on an int array of ``seq_shape``: a tuple of ints."""
    seq_shape = tuple(int(d) for d in seq_shape)
    kept = _probe(seq_shape, num_classes).ndim - 1
    return seq_shape[:kept] + (int(num_classes),)


def one_hot_nbytes(seq_shape, num_classes, dtype="float64"):
    """``.nbytes`` of that one-hot array stored as ``dtype`` (bytes, an int).

    Computed without allocating it (the chapter's (20000, 100) x 200 is 3.2 GB): the number
    of elements of ``one_hot_shape`` times the itemsize of ``dtype``. With the default dtype
    this is Keras's own (``to_categorical`` returns float64).
    """
    return math.prod(one_hot_shape(seq_shape, num_classes)) * np.dtype(dtype).itemsize


def one_hot_dtype():
    """The dtype Keras's ``to_categorical`` returns (float64 in Keras 3)."""
    return _probe((1,), 2).dtype
