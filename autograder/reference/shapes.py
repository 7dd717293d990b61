"""Weight shapes of built Keras recurrent layers, cached per argument set."""
from functools import lru_cache

import keras

_LAYERS = {"SimpleRNN": keras.layers.SimpleRNN, "LSTM": keras.layers.LSTM, "GRU": keras.layers.GRU}


@lru_cache(maxsize=4096)
def recurrent_weight_shapes(layer, n_features, units, reset_after=True):
    """Shapes of ``kernel``, ``recurrent_kernel`` and ``bias`` of a built recurrent layer.

    ``layer`` is "SimpleRNN", "LSTM" or "GRU" (``reset_after`` only matters for GRU) on
    (timesteps, n_features) inputs. Returns a dict name -> tuple of ints, e.g. LSTM(8) on 16
    features: {"kernel": (16, 32), "recurrent_kernel": (8, 32), "bias": (32,)}.
    """
    kwargs = {"reset_after": reset_after} if layer == "GRU" else {}
    built = _LAYERS[layer](units, **kwargs)
    keras.Sequential([keras.Input(shape=(None, n_features)), built])
    return {w.name: tuple(int(d) for d in w.shape) for w in built.weights}
