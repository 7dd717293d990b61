"""Grader for gru_params: count_params() of a built GRU layer, with reset_after."""
import reference
from autograder.grading.cases import Case, Mistake
from autograder.grading.checks import check_int

FUNCTION = "gru_params"


def _reset_after(case):
    return case.kwargs.get("reset_after", True)


MISTAKES = [
    Mistake("no_second_bias", "reset_after=True(케라스 기본값)이면 GRU에는 절편이 두 벌 있습니다 (입력용과 순환용, 각 3 × units).",
            lambda c: reference.gru_params(*c.args, reset_after=False) if _reset_after(c) else None),
    Mistake("extra_bias", "reset_after=False이면 절편은 한 벌(3 × units)뿐입니다.",
            lambda c: reference.gru_params(*c.args, reset_after=True) if not _reset_after(c) else None),
    Mistake("four_gates", "GRU의 가중치 묶음은 3개입니다 (업데이트 z, 리셋 r, 후보 h). LSTM처럼 4개로 셌습니다.",
            lambda c: reference.lstm_params(*c.args)),
]


def cases(rng):
    fixed = [
        Case("책의 예: 임베딩 16차원, 뉴런 8개, reset_after=True (624)", (16, 8)),
        Case("같은 층, reset_after=False (600)", (16, 8), {"reset_after": False}),
    ]
    randomized = [Case(f"무작위 (특성 수, 뉴런 수), reset_after={flag}",
                       (int(rng.integers(1, 600)), int(rng.integers(1, 128))), {"reset_after": flag})
                  for flag in (True, False, True)]
    return fixed + randomized


def grade(case, answers):
    check_int(answers(FUNCTION, *case.args, **case.kwargs), reference.gru_params(*case.args, **case.kwargs),
              case, MISTAKES)
