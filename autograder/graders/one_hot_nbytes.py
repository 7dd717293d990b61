"""Grader for one_hot_nbytes: .nbytes of the one-hot array, computed without allocating it."""
import math

import reference
from autograder.grading.cases import Case, Mistake
from autograder.grading.checks import check_int

FUNCTION = "one_hot_nbytes"
HINTS = {"MemoryError": "배열을 실제로 만들지 말고 원소 개수 × 원소 하나의 바이트 수로 계산하세요."}

MISTAKES = [
    Mistake("float32_itemsize", "float64 원소 하나는 8바이트입니다 (4바이트는 float32). 케라스 3의 to_categorical은 float64를 "
            "반환합니다.", lambda c: reference.one_hot_nbytes(*c.args, **{**c.kwargs, "dtype": "float32"})
            if c.kwargs.get("dtype", "float64") == "float64" else None),
    Mistake("ignored_dtype", "dtype 인자의 원소 크기(itemsize)를 써야 합니다.",
            lambda c: reference.one_hot_nbytes(*c.args) if "dtype" in c.kwargs else None),
    Mistake("elements_not_bytes", "원소 개수가 아니라 바이트 수를 물었습니다: 원소 개수 × itemsize.",
            lambda c: math.prod(reference.one_hot_shape(*c.args))),
]


def cases(rng):
    fixed = [
        Case("책의 예: (20000, 100) 시퀀스, 어휘 200개, float64 → 3.2 GB", ((20000, 100), 200)),
        Case("float32로 저장할 때", ((20000, 100), 200), {"dtype": "float32"}),
        Case("int8로 저장할 때", ((64, 50), 500), {"dtype": "int8"}),
    ]
    randomized = [Case("무작위 shape과 어휘 크기", ((int(rng.integers(1, 30000)), int(rng.integers(1, 500))), int(rng.integers(2, 20000))))
                  for _ in range(2)]
    return fixed + randomized


def grade(case, answers):
    got = answers(FUNCTION, *case.args, **case.kwargs)
    check_int(got, reference.one_hot_nbytes(*case.args, **case.kwargs), case, MISTAKES)
