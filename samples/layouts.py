"""Where students put their answers: submissions laid out the way real notebooks end up.

Each function takes a release notebook (a NotebookNode, left unchanged) and returns a new
student copy. The tests and the before/after measurement of the answer-cell rule
(``python -m samples.layouts OUT_DIR``) grade these with ``python -m autograder grade``.
"""
import copy
import sys
from pathlib import Path

import nbformat

from autograder.assignment import nbgrader_meta
from autograder.settings import SOURCE_ROOT
from samples.submissions import solution_answers, student_copy

RELEASE_ROOT = SOURCE_ROOT.parent / "release"


def _stub_index(nb, function):
    return next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == function)


def stripped(nb):
    """The notebook as an editor that drops cell metadata and rewrites cell ids leaves it."""
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        cell.metadata = {}
        cell.id = f"edited-{i:03d}"
    return nb


def answer_in_copy(nb, function, source):
    """The stub cell copied (metadata and all, as Jupyter's copy/paste does) and the answer written in the copy."""
    nb = copy.deepcopy(nb)
    i = _stub_index(nb, function)
    duplicate = copy.deepcopy(nb.cells[i])
    duplicate.id = f"copy-of-{duplicate.id}"
    duplicate.source = source
    nb.cells.insert(i + 1, duplicate)
    return nb


def answer_below(nb, function, source):
    """The stub left as it is and the answer written in a new cell (no metadata) just below it."""
    nb = copy.deepcopy(nb)
    nb.cells.insert(_stub_index(nb, function) + 1, nbformat.v4.new_code_cell(source))
    return nb


def own_cell_above(nb, function, source):
    """A new cell of the student's (e.g. a helper) inserted just above a function's answer cell."""
    nb = copy.deepcopy(nb)
    nb.cells.insert(_stub_index(nb, function), nbformat.v4.new_code_cell(source))
    return nb


def edit_cell(nb, cell_id, source):
    """The student's copy of a provided cell (found by its cell id) rewritten."""
    nb = copy.deepcopy(nb)
    next(c for c in nb.cells if c.get("id") == cell_id).source = source
    return nb


# Answers written the way the layouts above need them (numpy only, correct).
PAD_WITH_HELPER = '''import numpy as np


def pad_sequences(sequences, maxlen=None, padding="pre", truncating="pre", value=0):
    check_side("padding", padding)
    check_side("truncating", truncating)
    sequences = [list(s) for s in sequences]
    if maxlen is None:
        maxlen = max((len(s) for s in sequences), default=0)
    out = np.full((len(sequences), maxlen), value, dtype=np.int32)
    for row, seq in zip(out, sequences):
        kept = (seq[-maxlen:] if truncating == "pre" else seq[:maxlen]) if maxlen else []
        if kept:
            if padding == "pre":
                row[maxlen - len(kept):] = kept
            else:
                row[:len(kept)] = kept
    return out
'''

HELPER = '''def check_side(name, side):
    """padding/truncating 값 확인 (학생이 따로 만든 셀)"""
    if side not in ("pre", "post"):
        raise ValueError(f"{name} must be 'pre' or 'post'")

print(check_side("padding", "pre"))   # 시험 삼아 부른 줄: 채점 때는 실행되지 않습니다
'''

# one_hot_nbytes that relies on the notebook's own NUM_WORDS, OOV and limit_vocab (cell-03 of 01).
NBYTES_WITH_NOTEBOOK_NAMES = '''import numpy as np


def one_hot_nbytes(seq_shape, num_classes=None, dtype="float64"):
    if num_classes is None:
        num_classes = NUM_WORDS
    assert NUM_WORDS == 200 and OOV == 2 and limit_vocab([1, 250]) == [1, 2]
    count = 1
    for d in one_hot_shape(seq_shape, num_classes):
        count *= d
    return count * np.dtype(dtype).itemsize
'''


def layouts(release_root=RELEASE_ROOT, assignment="ch09"):
    """{case name: (notebook file name, student copy)}: the cases of issue 9 §1."""
    release = {p.stem: nbformat.read(p, as_version=4) for p in sorted((Path(release_root) / assignment).glob("*.ipynb"))}
    solutions = solution_answers(SOURCE_ROOT / assignment)
    solved = {name: student_copy(nb, solutions) for name, nb in release.items()}
    only_pad = {k: v for k, v in solutions.items() if k != "pad_sequences"}
    n01 = student_copy(release["01_padding_encoding"], only_pad)
    return {
        "02 solved, metadata and ids stripped": ("02_parameter_counts", stripped(solved["02_parameter_counts"])),
        "01 pad_sequences answered in a copy of the stub": (
            "01_padding_encoding", answer_in_copy(n01, "pad_sequences", solutions["pad_sequences"])),
        "01 pad_sequences answered in a new cell below the stub": (
            "01_padding_encoding", answer_below(n01, "pad_sequences", solutions["pad_sequences"])),
        "01 helper in the student's own cell": (
            "01_padding_encoding", own_cell_above(answer_below(n01, "pad_sequences", PAD_WITH_HELPER),
                                                  "pad_sequences", HELPER)),
        "01 NUM_WORDS, OOV, limit_vocab from the notebook": (
            "01_padding_encoding", student_copy(release["01_padding_encoding"],
                                                {**solutions, "one_hot_nbytes": NBYTES_WITH_NOTEBOOK_NAMES})),
        "01 provided constant cell edited (NUM_WORDS = 500)": (
            "01_padding_encoding", edit_cell(student_copy(release["01_padding_encoding"],
                                                          {**solutions, "one_hot_nbytes": NBYTES_WITH_NOTEBOOK_NAMES}),
                                             "cell-03", "import numpy as np\nNUM_WORDS = 500\nOOV = 2\n")),
    }


def main(out_dir):
    """Write each layout to OUT_DIR/<case number>/<notebook>.ipynb and print the paths."""
    for k, (name, (stem, nb)) in enumerate(layouts().items(), 1):
        folder = Path(out_dir) / f"case{k}"
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{stem}.ipynb")
        print(f"{folder / stem}.ipynb\t{name}")


if __name__ == "__main__":
    main(sys.argv[1])
