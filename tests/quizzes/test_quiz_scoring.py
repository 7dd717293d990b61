"""Scoring answer sheets against the key sheet, with one clear message per bad row or answer."""
import csv
import math

import pytest

from quizzes.cli import main
from quizzes.errors import InputError
from quizzes.scoring import score

KEY = """section,student_id,name,variant,question,item_id,key
9-1,S1,가,AAAAAA,1,i1,1
9-1,S1,가,AAAAAA,2,i2,2
9-1,S1,가,AAAAAA,3,i3,3
9-1,S2,나,BBBBBB,1,i2,4
9-1,S2,나,BBBBBB,2,i3,1
9-1,S2,나,BBBBBB,3,i1,2
9-1,S3,다,CCCCCC,1,i3,2
9-1,S3,다,CCCCCC,2,i1,3
9-1,S3,다,CCCCCC,3,i2,4
9-1,S4,라,DDDDDD,1,i1,4
9-1,S4,라,DDDDDD,2,i2,3
9-1,S4,라,DDDDDD,3,i3,2
9-1,S5,마,EEEEEE,1,i2,1
9-1,S5,마,EEEEEE,2,i1,1
9-1,S5,마,EEEEEE,3,i3,1
"""

RESPONSES = """student_id,variant,1,2,3,4
S1,AAAAAA,1,②,3,
S2,BBBBBB,4,1,1,
S9,AAAAAA,1,2,3,
,CCCCCC,2,3,4,
S1,AAAAAA,1,1,1,
S3,CCCCCC,2,,"1,3",
S4,EEEEEE,1,1,7,2
S5,ZZZZZZ,1,1,1,
S5,EEEEEE,1
"""


@pytest.fixture
def files(tmp_path):
    key, responses = tmp_path / "key.csv", tmp_path / "responses.csv"
    key.write_text(KEY, encoding="utf-8")
    responses.write_text(RESPONSES, encoding="utf-8")
    return responses, key


def test_scores_and_messages(files):
    report = score(*files)
    scores = {s["student_id"]: (s["variant"], s["score"], s["total"]) for s in report.students}
    assert scores == {
        "S1": ("AAAAAA", 3, 3),
        "S2": ("BBBBBB", 2, 3),          # question 3 wrong
        "S3": ("CCCCCC", 1, 3),          # blank, double answer
        "S4": ("EEEEEE", 2, 3),          # scored on the copy printed for S5; "7" unreadable
    }
    expected = [
        "line 4: unknown student id S9 (not on the key sheet); row skipped",
        "line 5: blank student id; row skipped",
        "line 6: student S1 already answered on line 2; row skipped",
        "line 7: student S3 question 2: blank; scored 0",
        "line 7: student S3 question 3: double answer ①, ③; scored 0",
        "line 8: student S4 answered on the copy printed for S5 (variant EEEEEE, theirs is DDDDDD); "
        "scored on variant EEEEEE",
        "line 8: student S4 question 3: unreadable mark '7'; scored 0",
        "line 8: student S4 answered questions [4], which their copy does not have; ignored",
        "line 9: student S5 wrote variant ZZZZZZ, which is on no copy (theirs is EEEEEE); row skipped",
        "line 10: 3 fields where the header has 6; row skipped",
        "student S5 (EEEEEE) has no responses row",
    ]
    assert report.messages == expected


def _canonical_key(tmp_path, n_items):
    rows = ["section,student_id,name,variant,question,item_id,key"]
    rows += [f"9-1,,,CANON,{n},i{n},1" for n in range(1, n_items + 1)]
    path = tmp_path / "key.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_item_statistics_by_hand(tmp_path):
    """Four students on the canonical form; values worked out on paper."""
    responses = tmp_path / "r.csv"
    responses.write_text("student_id,q1,q2,q3\nA,1,1,1\nB,1,1,2\nC,1,2,2\nD,2,2,2\n", encoding="utf-8")
    report = score(responses, _canonical_key(tmp_path, 3))
    assert [s["score"] for s in report.students] == [3, 2, 1, 0] and report.messages == []
    items = {i["item_id"]: i for i in report.items}
    assert [items[f"i{n}"]["difficulty"] for n in (1, 2, 3)] == [0.75, 0.5, 0.25]
    # item 1: x = 1,1,1,0, rest = 2,1,0,0: cov 0.1875, var x 0.1875, var rest 0.6875
    assert items["i1"]["discrimination"] == pytest.approx(0.1875 / math.sqrt(0.1875 * 0.6875))
    # item 2: x = 1,1,0,0, rest = 2,1,1,0: cov 0.25, var x 0.25, var rest 0.5
    assert items["i2"]["discrimination"] == pytest.approx(0.25 / math.sqrt(0.25 * 0.5))
    assert items["i3"]["discrimination"] == pytest.approx(0.1875 / math.sqrt(0.1875 * 0.6875))
    # 27% of 4 students -> 1 in each group: A (upper) got all right, D (lower) none
    assert all(items[f"i{n}"]["upper_lower"] == 1.0 for n in (1, 2, 3))


def test_constant_item_has_no_discrimination(tmp_path):
    responses = tmp_path / "r.csv"
    responses.write_text("student_id,1,2\nA,1,1\nB,1,2\n", encoding="utf-8")
    items = {i["item_id"]: i for i in score(responses, _canonical_key(tmp_path, 2)).items}
    assert items["i1"]["difficulty"] == 1.0 and items["i1"]["discrimination"] is None


def test_bad_key_sheet(tmp_path, files):
    responses, _ = files
    bad = tmp_path / "bad.csv"
    bad.write_text("student_id,answer\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a key sheet"):
        score(responses, bad)
    gap = tmp_path / "gap.csv"
    gap.write_text(KEY.replace("9-1,S1,가,AAAAAA,2,i2,2\n", ""), encoding="utf-8")
    with pytest.raises(InputError, match="not numbered"):
        score(responses, gap)


def test_score_command_writes_reports(files, tmp_path, capsys):
    responses, key = files
    out = tmp_path / "report"
    assert main(["score", str(responses), "--key", str(key), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "S1          AAAAAA   3/3 (100.0%)" in captured.out
    assert "unknown student id S9" in captured.err
    with open(out / "scores.csv", encoding="utf-8-sig") as f:
        assert [r["student_id"] for r in csv.DictReader(f)] == ["S1", "S2", "S3", "S4"]
    with open(out / "items.csv", encoding="utf-8-sig") as f:
        assert [r["item_id"] for r in csv.DictReader(f)] == ["i1", "i2", "i3"]
    png = (out / "report.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
