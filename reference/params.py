"""Parameter counts and weight shapes of built Keras layers, cached per argument set."""
from functools import lru_cache

import keras

RECURRENT_LAYERS = {"SimpleRNN": keras.layers.SimpleRNN, "LSTM": keras.layers.LSTM, "GRU": keras.layers.GRU}


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


def recurrent_params(layer, n_features, units, reset_after=True):
    """``count_params()`` of one recurrent layer: ``layer`` is "SimpleRNN", "LSTM" or "GRU"
    (``reset_after`` only matters for GRU) on (timesteps, n_features) inputs."""
    if layer == "GRU":
        return gru_params(n_features, units, reset_after=reset_after)
    return {"SimpleRNN": simple_rnn_params, "LSTM": lstm_params}[layer](n_features, units)


@lru_cache(maxsize=4096)
def embedding_params(vocab_size, output_dim):
    """``Embedding(vocab_size, output_dim)`` on integer sequences."""
    return _count((None,), keras.layers.Embedding(vocab_size, output_dim))


@lru_cache(maxsize=4096)
def dense_params(n_inputs, units):
    """``Dense(units)`` on vectors of n_inputs."""
    return _count((n_inputs,), keras.layers.Dense(units))


@lru_cache(maxsize=4096)
def recurrent_weight_shapes(layer, n_features, units, reset_after=True):
    """Shapes of ``kernel``, ``recurrent_kernel`` and ``bias`` of a built recurrent layer.

    ``layer`` is "SimpleRNN", "LSTM" or "GRU" (``reset_after`` only matters for GRU) on
    (timesteps, n_features) inputs. Returns a dict name -> tuple of ints, e.g. LSTM(8) on 16
    features: {"kernel": (16, 32), "recurrent_kernel": (8, 32), "bias": (32,)}.
    """
    kwargs = {"reset_after": reset_after} if layer == "GRU" else {}
    built = RECURRENT_LAYERS[layer](units, **kwargs)
    keras.Sequential([keras.Input(shape=(None, n_features)), built])
    return {w.name: tuple(int(d) for d in w.shape) for w in built.weights}
