"""Grader for training_settings: the book's compile + fit choices as data (9-2, 9-3).

The settings are read by autograder.models.settings_check (the same reading the model graders'
training uses); these cases grade the choices the chapter teaches.
"""
from autograder.grading.checks import CaseFailed
from autograder.models import Refused
from autograder.models.cases import ModelCase
from autograder.models.settings_check import check_training_settings

FUNCTION = "training_settings"


def cases(rng):
    return [
        ModelCase("채점기가 읽을 수 있는 설정 (정해진 키와 값의 범위)", weight=2.0, check="readable"),
        ModelCase("손실 함수: 이진 분류의 binary_crossentropy", check="loss"),
        ModelCase("EarlyStopping: 검증 손실을 보고 가장 좋은 에포크의 가중치로 되돌림 (restore_best_weights=True)",
                  check="early_stopping"),
        ModelCase("ModelCheckpoint: 가장 좋은 모델만 저장 (save_best_only=True, 파일 이름 .keras)", check="checkpoint"),
    ]


def _settings(answers):
    try:
        return check_training_settings(answers(FUNCTION))
    except Refused as refusal:
        raise CaseFailed("채점기가 이 설정을 쓸 수 없습니다.", f"settings_{refusal.key}", advice=refusal.message) from None


def grade(case, answers):
    settings = _settings(answers)
    if case.check == "loss" and settings.loss != "binary_crossentropy":
        raise CaseFailed(f"loss가 '{settings.loss}'입니다.", "wrong_loss",
                         advice="긍정/부정 두 클래스를 시그모이드 확률 하나로 맞히는 문제의 손실은 'binary_crossentropy'입니다.")
    if case.check == "early_stopping":
        early = settings.early_stopping
        if early is None:
            raise CaseFailed("early_stopping이 없습니다.", "no_early_stopping",
                             advice="검증 손실이 patience 에포크 동안 나아지지 않으면 멈추게 하세요.")
        if not early.restore_best_weights or not early.monitor.startswith("val_"):
            raise CaseFailed("EarlyStopping이 검증 세트 지표(val_loss)를 보고 restore_best_weights=True로 가장 좋은 "
                             "에포크의 가중치를 되돌리지 않습니다.", "no_restore_best_weights",
                             advice="그렇지 않으면 멈춘 순간의(과대적합이 시작된) 가중치가 남습니다.")
    if case.check == "checkpoint" and (settings.checkpoint is None or not settings.checkpoint.save_best_only):
        raise CaseFailed("checkpoint에 save_best_only=True가 없습니다.", "checkpoint_not_best",
                         advice="검증 손실이 가장 낮은 에포크의 모델만 파일에 남깁니다.")
