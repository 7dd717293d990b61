"""Grader for build_stacked_lstm: the book's stacked model (9-3), built by the student, trained by the grader.

Embedding(500, 16) -> LSTM(8, dropout=0.2, return_sequences=True) -> LSTM(8, dropout=0.2) -> Dense(1, sigmoid).
"""
from autograder.models.cases import grade_model_case, model_cases

FUNCTION = "build_stacked_lstm"
REFERENCE = "stacked_lstm"
HINTS = {"ValueError": "모델을 만들다 케라스가 오류를 냈습니다. 층의 순서와 각 층의 입력 shape을 model.summary()로 확인하세요."}


def cases(rng):
    return model_cases(REFERENCE)


def grade(case, answers):
    grade_model_case(FUNCTION, REFERENCE, case, answers)
