"""The Keras truth of chapter 9, written once: the one public API for graders, quizzes, tests.

Every value is computed by running real Keras layers, models and utilities; nothing is a
hand formula. Array results are numpy float64 (layers built with ``dtype="float64"``) so that
float32 effects (TF32 matmuls on a GPU) never enter a reference value. Callers import only
the names below (``from reference import ...``); the modules behind them are private.

  sequences   pad_sequences, one_hot (to_categorical), one_hot_shape, one_hot_nbytes, one_hot_dtype
  params      *_params (count_params of built layers), recurrent_params, recurrent_weight_shapes
  rnn         rnn_cell_forward, simple_rnn_forward, imdb_rnn_predict, lstm_step, gru_step
  models      imdb_model (Embedding -> SimpleRNN -> Dense, built in one place)
  gradients   bptt_gradients, tbptt_gradients (autodiff of imdb_model), GRADIENT_KEYS
  backend     configure_backend (TF32 off, JAX x64); importing ``reference`` quiets TensorFlow's logs
"""
from reference.backend import configure_backend
from reference.gradients import GRADIENT_KEYS, bptt_gradients, tbptt_gradients
from reference.models import imdb_model
from reference.params import (
    dense_params,
    embedding_params,
    gru_params,
    lstm_params,
    recurrent_params,
    recurrent_weight_shapes,
    simple_rnn_params,
)
from reference.rnn import gru_step, imdb_rnn_predict, lstm_step, rnn_cell_forward, simple_rnn_forward
from reference.sequences import one_hot, one_hot_dtype, one_hot_nbytes, one_hot_shape, pad_sequences

__all__ = [
    "pad_sequences", "one_hot", "one_hot_shape", "one_hot_nbytes", "one_hot_dtype",
    "simple_rnn_params", "lstm_params", "gru_params", "recurrent_params", "embedding_params", "dense_params",
    "recurrent_weight_shapes",
    "rnn_cell_forward", "simple_rnn_forward", "imdb_rnn_predict", "lstm_step", "gru_step", "imdb_model",
    "bptt_gradients", "tbptt_gradients", "GRADIENT_KEYS",
    "configure_backend",
]
