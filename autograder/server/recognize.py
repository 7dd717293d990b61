"""Which notebook of an assignment an upload is, from its cells, never from its file name.

Evidence, strongest first: nbgrader grade ids of its cells that belong to one notebook of the
assignment, then cell ids from the release, then the graded functions its code cells define
(editors that drop cell metadata keep the code). The notebook with the most evidence wins; an
upload with none, or a tie, is not a notebook of the assignment.
"""
import nbformat

from autograder.answer_cells import defined_functions
from autograder.assignment import nbgrader_meta
from autograder.errors import NotGradable


def _evidence(nb, spec):
    grade_ids = {nbgrader_meta(c).get("grade_id") for c in nb.cells} - {None}
    cell_ids = {c.get("id") for c in nb.cells} - {None}
    defined = set()
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            defined |= defined_functions(cell.get("source", ""))
    own_grade_ids = set(spec.answer_ids) | {p.grade_id for p in spec.parts}
    own_cell_ids = set(spec.answer_cell_ids.values()) | set(spec.test_cell_ids) | {i for i, _ in spec.provided if i}
    return (len(grade_ids & own_grade_ids), len(cell_ids & own_cell_ids), len(defined & set(spec.functions)))


def recognize(data, assignment):
    """(notebook name, parsed notebook) for uploaded bytes, or NotGradable with a Korean/English reason."""
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as exc:  # not UTF-8, not JSON, not a notebook
        raise NotGradable(f"주피터 노트북(.ipynb) 파일이 아닙니다 (not a readable notebook: {type(exc).__name__})") from None
    scores = {name: _evidence(nb, spec) for name, spec in assignment.notebooks.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best_name, best = ranked[0]
    if not any(best) or (len(ranked) > 1 and ranked[1][1] == best):
        known = ", ".join(f"{n}.ipynb" for n in assignment.notebooks)
        raise NotGradable(f"과제 {assignment.name}의 노트북이 아닙니다: 배포한 노트북({known})에 답을 써서 올리세요 "
                          f"(not a notebook of assignment {assignment.name})")
    return best_name, nb
