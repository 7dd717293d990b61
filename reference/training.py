"""Training a chapter model as Keras trains it, the same way every time: the pass lines and the grader both use it.

``train_and_evaluate(build, settings, data, seed, max_epochs, budget_s)``: seeds Keras
(``keras.utils.set_random_seed``: weights, dropout masks, shuffling), builds the model, compiles
it with the settings' optimizer / learning rate / loss (``metrics=["accuracy"]``), fits it on
``data``'s training part with its validation part as ``validation_data`` (what the callbacks
monitor), for ``min(settings.epochs, max_epochs)`` epochs, then scores it on the held-out part
as the book does after training: the checkpoint's weights when ModelCheckpoint keeps only the
best epoch (``load_model('best-...keras')``), else the weights ``fit`` left (EarlyStopping's
``restore_best_weights`` acts inside ``fit``). Accuracy is ``mean((p > 0.5) == y)``,
Keras's ``BinaryAccuracy`` threshold.

Determinism: on TensorFlow ``enable_op_determinism`` is switched on (process-wide) before the
first training, so on a CPU the same build, settings, data and seed give the same history and
score bit for bit. On JAX a CPU run is deterministic as it is; on a GPU, cuDNN's recurrent
kernels and XLA's scatter-add (the Embedding's gradient) may sum in a different order, so
scores can differ in the last digits of the loss and, rarely, by a review or two in accuracy;
pass lines keep a margin below every measured seed for that reason (reference/pass_lines.py).
"""
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import keras
import numpy as np

from reference.backend import device_name

OPTIMIZERS = {"adam": "Adam", "rmsprop": "RMSprop", "sgd": "SGD", "adamw": "AdamW", "nadam": "Nadam"}
MONITORS = ("val_loss", "val_accuracy", "loss", "accuracy")


@dataclass(frozen=True)
class EarlyStoppingSettings:
    """``keras.callbacks.EarlyStopping``'s arguments that change training."""

    monitor: str = "val_loss"
    patience: int = 0
    min_delta: float = 0.0
    restore_best_weights: bool = False


@dataclass(frozen=True)
class CheckpointSettings:
    """``keras.callbacks.ModelCheckpoint``'s arguments that change the evaluated weights (the file is the grader's)."""

    monitor: str = "val_loss"
    save_best_only: bool = False


@dataclass(frozen=True)
class TrainingSettings:
    """compile + fit as data. optimizer: a key of OPTIMIZERS; learning_rate: its step size; loss: a Keras loss
    name; batch_size: reviews per step; epochs: what the student asked for (the grader caps it)."""

    optimizer: str = "rmsprop"
    learning_rate: float = 0.001
    loss: str = "binary_crossentropy"
    batch_size: int = 32
    epochs: int = 1
    early_stopping: EarlyStoppingSettings | None = None
    checkpoint: CheckpointSettings | None = None

    def as_dict(self):
        return asdict(self)


# The book's settings for every model of 9-2 and 9-3.
BOOK_TRAINING = TrainingSettings("adam", 0.001, "binary_crossentropy", 64, 100,
                                 EarlyStoppingSettings("val_loss", 3, 0.0, True),
                                 CheckpointSettings("val_loss", True))


@dataclass
class TrainingResult:
    """history: {"loss", "accuracy", "val_loss", "val_accuracy"} -> per-epoch lists; accuracy: on the held-out
    part; epochs_run; over_budget: fit was stopped by the time budget (accuracy is then None); seconds: of fit;
    backend, device: what trained it (keras backend; "cpu" or "gpu (name)"); deterministic: whether the same
    seed repeats it exactly there (make_deterministic)."""

    history: dict
    accuracy: float | None
    epochs_run: int
    epochs_asked: int
    over_budget: bool
    seconds: float
    backend: str = ""
    deterministic: bool = True
    device: str = "cpu"
    extra: dict = field(default_factory=dict)


_DETERMINISM = {}


