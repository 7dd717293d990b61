"""Grader for one_hot: keras.utils.to_categorical (float64 in Keras 3)."""
import numpy as np

import reference
from autograder.grading.cases import Case, Mistake
from autograder.grading.checks import check_exact_array

FUNCTION = "one_hot"


def _seq(case):
    return np.asarray(case.args[0])


MISTAKES = [
    Mistake("num_classes_off_by_one", "num_classes를 생략하면 클래스 개수는 최댓값 + 1입니다 (0도 한 클래스).",
            lambda c: reference.one_hot(_seq(c), int(_seq(c).max())) if c.kwargs.get("num_classes") is None else None),
    Mistake("trailing_axis_kept", "케라스는 축이 2개 이상이고 마지막 축 길이가 1이면 그 축을 없앤 뒤 원-핫 인코딩합니다 "
            "((n, 1) → (n, 클래스 수)).",
            lambda c: np.eye(reference.one_hot(_seq(c), c.kwargs.get("num_classes")).shape[-1])[_seq(c)]
            if _seq(c).ndim > 1 and _seq(c).shape[-1] == 1 else None),
]


def cases(rng):
    fixed = [
        Case("1차원 입력, num_classes 추론 (최댓값 + 1)", (np.array([1, 0, 3]),)),
        Case("1차원 입력, num_classes=5", (np.array([2, 4, 0]),), {"num_classes": 5}),
        Case("2차원 입력 (배치, 타임스텝)", (np.array([[1, 2, 0], [3, 3, 1]]),), {"num_classes": 4}),
        Case("마지막 축 길이가 1인 입력 (n, 1)", (np.array([[1], [0], [2]]),), {"num_classes": 3}, weight=0.5),
    ]
    randomized = [
        Case(f"무작위 (배치, 타임스텝) 토큰, 어휘 {v}개", (rng.integers(0, v, size=(int(rng.integers(1, 5)), int(rng.integers(2, 9)))),),
             {"num_classes": v})
        for v in (20, 200)
    ]
    return fixed + randomized


DTYPE_MISTAKES = {"float32": Mistake("float32_dtype", "tf.keras 2의 to_categorical은 float32였지만 케라스 3은 "
                                     "float64를 반환합니다.", None)}


def grade(case, answers):
    got = answers(FUNCTION, *case.args, **case.kwargs)
    want = reference.one_hot(*case.args, **case.kwargs)
    check_exact_array(got, want, case, MISTAKES, dtype=reference.one_hot_dtype(),
                      dtype_mistakes=DTYPE_MISTAKES)
