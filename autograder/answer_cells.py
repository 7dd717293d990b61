"""The answer cells of a submitted notebook: which run at grading, and a static Keras check."""
import ast

from autograder.assignment import is_answer_cell, nbgrader_meta
from autograder.sandbox.wire import FORBIDDEN


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
