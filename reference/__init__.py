"""The Keras truth of chapter 9, written once: the one public API for graders, quizzes, tests.

Every value is computed by running real Keras layers, models and utilities; nothing is a
hand formula. Array results are numpy float64 (layers built with ``dtype="float64"``) so that
float32 effects (TF32 matmuls on a GPU) never enter a reference value. Callers import only
the names below (``from reference import ...``); the modules behind them are private.

  sequences   pad_sequences, one_hot (to_categorical), one_hot_shape, one_hot_nbytes, one_hot_dtype
  params      *_params (count_params of built layers), recurrent_params, recurrent_weight_shapes
  rnn         rnn_cell_forward, simple_rnn_forward, imdb_rnn_predict, lstm_step, gru_step
  models      imdb_model (Embedding -> SimpleRNN -> Dense, built in one place); chapter_model: the
              book's trained classifiers (CHAPTER_MODELS); describe_layers of a built model
  imdb_data   the grader's split (grading_data: the real IMDB from Keras's cache, else synthetic_imdb),
              the notebook's offline corpus file (write_corpus / read_corpus), NUM_WORDS, MAXLEN
  training    train_and_evaluate (seeded, deterministic on a CPU), TrainingSettings, BOOK_TRAINING
  pass_lines  pass_line: the reference models' measured pass lines (python -m reference.pass_lines)
  gradients   bptt_gradients, tbptt_gradients (autodiff of imdb_model), GRADIENT_KEYS
  backend     configure_backend (TF32 off, JAX x64), device_name; importing ``reference`` quiets TensorFlow's logs
"""
from reference.backend import configure_backend, device_name
from reference.gradients import GRADIENT_KEYS, bptt_gradients, tbptt_gradients
from reference.imdb_data import (
    MAXLEN,
    NUM_WORDS,
    GradingData,
    corpus_in_use,
    grading_data,
    imdb_available,
    read_corpus,
    real_imdb,
    split_key,
    synthetic_imdb,
    write_corpus,
)
from reference.models import CHAPTER_MODELS, chapter_model, chapter_probe, describe_layers, imdb_model
from reference.pass_lines import measured, pass_line
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
from reference.training import (
    BOOK_TRAINING,
    MONITORS,
    OPTIMIZERS,
    CheckpointSettings,
    EarlyStoppingSettings,
    TrainingResult,
    TrainingSettings,
    predict,
    train_and_evaluate,
)
from reference.sequences import one_hot, one_hot_dtype, one_hot_nbytes, one_hot_shape, pad_sequences

__all__ = [
    "pad_sequences", "one_hot", "one_hot_shape", "one_hot_nbytes", "one_hot_dtype",
    "simple_rnn_params", "lstm_params", "gru_params", "recurrent_params", "embedding_params", "dense_params",
    "recurrent_weight_shapes",
    "rnn_cell_forward", "simple_rnn_forward", "imdb_rnn_predict", "lstm_step", "gru_step", "imdb_model",
    "bptt_gradients", "tbptt_gradients", "GRADIENT_KEYS",
    "configure_backend", "device_name",
    "NUM_WORDS", "MAXLEN", "GradingData", "grading_data", "corpus_in_use", "imdb_available", "real_imdb",
    "synthetic_imdb", "write_corpus", "read_corpus",
    "CHAPTER_MODELS", "chapter_model", "chapter_probe", "describe_layers",
    "TrainingSettings", "EarlyStoppingSettings", "CheckpointSettings", "BOOK_TRAINING", "OPTIMIZERS", "MONITORS",
    "TrainingResult", "train_and_evaluate", "predict", "pass_line", "measured", "split_key",
]
