"""What every float64 reference layer shares: dtype, activations, conversion to numpy."""
import keras
import numpy as np

F64 = "float64"


def to_numpy(x):
    """A backend tensor (or array) as a float64 numpy array."""
    return np.asarray(keras.ops.convert_to_numpy(x), dtype=np.float64)


def units_of(recurrent_kernel):
    """The number of units of a recurrent layer: rows of its recurrent_kernel (units, k*units)."""
    return int(np.shape(recurrent_kernel)[0])


def _tanh_float64(z):
    return 2.0 * keras.ops.sigmoid(2.0 * z) - 1.0


def keras_activation(name):
    """The Keras activation ``name``, except tanh on the JAX backend.

    Keras 3.15's JAX backend computes ``ops.tanh`` of a float64 tensor in float32
    (``result_type(x, float)`` gives float32), which breaks float64 recurrent layers there
    (the scan carry changes dtype). tanh z = 2·sigmoid(2z) − 1 is the same function and stays
    float64; the other backends get Keras's own tanh.
    """
    if name == "tanh" and keras.backend.backend() == "jax":
        return _tanh_float64
    return name
