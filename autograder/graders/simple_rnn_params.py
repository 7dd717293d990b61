"""Grader for simple_rnn_params: count_params() of a built SimpleRNN layer."""
import reference
from autograder.grading.cases import Case, Mistake
from autograder.grading.checks import check_int

FUNCTION = "simple_rnn_params"

MISTAKES = [
    Mistake("forgot_bias", "절편(bias)을 빠뜨렸습니다: 뉴런마다 절편이 하나씩 있습니다 (units개).",
            lambda c: reference.simple_rnn_params(*c.args) - c.args[1]),
    Mistake("forgot_recurrent", "순환 가중치(recurrent_kernel, units × units)를 빠뜨렸습니다.",
            lambda c: reference.simple_rnn_params(*c.args) - c.args[1] ** 2),
]


def cases(rng):
    return [
        Case("책의 예: 원-핫 200차원 입력, 뉴런 8개 (1,672)", (200, 8)),
        Case("강의의 예: 특성 4개, 뉴런 3개", (4, 3)),
        Case("임베딩 16차원 입력, 뉴런 8개", (16, 8)),
    ] + [Case("무작위 (특성 수, 뉴런 수)", (int(rng.integers(1, 600)), int(rng.integers(1, 128)))) for _ in range(3)]


def grade(case, answers):
    check_int(answers(FUNCTION, *case.args), reference.simple_rnn_params(*case.args), case, MISTAKES)
