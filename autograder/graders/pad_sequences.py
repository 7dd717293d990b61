"""Grader for pad_sequences: keras.utils.pad_sequences semantics on lists of int lists."""
import reference
from autograder.grading.cases import Case, Mistake
from autograder.grading.checks import check_exact_array, check_raises

FUNCTION = "pad_sequences"
FLIP = {"pre": "post", "post": "pre"}


def _with(case, **changes):
    kwargs = {"maxlen": None, "padding": "pre", "truncating": "pre", "value": 0, **case.kwargs, **changes}
    return reference.pad_sequences(*case.args, **kwargs)


MISTAKES = [
    Mistake("padding_side", "패딩을 반대쪽에 넣었습니다. padding='pre'(기본값)는 0을 시퀀스 앞에, "
            "'post'는 뒤에 채웁니다.", lambda c: _with(c, padding=FLIP[c.kwargs.get("padding", "pre")])),
    Mistake("truncating_side", "자르는 쪽이 반대입니다. truncating='pre'(기본값)는 앞부분을 버리고 "
            "마지막 maxlen개를 남깁니다.", lambda c: _with(c, truncating=FLIP[c.kwargs.get("truncating", "pre")])),
    Mistake("value_ignored", "value 인자를 무시하고 0으로 채웠습니다.", lambda c: _with(c, value=0)),
]


def cases(rng):
    base = [[1, 2, 3], [4, 5], [6]]
    long = [[11, 12, 13, 14, 15, 16], [7, 8]]
    fixed = [
        Case("기본값: maxlen=None이면 가장 긴 시퀀스 길이, 앞쪽 패딩", (base,)),
        Case("앞쪽 패딩과 앞쪽 자르기 (maxlen=4)", (long,), {"maxlen": 4}),
        Case("뒤쪽 패딩 (padding='post')", (base,), {"maxlen": 5, "padding": "post"}),
        Case("뒤쪽 자르기 (truncating='post')", (long,), {"maxlen": 3, "truncating": "post"}),
        Case("뒤쪽 패딩과 뒤쪽 자르기", (long,), {"maxlen": 4, "padding": "post", "truncating": "post"}),
        Case("앞쪽 패딩과 뒤쪽 자르기", (long,), {"maxlen": 4, "padding": "pre", "truncating": "post"}),
        Case("0이 아닌 패딩 값 (value=-1)", (base,), {"maxlen": 4, "value": -1}),
        Case("배치 안의 빈 시퀀스", ([[], [3, 4]],), {"maxlen": 3}, weight=0.5),
        Case("빈 배치, maxlen=3 → shape (0, 3)", ([],), {"maxlen": 3}, weight=0.5),
        Case("빈 배치, maxlen=None → shape (0, 0)", ([],), weight=0.5),
        Case("maxlen=0 → shape (n, 0)", (base,), {"maxlen": 0}, weight=0.5),
        Case("잘못된 padding 값은 ValueError", (base,), {"padding": "middle"}, weight=0.5, raises="ValueError"),
        Case("잘못된 truncating 값은 ValueError", (base,), {"truncating": "end"}, weight=0.5, raises="ValueError"),
    ]
    randomized = []
    for i in range(4):
        n = int(rng.integers(2, 7))
        seqs = [rng.integers(1, 10000, size=int(rng.integers(0, 15))).tolist() for _ in range(n)]
        kwargs = {"maxlen": int(rng.integers(1, 12)), "padding": str(rng.choice(["pre", "post"])),
                  "truncating": str(rng.choice(["pre", "post"]))}
        randomized.append(Case(f"무작위 배치 {i + 1} (IMDB 크기의 토큰 id)", (seqs,), kwargs))
    return fixed + randomized


def grade(case, answers):
    if case.raises:
        return check_raises(answers, FUNCTION, case)
    got = answers(FUNCTION, *case.args, **case.kwargs)
    want = reference.pad_sequences(*case.args, **case.kwargs)
    check_exact_array(got, want, case, MISTAKES, dtype="int32")
