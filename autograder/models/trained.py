"""The grader's own training of a submitted model, once per distinct (config, settings, seed, data, limits).

``train(spec, settings, plan)`` builds the checked model (build.build_model) and trains it with
reference.train_and_evaluate on the grader's split, with the grader's seed, epoch cap and time
budget. Many students submit the same model, so results are kept by a key: the sha256 of the
canonical config, the settings, the seed, the split, the cap and budget, Keras's version and
backend. Kept in this process (LRU) and, when ``plan.cache_dir`` is set, as one JSON file per key
in that folder, shared by the workers of a class run (a file lock makes a second worker wait for
the first instead of training the same model again). A file is written whole or not at all.
"""
import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from autograder.models import Refused
from autograder.models.build import build_model

MAX_IN_PROCESS = 256
MAX_ACTIVATION_BYTES = 1 << 30  # what one training step may hold, estimated from the config and batch size
_RESULTS = OrderedDict()
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


@dataclass(frozen=True)
class TrainingPlan:
    """How the grader trains: seed, epoch cap, seconds per model, the split (corpus: auto|imdb|synthetic),
    the on-disk cache folder ("" = this process only)."""

    seed: int = 0
    max_epochs: int = 10
    budget_s: float = 120.0
    corpus: str = "auto"
    cache_dir: str = ""

    def data(self):
        from reference import grading_data

        return grading_data(self.corpus)

    @classmethod
    def from_settings(cls, settings):
        """The plan a GradingSettings gives (train_seed, max_epochs, train_budget, corpus, model_cache)."""
        return cls(settings.train_seed, settings.max_epochs, settings.train_budget, settings.corpus,
                   settings.model_cache)


def cache_key(spec, settings, plan, data_key):
    import keras

    material = {"model": spec.config, "settings": settings.as_dict(), "seed": plan.seed, "data": data_key,
                "max_epochs": plan.max_epochs, "budget_s": plan.budget_s, "keras": keras.__version__,
                "backend": keras.backend.backend()}
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def activation_bytes(spec, batch_size, timesteps=100):
    """An upper estimate of the float32 activations one training step keeps (forward values, their gradients and
    temporaries: x3): a recurrent layer keeps every timestep's gates and states, whatever it returns."""
    per_review = 0
    for layer in spec.layers:
        shape = [timesteps if d is None else d for d in (layer.output_shape or (None,))[1:]]
        size = 1
        for d in shape:
            size *= d
        if layer.class_name in GATES:
            size = timesteps * layer.arg("units") * (GATES[layer.class_name] + 2)
        per_review += size
    return 3 * 4 * batch_size * per_review


def train(spec, settings, plan=TrainingPlan(), on_epoch=None):
    """{"accuracy", "history", "epochs_run", "epochs_asked", "over_budget", "seconds", "backend", "deterministic",
    "corpus", "data_key", "key", "cached"} of the grader's training of ``spec`` with ``settings``.

    Refused (before anything is built) when one training step would need more than MAX_ACTIVATION_BYTES."""
    needed = activation_bytes(spec, settings.batch_size)
    if needed > MAX_ACTIVATION_BYTES:
        raise Refused(f"배치 크기 {settings.batch_size}로 이 모델을 훈련하려면 한 번에 약 {needed / 2**30:.1f} GiB가 "
                      f"필요해 채점기가 훈련하지 않습니다 (최대 {MAX_ACTIVATION_BYTES / 2**30:.0f} GiB).", "size")
    data = plan.data()
    key = cache_key(spec, settings, plan, data.key)
    if key in _RESULTS:
        _RESULTS.move_to_end(key)
        if plan.cache_dir and _load(Path(plan.cache_dir) / f"{key}.json") is None:  # this plan's folder keeps it too
            _store(plan.cache_dir, key, _RESULTS[key])
        return {**_RESULTS[key], "cached": True}
    with _disk_slot(plan.cache_dir, key) as stored:
        if stored is not None:
            result, cached = stored, True
        else:
            result, cached = _train(spec, settings, plan, data, key, on_epoch), False
            _store(plan.cache_dir, key, result)
    _RESULTS[key] = result
    if len(_RESULTS) > MAX_IN_PROCESS:
        _RESULTS.popitem(last=False)
    return {**result, "cached": cached}


def _train(spec, settings, plan, data, key, on_epoch):
    from reference import train_and_evaluate
    outcome = train_and_evaluate(lambda: build_model(spec), settings, data, plan.seed, plan.max_epochs,
                                 plan.budget_s, on_epoch)
    return {"accuracy": outcome.accuracy, "history": outcome.history, "epochs_run": outcome.epochs_run,
            "epochs_asked": outcome.epochs_asked, "over_budget": outcome.over_budget,
            "seconds": round(outcome.seconds, 2), "backend": outcome.backend,
            "deterministic": outcome.deterministic, "corpus": data.corpus, "data_key": data.key, "key": key}


@contextlib.contextmanager
def _disk_slot(cache_dir, key):
    """Yields the stored result for ``key`` or None, holding the key's lock meanwhile (no folder: None, no lock)."""
    if not cache_dir:
        yield None
        return
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield _load(folder / f"{key}.json")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _load(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _store(cache_dir, key, result):
    if not cache_dir:
        return
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(result, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / f"{key}.json")
