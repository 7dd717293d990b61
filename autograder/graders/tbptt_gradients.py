"""Grader for tbptt_gradients: backpropagation through the last `truncate` timesteps only."""
import reference
from autograder.grading import lecture_backprop
from autograder.grading.cases import Mistake, imdb_gradient_case
from autograder.grading.checks import check_dict_close

FUNCTION = "tbptt_gradients"

MISTAKES = [
    Mistake("untransposed_recurrent_kernel", lecture_backprop.MESSAGE,
            lambda c: lecture_backprop.untransposed_recurrent_gradients(*c.args, **c.kwargs)),
    Mistake("not_truncated", "truncate개의 마지막 타임스텝까지만 거슬러 올라가야 하는데 전체 시퀀스를 역전파했습니다.",
            lambda c: reference.bptt_gradients(*c.args)),
    Mistake("off_by_one", "거슬러 올라가는 타임스텝 수가 하나 다릅니다: 마지막 truncate개의 스텝(출력 직전 스텝 포함)입니다.",
            lambda c: reference.tbptt_gradients(*c.args, truncate=c.kwargs["truncate"] + 1)),
    Mistake("summed_not_mean", "손실은 배치의 평균입니다: 그레이디언트를 배치 크기로 나누세요.",
            lambda c: {k: v * len(c.args[0]) for k, v in reference.tbptt_gradients(*c.args, **c.kwargs).items()}),
]


def cases(rng):
    specs = (("길이 10 중 마지막 3스텝", (2, 10, 15, 3, 3), 3),
             ("길이 12 중 마지막 5스텝, 앞쪽 패딩", (3, 12, 20, 4, 3, 4), 5),
             ("truncate가 시퀀스보다 길면 전체 BPTT와 같다", (2, 5, 10, 3, 2), 10))
    return [imdb_gradient_case(rng, label, *shape, kwargs={"truncate": truncate})
            for label, shape, truncate in specs]


def grade(case, answers):
    check_dict_close(answers(FUNCTION, *case.args, **case.kwargs), reference.tbptt_gradients(*case.args, **case.kwargs),
                     case, MISTAKES)
