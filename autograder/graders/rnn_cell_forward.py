"""Grader for rnn_cell_forward: one keras.layers.SimpleRNNCell step."""
import numpy as np

import reference
from autograder.grading.cases import Case, Mistake, rnn_weights
from autograder.grading.checks import check_close

FUNCTION = "rnn_cell_forward"


def _ref(case, **changes):
    x_t, h_prev, kernel, recurrent_kernel, bias = case.args
    parts = {"kernel": kernel, "recurrent_kernel": recurrent_kernel, "bias": bias}
    activation = changes.pop("activation", "tanh")
    return reference.rnn_cell_forward(x_t, h_prev, **{**parts, **changes}, activation=activation)


MISTAKES = [
    Mistake("forgot_bias", "절편(bias)을 더하지 않았습니다.", lambda c: _ref(c, bias=np.zeros_like(c.args[4]))),
    Mistake("transposed_recurrent_kernel", "recurrent_kernel을 전치해서 썼습니다: h_prev @ recurrent_kernel "
            "(shape (units, units), 행이 이전 상태)입니다.", lambda c: _ref(c, recurrent_kernel=c.args[3].T)),
    Mistake("forgot_recurrent", "이전 은닉 상태 h_prev의 항(h_prev @ recurrent_kernel)을 빠뜨렸습니다.",
            lambda c: _ref(c, recurrent_kernel=np.zeros_like(c.args[3]))),
    Mistake("wrong_activation_sigmoid", "활성화 함수가 틀렸습니다: SimpleRNN의 기본 활성화 함수는 tanh입니다 (sigmoid를 썼습니다).",
            lambda c: _ref(c, activation="sigmoid")),
    Mistake("wrong_activation_relu", "활성화 함수가 틀렸습니다: SimpleRNN의 기본 활성화 함수는 tanh입니다 (relu를 썼습니다).",
            lambda c: _ref(c, activation="relu")),
    Mistake("no_activation", "활성화 함수(tanh)를 적용하지 않았습니다.", lambda c: _ref(c, activation="linear")),
]


def cases(rng):
    result = [Case("가중치가 모두 0이면 출력도 0", (np.ones((2, 3)), np.ones((2, 2)), np.zeros((3, 2)), np.zeros((2, 2)),
                                                np.zeros(2)), weight=0.5)]
    for batch, features, units in ((2, 4, 3), (1, 5, 2), (8, 16, 8), (3, 1, 6)):
        kernel, recurrent_kernel, bias = rnn_weights(rng, features, units)
        result.append(Case(f"무작위 입력 (배치 {batch}, 특성 {features}, 뉴런 {units})",
                           (rng.standard_normal((batch, features)), 0.5 * rng.standard_normal((batch, units)),
                            kernel, recurrent_kernel, bias)))
    return result


def grade(case, answers):
    check_close(answers(FUNCTION, *case.args), reference.rnn_cell_forward(*case.args), case, MISTAKES)
