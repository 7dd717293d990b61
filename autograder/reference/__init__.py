"""The Keras truth for every exercise, written once.

Graders, the demo, the tests and the quiz bank compute expected values here, by running
real Keras layers, models and utilities; nothing is a hand formula. Array results are numpy
float64 (the layers are built with ``dtype="float64"``) so that float32 effects (TF32 matmuls
on a GPU) never enter a reference value.
"""
from autograder.reference.sequences import (
    one_hot,
    one_hot_nbytes,
    one_hot_shape,
    pad_sequences,
)
from autograder.reference.params import (
    dense_params,
    embedding_params,
    gru_params,
    lstm_params,
    simple_rnn_params,
)
from autograder.reference.rnn import (
    gru_step,
    imdb_rnn_predict,
    lstm_step,
    rnn_cell_forward,
    simple_rnn_forward,
)

__all__ = [
    "pad_sequences", "one_hot", "one_hot_shape", "one_hot_nbytes",
    "simple_rnn_params", "lstm_params", "gru_params", "embedding_params", "dense_params",
    "rnn_cell_forward", "simple_rnn_forward", "imdb_rnn_predict", "lstm_step", "gru_step",
]
