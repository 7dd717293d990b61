"""The Keras backend as the references need it: quiet logs, full-precision matmuls.

Importing this module (``reference`` does it first) loads Keras and its backend quietly, so
TensorFlow's C++ notices never reach a student, a log or the demo's output:
``TF_CPP_MIN_LOG_LEVEL=3`` is set before TensorFlow loads (processes started from here inherit
it), and the notices TensorFlow writes while its libraries load, before absl's logging starts
(``oneDNN custom operations are on``, printed by TensorFlow 2.21 at any level), are taken off
stderr at that moment; whatever else was written meanwhile is written back. This is the one
place that does it, and every import of Keras in the project goes through it.
"""
import os
import re
import sys
import tempfile
from contextlib import contextmanager

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

_SEVERITY = "IWEF"  # absl's INFO, WARNING, ERROR, FATAL: TF_CPP_MIN_LOG_LEVEL hides those below it
_NATIVE_LINE = re.compile(r"(?:(?P<glog>[IWEF])\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\]"      # absl / glog
                          r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: (?P<tsl>[IWEF]) \S+:\d+\]) ")  # TensorFlow's own
_PREAMBLE = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"


def _min_level():
    value = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0")
    return int(value) if value.isdigit() else 0


def native_notice(line, min_level):
    """True when ``line`` is a TensorFlow/absl log line that TF_CPP_MIN_LOG_LEVEL=min_level hides."""
    if line.rstrip("\n") == _PREAMBLE:
        return min_level > 0
    match = _NATIVE_LINE.match(line)
    return bool(match) and _SEVERITY.index(match.group("glog") or match.group("tsl")) < min_level


@contextmanager
def _native_notices_dropped():
    """Sends file descriptor 2 to a temporary file for the block, then writes back every line that
    is not a notice the log level hides (other threads' output is delayed, never lost)."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all: nothing to keep clean
        yield
        return
    with tempfile.TemporaryFile() as held:
        sys.stderr.flush()
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            level = _min_level()
            kept = [line for line in held.read().decode("utf-8", "replace").splitlines(keepends=True)
                    if not native_notice(line, level)]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


with _native_notices_dropped():
    import keras  # noqa: E402,F401  (loads the backend's libraries: TensorFlow's or JAX's)


def configure_backend():
    """Turn off reduced-precision matmuls (TF32 on Ampere/Hopper GPUs) for the active backend.

    References are float64 anyway; this also keeps float32 helper computations exact to
    float32 rounding on a GPU. Returns the backend name ("tensorflow", "jax" or "torch").
    """
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
