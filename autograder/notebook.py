"""``check(function_name, fn)``: the hidden-test cell of a SOURCE notebook.

Runs the hidden grader on the instructor's own function in this kernel (no sandbox: it is the
instructor's code) and fails the cell with the Korean feedback if any case fails. Students
never see this call: nbgrader removes hidden tests from the release, and autograding does
not execute test cells (see autograder.nbgrader_plugin).
"""
from autograder.feedback import part_feedback
from autograder.graders.plugin import run_graders
from autograder.student import DirectStudent


def check(function_name, fn, seed=0):
    results = run_graders([function_name], DirectStudent({function_name: fn}), seed)
    passed = sum(r.passed for r in results)
    text = part_feedback(function_name, None, None, results, timeout=0)
    if passed != len(results):
        raise AssertionError(text)
    print(f"숨은 테스트 {len(results)}개 통과: {function_name}")
