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
        "S5": ("EEEEEE", 3, 3),          # unknown code ZZZZZZ: scored on their own copy
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
        "line 9: 학생 S5이(가) 적은 유형 ZZZZZZ은(는) 어느 사본에도 없어 본인 사본(유형 EEEEEE)으로 채점합니다 "
        "(student S5 wrote variant ZZZZZZ, which is on no copy; scored on their own copy EEEEEE)",
        "line 10: student S5: 3 fields where the header has 6; row skipped",
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
    # KR-20: k = 3, p(1-p) = .1875 + .25 + .1875 = .625, totals 3,2,1,0 have variance 1.25
    assert report.kr20 == pytest.approx(3 / 2 * (1 - 0.625 / 1.25))


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
        assert [r["student_id"] for r in csv.DictReader(f)] == ["S1", "S2", "S3", "S4", "S5"]
    with open(out / "items.csv", encoding="utf-8-sig") as f:
        assert [r["item_id"] for r in csv.DictReader(f)] == ["i1", "i2", "i3"]
    png = (out / "report.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_kr20_needs_variance(tmp_path):
    responses = tmp_path / "r.csv"
    responses.write_text("student_id,1,2\nA,1,1\nB,1,1\n", encoding="utf-8")
    assert score(responses, _canonical_key(tmp_path, 2)).kr20 is None


@pytest.mark.parametrize("written", ["bbbbbb", " BBB-BBB ", "BBBBBB"])
def test_variant_codes_are_normalised(tmp_path, written):
    key = tmp_path / "key.csv"
    key.write_text(KEY, encoding="utf-8")
    responses = tmp_path / "r.csv"
    responses.write_text(f"student_id,variant,1,2,3\nS2,{written},4,1,2\n", encoding="utf-8")
    report = score(responses, key)
    assert [(s["variant"], s["score"]) for s in report.students] == [("BBBBBB", 3)]
    assert not [m for m in report.messages if "line 2" in m]


@pytest.mark.parametrize("typed, printed", [("o0iL1", "00111"), ("ab-c d", "ABCD"), ("k8664s", "K8664S")])
def test_normal_code(typed, printed):
    from quizzes.variants import normal_code

    assert normal_code(typed) == printed


def test_crockford_lookalikes_match_the_printed_code(tmp_path):
    key = tmp_path / "key.csv"
    key.write_text(KEY.replace("BBBBBB", "B0B1B1"), encoding="utf-8")
    responses = tmp_path / "r.csv"
    responses.write_text("student_id,variant,1,2,3\nS2,bObIbl,4,1,2\n", encoding="utf-8")
    report = score(responses, key)
    assert [(s["variant"], s["score"]) for s in report.students] == [("B0B1B1", 3)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_responses_in_korean_excel_encodings(tmp_path, encoding):
    """학번 as the id column, spaces around header names, cp949 as Korean Excel saves it."""
    key = tmp_path / "key.csv"
    key.write_text(KEY, encoding="utf-8")
    responses = tmp_path / "r.csv"
    responses.write_text(" 학번 , 유형 ,1, 2 ,3\nS1,AAAAAA,1,2,3\nS2,BBBBBB,1,1,1\n", encoding=encoding)
    report = score(responses, key)
    assert [(s["student_id"], s["score"]) for s in report.students] == [("S1", 3), ("S2", 1)]


def test_responses_in_another_encoding_name_the_file(tmp_path, files):
    _, key = files
    responses = tmp_path / "utf16.csv"
    responses.write_text("student_id,1\nS1,1\n", encoding="utf-16")
    with pytest.raises(InputError) as info:
        score(responses, key)
    assert str(responses) in str(info.value) and "CSV UTF-8" in str(info.value)


def test_answers_of_another_section_are_an_error(tmp_path, files):
    """Responses whose codes are all unknown to the key sheet: another section's key sheet."""
    _, key = files
    responses = tmp_path / "r.csv"
    responses.write_text("student_id,variant,1,2,3\nS1,QQQQQQ,1,2,3\nS2,RRRRRR,1,1,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="유형 코드가 .*9-1"):
        score(responses, key)
    strangers = tmp_path / "s.csv"
    strangers.write_text("student_id,1,2,3\nX1,1,2,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="학번이 "):
        score(strangers, key)


@pytest.mark.parametrize("argv, path_in_message", [
    (["score", "nosuch.csv", "--key", "KEY"], "nosuch.csv"),
    (["score", "RESPONSES", "--key", "nosuch.csv"], "nosuch.csv"),
    (["score", "RESPONSES", "--key", "FOLDER"], "FOLDER"),
    (["build", "--section", "9-1", "--roster", "nosuch.csv", "--format", "md", "--out", "OUT"], "nosuch.csv"),
    (["build", "--section", "9-1", "--roster", "FOLDER", "--format", "md", "--out", "OUT"], "FOLDER"),
])
def test_missing_input_files_are_one_line_and_exit_2(tmp_path, files, capsys, monkeypatch, argv, path_in_message):
    responses, key = files
    monkeypatch.chdir(tmp_path)
    (tmp_path / "FOLDER").mkdir()
    names = {"KEY": str(key), "RESPONSES": str(responses), "OUT": str(tmp_path / "out")}
    assert main([names.get(a, a) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(path_in_message + ":")


def _tagged_key(tmp_path):
    """A canonical key sheet of one item whose printed choices are tagged (key = choice 2)."""
    path = tmp_path / "key.csv"
    path.write_text("section,student_id,name,variant,question,item_id,key,choices\n"
                    "9-2,,,CANON,1,i1,2,forgot the bias|key|timesteps|3 gates\n"
                    "9-2,,,CANON,2,i2,1,1|2|3|4\n", encoding="utf-8")
    return path


def test_distractor_table_and_misconception_summary(tmp_path):
    """Five students; shares worked out by hand. Totals: A 2, B 2, C 1, D 0, E 0; 27% of 5
    rounds to 1 and ties rank by id, so the upper group is {B} and the lower group {D}."""
    from quizzes.scoring import misconception_summary

    responses = tmp_path / "r.csv"
    responses.write_text("student_id,1,2\nA,2,1\nB,2,1\nC,1,1\nD,1,3\nE,,4\n", encoding="utf-8")
    report = score(responses, _tagged_key(tmp_path))
    rows = {(r["item_id"], r["option"]): r for r in report.distractors}
    assert rows[("i1", "key")]["key"] and rows[("i1", "key")]["share"] == 2 / 5
    assert rows[("i1", "forgot the bias")]["share"] == 2 / 5
    assert rows[("i1", "forgot the bias")]["upper"] == 0 and rows[("i1", "forgot the bias")]["lower"] == 1
    assert rows[("i1", "key")]["upper"] == 1 and rows[("i1", "key")]["lower"] == 0
    assert rows[("i1", "timesteps")]["share"] == 0 and rows[("i1", "-")]["chosen"] == 1
    assert rows[("i2", "3")]["share"] == 1 / 5
    summary = misconception_summary(report.distractors)
    assert summary[0]["misconception"] == "forgot the bias" and summary[0]["share"] == 0.4
    assert {s["misconception"] for s in summary} == {"forgot the bias", "i2 ③", "i2 ④"}
