"""The chapter's IMDB classifier, built in one place: Embedding -> SimpleRNN -> Dense(1).

``imdb_model`` holds the caller's weights (float64):
  embeddings (vocab, dim), kernel (dim, units), recurrent_kernel (units, units), bias (units,),
  dense_kernel (units, 1), dense_bias (1,); input token ids (batch, timesteps) int32.
With ``truncate`` set, the SimpleRNN is unrolled so that gradients flow back through the last
``truncate`` timesteps only (truncated BPTT); the forward values are the same.
"""
import keras
import numpy as np

from reference.layers import F64, keras_activation, units_of


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
