"""Tokens and accounts: ``students import`` / ``students token`` / ``instructors add`` through the real
CLI parser (``autograder.cli.main``), on SQLite and on the throwaway PostgreSQL."""
import base64
import csv
import hashlib
import io
import os
import re
import stat

import pytest
from sqlalchemy import select

from autograder.cli import main
from autograder.server import tokens
from autograder.server.db import DB_FILE, Database, default_url
from autograder.server.models import Instructor, Student
from autograder.server.tokens import find_account, hash_token, new_token

ROSTER = "student_id,name,email\n2024001,김철수,kim@example.kr\n2024002,이영희,\n2024003,Park Minsu,park@example.kr\n"


def cli(capsys, *args):
    """(exit status, stdout, stderr) of ``python -m autograder ARGS`` run in this process."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def tokens_of(out):
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["student_id", "token"], out
    return dict(rows[1:])


def students(db_url):
    db = Database(db_url)
    try:
        with db.session() as session:
            return {s.id: (s.name, s.email) for s in session.scalars(select(Student))}
    finally:
        db.dispose()


def account(db_url, token):
    db = Database(db_url)
    try:
        with db.session() as session:
            found = find_account(session, token)
            return found and (type(found).__name__, found.id if isinstance(found, Student) else found.name)
    finally:
        db.dispose()


# tokens ---------------------------------------------------------------------------------------

def test_tokens_have_at_least_128_random_bits():
    made = [new_token() for _ in range(2000)]
    assert len(set(made)) == len(made)
    for token in made[:50]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token), token  # URL-safe, no padding
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    alphabet = set("".join(made))
    assert len(alphabet) == 64  # every URL-safe base64 letter shows up: not hex, not a fixed prefix


def test_hash_is_sha256_of_the_token_not_the_token():
    token = new_token()
    assert hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in hash_token(token) and hash_token(token) != hash_token(new_token())


def test_find_account_compares_in_constant_time(database, monkeypatch):
    student_token, instructor_token = new_token(), new_token()
    with database.session() as session:
        session.add(Student(id="2024001", name="김철수", token_hash=hash_token(student_token)))
        session.add(Student(id="2024002", name="이영희", token_hash=hash_token(new_token())))
        session.add(Instructor(name="박교수", token_hash=hash_token(instructor_token)))
    compared = []
    real = tokens.hmac.compare_digest
    monkeypatch.setattr(tokens.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    with database.session() as session:
        assert find_account(session, student_token).id == "2024001"
        assert compared == [(hash_token(student_token),) * 2]
        assert find_account(session, instructor_token).name == "박교수"
        for wrong in [new_token(), student_token[:-1], student_token + "x", hash_token(student_token), "", None,
                      "x" * 10000]:
            assert find_account(session, wrong) is None


# students import -----------------------------------------------------------------------------

def test_import_creates_prints_tokens_once_then_updates(db_url, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, out, err = cli(capsys, "students", "import", roster, "--course", tmp_path, "--db", db_url)
    assert code == 0, err
    issued = tokens_of(out)
    assert sorted(issued) == ["2024001", "2024002", "2024003"]
    assert "created 3" in err
    assert students(db_url) == {"2024001": ("김철수", "kim@example.kr"), "2024002": ("이영희", None),
                                "2024003": ("Park Minsu", "park@example.kr")}
    for student_id, token in issued.items():
        assert account(db_url, token) == ("Student", student_id)

    # again, with a changed e-mail and one new student: only the new one gets (and shows) a token
    roster.write_text(ROSTER.replace("2024002,이영희,", "2024002,이영희,lee@example.kr") + "2024004,최지우,\n",
                      encoding="utf-8")
    code, out, err = cli(capsys, "students", "import", roster, "--course", tmp_path, "--db", db_url)
    assert code == 0, err
    assert list(tokens_of(out)) == ["2024004"]
    assert "created 1, updated 1, unchanged 2" in err
    assert students(db_url)["2024002"] == ("이영희", "lee@example.kr")
    assert account(db_url, issued["2024002"]) == ("Student", "2024002")  # earlier tokens still work

    code, out, err = cli(capsys, "students", "import", roster, "--course", tmp_path, "--db", db_url)
    assert (code, out) == (0, "")  # nothing created: nothing printed on stdout


def test_tokens_are_stored_only_hashed(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, out, _ = cli(capsys, "students", "import", roster, "--course", tmp_path)
    code2, out2, _ = cli(capsys, "instructors", "add", "박교수", "--course", tmp_path)
    assert code == code2 == 0
    clear = list(tokens_of(out).values()) + [out2.splitlines()[-1]]
    stored = b"".join(p.read_bytes() for p in tmp_path.glob(DB_FILE + "*"))
    assert len(stored) > 10000
    for token in clear:
        assert token.encode() not in stored
        assert hash_token(token).encode() in stored  # the database does hold the digests


def test_korean_cp949_roster_with_bom_free_korean_headers(tmp_path, capsys):
    roster = tmp_path / "명단.csv"
    roster.write_bytes(" 학번 , 이름 , 이메일 \r\n2024001,김철수,kim@example.kr\r\n\r\n2024002,이영희,\r\n".encode("cp949"))
    code, out, err = cli(capsys, "students", "import", roster, "--course", tmp_path)
    assert code == 0, err
    assert sorted(tokens_of(out)) == ["2024001", "2024002"]
    assert students(default_url(tmp_path)) == {"2024001": ("김철수", "kim@example.kr"), "2024002": ("이영희", None)}


def test_utf8_bom_roster_with_extra_columns_says_which_it_ignores(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_bytes("\ufeffStudent_ID ,반, Name,phone\n2024001,1,김철수,010\n".encode("utf-8"))
    code, out, err = cli(capsys, "students", "import", roster, "--course", tmp_path)
    assert code == 0, err
    assert students(default_url(tmp_path)) == {"2024001": ("김철수", None)}
    ignored = [line for line in err.splitlines() if "반, phone" in line]
    assert len(ignored) == 1 and "(roster columns not used: 반, phone)" in ignored[0], err


BAD_ROSTERS = {
    "bad header": "id,student\n2024009,김\n",
    "duplicate ids": "student_id,name\n2024009,김\n2024010,이\n2024009,박\n",
    "empty id": "student_id,name\n2024009,김\n,이\n",
    "id with a path": "student_id,name\n../2024009,김\n",
    "empty name": "student_id,name\n2024009,\n",
    "header only": "student_id,name\n",
    "empty file": "",
    "neither utf-8 nor cp949": b"student_id,name\n2024009,\xff\xfe\n",
    "missing file": None,
}


@pytest.mark.parametrize("case", sorted(BAD_ROSTERS))
def test_bad_roster_exits_2_with_one_line_and_writes_nothing(case, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(ROSTER, encoding="utf-8")
    assert cli(capsys, "students", "import", good, "--course", tmp_path)[0] == 0
    before = students(default_url(tmp_path))
    roster = tmp_path / "bad.csv"
    content = BAD_ROSTERS[case]
    if content is not None:
        roster.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out_file = tmp_path / "tokens.csv"
    code, out, err = cli(capsys, "students", "import", roster, "--course", tmp_path, "--out", out_file)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert re.search(r"[가-힣]", err) and re.search(r"\([^)]*[a-z]{4}", err), err  # Korean, then English
    assert students(default_url(tmp_path)) == before
    assert not out_file.exists()


def test_bad_roster_creates_no_database(tmp_path, capsys):
    roster = tmp_path / "bad.csv"
    roster.write_text("student_id,name\n2024009,김\n2024009,이\n", encoding="utf-8")
    assert cli(capsys, "students", "import", roster, "--course", tmp_path)[0] == 2
    assert not (tmp_path / DB_FILE).exists()


def test_a_failure_inside_the_transaction_adds_no_one(tmp_path, capsys, monkeypatch):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    monkeypatch.setattr("autograder.server.accounts.new_token", lambda: "same-token-for-everyone")  # unique clash
    out_file = tmp_path / "tokens.csv"
    code, out, err = cli(capsys, "students", "import", roster, "--course", tmp_path, "--out", out_file)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert "same-token" not in err
    assert students(default_url(tmp_path)) == {}
    assert list(tmp_path.iterdir()) != [] and not any(p.name.startswith(".tokens") for p in tmp_path.iterdir())
    assert not out_file.exists()


def test_out_file_is_private_and_never_overwritten(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    out_file = tmp_path / "tokens.csv"
    code, out, err = cli(capsys, "students", "import", roster, "--course", tmp_path, "--out", out_file)
    assert (code, out) == (0, "")
    assert stat.S_IMODE(os.stat(out_file).st_mode) == 0o600
    issued = tokens_of(out_file.read_text(encoding="utf-8"))
    assert sorted(issued) == ["2024001", "2024002", "2024003"]
    assert account(default_url(tmp_path), issued["2024003"]) == ("Student", "2024003")

    roster.write_text(ROSTER + "2024004,최지우,\n", encoding="utf-8")
    code, out, err = cli(capsys, "students", "import", roster, "--course", tmp_path, "--out", out_file)
    assert code == 2 and "overwrite" in err
    assert tokens_of(out_file.read_text(encoding="utf-8")) == issued
    assert "2024004" not in students(default_url(tmp_path))


# students token / instructors add -------------------------------------------------------------

def test_student_token_reset(db_url, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    old = tokens_of(cli(capsys, "students", "import", roster, "--db", db_url)[1])["2024002"]
    code, out, err = cli(capsys, "students", "token", "2024002", "--reset", "--db", db_url)
    assert code == 0, err
    new = out.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", new) and new != old
    assert account(db_url, new) == ("Student", "2024002")
    assert account(db_url, old) is None

    code, out, err = cli(capsys, "students", "token", "9999999", "--reset", "--db", db_url)
    assert (code, out) == (2, "") and "9999999" in err and len(err.strip().splitlines()) == 1
    code, out, err = cli(capsys, "students", "token", "2024002", "--db", db_url)  # no --reset: cannot show
    assert (code, out) == (2, "") and "--reset" in err
    assert account(db_url, new) == ("Student", "2024002")


def test_instructors_add(db_url, capsys):
    code, out, err = cli(capsys, "instructors", "add", "박교수", "--db", db_url)
    assert code == 0, err
    token = out.strip().splitlines()[-1]
    assert account(db_url, token) == ("Instructor", "박교수")
    code, out, err = cli(capsys, "instructors", "add", "박교수", "--db", db_url)
    assert (code, out) == (2, "") and "--reset" in err
    code, out, err = cli(capsys, "instructors", "add", "박교수", "--reset", "--db", db_url)
    assert code == 0
    assert account(db_url, out.strip().splitlines()[-1]) == ("Instructor", "박교수")
    assert account(db_url, token) is None


def test_missing_course_folder_is_one_line(tmp_path, capsys):
    code, out, err = cli(capsys, "instructors", "add", "박교수", "--course", tmp_path / "nowhere")
    assert (code, out) == (2, "") and "nowhere" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()
