"""The printed summary of a class autograde: columns line up with Korean in them, and a total
says which of its points wait for hand grading (scores.csv too)."""
import csv

from autograder.batch.run import BatchResult, NotebookReport
from autograder.batch.summary import format_table, write_reports
from terminal.width import display_width

NOTEBOOKS = ["01_padding_encoding", "02_parameter_counts", "03_simple_rnn_forward"]


def _result():
    full = NotebookReport("graded", 20.0, 24.0, manual_max_score=4.0)
    reports = {
        "kim": {NOTEBOOKS[0]: full, NOTEBOOKS[1]: NotebookReport("graded", 12.0, 12.0, manual_max_score=0.0),
                NOTEBOOKS[2]: NotebookReport("missing", 0.0, None, "제출하지 않음")},
        "김민준": {NOTEBOOKS[0]: NotebookReport("unreadable", 0.0, None, "not JSON"),
                NOTEBOOKS[1]: NotebookReport("error", 0.0, None, "worker died"), NOTEBOOKS[2]: full},
    }
    return BatchResult("ch09", NOTEBOOKS, reports, [], [], 1.0, 2)


def _ends(line, cells):
    """The terminal column where each of ``cells`` (in order) ends on ``line``."""
    ends, at = [], 0
    for cell in cells:
        at = line.index(cell, at) + len(cell)
        ends.append(display_width(line[:at]))
    return ends


def test_table_columns_line_up_in_terminal_columns():
    header, kim, kim_ko = format_table(_result()).split("\n\n")[0].splitlines()
    assert display_width(header) == display_width(kim) == display_width(kim_ko)
    columns = _ends(header, ["학생", *NOTEBOOKS])[1:]
    assert _ends(kim, ["kim", "20/24 (수동 4점 대기)", "12/12", "미제출"])[1:] == columns, (header, kim)
    assert _ends(kim_ko, ["김민준", "읽기실패", "채점안됨", "20/24 (수동 4점 대기)"])[1:] == columns, (header, kim_ko)
    assert kim.index("kim") == kim_ko.index("김민준") == 0


def test_totals_say_which_points_wait_for_hand_grading(tmp_path):
    result = _result()
    table = format_table(result)
    kim = next(line for line in table.splitlines() if line.startswith("kim "))
    assert "20/24 (수동 4점 대기)" in kim and "12/12" in kim and "12/12 (" not in kim and "미제출" in kim
    folder = write_reports(result, tmp_path)
    with open(folder / "scores.csv", encoding="utf-8") as f:
        rows = {(r["student"], r["notebook"]): r for r in csv.DictReader(f)}
    assert rows[("kim", NOTEBOOKS[0])]["manual_max_score"] == "4.0"
    assert rows[("kim", NOTEBOOKS[1])]["manual_max_score"] == "0.0"
