"""The answer-cell rule (issue 9 §1): the answer is graded wherever the student put it.

The first tests grade whole notebooks laid out as students leave them (samples/layouts.py);
before the rule every one of these lost the points (0/12, 0/10, 0/10, NameError). The rest
check the plan itself: what runs, what never runs, and the feedback's notes.
"""
import nbformat
import pytest

from autograder.grading.answer_cells import PROVIDED_LABEL, definitions, grading_plan
from autograder.grading.grade import grade_notebook
from autograder.settings import GradingSettings
from helpers import RELEASE, part
from samples import layouts
from samples.submissions import student_copy


@pytest.fixture(scope="module")
def layout_results(assignment):
    return {name: grade_notebook(nb, assignment, stem, GradingSettings())
            for name, (stem, nb) in layouts.layouts().items()}


def _auto(result):
    return [p for p in result["parts"] if p["function"]]


def test_solved_notebook_without_metadata_gets_full_marks(layout_results):
    result = layout_results["02 solved, metadata and ids stripped"]
    assert all(p["score"] == p["max_score"] for p in _auto(result)), [p["feedback"] for p in _auto(result)]
    assert result["score"] == 12
    assert all("원래 답안 셀 표시(nbgrader 메타데이터)가 없어" in p["feedback"] for p in _auto(result))


@pytest.mark.parametrize("case", ["01 pad_sequences answered in a copy of the stub",
                                  "01 pad_sequences answered in a new cell below the stub",
                                  "01 helper in the student's own cell"])
def test_answer_outside_the_stub_is_graded_and_the_cell_named(layout_results, case):
    got = part(layout_results[case], "pad_sequences")
    assert got["score"] == got["max_score"], got["feedback"]
    assert "채점한 셀: 위에서" in got["feedback"] and "`def pad_sequences`를 마지막으로 정의한 셀" in got["feedback"]


def test_untouched_answer_cell_is_not_called_moved(layout_results):
    got = part(layout_results["01 pad_sequences answered in a copy of the stub"], "one_hot")
    assert got["score"] == got["max_score"] and "채점한 셀" not in got["feedback"]


def test_names_the_notebook_provides_exist_with_the_source_values(layout_results):
    for case in ("01 NUM_WORDS, OOV, limit_vocab from the notebook", "01 provided constant cell edited (NUM_WORDS = 500)"):
        got = part(layout_results[case], "one_hot_nbytes")
        assert got["score"] == got["max_score"], f"{case}:\n{got['feedback']}"


def _release(name):
    return nbformat.read(RELEASE / f"{name}.ipynb", as_version=4)


PAD_USING = '''import numpy as np

def pad_sequences(sequences, maxlen=None, padding="pre", truncating="pre", value=0):
    return {call}
'''


def test_name_error_for_a_name_defined_outside_the_answer_cells_says_so(assignment):
    nb = _release("01_padding_encoding")
    nb = layouts.own_cell_above(nb, "pad_sequences", "import keras\n\ndef keras_pad(s, **k):\n    return keras.utils.pad_sequences(s, **k)\n")
    nb = layouts.own_cell_above(nb, "one_hot", "SHIFT = int('3')\n")
    nb = student_copy(nb, {"pad_sequences": PAD_USING.format(call="keras_pad(sequences)"),
                           "one_hot": "def one_hot(sequences, num_classes=None):\n    return SHIFT + len(reviews)\n"})
    result = grade_notebook(nb, assignment, "01_padding_encoding", GradingSettings())
    pad, one_hot = part(result, "pad_sequences"), part(result, "one_hot")
    assert pad["score"] == 0 and one_hot["score"] == 0
    assert "`keras_pad`는 답안 셀 밖에서 정의되어 채점 때 없습니다" in pad["feedback"]
    assert "keras/tensorflow를 불러오는 셀이라 채점 때 실행되지 않습니다" in pad["feedback"]
    assert "`SHIFT`는 답안 셀 밖에서 정의되어 채점 때 없습니다" in one_hot["feedback"]
    assert "import·함수 정의·상수가 아니라" in one_hot["feedback"]


