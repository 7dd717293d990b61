"""Parameter counts from built Keras layers (``count_params()``), cached per argument set."""
from functools import lru_cache

import keras


def _count(input_shape, layer):
    model = keras.Sequential([keras.Input(shape=input_shape), layer])
    return int(model.count_params())


@lru_cache(maxsize=4096)
def simple_rnn_params(n_features, units):
    """``SimpleRNN(units)`` on (timesteps, n_features) inputs: units*(n_features+units+1)."""
    return _count((None, n_features), keras.layers.SimpleRNN(units))


@lru_cache(maxsize=4096)
def lstm_params(n_features, units):
    """``LSTM(units)`` on (timesteps, n_features) inputs (four gates)."""
    return _count((None, n_features), keras.layers.LSTM(units))


@lru_cache(maxsize=4096)
def gru_params(n_features, units, reset_after=True):
    """``GRU(units, reset_after=...)`` on (timesteps, n_features) inputs."""
    return _count((None, n_features), keras.layers.GRU(units, reset_after=reset_after))


@lru_cache(maxsize=4096)
def embedding_params(vocab_size, output_dim):
    """``Embedding(vocab_size, output_dim)`` on integer sequences."""
    return _count((None,), keras.layers.Embedding(vocab_size, output_dim))


@lru_cache(maxsize=4096)
def dense_params(n_inputs, units):
    """``Dense(units)`` on vectors of n_inputs."""
    return _count((n_inputs,), keras.layers.Dense(units))
