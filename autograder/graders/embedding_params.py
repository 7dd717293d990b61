"""Grader for embedding_params: count_params() of a built Embedding layer."""
import reference
from autograder.grading.cases import Case, Mistake
from autograder.grading.checks import check_int

FUNCTION = "embedding_params"

MISTAKES = [
    Mistake("added_bias", "Embedding 층에는 절편이 없습니다: 어휘 크기 × 임베딩 차원뿐입니다.",
            lambda c: reference.embedding_params(*c.args) + c.args[1]),
]


def cases(rng):
    return [
        Case("책의 예: 어휘 500개, 16차원 (8,000)", (500, 16)),
        Case("어휘 200개, 16차원", (200, 16)),
    ] + [Case("무작위 (어휘 크기, 차원)", (int(rng.integers(2, 20000)), int(rng.integers(1, 256)))) for _ in range(2)]


def grade(case, answers):
    check_int(answers(FUNCTION, *case.args), reference.embedding_params(*case.args), case, MISTAKES)
