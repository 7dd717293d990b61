"""The chapter's IMDB classifier, built in one place: Embedding -> SimpleRNN -> Dense(1).

``imdb_model`` holds the caller's weights (float64):
  embeddings (vocab, dim), kernel (dim, units), recurrent_kernel (units, units), bias (units,),
  dense_kernel (units, 1), dense_bias (1,); input token ids (batch, timesteps) int32.
With ``truncate`` set, the SimpleRNN is unrolled so that gradients flow back through the last
``truncate`` timesteps only (truncated BPTT); the forward values are the same.
"""
import keras
import numpy as np

from reference.imdb_data import MAXLEN, NUM_WORDS
from reference.layers import F64, keras_activation, to_numpy, units_of
from reference.memo import memoized


class TruncatedSimpleRNN(keras.layers.Layer):
    """A SimpleRNNCell unrolled over the timesteps, its state cut from the graph before the last ``truncate`` steps.

    (batch, T, features) -> last hidden state (batch, units). Steps before the cut run forward
    but pass no gradient back (``keras.ops.stop_gradient`` on the state entering the cut).
    """

    def __init__(self, units, truncate, **kwargs):
        super().__init__(**kwargs)
        self.units, self.truncate = units, truncate
        self.cell = keras.layers.SimpleRNNCell(units, activation=keras_activation("tanh"), dtype=self.dtype_policy)

    def build(self, input_shape):
        self.cell.build((input_shape[0], input_shape[-1]))

    def call(self, x):
        steps = x.shape[1]
        h = keras.ops.zeros((keras.ops.shape(x)[0], self.units), dtype=self.compute_dtype)
        for t in range(steps):
            if t == steps - self.truncate:
                h = keras.ops.stop_gradient(h)
            h, _ = self.cell(x[:, t, :], [h])
        return h


def imdb_model(timesteps, embeddings, kernel, recurrent_kernel, bias, dense_kernel, dense_bias,
               output_activation="sigmoid", truncate=None):
    """``Sequential([Input((T,)), Embedding, SimpleRNN, Dense(1, output_activation)])`` holding these weights.

    truncate: None for Keras's own SimpleRNN layer, else a TruncatedSimpleRNN cut before the
    last ``truncate`` steps (for truncated-BPTT gradients).
    """
    vocab, dim = np.shape(embeddings)
    units = units_of(recurrent_kernel)
    if truncate is None:
        rnn = keras.layers.SimpleRNN(units, activation=keras_activation("tanh"), dtype=F64)
    else:
        rnn = TruncatedSimpleRNN(units, truncate, dtype=F64)
    model = keras.Sequential([
        keras.Input((timesteps,), dtype="int32"),
        keras.layers.Embedding(vocab, dim, dtype=F64),
        rnn,
        keras.layers.Dense(1, activation=output_activation, dtype=F64),
    ])
    model.set_weights([embeddings, kernel, recurrent_kernel, bias, dense_kernel, dense_bias])
    return model


# The chapter's trained classifiers (9-2, 9-3): Embedding(500, 16) -> recurrent layers -> Dense(1, sigmoid).
EMBEDDING_DIM, UNITS, DROPOUT = 16, 8, 0.2
CHAPTER_MODELS = ("simple_rnn", "lstm", "stacked_lstm")


def _recurrent_layers(name):
    if name == "simple_rnn":
        return [keras.layers.SimpleRNN(UNITS)]
    if name == "lstm":
        return [keras.layers.LSTM(UNITS)]
    if name == "stacked_lstm":
        return [keras.layers.LSTM(UNITS, dropout=DROPOUT, return_sequences=True),
                keras.layers.LSTM(UNITS, dropout=DROPOUT)]
    raise ValueError(f"unknown chapter model {name!r} (one of {CHAPTER_MODELS})")


def chapter_model(name, num_words=NUM_WORDS, maxlen=MAXLEN):
    """The book's model ``name`` (float32, Keras's initial weights, untrained), input (batch, maxlen) token ids.

    "simple_rnn": Embedding(500, 16) -> SimpleRNN(8) -> Dense(1, sigmoid)          8,209 params (9-2)
    "lstm":       Embedding(500, 16) -> LSTM(8) -> Dense(1, sigmoid)               8,809 params (9-3)
    "stacked_lstm": Embedding(500, 16) -> LSTM(8, dropout=0.2, return_sequences=True)
                    -> LSTM(8, dropout=0.2) -> Dense(1, sigmoid)                     9,353 params (9-3)
    """
    return keras.Sequential([keras.Input(shape=(maxlen,)), keras.layers.Embedding(num_words, EMBEDDING_DIM),
                             *_recurrent_layers(name), keras.layers.Dense(1, activation="sigmoid")], name=name)


# What describe_layers reports per layer, when the layer has the attribute.
LAYER_FIELDS = ("units", "input_dim", "output_dim", "activation", "recurrent_activation", "return_sequences",
                "dropout", "recurrent_dropout", "rate", "reset_after", "use_bias")


def _field(layer, name):
    value = getattr(layer, name, None)
    if value is None and hasattr(layer, "cell"):
        value = getattr(layer.cell, name, None)
    if callable(value):
        return keras.activations.serialize(value) if name.endswith("activation") else None
    return value


def describe_layers(model):
    """One dict per layer of a built model, as Keras reports it: {"name", "class", "params", "output_shape",
    and each of LAYER_FIELDS the layer has} (activations by their Keras names, shapes as tuples with None)."""
    rows = []
    for layer in model.layers:
        row = {"name": layer.name, "class": type(layer).__name__, "params": int(layer.count_params()),
               "output_shape": tuple(layer.output.shape)}
        for name in LAYER_FIELDS:
            value = _field(layer, name)
            if value is not None:
                row[name] = value
        rows.append(row)
    return rows


@memoized
def chapter_probe(name, seed=0, batch=16):
    """What the functional check compares: chapter model ``name`` holding seeded random weights (normal, scale
    0.5) on ``batch`` padded reviews of random ids. Returns (weights: list of float32 arrays in
    ``model.get_weights()`` order, token_ids (batch, MAXLEN) int32, outputs (batch, 1) float64)."""
    rng = np.random.default_rng(seed)
    model = chapter_model(name)
    weights = [(0.5 * rng.standard_normal(w.shape)).astype(np.float32) for w in model.get_weights()]
    model.set_weights(weights)
    lengths = rng.integers(5, MAXLEN + 1, size=batch)
    token_ids = np.zeros((batch, MAXLEN), dtype=np.int32)
    for row, length in zip(token_ids, lengths):
        row[MAXLEN - length:] = rng.integers(1, NUM_WORDS, size=length)
    return weights, token_ids, to_numpy(model(token_ids, training=False))
