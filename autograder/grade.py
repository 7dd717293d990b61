"""grade(notebook, assignment) -> result: the one grading path used by everything that grades.

  extract the answer cells (by grade_id from the source notebook, never the test cells)
  -> run them in the sandbox -> the hidden pytest graders ask for outputs on their cases
  -> compare in this process against real Keras -> scores and Korean feedback per part.
No global state: the CLI, nbgrader's autograde, the demo and the tests all call this.
"""
import ast
from dataclasses import dataclass

import nbformat

from autograder.assignment import NotGradable, is_answer_cell, nbgrader_meta
from autograder.feedback import part_feedback
from autograder.graders.plugin import run_graders
from autograder.sandbox.session import SandboxConfig, SandboxSession
from autograder.sandbox.wire import FORBIDDEN
from autograder.student import SandboxStudent

MANUAL_FEEDBACK = "수동 채점 문항입니다: 강사가 읽고 채점합니다."


@dataclass(frozen=True)
class GradingConfig:
    """timeout: seconds per answer cell and per call; memory_mb: the sandbox's memory cap;
    isolation: "bwrap" | "process" | "auto"; seed: picks the random cases (same seed, same cases)."""

    timeout: float = 10.0
    memory_mb: int = 2048
    isolation: str = "bwrap"
    seed: int = 0

    def sandbox(self):
        return SandboxConfig(self.timeout, self.memory_mb, self.isolation)


def read_notebook(path):
    """nbformat v4 notebook from a path, or NotGradable with a one-line reason."""
    try:
        return nbformat.read(str(path), as_version=4)
    except FileNotFoundError:
        raise NotGradable(f"no such file: {path}") from None
    except Exception as exc:  # nbformat raises many kinds for a broken file
        raise NotGradable(f"not a readable notebook: {path} ({type(exc).__name__})") from None


def extract_answers(nb, spec):
    """[(grade_id, source)] for the spec's answer cells found in ``nb`` (first copy of each id)."""
    found = {}
    for cell in nb.get("cells", []):
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in spec.answer_ids and grade_id not in found and is_answer_cell(cell):
            source = cell.get("source", "")
            found[grade_id] = source if isinstance(source, str) else "".join(source)
    return [(g, found[g]) for g in spec.answer_ids if g in found]


def imports_forbidden(source):
    """True when an answer cell imports keras/tensorflow/jax/torch or the grader (static check)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in ("__import__", "import_module") and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        if any(n.split(".")[0] in FORBIDDEN for n in names):
            return True
    return False


def grade_notebook(nb, assignment, name, config=GradingConfig()):
    """Grade one notebook ``nb`` (a NotebookNode) of ``assignment`` as notebook ``name``.

    Returns {"notebook", "score", "max_score", "parts": [{"function", "grade_id", "score",
    "max_score", "feedback"}]}; manual parts have function None and score None.
    """
    spec = assignment.spec_for(name)
    answers = extract_answers(nb, spec)
    forbidden = {g for g, src in answers if imports_forbidden(src)}
    with SandboxSession(answers, config.sandbox()) as session:
        student = SandboxStudent(session)
        results = run_graders(spec.functions, student, config.seed) if spec.functions else []
        cell_errors = session.cell_errors
    parts = []
    for part in spec.parts:
        if part.function is None:
            parts.append({"function": None, "grade_id": part.grade_id, "score": None,
                          "max_score": part.points, "feedback": MANUAL_FEEDBACK})
            continue
        mine = [r for r in results if r.function == part.function]
        used_keras = part.function in forbidden or any(r.error is not None and r.error.forbidden for r in mine)
        total = sum(r.case.weight for r in mine)
        earned = sum(r.case.weight for r in mine if r.passed)
        score = 0.0 if used_keras or not total else round(part.points * earned / total, 2)
        text = part_feedback(part.function, score, part.points, mine, config.timeout,
                             cell_errors.get(part.function), used_keras)
        parts.append({"function": part.function, "grade_id": part.grade_id, "score": score,
                      "max_score": part.points, "feedback": text})
    auto = [p for p in parts if p["score"] is not None]
    return {"notebook": spec.name, "score": round(sum(p["score"] for p in auto), 2),
            "max_score": sum(p["max_score"] for p in parts), "parts": parts}
