"""Recurrent references: Keras cells, layers and the IMDB model run with given weights.

Every layer is built with ``dtype="float64"`` and the caller's weights, then called; the
result comes back as a float64 numpy array. Shapes follow Keras:
  x: (batch, timesteps, features), h: (batch, units),
  kernel: (features, k*units), recurrent_kernel: (units, k*units), bias: (k*units,)
with k = 1 (SimpleRNN), 4 (LSTM, gate order i, f, c, o), 3 (GRU, order z, r, h;
bias (2, 3*units) when reset_after=True).
"""
import keras
import numpy as np

from reference.layers import F64, keras_activation, to_numpy, units_of
from reference.memo import memoized
from reference.models import imdb_model


@memoized
def rnn_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias, activation="tanh"):
    """One ``SimpleRNNCell`` step: tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias).

    x_t (batch, features), h_prev (batch, units) -> (batch, units). ``activation`` is the
    Keras argument (graders use other values to recognise a wrong activation).
    """
    cell = keras.layers.SimpleRNNCell(units_of(recurrent_kernel), activation=keras_activation(activation), dtype=F64)
    cell.build((None, np.shape(kernel)[0]))
    cell.set_weights([kernel, recurrent_kernel, bias])
    out, _ = cell(keras.ops.convert_to_tensor(x_t, F64), [keras.ops.convert_to_tensor(h_prev, F64)])
    return to_numpy(out)


@memoized
def simple_rnn_forward(x, kernel, recurrent_kernel, bias, h0=None, return_sequences=False,
                       activation="tanh"):
    """``keras.layers.SimpleRNN`` with these weights on x (batch, timesteps, features).

    Returns (batch, units), or (batch, timesteps, units) with return_sequences=True.
    h0 (batch, units) is the initial state (zeros when None).
    """
    layer = keras.layers.SimpleRNN(units_of(recurrent_kernel), return_sequences=return_sequences,
                                   activation=keras_activation(activation), dtype=F64)
    layer.build((None, None, np.shape(kernel)[0]))
    layer.set_weights([kernel, recurrent_kernel, bias])
    x = keras.ops.convert_to_tensor(x, F64)
    if h0 is None:
        return to_numpy(layer(x))
    return to_numpy(layer(x, initial_state=[keras.ops.convert_to_tensor(h0, F64)]))


@memoized
def imdb_rnn_predict(token_ids, embeddings, kernel, recurrent_kernel, bias, dense_kernel, dense_bias,
                     output_activation="sigmoid"):
    """The IMDB classifier's output (what ``model.predict`` gives): token_ids (batch, T) ints -> (batch, 1).

    The model is called once on the whole batch (``model(x)``): the same computation as
    ``predict`` without building a new ``tf.function`` (and a retracing warning) per call.
    """
    token_ids = np.asarray(token_ids, dtype=np.int32)
    model = imdb_model(token_ids.shape[1], embeddings, kernel, recurrent_kernel, bias,
                       dense_kernel, dense_bias, output_activation)
    return to_numpy(model(token_ids, training=False))


@memoized
def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One ``LSTMCell`` step -> (h, c), each (batch, units). Gate order i, f, c, o."""
    cell = keras.layers.LSTMCell(units_of(recurrent_kernel), activation=keras_activation("tanh"), dtype=F64)
    cell.build((None, np.shape(kernel)[0]))
    cell.set_weights([kernel, recurrent_kernel, bias])
    h, (_, c) = cell(keras.ops.convert_to_tensor(x_t, F64),
                     [keras.ops.convert_to_tensor(h_prev, F64), keras.ops.convert_to_tensor(c_prev, F64)])
    return to_numpy(h), to_numpy(c)


@memoized
def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after=True):
    """One ``GRUCell`` step -> h (batch, units). Gate order z, r, h; bias (2, 3u) if reset_after."""
    cell = keras.layers.GRUCell(units_of(recurrent_kernel), activation=keras_activation("tanh"),
                                reset_after=reset_after, dtype=F64)
    cell.build((None, np.shape(kernel)[0]))
    cell.set_weights([kernel, recurrent_kernel, bias])
    h, _ = cell(keras.ops.convert_to_tensor(x_t, F64), [keras.ops.convert_to_tensor(h_prev, F64)])
    return to_numpy(h)
