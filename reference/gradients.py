"""Gradient references for the IMDB classifier: autodiff of real Keras models.

The model is ``Embedding -> SimpleRNN -> Dense(1, "sigmoid")`` (float64) holding the caller's
weights; the loss is ``keras.losses.BinaryCrossentropy(dtype="float64")`` (mean over the batch).
Gradients come from the backend's autodiff: ``tf.GradientTape`` on TensorFlow, ``jax.grad`` of
the model's ``stateless_call`` on JAX (the torch backend is not supported). Inputs:
  token_ids (batch, T) ints, y (batch,) or (batch, 1) of 0/1, embeddings (vocab, dim),
  kernel (dim, units), recurrent_kernel (units, units), bias (units,), dense_kernel (units, 1),
  dense_bias (1,).
Returns a dict of float64 arrays keyed like ``GRADIENT_KEYS``, each shaped like its weight.
"""
import keras
import numpy as np

from reference.layers import F64
from reference.memo import memoized
from reference.models import imdb_model

GRADIENT_KEYS = ("embeddings", "kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias")


def _loss_gradients(model, token_ids, y):
    """Gradients of the mean binary cross-entropy of ``model`` w.r.t. its weights, as dense float64 arrays."""
    loss_fn = keras.losses.BinaryCrossentropy(dtype=F64)  # the default (floatx) would compute in float32
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    backend = keras.backend.backend()
    if backend == "tensorflow":
        grads = _tensorflow_gradients(model, loss_fn, token_ids, y)
    elif backend == "jax":
        grads = _jax_gradients(model, loss_fn, token_ids, y)
    else:
        raise NotImplementedError(f"gradient references need the tensorflow or jax backend, not {backend!r}")
    return {key: np.asarray(keras.ops.convert_to_numpy(g), dtype=np.float64) for key, g in zip(GRADIENT_KEYS, grads)}


def _tensorflow_gradients(model, loss_fn, token_ids, y):
    """Embedding gradients come back from the tape as IndexedSlices; they are made dense (vocab, dim)."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(token_ids, training=False))
    return [tf.convert_to_tensor(g) for g in tape.gradient(loss, model.trainable_variables)]


def _jax_gradients(model, loss_fn, token_ids, y):
    import jax

    non_trainable = [v.value for v in model.non_trainable_variables]

    def loss_of(trainable):
        y_pred, _ = model.stateless_call(trainable, non_trainable, token_ids, training=False)
        return loss_fn(y, y_pred)

    return jax.grad(loss_of)([v.value for v in model.trainable_variables])


@memoized
def bptt_gradients(token_ids, y, embeddings, kernel, recurrent_kernel, bias, dense_kernel, dense_bias):
    """Full backpropagation through time: d(mean BCE)/d(weight) for every weight of ``models.imdb_model``."""
    token_ids = np.asarray(token_ids, dtype=np.int32)
    model = imdb_model(token_ids.shape[1], embeddings, kernel, recurrent_kernel, bias, dense_kernel, dense_bias)
    return _loss_gradients(model, token_ids, y)


@memoized
def tbptt_gradients(token_ids, y, embeddings, kernel, recurrent_kernel, bias, dense_kernel, dense_bias,
                    truncate=10):
    """Truncated BPTT: as ``bptt_gradients`` but only through the last ``truncate`` timesteps.

    The hidden state entering the last ``truncate`` steps (0-based step T - truncate) is a constant;
    truncate >= T equals full BPTT.
    ``truncate`` must be a positive int.
    """
    if isinstance(truncate, bool) or not isinstance(truncate, (int, np.integer)) or truncate < 1:
        raise ValueError(f"truncate must be a positive int, got {truncate!r}")
    token_ids = np.asarray(token_ids, dtype=np.int32)
    model = imdb_model(token_ids.shape[1], embeddings, kernel, recurrent_kernel, bias, dense_kernel, dense_bias,
                       truncate=int(truncate))
    return _loss_gradients(model, token_ids, y)
