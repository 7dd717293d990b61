"""Students and instructors: roster import, token reset, instructor accounts.

Every error a user can cause is an ``AccountError`` with one line in Korean and English; the
functions that write do it in one transaction (all or nothing). Tokens are returned to the caller
(to show once) and stored only hashed.
"""
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from autograder.server.models import Instructor, Student
from autograder.server.tokens import hash_token, new_token

# Safe in URLs and as nbgrader student folder names (the gradebook keeps graded submissions).
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
COLUMNS = {"student_id": "student_id", "학번": "student_id", "name": "name", "이름": "name",
           "email": "email", "이메일": "email"}
ENCODINGS = ("utf-8-sig", "cp949")


class AccountError(Exception):
    """Bad input (roster, id, name): the message is one line, Korean then English."""


class UnknownStudent(AccountError):
    pass


@dataclass(frozen=True)
class RosterRow:
    line: int
    student_id: str
    name: str
    email: str | None


@dataclass(frozen=True)
class Roster:
    """The students of a roster file, and the header names of the columns it has but no one reads."""

    rows: list  # [RosterRow] in file order
    ignored: list = field(default_factory=list)


@dataclass
class ImportResult:
    created: list = field(default_factory=list)  # [(student_id, token)] in roster order
    updated: list = field(default_factory=list)  # [student_id] whose name or email changed
    unchanged: list = field(default_factory=list)


def read_roster(path):
    """The Roster of a CSV file (``student_id,name[,email]`` or ``학번,이름[,이메일]``).

    UTF-8 with or without BOM, or cp949. Header names are trimmed and case-insensitive; other
    columns are not read (``Roster.ignored`` names them); blank lines are skipped. Raises AccountError for a missing or unreadable
    file, a bad header, an empty or malformed id, an empty name, a duplicate id, or no students.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AccountError(f"명단 파일을 읽을 수 없습니다 (cannot read roster {path}: {exc.strerror or exc})") from None
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise AccountError(f"명단 파일의 인코딩을 알 수 없습니다: UTF-8 또는 CP949로 저장하세요 "
                           f"(roster {path} is neither UTF-8 nor cp949)")
    return parse_roster(text, str(path))


def parse_roster(text, source="roster"):
    """``read_roster`` on text already decoded."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
    if header is None:
        raise AccountError(f"명단이 비어 있습니다 (roster {source} is empty)")
    names = [cell.strip().lower() for cell in header]
    columns, ignored = {}, []
    for index, name in enumerate(names):
        key = COLUMNS.get(name)
        if key is None:
            if name:
                ignored.append(header[index].strip())
            continue
        if key in columns:
            raise AccountError(f"명단 머리글에 같은 열이 두 번 있습니다: {header[index].strip()} "
                               f"(roster {source}: column {key} appears twice in the header)")
        columns[key] = index
    missing = [key for key in ("student_id", "name") if key not in columns]
    if missing:
        raise AccountError(f"명단 첫 줄은 student_id,name[,email] (또는 학번,이름[,이메일]) 머리글이어야 합니다 "
                           f"(roster {source}: header {','.join(c.strip() for c in header)!r} lacks {', '.join(missing)})")
    rows, seen = [], {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num

        def cell(key):
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        student_id, name, email = cell("student_id"), cell("name"), cell("email")
        if not student_id:
            raise AccountError(f"명단 {line}번째 줄에 학번이 비어 있습니다 (roster {source} line {line}: empty student_id)")
        if not STUDENT_ID.fullmatch(student_id):
            raise AccountError(f"명단 {line}번째 줄의 학번 {student_id!r}은 영문자, 숫자, _ . - 만 쓸 수 있습니다 "
                               f"(roster {source} line {line}: student_id may use only letters, digits, _ . -, "
                               f"at most 64)")
        if not name:
            raise AccountError(f"명단 {line}번째 줄에 이름이 비어 있습니다 (roster {source} line {line}: empty name)")
        if student_id in seen:
            raise AccountError(f"명단에 학번 {student_id}이 두 번 있습니다: {seen[student_id]}번째, {line}번째 줄 "
                               f"(roster {source}: duplicate student_id {student_id} on lines {seen[student_id]} and {line})")
        if len(name) > 200 or len(email) > 320:
            raise AccountError(f"명단 {line}번째 줄의 이름이나 이메일이 너무 깁니다 "
                               f"(roster {source} line {line}: name over 200 or email over 320 characters)")
        seen[student_id] = line
        rows.append(RosterRow(line, student_id, name, email or None))
    if not rows:
        raise AccountError(f"명단에 학생이 없습니다 (roster {source} has a header but no students)")
    return Roster(rows, ignored)


def import_students(session, rows):
    """Create the new students (each with a fresh token) and update the names/emails of known ones.

    Runs in the caller's session (commit there); returns an ImportResult whose ``created`` holds
    the clear tokens, to be shown once.
    """
    result = ImportResult()
    known = {s.id: s for s in session.scalars(select(Student).where(Student.id.in_([r.student_id for r in rows])))}
    for row in rows:
        student = known.get(row.student_id)
        if student is None:
            token = new_token()
            session.add(Student(id=row.student_id, name=row.name, email=row.email, token_hash=hash_token(token)))
            result.created.append((row.student_id, token))
        elif (student.name, student.email) != (row.name, row.email):
            student.name, student.email = row.name, row.email
            result.updated.append(row.student_id)
        else:
            result.unchanged.append(row.student_id)
    session.flush()
    return result


def reset_student_token(session, student_id):
    """A new token for the student (the old one stops working); UnknownStudent if there is none."""
    student = session.get(Student, student_id)
    if student is None:
        raise UnknownStudent(f"학번 {student_id}인 학생이 없습니다 (no student with id {student_id})")
    token = new_token()
    student.token_hash = hash_token(token)
    session.flush()
    return token


def add_instructor(session, name, reset=False):
    """A new instructor's token; for an existing name, an error unless ``reset`` (then a new token)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise AccountError("강사 이름이 비어 있거나 너무 깁니다 (instructor name must be 1 to 200 characters)")
    instructor = session.scalars(select(Instructor).where(Instructor.name == name)).first()
    token = new_token()
    if instructor is None:
        session.add(Instructor(name=name, token_hash=hash_token(token)))
    elif reset:
        instructor.token_hash = hash_token(token)
    else:
        raise AccountError(f"강사 {name}은 이미 있습니다; 새 토큰은 --reset (instructor {name} exists; "
                           f"use --reset for a new token)")
    session.flush()
    return token
