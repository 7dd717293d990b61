"""grade_notebook(notebook, assignment) -> result: the one grading path used by everything that grades.

  the grading plan (answer_cells.grading_plan: the answer cells wherever the student put them,
  the notebook's provided definitions from the source, the student's own definitions; never
  the test cells) -> run it in the sandbox -> the hidden pytest graders ask for outputs on their cases
  -> compare in this process against real Keras -> scores and Korean feedback per part.
No global state: the CLI, nbgrader's autograde, the demo and the tests all call this.
"""
from autograder.grading.answer_cells import grading_plan
from autograder.grading.answers import SandboxAnswers
from autograder.errors import GraderFault, NotGradable
from autograder.grading.feedback import part_feedback
from autograder.grading.grader_suite import run_graders
from autograder.models.trained import TrainingPlan
from autograder.sandbox.session import SandboxSession
from autograder.settings import GradingSettings

MANUAL_FEEDBACK = "수동 채점 문항입니다: 강사가 읽고 채점합니다."


def grade_notebook(nb, assignment, name, settings=GradingSettings()):
    """Grade one notebook ``nb`` (a NotebookNode) of ``assignment`` as notebook ``name``.

    Returns {"notebook", "status": "graded", "isolation", "memory_cap", "score", "max_score",
    "manual_max_score", "parts": [{"function", "grade_id", "score", "max_score", "feedback", "mistakes"[,
    "details"]}]}; ``mistakes`` lists the known-mistake keys the part's failed cases matched (sorted,
    once each); manual parts have function None, score None and no mistakes: their points are in
    max_score and in manual_max_score (waiting for the instructor), never in score; isolation: how
    the student's code ran ("bwrap", or "process" when that weaker isolation was chosen);
    memory_cap: what held its processes together under ``memory_mb`` ("cgroup" or "watchdog"; None
    when no student code ran); a model part (notebook 05) also has "details": its layers beside the
    reference's and the grader's training (models/report.py). Raises GraderFault when the grader
    itself failed (no score: see ``not_graded``), never a lower score.
    """
    try:
        return _grade(nb, assignment, name, settings)
    except (GraderFault, NotGradable):
        raise
    except Exception as exc:  # noqa: BLE001 - the grader's own failure (a bug, memory, disk): never a score
        raise GraderFault(f"채점기 오류 (grader error: {type(exc).__name__}: {str(exc)[:200]})") from exc


def not_graded(name, max_score, reason):
    """The result of a notebook the grader could not grade: no score, the reason."""
    return {"notebook": name, "status": "not_graded", "reason": reason, "score": None, "max_score": max_score,
            "parts": []}


def _model_details(answers, function):
    """A model part's layer table and training (autograder.models.report; imported here: it needs Keras)."""
    from autograder.models.report import details

    return details(answers, function)


def _grade(nb, assignment, name, settings):
    spec = assignment.spec_for(name)
    plan = grading_plan(nb, spec)
    forbidden = {f for f in spec.functions if plan.forbidden(f)}
    with SandboxSession(plan.cells, settings, spec.sandbox_allows) as session:
        answers = SandboxAnswers(session, TrainingPlan.from_settings(settings))
        reports = run_graders(spec.functions, answers, settings.seed) if spec.functions else {}
        cell_errors = session.cell_errors
        isolation, memory_cap = session.isolation, session.memory_cap
    parts = []
    for part in spec.parts:
        if part.function is None:
            parts.append({"function": None, "grade_id": part.grade_id, "score": None,
                          "max_score": part.points, "feedback": MANUAL_FEEDBACK, "mistakes": []})
            continue
        report = reports[part.function]
        used_keras = part.function in forbidden or any(r.error is not None and r.error.forbidden
                                                       for r in report.cases + report.examples)
        total = sum(r.case.weight for r in report.cases)
        earned = sum(r.case.weight for r in report.cases if r.passed)
        score = 0.0 if used_keras or not total else round(part.points * earned / total, 2)
        cell_error = cell_errors.get(plan.label(part.function))
        notes = plan.notes(part.function, [r.error for r in report.cases + report.examples] + [cell_error])
        text = part_feedback(report, score, part.points, settings.timeout, cell_error, used_keras, notes,
                             settings.expected_values)
        mistakes = sorted({r.mistake for r in report.cases if r.mistake})
        parts.append({"function": part.function, "grade_id": part.grade_id, "score": score,
                      "max_score": part.points, "feedback": text, "mistakes": mistakes})
        shown = _model_details(answers, part.function) if spec.sandbox_allows else None
        if shown is not None:
            parts[-1]["details"] = shown
    auto = [p for p in parts if p["score"] is not None]
    return {"notebook": spec.name, "status": "graded", "isolation": isolation, "memory_cap": memory_cap,
            "score": round(sum(p["score"] for p in auto), 2), "max_score": sum(p["max_score"] for p in parts),
            "manual_max_score": sum(p["max_score"] for p in parts if p["score"] is None), "parts": parts}
