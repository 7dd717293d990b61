"""Same code, same score (issue 18 §1): the score of an answer does not depend on the seed that draws
the feedback's examples (the server draws one per upload), nor on who hands it in.

Before the scoring cases were kept apart, one partly wrong notebook scored 11.79, 13.21 and 12.5 of 24
on three uploads. Every known wrong answer is graded here under several seeds: each part's score and
its named mistakes must be the same under all of them, while the examples in the feedback change.
"""
from collections import defaultdict

from autograder.grading.feedback import EXAMPLES_NOTE
from helpers import notebook_of, part
from samples.wrong_answers import WRONG_ANSWERS

SEEDS = (0, 1, 7, 123456)


def test_every_wrong_answer_scores_the_same_under_every_seed(assignment, solutions, grade):
    by_notebook = defaultdict(list)
    for key, wrong in WRONG_ANSWERS.items():
        by_notebook[notebook_of(assignment, wrong.function)].append(key)
    differing = {}
    for notebook, keys in by_notebook.items():
        for key in keys:
            wrong = WRONG_ANSWERS[key]
            answers = {**solutions, wrong.function: wrong.source}
            results = [part(grade(answers, notebook, seed=seed, expected_values="public"), wrong.function)
                       for seed in SEEDS]
            scores = {(r["score"], tuple(r["mistakes"])) for r in results}
            if len(scores) != 1:
                differing[key] = scores
    assert not differing, differing


def test_the_examples_change_with_the_seed_and_say_so(assignment, solutions, grade):
    wrong = WRONG_ANSWERS["gru_no_second_bias"]
    notebook = notebook_of(assignment, wrong.function)
    first, second = (part(grade({**solutions, wrong.function: wrong.source}, notebook, seed=seed,
                                expected_values="public"), wrong.function) for seed in (1, 2))
    assert first["score"] == second["score"] and first["feedback"] != second["feedback"]
    examples = first["feedback"].split(EXAMPLES_NOTE)[1]
    assert "호출: gru_params(" in examples and "기대값:" not in examples
    scoring = first["feedback"].split("채점용 무작위 사례")[1].split(EXAMPLES_NOTE)[0]
    assert "호출:" not in scoring and "기대값:" not in scoring  # the scoring cases never show their calls
    assert "모든 학생에게 같은 사례" in first["feedback"]


def test_a_correct_function_runs_no_examples(solutions, grade):
    result = grade(solutions, "02_parameter_counts", seed=99, expected_values="public")
    assert all(EXAMPLES_NOTE not in p["feedback"] for p in result["parts"] if p["function"])
    assert result["score"] == 12.0
