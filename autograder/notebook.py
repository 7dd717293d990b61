"""``check(function_name, fn)``: the hidden-test cell of a SOURCE notebook.

Runs the hidden grader on the instructor's own function in this kernel (no sandbox: it is the
instructor's code) and fails the cell with the Korean feedback if any case fails. A model
grader's training case takes the grader's own training (tens of seconds a model): ``train=False``
leaves it out here; tests/autograder/models/test_model_grading.py trains the solution's models. Students
never see this call: nbgrader removes hidden tests from the release, and autograding does
not execute test cells (see autograder.nbgrader_preprocessor).
"""
import dataclasses

from autograder.grading.answers import LocalAnswers
from autograder.grading.feedback import part_feedback
from autograder.grading.cases import SCORING
from autograder.grading.grader_suite import FunctionReport, grader_module, run_graders


def check(function_name, fn, seed=0, train=True):
    if train:
        report = run_graders([function_name], LocalAnswers({function_name: fn}), seed)[function_name]
    else:
        run_graders([], None, seed)  # the backend set up as for grading
        module = grader_module(function_name, SCORING)
        kept = [(c, p) for c, p in zip(module.cases, module.public) if getattr(c, "check", None) != "training"]
        module = dataclasses.replace(module, cases=tuple(c for c, _ in kept), public=tuple(p for _, p in kept))
        report = FunctionReport(function_name, getattr(module.module, "HINTS", {}),
                                module.run(LocalAnswers({function_name: fn})))
    passed = sum(r.passed for r in report.cases)
    if passed != len(report.cases):
        raise AssertionError(part_feedback(report, None, None, timeout=0))
    print(f"숨은 테스트 {len(report.cases)}개 통과: {function_name}")
