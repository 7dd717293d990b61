"""Grader for dense_params: count_params() of a built Dense layer."""
import reference
from autograder.grading.cases import Case, Mistake
from autograder.grading.checks import check_int

FUNCTION = "dense_params"

MISTAKES = [
    Mistake("forgot_bias", "절편(bias)을 빠뜨렸습니다: 출력 뉴런마다 하나씩, units개입니다.",
            lambda c: reference.dense_params(*c.args) - c.args[1]),
]


def cases(rng):
    return [
        Case("책의 예: SimpleRNN(8) 뒤의 Dense(1) (9)", (8, 1)),
    ] + [Case("무작위 (입력 수, 뉴런 수)", (int(rng.integers(1, 1000)), int(rng.integers(1, 64)))) for _ in range(2)]


def grade(case, answers):
    check_int(answers(FUNCTION, *case.args), reference.dense_params(*case.args), case, MISTAKES)