def test_test_cells_never_run_from_the_students_copy(assignment, solutions):
    nb = student_copy(_release("02_parameter_counts"), {k: v for k, v in solutions.items() if k != "dense_params"})
    test_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_dense_params")
    test_cell.source = "def dense_params(n_inputs, units):\n    return units * (n_inputs + 1)\n"
    test_cell.metadata = {}  # even when nothing but its cell id says it is a test cell
    result = grade_notebook(nb, assignment, "02_parameter_counts", GradingSettings())
    assert part(result, "dense_params")["score"] == 0
    assert part(result, "simple_rnn_params")["score"] == 3


def test_plan_runs_provided_definitions_from_the_source_without_keras_cells(assignment):
    spec = assignment.spec_for("01_padding_encoding.ipynb")
    nb = layouts.edit_cell(_release("01_padding_encoding"), "cell-03", "NUM_WORDS = 500\n")
    plan = grading_plan(nb, spec)
    code = "\n".join(source for label, source in plan.cells if label == PROVIDED_LABEL)
    everything = "\n".join(source for _, source in plan.cells)
    assert "NUM_WORDS = 200" in code and "NUM_WORDS = 500" not in everything
    assert "def limit_vocab" in code and "def encode" in code
    # cells that import Keras (data loading, examples) and non-definition lines never run
    assert "import keras" not in code and "load_data(num_words=NUM_WORDS)" not in code and "train_test_split" not in code
    assert "word_rank = {" in code and "first = reviews[0]" not in everything


def test_last_definition_wins_as_in_the_kernel(assignment):
    spec = assignment.spec_for("02_parameter_counts.ipynb")
    nb = _release("02_parameter_counts")
    nb = layouts.answer_below(nb, "dense_params", "def dense_params(n_inputs, units):\n    return 1\n")
    nb = layouts.answer_below(nb, "dense_params", "def dense_params(n_inputs, units):\n    return 2\n")
    graded = grading_plan(nb, spec).graded["dense_params"]
    assert "return 1" in graded.source and graded.moved  # the lower of the two new cells
    nb = layouts.answer_below(_release("02_parameter_counts"), "dense_params", "def dense_params(n_inputs, units)\n    return 1\n")
    assert "return 1" in grading_plan(nb, spec).graded["dense_params"].source  # a syntax error is graded, not hidden


def test_definitions_keep_imports_defs_and_constants_only():
    source = ("import math\nN = 3\nM = N * 2\nX = compute()\nprint(N)\nfor i in range(2):\n    pass\n"
              "def f(x):\n    return x + N\nK = f(1)\nlimit = 1; print(limit)\n")
    code, bound, skipped = definitions(source, exclude={"limit"})
    assert bound == {"math", "N", "M", "f"} and {"X", "K", "i", "limit"} <= skipped
    assert len(code.splitlines()) <= len(source.splitlines())
    assert code.splitlines()[7] == "def f(x):"  # line numbers still match the cell
    exec(compile(code, "<cell>", "exec"), {})



def _cut_between_words(shown, whole):
    assert shown.endswith("…") and len(shown) <= 80, shown
    head = shown[:-1].rstrip()
    assert whole.startswith(head), shown
    assert not (head[-1].isalnum() and whole[len(head)].isalnum()), f"cut inside a word: {shown!r}"


def test_the_graded_cells_quoted_line_is_cut_between_words():
    from autograder.grading.answer_cells import GradedCell, GradingPlan

    line = ("def pad_sequences(sequences, maxlen=None, padding='pre', truncating='pre', value=0, "
            "dtype='int32', extra_argument_with_a_long_name=None):")
    plan = GradingPlan((), {"pad_sequences": GradedCell(3, "c3", f"# 내 답\n{line}\n    pass\n", True, True)})
    (note,) = plan.notes("pad_sequences")
    _cut_between_words(note.split("(`", 1)[1].split("`)", 1)[0], line)


def test_a_cases_long_value_is_cut_between_numbers():
    from autograder.grading.cases import _short

    value = [10_000 + i for i in range(40)]
    _cut_between_words(_short(value), repr(value))
