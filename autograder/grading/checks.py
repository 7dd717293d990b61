"""Comparisons done in the trusted process, with Korean messages.

Numerical policy: references are float64 (Keras layers built with dtype="float64", TF32 off),
so the tolerance depends only on the precision the student chose:
  max|got - want| / max(max|want|, 1e-12) <= 1e-6 for float64 output, 1e-4 for float32.
Integers, shapes and byte counts must be exact.
"""
import numpy as np

from autograder.errors import StudentError
from autograder.sandbox.wire import Unsupported

RTOL = {np.dtype("float64"): 1e-6, np.dtype("float32"): 1e-4}
# Student errors that are not the answer to "must raise X": reported as they are.
NOT_AN_ANSWER = {"Timeout", "Crash", "Skipped", "NotImplementedError", "NameError"}


class CaseFailed(AssertionError):
    """A case the student's output did not pass.

    message: what is wrong, in Korean, never the expected value itself; expected / submitted:
    the values as text, shown as "기대값:" / "제출값:" lines (the expected one only where the
    feedback may reveal it: see ``text``); mistake: the known-mistake key the output matched,
    advice: that mistake's explanation.
    """

    def __init__(self, message, mistake=None, expected=None, submitted=None, advice=None):
        super().__init__(message)
        self.message, self.mistake, self.advice = message, mistake, advice
        self.expected, self.submitted = expected, submitted

    def text(self, reveal=True):
        """The Korean explanation; ``reveal=False`` leaves out the expected value."""
        lines = [self.message]
        if self.expected is not None and reveal:
            lines.append(f"기대값: {self.expected}")
        if self.submitted is not None:
            lines.append(f"제출값: {self.submitted}")
        if self.advice:
            lines.append(f"→ 흔한 실수: {self.advice}")
        return "\n".join(lines)


def _fmt(value):
    if isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=24, edgeitems=3, precision=6, separator=" ")
        return f"{text}  (shape={value.shape}, dtype={value.dtype})"
    return repr(value)


def relative_error(got, want):
    """max|got - want| / max(max|want|, 1e-12): the error relative to the answer's scale."""
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    if want.size == 0:
        return 0.0
    return float(np.max(np.abs(got - want)) / max(float(np.max(np.abs(want))), 1e-12))


def to_array(got, want, what="반환값"):
    """The student's output as an ndarray with ``want``'s shape, or CaseFailed saying why."""
    if isinstance(got, Unsupported) or isinstance(got, (dict, str)) or got is None:
        raise CaseFailed(f"{what}이 numpy 배열이어야 하는데 {got!r} 이(가) 반환되었습니다.")
    try:
        arr = np.asarray(got)
    except (ValueError, TypeError):
        raise CaseFailed(f"{what}을 numpy 배열로 바꿀 수 없습니다 (길이가 다른 리스트?).") from None
    if arr.dtype.kind not in "biuf":
        raise CaseFailed(f"{what}의 dtype이 숫자가 아닙니다: {arr.dtype}")
    if arr.shape != want.shape:
        raise CaseFailed(f"{what}의 shape이 {want.shape}이어야 하는데 {arr.shape}입니다.")
    return arr


def _matches(got, candidate):
    try:
        candidate = np.asarray(candidate)
        if isinstance(got, np.ndarray) or candidate.ndim:
            got = np.asarray(got)
            return got.shape == candidate.shape and relative_error(got, candidate) <= 1e-6
        return got == candidate
    except (ValueError, TypeError):
        return False


def diagnose(got, case, mistakes):
    """The first known mistake whose output on this case equals the student's, or None."""
    for mistake in mistakes:
        try:
            produced = mistake.produce(case)
        except Exception:  # a mistake that does not apply to this case
            continue
        if produced is not None and _matches(got, produced):
            return mistake
    return None


def fail(message, got, case, mistakes, expected=None, submitted=None):
    """Raise CaseFailed, naming the known mistake the output matches, if any."""
    mistake = diagnose(got, case, mistakes)
    raise CaseFailed(message, mistake.key if mistake else None, expected, submitted,
                     mistake.message if mistake else None)


