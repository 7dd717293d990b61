"""Grader for lstm_params: count_params() of a built LSTM layer (four gates)."""
import reference
from autograder.grading.cases import Case, Mistake
from autograder.grading.checks import check_int

FUNCTION = "lstm_params"

MISTAKES = [
    Mistake("three_gates", "LSTM에는 가중치 묶음이 4개 있습니다 (입력·삭제·출력 게이트와 셀 후보: i, f, c, o). 3개로 셌습니다.",
            lambda c: reference.lstm_params(*c.args) // 4 * 3),
    Mistake("one_gate", "LSTM은 SimpleRNN의 4배 크기입니다 (게이트 4개).",
            lambda c: reference.simple_rnn_params(*c.args)),
    Mistake("forgot_bias", "절편(bias)을 빠뜨렸습니다: 게이트마다 units개, 모두 4 × units개입니다.",
            lambda c: reference.lstm_params(*c.args) - 4 * c.args[1]),
]


def cases(rng):
    return [
        Case("책의 예: 임베딩 16차원, 뉴런 8개 (800)", (16, 8)),
        Case("쌓은 LSTM의 두 번째 층: 입력 8차원, 뉴런 8개", (8, 8)),
    ] + [Case("무작위 (특성 수, 뉴런 수)", (int(rng.integers(1, 600)), int(rng.integers(1, 128)))) for _ in range(3)]


def grade(case, answers):
    check_int(answers(FUNCTION, *case.args), reference.lstm_params(*case.args), case, MISTAKES)
