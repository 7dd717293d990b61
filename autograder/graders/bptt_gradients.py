"""Grader for bptt_gradients: full backpropagation through time, checked against autodiff of the Keras model."""
import reference
from autograder.grading import lecture_backprop
from autograder.grading.cases import Mistake, imdb_gradient_case
from autograder.grading.checks import check_dict_close

FUNCTION = "bptt_gradients"

MISTAKES = [
    Mistake("untransposed_recurrent_kernel", lecture_backprop.MESSAGE,
            lambda c: lecture_backprop.untransposed_recurrent_gradients(*c.args)),
    Mistake("summed_not_mean", "손실은 배치의 평균입니다: 그레이디언트를 배치 크기로 나누세요.",
            lambda c: {k: v * len(c.args[0]) for k, v in reference.bptt_gradients(*c.args).items()}),
    Mistake("truncated", "이 함수는 모든 타임스텝을 거슬러 올라가는 전체 BPTT입니다 (마지막 몇 스텝만 쓰면 TBPTT).",
            lambda c: reference.tbptt_gradients(*c.args, truncate=1)),
]


def cases(rng):
    return [imdb_gradient_case(rng, label, *shape) for label, shape in (
        ("작은 모델 (배치 2, 길이 4)", (2, 4, 12, 3, 2)),
        ("앞쪽이 패딩된 입력 (배치 3, 길이 8)", (3, 8, 20, 4, 3, 3)),
        ("샘플 하나, 긴 시퀀스 (길이 15)", (1, 15, 10, 3, 4)),
    )]


def grade(case, answers):
    check_dict_close(answers(FUNCTION, *case.args), reference.bptt_gradients(*case.args), case, MISTAKES)
