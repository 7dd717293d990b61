"""Grader for gru_cell_forward: one keras.layers.GRUCell step, reset_after True or False."""
import numpy as np

import reference
from autograder.grading.cases import Case, Mistake, rnn_weights
from autograder.grading.checks import check_close

FUNCTION = "gru_cell_forward"


def _flipped_update(case):
    """h = (1 - z) * h_prev + z * hh, from Keras's step and its candidate hh.

    Keras gives new = z*h_prev + (1-z)*hh; forcing z to 0 (update-gate bias -1e9) gives hh;
    the flipped mix is then h_prev + hh - new.
    """
    x_t, h_prev, kernel, recurrent_kernel, bias = case.args
    reset_after = case.kwargs.get("reset_after", True)
    units = recurrent_kernel.shape[0]
    closed = np.array(bias, dtype=np.float64, copy=True)
    closed[..., :units] = -1e9
    new = reference.gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after=reset_after)
    hh = reference.gru_step(x_t, h_prev, kernel, recurrent_kernel, closed, reset_after=reset_after)
    return h_prev + hh - new


MISTAKES = [
    Mistake("flipped_update", "업데이트 게이트의 방향이 반대입니다: 케라스는 h = z * h_prev + (1 - z) * h_후보 "
            "(z가 이전 상태를 유지하는 쪽)입니다.", _flipped_update),
    Mistake("reset_before", "reset_after=True이면 리셋 게이트 r을 순환 행렬곱 '뒤'에 곱합니다: "
            "r * (h_prev @ U_h + b_순환) (두 번째 절편 포함).",
            lambda c: None if not c.kwargs.get("reset_after", True) else reference.gru_step(
                *c.args[:4], c.args[4][0] + c.args[4][1], reset_after=False)),
]


def cases(rng):
    result = []
    for batch, features, units, reset_after in ((2, 4, 3, True), (3, 2, 5, True), (2, 4, 3, False), (1, 6, 4, False)):
        kernel, recurrent_kernel, _ = rnn_weights(rng, features, units, gates=3)
        bias = 0.5 * rng.standard_normal((2, 3 * units) if reset_after else 3 * units)
        result.append(Case(f"무작위 입력 (배치 {batch}, 특성 {features}, 뉴런 {units}), reset_after={reset_after}",
                           (rng.standard_normal((batch, features)), 0.5 * rng.standard_normal((batch, units)),
                            kernel, recurrent_kernel, bias), {"reset_after": reset_after}))
    return result


def grade(case, answers):
    check_close(answers(FUNCTION, *case.args, **case.kwargs), reference.gru_step(*case.args, **case.kwargs),
                case, MISTAKES)
