"""Grader for simple_rnn_forward: keras.layers.SimpleRNN with given weights."""
import numpy as np

import reference
from autograder.grading.cases import Case, Mistake, rnn_weights
from autograder.grading.checks import check_close

FUNCTION = "simple_rnn_forward"


def _ref(case, **changes):
    x, kernel, recurrent_kernel, bias = case.args
    kwargs = {"kernel": kernel, "recurrent_kernel": recurrent_kernel, "bias": bias, **case.kwargs, **changes}
    return reference.simple_rnn_forward(x, **kwargs)


def _first_state(case):
    states = _ref(case, return_sequences=True)
    return None if case.kwargs.get("return_sequences") else states[:, 0]


MISTAKES = [
    Mistake("forgot_bias", "절편(bias)을 더하지 않았습니다.", lambda c: _ref(c, bias=np.zeros_like(c.args[3]))),
    Mistake("transposed_recurrent_kernel", "recurrent_kernel을 전치해서 썼습니다: h @ recurrent_kernel입니다.",
            lambda c: _ref(c, recurrent_kernel=c.args[2].T)),
    Mistake("returned_first_state", "마지막 타임스텝이 아니라 첫 타임스텝의 은닉 상태를 반환했습니다. "
            "return_sequences=False이면 마지막 은닉 상태 (batch, units)를 반환합니다.", _first_state),
    Mistake("ignored_h0", "h0(초기 은닉 상태)를 무시하고 0에서 시작했습니다.",
            lambda c: _ref(c, h0=None) if c.kwargs.get("h0") is not None else None),
    Mistake("wrong_activation_sigmoid", "활성화 함수가 틀렸습니다: tanh를 써야 합니다 (sigmoid를 썼습니다).",
            lambda c: _ref(c, activation="sigmoid")),
    Mistake("wrong_activation_relu", "활성화 함수가 틀렸습니다: tanh를 써야 합니다 (relu를 썼습니다).",
            lambda c: _ref(c, activation="relu")),
    Mistake("no_activation", "활성화 함수(tanh)를 적용하지 않았습니다.", lambda c: _ref(c, activation="linear")),
    Mistake("returned_all_states", "return_sequences=False이면 모든 타임스텝이 아니라 마지막 은닉 상태만 반환합니다.",
            lambda c: None if c.kwargs.get("return_sequences") else _ref(c, return_sequences=True)),
    Mistake("returned_last_only", "return_sequences=True이면 모든 타임스텝의 은닉 상태 (batch, timesteps, units)를 반환합니다.",
            lambda c: _ref(c, return_sequences=False) if c.kwargs.get("return_sequences") else None),
]


def cases(rng):
    result = []
    shapes = [(2, 5, 4, 3, {}), (3, 7, 2, 4, {"return_sequences": True}), (1, 1, 3, 2, {}),
              (4, 10, 8, 8, {}), (2, 6, 3, 5, {"return_sequences": True})]
    for batch, steps, features, units, kwargs in shapes:
        kernel, recurrent_kernel, bias = rnn_weights(rng, features, units)
        label = f"무작위 입력 (배치 {batch}, 타임스텝 {steps}, 특성 {features}, 뉴런 {units})"
        if kwargs:
            label += ", return_sequences=True"
        result.append(Case(label, (rng.standard_normal((batch, steps, features)), kernel, recurrent_kernel, bias),
                           kwargs))
    kernel, recurrent_kernel, bias = rnn_weights(rng, 3, 4)
    result.append(Case("초기 상태 h0가 주어질 때", (rng.standard_normal((2, 4, 3)), kernel, recurrent_kernel, bias),
                       {"h0": rng.uniform(-0.9, 0.9, (2, 4))}))
    return result


def grade(case, answers):
    check_close(answers(FUNCTION, *case.args, **case.kwargs), reference.simple_rnn_forward(*case.args, **case.kwargs),
                case, MISTAKES)