def make_deterministic():
    """Switch on op determinism for the active backend, once per process. Returns whether runs repeat exactly here."""
    if not _DETERMINISM:
        backend = keras.backend.backend()
        exact = True
        if backend == "tensorflow":
            import tensorflow as tf

            tf.config.experimental.enable_op_determinism()
            exact = not tf.config.list_physical_devices("GPU")
        elif backend == "jax":
            import jax

            exact = jax.default_backend() == "cpu"
        _DETERMINISM.update(backend=backend, exact=exact)
    return _DETERMINISM["exact"]


class _Budget(keras.callbacks.Callback):
    """Stops ``fit`` once it has run ``seconds`` (checked after every step); reports each epoch to ``on_epoch``."""

    def __init__(self, seconds, on_epoch, epochs):
        super().__init__()
        self.seconds, self.on_epoch, self.epochs, self.over = seconds, on_epoch, epochs, False

    def on_train_begin(self, logs=None):
        self.start = time.monotonic()

    def on_train_batch_end(self, batch, logs=None):
        if time.monotonic() - self.start > self.seconds:
            self.over = True
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        if self.on_epoch is not None:
            self.on_epoch(epoch + 1, self.epochs, {k: float(v) for k, v in (logs or {}).items()})


def _callbacks(settings, folder):
    callbacks, best = [], None
    if settings.early_stopping is not None:
        callbacks.append(keras.callbacks.EarlyStopping(**asdict(settings.early_stopping)))
    if settings.checkpoint is not None:
        best = Path(folder) / "best.weights.h5"
        callbacks.append(keras.callbacks.ModelCheckpoint(str(best), save_weights_only=True,
                                                         **asdict(settings.checkpoint)))
    return callbacks, (best if settings.checkpoint is not None and settings.checkpoint.save_best_only else None)


def train_and_evaluate(build, settings, data, seed, max_epochs, budget_s, on_epoch=None):
    """Train ``build()`` (a fresh Keras model, built after seeding) with ``settings`` on ``data`` (GradingData).

    on_epoch(k, n, logs): called after each epoch (progress). Returns a TrainingResult.
    """
    exact = make_deterministic()
    keras.utils.set_random_seed(seed)
    model = build()
    optimizer = keras.optimizers.get({"class_name": OPTIMIZERS[settings.optimizer],
                                      "config": {"learning_rate": settings.learning_rate}})
    model.compile(optimizer=optimizer, loss=settings.loss, metrics=["accuracy"])
    epochs = min(settings.epochs, max_epochs)
    budget = _Budget(budget_s, on_epoch, epochs)
    with tempfile.TemporaryDirectory(prefix="train-") as folder:
        callbacks, best = _callbacks(settings, folder)
        started = time.monotonic()
        history = model.fit(data.x_train, data.y_train, batch_size=settings.batch_size, epochs=epochs,
                            validation_data=(data.x_val, data.y_val), callbacks=[*callbacks, budget],
                            shuffle=True, verbose=0)
        seconds = time.monotonic() - started
        if best is not None and best.exists():
            model.load_weights(str(best))
        accuracy = None if budget.over else held_out_accuracy(model, data)
    logs = {k: [float(v) for v in values] for k, values in history.history.items()}
    return TrainingResult(logs, accuracy, len(logs.get("loss", [])), epochs, budget.over, seconds,
                          keras.backend.backend(), exact, device_name())


def held_out_accuracy(model, data):
    """Share of held-out reviews whose predicted probability (output (n, 1)) is on the right side of 0.5."""
    p = predict(model, data.x_test)
    if p.shape != (len(data.y_test), 1):
        raise ValueError(f"a binary classifier's output is (n, 1), got {p.shape}")
    return float(np.mean((p[:, 0] > 0.5) == (data.y_test == 1)))


def predict(model, x, batch=500):
    """``model(x, training=False)`` in batches, as float64 numpy (no ``predict`` function traced per model)."""
    parts = [keras.ops.convert_to_numpy(model(x[i:i + batch], training=False)) for i in range(0, len(x), batch)]
    return np.concatenate(parts).astype(np.float64)
