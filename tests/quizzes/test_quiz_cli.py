"""The command line: key, build and its errors (check and score are tested with their modules)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from quizzes.bank import SECTIONS, load_section
from quizzes.cli import main
from quizzes.variants import canonical_form

from quiz_support import FIXTURE_BANK, assert_keras_key, write_roster

REPO = Path(__file__).resolve().parents[2]


def test_key_all_json(capsys):
    assert main(["key", "--section", "all", "--format", "json", "--bank", str(FIXTURE_BANK)]) == 0
    keys = json.loads(capsys.readouterr().out)
    expected = {}
    for section in SECTIONS:  # bank items: the YAML's own key numbers, in bank order
        data = yaml.safe_load((FIXTURE_BANK / f"{section}.yaml").read_text(encoding="utf-8"))
        expected |= {i["id"]: i["key"] for i in data["items"]}
    static = {k: v for k, v in keys.items() if "-p" not in k}
    assert static == expected
    assert list(keys)[:3] == ["9-1-1", "9-1-2", "9-1-x1"]
    for section in SECTIONS:  # parameterized items: the numbered choice is Keras's answer
        for q in canonical_form(load_section(section, FIXTURE_BANK), 0).questions:
            assert keys[q.id] == q.key and all(isinstance(v, int) and 1 <= v <= 4 for v in keys.values())
            if q.origin == "parametric":
                assert_keras_key(q)
    assert {k for k in keys if "-p" in k} == {"9-1-p1", "9-2-p1", "9-2-p2", "9-2-p3", "9-3-p1", "9-3-p2", "9-3-p3"}


def test_key_as_a_command_prints_only_the_key():
    """`python -m quizzes key` computes parameterized keys with Keras: no TensorFlow notice on stderr."""
    result = subprocess.run([sys.executable, "-m", "quizzes", "key", "--section", "9-2", "--format", "json",
                             "--bank", str(FIXTURE_BANK)], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "9-2-p1" in json.loads(result.stdout) and result.stderr == ""


def test_key_csv_and_seed(capsys):
    assert main(["key", "--section", "9-2", "--format", "csv", "--bank", str(FIXTURE_BANK), "--seed", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "section,student_id,name,variant,question,item_id,key,choices"
    assert lines[1] == "9-2,,,CANON,1,9-2-1,2,1|2|3|4"  # the canonical form shows the bank's order


def test_build_english_markdown_and_exports(tmp_path, capsys):
    roster = write_roster(tmp_path)
    out = tmp_path / "out"
    code = main(["build", "--section", "9-3", "--roster", str(roster), "--lang", "en", "--format", "md,moodle,qti",
                 "--out", str(out), "--bank", str(FIXTURE_BANK)])
    assert code == 0 and "files written" in capsys.readouterr().out
    names = sorted(p.relative_to(out / "9-3").as_posix() for p in out.rglob("*") if p.is_file())
    assert names[:5] == ["handout.md", "key-sheet.csv", "key.csv", "key.md", "moodle.xml"]
    assert names[5] == "qti.zip" and len([n for n in names if n.startswith("students/")]) == 3
    md = (out / "9-3" / "handout.md").read_text(encoding="utf-8")
    assert "Answer sheet" in md and "답안" not in md
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.html"))


@pytest.mark.parametrize("argv, message", [
    (["build", "--section", "9-9", "--out", "x"], "unknown section '9-9'"),
    (["build", "--section", "9-1,9-7", "--out", "x"], "알 수 없는 절 9-7"),
    (["build", "--section", "9-1", "--format", "docx", "--out", "x"], "unknown format"),
])
def test_bad_arguments(argv, message, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    assert message in capsys.readouterr().err


def test_bad_roster_and_bank(tmp_path, capsys):
    roster = tmp_path / "r.csv"
    roster.write_text("student_id,name\n1,a\n1,b\n", encoding="utf-8")
    assert main(["build", "--section", "9-1", "--roster", str(roster), "--out", str(tmp_path),
                 "--format", "md", "--bank", str(FIXTURE_BANK)]) == 2
    assert "student id 1 already on line 2" in capsys.readouterr().err
    assert main(["key", "--section", "9-1", "--bank", str(tmp_path)]) == 2
    assert "no such bank file" in capsys.readouterr().err


def test_a_rosters_unused_columns_are_named_in_one_line(tmp_path, capsys):
    roster = tmp_path / "r.csv"
    roster.write_text("student_id,반,name,email\n1,A,가,a@x.kr\n2,B,나,b@x.kr\n", encoding="utf-8")
    assert main(["build", "--section", "9-1", "--roster", str(roster), "--out", str(tmp_path / "out"),
                 "--format", "md", "--bank", str(FIXTURE_BANK)]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "반, email" in line]
    assert lines == ["명단에서 쓰지 않는 열: 반, email (roster columns not used: 반, email)"]


def test_python_dash_m_entry_point():
    result = subprocess.run([sys.executable, "-m", "quizzes", "--help"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    assert all(word in result.stdout for word in ("build", "key", "check", "score"))
