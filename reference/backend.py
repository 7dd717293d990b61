"""The Keras backend as the references need it: quiet logs, full-precision matmuls.

Importing this module (``reference`` does it first) sets ``TF_CPP_MIN_LOG_LEVEL=3`` before
TensorFlow can be imported, so TensorFlow's C++ notices never reach a student, a log or the
demo's output; processes started from here inherit it. This is the one place that sets it.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def configure_backend():
    """Turn off reduced-precision matmuls (TF32 on Ampere/Hopper GPUs) for the active backend.

    References are float64 anyway; this also keeps float32 helper computations exact to
    float32 rounding on a GPU. Returns the backend name ("tensorflow", "jax" or "torch").
    """
    import keras

    name = keras.backend.backend()
    if name == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_tensor_float_32_execution(False)
    elif name == "jax":
        import jax

        jax.config.update("jax_default_matmul_precision", "highest")
        jax.config.update("jax_enable_x64", True)
    elif name == "torch":
        import torch

        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    return name
