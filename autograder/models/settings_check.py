"""The student's training settings (a dict from the sandbox) -> reference.TrainingSettings, or Refused.

The form the notebook asks for (every key required except the two callbacks)::

    {"optimizer": "adam", "learning_rate": 0.001, "loss": "binary_crossentropy",
     "batch_size": 64, "epochs": 100,
     "early_stopping": {"monitor": "val_loss", "patience": 3, "restore_best_weights": True},
     "checkpoint": {"filepath": "best-model.keras", "monitor": "val_loss", "save_best_only": True}}

Each value is checked against its allowed set or range, as Keras would check it where Keras
checks (a checkpoint file must end in ``.keras``, or ``.weights.h5`` with
``save_weights_only=True``); unknown keys are refused. The checkpoint's file name is only
checked: the grader writes its own file.
"""
import math
import re

from autograder.models import Refused
from reference import MONITORS, OPTIMIZERS, CheckpointSettings, EarlyStoppingSettings, TrainingSettings

LOSSES = ("binary_crossentropy", "mean_squared_error", "mse", "categorical_crossentropy", "hinge")
REQUIRED = ("optimizer", "learning_rate", "loss", "batch_size", "epochs")
FILE_NAME = re.compile(r"^[\w.\-]{1,100}$")


def _shown(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _number(settings, key, lo, hi, integer=False, where="훈련 설정"):
    value = settings[key]
    ok = isinstance(value, int if integer else (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value) and lo <= value <= hi
    if not ok:
        kind = "정수" if integer else "수"
        raise Refused(f"{where}의 {key}는 {lo:g} 이상 {hi:g} 이하의 {kind}여야 합니다 (받은 값: {_shown(value)}).", key)
    return value


def _choice(settings, key, allowed, where="훈련 설정"):
    value = settings[key]
    if not isinstance(value, str) or value.lower() not in allowed:
        raise Refused(f"{where}의 {key}는 {', '.join(allowed)} 중 하나여야 합니다 (받은 값: {_shown(value)}).", key)
    return value.lower()


def _bool(settings, key, where):
    value = settings[key]
    if not isinstance(value, bool):
        raise Refused(f"{where}의 {key}는 True 또는 False여야 합니다 (받은 값: {_shown(value)}).", key)
    return value


def _only(settings, allowed, where):
    if not isinstance(settings, dict):
        raise Refused(f"{where}은 dict여야 합니다 (받은 값: {_shown(settings)}).", "not_a_dict")
    extra = [k for k in settings if k not in allowed]
    if extra:
        raise Refused(f"{where}에 쓸 수 없는 키가 있습니다: {', '.join(map(str, extra[:3]))} "
                      f"(쓸 수 있는 키: {', '.join(allowed)}).", "unknown_key")


def _early_stopping(value):
    where = "early_stopping"
    _only(value, ("monitor", "patience", "min_delta", "restore_best_weights"), where)
    monitor = _choice(value, "monitor", MONITORS, where) if "monitor" in value else "val_loss"
    patience = _number(value, "patience", 0, 100, integer=True, where=where) if "patience" in value else 0
    min_delta = float(_number(value, "min_delta", 0, 1, where=where)) if "min_delta" in value else 0.0
    restore = _bool(value, "restore_best_weights", where) if "restore_best_weights" in value else False
    return EarlyStoppingSettings(monitor, patience, min_delta, restore)


def _checkpoint(value):
    where = "checkpoint"
    _only(value, ("filepath", "monitor", "save_best_only", "save_weights_only"), where)
    if "filepath" not in value:
        raise Refused("checkpoint에는 저장할 파일 이름 filepath가 있어야 합니다 (예: 'best-lstm-model.keras').",
                      "filepath")
    filepath = value["filepath"]
    weights_only = _bool(value, "save_weights_only", where) if "save_weights_only" in value else False
    if not isinstance(filepath, str) or not FILE_NAME.match(filepath):
        raise Refused("checkpoint의 filepath는 100자 이하의 파일 이름이어야 합니다 (예: 'best-lstm-model.keras').",
                      "filepath")
    suffix = ".weights.h5" if weights_only else ".keras"
    if not filepath.endswith(suffix):
        raise Refused(f"케라스 3의 ModelCheckpoint는 파일 이름이 {suffix}로 끝나야 합니다 (받은 값: {_shown(filepath)}). "
                      "예전 .h5 형식은 케라스 3에서 모델 전체 저장에 쓰지 않습니다.", "checkpoint_suffix")
    monitor = _choice(value, "monitor", MONITORS, where) if "monitor" in value else "val_loss"
    best_only = _bool(value, "save_best_only", where) if "save_best_only" in value else False
    return CheckpointSettings(monitor, best_only)


def check_training_settings(settings):
    """The TrainingSettings the student's dict describes, or Refused (Korean reason, key)."""
    _only(settings, (*REQUIRED, "early_stopping", "checkpoint"), "훈련 설정")
    missing = [k for k in REQUIRED if k not in settings]
    if missing:
        raise Refused(f"훈련 설정에 {', '.join(missing)}가 없습니다.", "missing_key")
    early = settings.get("early_stopping")
    checkpoint = settings.get("checkpoint")
    return TrainingSettings(
        optimizer=_choice(settings, "optimizer", tuple(OPTIMIZERS)),
        learning_rate=float(_number(settings, "learning_rate", 1e-6, 1.0)),
        loss=_choice(settings, "loss", LOSSES),
        batch_size=_number(settings, "batch_size", 8, 1024, integer=True),
        epochs=_number(settings, "epochs", 1, 1000, integer=True),
        early_stopping=None if early is None else _early_stopping(early),
        checkpoint=None if checkpoint is None else _checkpoint(checkpoint),
    )
