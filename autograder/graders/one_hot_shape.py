"""Grader for one_hot_shape: the shape to_categorical would return."""
import reference
from autograder.grading.cases import Case, Mistake
from autograder.grading.checks import check_shape

FUNCTION = "one_hot_shape"

MISTAKES = [
    Mistake("trailing_axis_kept", "케라스는 축이 2개 이상이고 마지막 축 길이가 1이면 그 축을 없앱니다.",
            lambda c: tuple(c.args[0]) + (c.args[1],)),
    Mistake("classes_only", "입력의 shape 뒤에 클래스 축이 붙습니다: seq_shape + (num_classes,).",
            lambda c: (c.args[1],)),
]


def cases(rng):
    fixed = [
        Case("책의 IMDB 예: (20000, 100), 어휘 200개", ((20000, 100), 200)),
        Case("1차원 입력", ((25,), 10)),
        Case("마지막 축 길이가 1인 입력", ((5, 1), 3)),
        Case("샘플이 0개인 배치", ((0, 4), 7), weight=0.5),
    ]
    randomized = [Case("무작위 shape", ((int(rng.integers(1, 5000)), int(rng.integers(2, 300))), int(rng.integers(2, 1000))))
                  for _ in range(2)]
    return fixed + randomized


def grade(case, answers):
    got = answers(FUNCTION, *case.args, **case.kwargs)
    check_shape(got, reference.one_hot_shape(*case.args, **case.kwargs), case, MISTAKES)
