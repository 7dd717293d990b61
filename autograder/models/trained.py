"""The grader's own training of a submitted model, once per distinct (config, settings, seed, data, limits).

``train(spec, settings, plan)`` builds the checked model (build.build_model) and trains it with
reference.train_and_evaluate on the grader's split, with the grader's seed, epoch cap and time
budget.

The time budget is decided before training, from the config and settings alone
(``estimated_seconds``), so the same model and settings get the same answer on every upload and
every machine: a model estimated past ``plan.budget_s`` is not trained (Refused, key
"over_budget": the student keeps the architecture points). The clock only guards the estimate: a
training still running at HARD_STOP x the budget is stopped and is the grader's fault
(GraderFault: not graded, tried again), never a score. Many students submit the same model, so results are kept by a key: the sha256 of the
canonical config, the settings, the seed, the split, the cap and budget, Keras's version and
backend. Kept in this process (LRU) and, when ``plan.cache_dir`` is set, as one JSON file per key
in that folder, shared by the workers of a class run (a file lock makes a second worker wait for
the first instead of training the same model again). A file is written whole or not at all.
"""
import contextlib
import fcntl
import hashlib
import json
import math
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import GraderFault
from autograder.models import Refused
from autograder.models.build import build_model

MAX_IN_PROCESS = 256
MAX_ACTIVATION_BYTES = 1 << 30  # what one training step may hold, estimated from the config and batch size
_RESULTS = OrderedDict()
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
# estimated_seconds' constants, fitted (least squares) to 7 trainings of 2 epochs on this project's 2-core machine
# while busy (TensorFlow CPU; SimpleRNN/LSTM/GRU, 8-256 units, batch 8-256; each within 20%): per model, per
# epoch, per training step and timestep of a recurrent layer (SimpleRNN, or a gated LSTM/GRU), per multiply-add.
FIXED_S, EPOCH_S, SIMPLE_STEP_S, GATED_STEP_S, MAC_S = 2.0, 1.0, 1.2e-4, 4.8e-4, 5.8e-11
HARD_STOP = 3  # a training past this many times the budget, on the clock, is the grader's fault
NO_CACHE = "off"  # TrainingPlan.cache_dir (GradingSettings.model_cache) that keeps no result (to measure)


@dataclass(frozen=True)
class TrainingPlan:
    """How the grader trains: seed, epoch cap, seconds per model, the split (corpus: auto|imdb|synthetic),
    the on-disk cache folder ("" = this process only; NO_CACHE = no cache at all, every model trained again)."""

    seed: int = 0
    max_epochs: int = 10
    budget_s: float = 120.0
    corpus: str = "auto"
    cache_dir: str = ""

    def data(self):
        """The grader's split. "auto": the real IMDB where its pass lines are measured for this epoch cap
        (reference/pass_lines.json) and Keras's cache has it, else the synthetic corpus; "imdb" without
        measured lines is a grader fault when the pass line is asked for."""
        from reference import grading_data, imdb_available, measured, split_key

        corpus = self.corpus
        if corpus == "auto":
            corpus = "imdb" if measured(split_key("imdb"), self.max_epochs) and imdb_available() else "synthetic"
        return grading_data(corpus)

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


def multiply_adds(spec, timesteps=100):
    """Multiply-adds of one review's forward pass (recurrent and Dense layers; an Embedding only looks up)."""
    total = 0
    for layer in spec.layers:
        features = layer.input_shape[-1] if layer.input_shape else None
        if layer.class_name in GATES:
            units = layer.arg("units")
            total += timesteps * GATES[layer.class_name] * units * (features + units)
        elif layer.class_name == "Dense":
            total += (timesteps if len(layer.input_shape) == 3 else 1) * features * layer.arg("units")
    return total


