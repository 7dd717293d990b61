"""What one grading is doing while it runs, for whoever asked to hear it (the grading server's page).

The code that grades says where it is with ``report(stage=..., ...)``; a caller that wants to know
wraps the grading in ``with reporting(callback):`` (the server's Dask task does: the callback
publishes each event to the dispatcher). Without a reporter (the CLI, nbgrader autograde, a class
batch) a report costs nothing. A reporter that fails never changes a grading.

Events (dicts): {"stage": "grading"} when the notebook's grading starts; {"stage": "training",
"function": name, "epoch": k, "epochs": n[, "val_accuracy": a]} while the grader trains a model:
epoch k of n is under way (k = 1 when training starts; after each epoch, the next one and the
validation accuracy of the epoch just done).
"""
import contextlib
import contextvars
import logging

_REPORTER = contextvars.ContextVar("autograder_progress", default=None)
log = logging.getLogger("autograder.grading.progress")


@contextlib.contextmanager
def reporting(callback):
    """Send every ``report`` made inside this block (this thread) to ``callback(event)``."""
    token = _REPORTER.set(callback)
    try:
        yield
    finally:
        _REPORTER.reset(token)


def report(**event):
    """Tell the reporter, if any, about ``event``."""
    callback = _REPORTER.get()
    if callback is None:
        return
    try:
        callback(event)
    except Exception:  # noqa: BLE001 - progress is said to a person; it never costs a grading
        log.warning("progress report failed", exc_info=True)


def epoch_reporter(function):
    """An ``on_epoch(k, n, logs)`` for reference.train_and_evaluate that reports ``function``'s training."""
    def on_epoch(done, epochs, logs):
        event = {"stage": "training", "function": function, "epoch": min(done + 1, epochs), "epochs": epochs}
        if "val_accuracy" in logs:
            event["val_accuracy"] = round(float(logs["val_accuracy"]), 4)
        report(**event)
    return on_epoch