def _array_or_fail(got, want, case, mistakes, what="반환값"):
    try:
        return to_array(got, want, what)
    except CaseFailed as err:
        fail(err.message, got, case, mistakes)


def check_exact_array(got, want, case, mistakes=(), dtype=None, dtype_mistakes=None):
    """Integer or one-hot arrays: same shape, (optionally) the same dtype, equal values.

    dtype_mistakes: {dtype name: Mistake} for a known wrong dtype with right values.
    """
    arr = _array_or_fail(got, want, case, mistakes)
    if not np.array_equal(arr, want):
        fail("값이 다릅니다.", arr, case, mistakes, _fmt(want), _fmt(arr))
    if dtype is not None and arr.dtype != np.dtype(dtype):
        mistake = (dtype_mistakes or {}).get(arr.dtype.name)
        raise CaseFailed(f"값은 맞지만 dtype이 {np.dtype(dtype)}이어야 하는데 {arr.dtype}입니다.",
                         mistake.key if mistake else None, advice=mistake.message if mistake else None)


def check_close(got, want, case, mistakes=(), what="반환값"):
    """Float arrays: shape, then the relative error against the float64 reference."""
    arr = _array_or_fail(got, want, case, mistakes, what)
    if arr.dtype.kind != "f":
        raise CaseFailed(f"{what}이 실수(float) 배열이어야 하는데 dtype이 {arr.dtype}입니다.")
    rtol = RTOL.get(arr.dtype, RTOL[np.dtype("float32")])
    err = relative_error(arr, want)
    if not err <= rtol:  # also catches NaN
        fail(f"{what}의 최대 상대 오차 {err:.2e} (허용 {rtol:.0e}).", arr, case, mistakes, _fmt(want), _fmt(arr))


def check_int(got, want, case, mistakes=()):
    """A count (parameters, bytes): an integer equal to ``want``."""
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if isinstance(got, bool) or not isinstance(got, int):
        if isinstance(got, float) and got == want:
            raise CaseFailed(f"값({got})은 맞지만 정수(int)로 반환해야 합니다.")
        fail("정수(int)를 반환해야 합니다.", got, case, mistakes, f"{want:,}", repr(got))
    if got != want:
        fail("값이 다릅니다.", got, case, mistakes, f"{want:,}", f"{got:,}")


def check_shape(got, want, case, mistakes=()):
    """A shape: a tuple of ints equal to ``want``."""
    ok = isinstance(got, tuple) and all(isinstance(d, int) and not isinstance(d, bool) for d in got)
    if not ok:
        fail("shape은 정수들의 튜플이어야 합니다.", got, case, mistakes, str(tuple(want)), repr(got))
    if got != tuple(want):
        fail("값이 다릅니다.", got, case, mistakes, str(tuple(want)), str(got))


def check_dict_close(got, want, case, mistakes=()):
    """A dict of float arrays (e.g. gradients by weight name): same keys, each checked by check_close.

    A mistake's ``produce`` returns a whole dict; each key is diagnosed against its entry.
    """
    if not isinstance(got, dict) or set(got) != set(want):
        keys = sorted(got) if isinstance(got, dict) else type(got).__name__
        raise CaseFailed(f"키가 {sorted(want)}인 dict를 반환해야 합니다. 제출값의 키: {keys}")
    for key in want:
        per_key = [type(m)(m.key, m.message, lambda c, m=m, key=key: m.produce(c)[key]) for m in mistakes]
        check_close(got[key], want[key], case, per_key, what=f"'{key}'")


def check_raises(answers, function, case):
    """The call must raise ``case.raises`` (an exception type name)."""
    try:
        got = answers(function, *case.args, **case.kwargs)
    except StudentError as err:
        if err.kind == case.raises:
            return
        if err.kind in NOT_AN_ANSWER or err.forbidden:
            raise
        raise CaseFailed(f"{case.raises}를 발생시켜야 하는데 {err.kind}가 발생했습니다: {err.message}") from None
    raise CaseFailed(f"{case.raises}를 발생시켜야 하는데 값을 반환했습니다: {str(got)[:200]}")