def estimated_seconds(spec, settings, max_epochs, n_train, n_val, timesteps=100):
    """Seconds the grader's training of ``spec`` with ``settings`` is estimated to take at most (every epoch up to
    the cap run, none stopped early): a fixed part, then per epoch its steps (train and validation batches) times
    the recurrent layers' timesteps, and its multiply-adds (backward ~2x forward on the training reviews)."""
    epochs = min(settings.epochs, max_epochs)
    steps = math.ceil(n_train / settings.batch_size) + math.ceil(n_val / settings.batch_size)
    simple = sum(layer.class_name == "SimpleRNN" for layer in spec.layers)
    gated = sum(layer.class_name in ("LSTM", "GRU") for layer in spec.layers)
    per_epoch = (EPOCH_S + steps * timesteps * (simple * SIMPLE_STEP_S + gated * GATED_STEP_S)
                 + multiply_adds(spec, timesteps) * (3 * n_train + n_val) * MAC_S)
    return FIXED_S + epochs * per_epoch


def train(spec, settings, plan=TrainingPlan(), on_epoch=None):
    """{"accuracy", "history", "epochs_run", "epochs_asked", "seconds", "estimated_s", "backend",
    "device", "deterministic", "corpus", "data_key", "key", "cached"} of the grader's training of ``spec`` with ``settings``.

    on_epoch(k, n, logs): called when training starts (k = 0) and after each epoch k of n (not for a
    cached result). Refused (before anything is built) when one training step would need more than
    MAX_ACTIVATION_BYTES, or when it is estimated past the plan's budget (key "over_budget");
    GraderFault when it ran past HARD_STOP x the budget all the same."""
    needed = activation_bytes(spec, settings.batch_size)
    if needed > MAX_ACTIVATION_BYTES:
        raise Refused(f"배치 크기 {settings.batch_size}로 이 모델을 훈련하려면 한 번에 약 {needed / 2**30:.1f} GiB가 "
                      f"필요해 채점기가 훈련하지 않습니다 (최대 {MAX_ACTIVATION_BYTES / 2**30:.0f} GiB).", "size")
    data = plan.data()
    estimate = estimated_seconds(spec, settings, plan.max_epochs, len(data.y_train), len(data.y_val))
    if estimate > plan.budget_s:
        raise Refused(f"이 모델을 배치 크기 {settings.batch_size}로 {min(settings.epochs, plan.max_epochs)}에포크 훈련하면 "
                      f"약 {estimate:.0f}초가 걸릴 것으로 추정되어 (모델 구조와 설정만으로 계산) 시간 예산 "
                      f"{plan.budget_s:g}초를 넘습니다. 구조 점수만 받습니다. 배치 크기를 키우거나 층이나 뉴런 수를 "
                      "줄이세요.", "over_budget")
    key = cache_key(spec, settings, plan, data.key)
    if plan.cache_dir == NO_CACHE:
        return {**_train(spec, settings, plan, data, key, on_epoch), "cached": False}
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

    if on_epoch is not None:  # training starts: its first epoch is under way
        on_epoch(0, min(settings.epochs, plan.max_epochs), {})
    outcome = train_and_evaluate(lambda: build_model(spec), settings, data, plan.seed, plan.max_epochs,
                                 HARD_STOP * plan.budget_s, on_epoch)
    if outcome.over_budget:  # the estimate was wrong for this machine (or it was very busy): not the student's doing
        raise GraderFault(f"채점기의 훈련이 {HARD_STOP * plan.budget_s:g}초를 넘어 멈췄습니다 (추정 "
                          f"{estimated_seconds(spec, settings, plan.max_epochs, len(data.y_train), len(data.y_val)):.0f}초; "
                          f"grader's training ran past {HARD_STOP}x its budget: this machine is slower than estimated)")
    return {"accuracy": outcome.accuracy, "history": outcome.history, "epochs_run": outcome.epochs_run,
            "epochs_asked": outcome.epochs_asked,
            "seconds": round(outcome.seconds, 2), "estimated_s": round(estimated_seconds(
                spec, settings, plan.max_epochs, len(data.y_train), len(data.y_val)), 1),
            "backend": outcome.backend, "device": outcome.device,
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
