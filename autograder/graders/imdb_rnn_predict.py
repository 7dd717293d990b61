"""Grader for imdb_rnn_predict: model.predict of Embedding -> SimpleRNN -> Dense(1, sigmoid)."""
import numpy as np

import reference
from autograder.grading.cases import Case, Mistake, imdb_inputs
from autograder.grading.checks import check_close

FUNCTION = "imdb_rnn_predict"
NAMES = ("token_ids", "embeddings", "kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias")


def _ref(case, **changes):
    kwargs = {**dict(zip(NAMES, case.args)), **changes}
    return reference.imdb_rnn_predict(**kwargs)


MISTAKES = [
    Mistake("forgot_sigmoid", "출력층에 sigmoid를 적용하지 않았습니다: 확률은 sigmoid(h @ dense_kernel + dense_bias)입니다.",
            lambda c: _ref(c, output_activation="linear")),
    Mistake("forgot_dense_bias", "출력층 절편(dense_bias)을 더하지 않았습니다.",
            lambda c: _ref(c, dense_bias=np.zeros_like(c.args[6]))),
    Mistake("forgot_bias", "순환층 절편(bias)을 더하지 않았습니다.", lambda c: _ref(c, bias=np.zeros_like(c.args[4]))),
    Mistake("transposed_recurrent_kernel", "recurrent_kernel을 전치해서 썼습니다: h @ recurrent_kernel입니다.",
            lambda c: _ref(c, recurrent_kernel=c.args[3].T)),
]


def _case(rng, label, *shape, pad_front=0):
    return Case(label, imdb_inputs(rng, *shape, pad_front=pad_front))


def cases(rng):
    return [
        _case(rng, "작은 모델 (배치 2, 길이 5, 어휘 10, 임베딩 4, 뉴런 3)", 2, 5, 10, 4, 3),
        _case(rng, "앞쪽이 0(패딩)으로 채워진 입력", 3, 8, 20, 4, 3, pad_front=3),
        _case(rng, "책 크기의 모델 (어휘 500, 임베딩 16, 뉴런 8, 길이 100)", 4, 100, 500, 16, 8),
        _case(rng, "샘플 하나", 1, 6, 30, 5, 2),
    ]


def grade(case, answers):
    check_close(answers(FUNCTION, *case.args), reference.imdb_rnn_predict(*case.args), case, MISTAKES)
