"""Which notebook of an assignment a submitted file is, from its cells, never from its file name.

The one way every path that takes a single file recognises it (``python -m autograder grade`` and
the server's upload), so "Copy of 01_padding_encoding.ipynb" is the same notebook to both.
Evidence, strongest first: nbgrader grade ids of its cells that belong to one notebook of the
assignment, then cell ids from the release, then the graded functions its code cells define
(editors that drop cell metadata keep the code). The notebook with the most evidence wins; an
upload with none, or a tie, is not a notebook of the assignment.
"""
import json

import nbformat

from autograder.grading.answer_cells import defined_functions
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


def read_notebook_bytes(data):
    """A v4 notebook from a file's bytes, or NotGradable saying, in Korean and English, what is wrong."""
    not_notebook = "주피터 노트북(.ipynb) 파일이 아닙니다"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotGradable(f"{not_notebook}: UTF-8 텍스트가 아닙니다 (not a notebook: not UTF-8 text)") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated"):  # it stops mid-way: cut short
            raise NotGradable(f"{not_notebook}: 파일이 중간에 끊겼습니다 (not a notebook: the file is cut short, "
                              f"{len(data):,} bytes). 노트북을 다시 저장해 올리세요") from None
        raise NotGradable(f"{not_notebook}: {exc.lineno}번째 줄에서 JSON이 깨졌습니다 (not a notebook: broken JSON "
                          f"at line {exc.lineno})") from None
    try:
        return nbformat.reads(text, as_version=4)
    except Exception:  # noqa: BLE001 - JSON but not a notebook: nbformat raises many kinds
        raise NotGradable(f"{not_notebook}: 노트북 구조가 아닙니다 (not a notebook: JSON without a notebook's "
                          "structure)") from None


def recognize(data, assignment):
    """(notebook name, parsed notebook) for a file's bytes, or NotGradable with a Korean/English reason."""
    nb = read_notebook_bytes(data)
    scores = {name: _evidence(nb, spec) for name, spec in assignment.notebooks.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best_name, best = ranked[0]
    if not any(best) or (len(ranked) > 1 and ranked[1][1] == best):
        known = ", ".join(f"{n}.ipynb" for n in assignment.notebooks)
        raise NotGradable(f"과제 {assignment.name}의 노트북이 아닙니다: 배포한 노트북({known})에 답을 써서 올리세요 "
                          f"(not a notebook of assignment {assignment.name})")
    return best_name, nb
