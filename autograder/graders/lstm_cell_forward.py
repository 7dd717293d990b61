"""Grader for lstm_cell_forward: one keras.layers.LSTMCell step -> (h, c)."""
import numpy as np

import reference
from autograder.grading.cases import Case, Mistake, rnn_weights
from autograder.grading.checks import CaseFailed, check_close

FUNCTION = "lstm_cell_forward"


def _h_with(case, order=(0, 1, 2, 3), zero_bias=False):
    """h of Keras's step with the four gate blocks read in ``order`` and/or without bias."""
    x_t, h_prev, c_prev, kernel, recurrent_kernel, bias = case.args

    def perm(w):
        blocks = np.split(w, 4, axis=-1)
        return np.concatenate([blocks[i] for i in order], axis=-1)

    bias = np.zeros_like(bias) if zero_bias else perm(bias)
    return reference.lstm_step(x_t, h_prev, c_prev, perm(kernel), perm(recurrent_kernel), bias)[0]


MISTAKES = [
    Mistake("gate_order", "게이트 순서가 틀렸습니다: 케라스 LSTM의 가중치는 마지막 축을 따라 i(입력), f(삭제), c(셀 후보), o(출력) "
            "순서로 놓여 있습니다.", lambda c: _h_with(c, order=(0, 1, 3, 2))),
    Mistake("forgot_bias", "절편(bias)을 더하지 않았습니다.", lambda c: _h_with(c, zero_bias=True)),
    Mistake("swapped_outputs", "(h, c) 순서로 반환해야 하는데 셀 상태 c를 첫 번째로 반환했습니다.",
            lambda c: reference.lstm_step(*c.args)[1]),
]


def cases(rng):
    result = []
    for batch, features, units in ((2, 4, 3), (1, 3, 5), (4, 8, 8)):
        kernel, recurrent_kernel, bias = rnn_weights(rng, features, units, gates=4)
        result.append(Case(f"무작위 입력 (배치 {batch}, 특성 {features}, 뉴런 {units})",
                           (rng.standard_normal((batch, features)), 0.5 * rng.standard_normal((batch, units)),
                            rng.standard_normal((batch, units)), kernel, recurrent_kernel, bias)))
    return result


def grade(case, answers):
    got = answers(FUNCTION, *case.args)
    want_h, want_c = reference.lstm_step(*case.args)
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        raise CaseFailed(f"(h, c) 두 배열의 튜플을 반환해야 합니다. 제출값: {str(got)[:120]}")
    check_close(got[0], want_h, case, MISTAKES, what="h (은닉 상태)")
    check_close(got[1], want_c, case, [], what="c (셀 상태)")
