"""``check(function_name, fn)``: the hidden-test cell of a SOURCE notebook.

Runs the hidden grader on the instructor's own function in this kernel (no sandbox: it is the
instructor's code) and fails the cell with the Korean feedback if any case fails. Students
never see this call: nbgrader removes hidden tests from the release, and autograding does
not execute test cells (see autograder.nbgrader_preprocessor).
"""
from autograder.answers import LocalAnswers
from autograder.feedback import part_feedback
from autograder.grader_suite import run_graders


def check(function_name, fn, seed=0):
    report = run_graders([function_name], LocalAnswers({function_name: fn}), seed)[function_name]
    passed = sum(r.passed for r in report.cases)
    if passed != len(report.cases):
        raise AssertionError(part_feedback(report, None, None, timeout=0))
    print(f"숨은 테스트 {len(report.cases)}개 통과: {function_name}")
