"""What a grading worker pays once: importing Keras, setting up the backend, finding its device."""
import os

from distributed import WorkerPlugin

# A worker runs one task at a time, beside the other workers and their sandboxes; TensorFlow's own
# thread pools (by default a thread per core each) would only compete with them for the cores
# (measured on 2 cores, 2 workers: ~7% less CPU for the same class).
ONE_FRAMEWORK_THREAD = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": "1"}

_DEVICE = {}


def device_info():
    """{"device": "cpu" | "gpu (...)", "backend": "tensorflow" | "jax" | ..., "keras": version} of this process.

    Imports Keras and configures the backend the first time (then cached).
    """
    if not _DEVICE:
        from reference import configure_backend, device_name

        backend = configure_backend()
        import keras

        _DEVICE.update(device=device_name(), backend=backend, keras=keras.__version__)
    return dict(_DEVICE)


class GradingWorker(WorkerPlugin):
    """Registered on every worker: warms it up before the first notebook arrives."""

    name = "rnn-ch09-grading"

    def setup(self, worker):
        for name, value in ONE_FRAMEWORK_THREAD.items():  # before TensorFlow starts its pools (a `dask worker`
            os.environ.setdefault(name, value)             # started by hand has them from here)
        import autograder.grading.grade  # noqa: F401  (the graders' imports: pytest, numpy, nbformat)

        device_info()
