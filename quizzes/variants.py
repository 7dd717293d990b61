"""Forms: the canonical (unshuffled) form and reproducible per-student variants from a roster.

A student's variant depends only on (seed, section, student id): question order, choice order
and the numbers of the parameterized items are drawn from a ``random.Random`` seeded with a
SHA-256 of those three, so adding a student to the roster changes no one else's copy. A
parameterized copy that shows another item's key among its choices, or whose key another item of
the form shows, is drawn again from the same stream (``_draw_apart``): no two questions of a form
give each other away.
"""
import csv
import hashlib
import io
import random
from dataclasses import dataclass

from quizzes.csvfiles import column, read_rows
from quizzes.errors import InputError

CANONICAL = "CANON"
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_LENGTH = 6  # characters of a variant code
_CODE_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_ID_COLUMNS = ("student_id", "학번")
_NAME_COLUMNS = ("name", "이름")
MAX_APART_DRAWS = 200  # copies of one parameterized item tried before a form gives up
KEY_COLUMNS = ("section", "student_id", "name", "variant", "question", "item_id", "key", "choices")


@dataclass(frozen=True)
class RosterEntry:
    """One row of a roster: the student a copy is printed for."""

    student_id: str
    name: str


@dataclass(frozen=True)
class Form:
    """One printed copy: the section, its title, the student (None for the canonical form),
    the variant code and the questions in printed order."""

    section: str
    title: dict
    student: RosterEntry | None
    variant: str
    questions: tuple


def read_roster(path):
    """RosterEntry rows of a roster CSV (UTF-8 with or without BOM, or cp949; header
    ``student_id,name`` or ``학번,이름``, spaces around names trimmed), in file order."""
    header, reader = read_rows(path, "명단(roster)")
    id_col, name_col = column(header, _ID_COLUMNS, path), column(header, _NAME_COLUMNS, path)
    students, problems, seen = [], [], {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        row = dict(zip(header, (c.strip() for c in cells)))
        student_id, name = row.get(id_col) or "", row.get(name_col) or ""
        if not student_id:
            problems.append(f"{path}:{line}: blank student id" + (f" ({name})" if name else ""))
        elif student_id in seen:
            problems.append(f"{path}:{line}: student id {student_id} already on line {seen[student_id]}")
        else:
            seen[student_id] = line
            students.append(RosterEntry(student_id, name))
    if problems:
        raise InputError(problems)
    if not students:
        raise InputError([f"{path}: the roster has no students"])
    return students


def unused_roster_columns(path):
    """The header names of a roster's columns that ``read_roster`` does not read (a class, an email)."""
    header, _ = read_rows(path, "명단(roster)")
    return [name for name in header if name and name not in _ID_COLUMNS + _NAME_COLUMNS]


def _digest(*parts):
    return hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).digest()


def normal_code(text):
    """A variant code as people type it, in the printed form: upper case, no spaces or
    hyphens, and Crockford's look-alikes read as digits (O -> 0, I and L -> 1)."""
    return "".join(str(text).split()).replace("-", "").upper().translate(_CODE_CONFUSIONS)


def rng_for(seed, section, tag):
    """A ``random.Random`` for one form, seeded from (seed, section, tag)."""
    return random.Random(int.from_bytes(_digest(seed, section, tag)[:8], "big"))


def _code(seed, section, student_id, attempt):
    n = int.from_bytes(_digest("code", seed, section, student_id, attempt)[:4], "big")
    return "".join(CODE_ALPHABET[(n >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def _parametric_items(section):
    from quizzes import parametric  # imports Keras (seconds): only when a form is made

    return parametric.items_for(section)


def _draw_apart(item, rng, others):
    """A copy of parameterized ``item`` drawn from ``rng`` that gives no question of ``others``
    away, nor is given away by one (``Question.gives_away``): drawn again from the same ``rng``
    until it is so, so the copy still depends only on the seed."""
    for _ in range(MAX_APART_DRAWS):
        q = item.draw(rng)
        if not any(q.gives_away(other) for other in others):
            return q
    raise RuntimeError(f"{item.id}: every one of {MAX_APART_DRAWS} copies gives another item of "
                       f"{item.section} away or is given away by one")


def _questions(bank, rng):
    """Bank questions in file order, then the section's parameterized items drawn from ``rng``,
    each redrawn until no two questions of the form give each other away."""
    questions = list(bank.questions)
    for item in _parametric_items(bank.section):
        questions.append(_draw_apart(item, rng, questions))
    return questions


def canonical_form(bank, seed):
    """The unshuffled form: bank order and choice order, parameterized items drawn from ``seed``."""
    return Form(bank.section, bank.title, None, CANONICAL,
                tuple(_questions(bank, rng_for(seed, bank.section, CANONICAL))))


def student_form(bank, seed, student, variant):
    """A student's variant: parameters drawn, question order and every choice order shuffled."""
    rng = rng_for(seed, bank.section, student.student_id)
    questions = _questions(bank, rng)
    rng.shuffle(questions)
    shuffled = []
    for q in questions:
        order = list(range(len(q.choices)))
        rng.shuffle(order)
        shuffled.append(q.permuted(order))
    return Form(bank.section, bank.title, student, variant, tuple(shuffled))


def student_forms(bank, seed, students):
    """One form per student, with variant codes unique within the roster (6 Crockford characters)."""
    taken, forms = set(), []
    for student in students:
        attempt = 0
        while (code := _code(seed, bank.section, student.student_id, attempt)) in taken:
            attempt += 1
        taken.add(code)
        forms.append(student_form(bank, seed, student, code))
    return forms


def key_rows(forms):
    """Key sheet rows (dicts with KEY_COLUMNS): one per student and printed question."""
    return [{"section": f.section, "student_id": f.student.student_id if f.student else "",
             "name": f.student.name if f.student else "", "variant": f.variant,
             "question": number, "item_id": q.id, "key": q.key, "choices": "|".join(c.tag for c in q.choices)}
            for f in forms for number, q in enumerate(f.questions, 1)]


def key_csv(forms):
    """The key sheet as CSV bytes (UTF-8 with BOM, so spreadsheets show Korean names)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=KEY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(key_rows(forms))
    return buffer.getvalue().encode("utf-8-sig")


def export_groups(bank, seed, n_variants):
    """[(item_id, [Question, ...])] for LMS exports: one question per bank item and
    ``n_variants`` distinct fixed copies of each parameterized item (canonical choice order).
    An LMS puts any copy beside any other item's copy, so no copy gives away a fixed item or a
    copy kept for an earlier parameterized item, nor is given away by one."""
    groups = [(q.id, [q]) for q in bank.questions]
    others = list(bank.questions)
    for item in _parametric_items(bank.section):
        rng = rng_for(seed, bank.section, f"export {item.id}")
        copies = {}
        for _ in range(20 * n_variants):
            q = item.draw(rng)
            if any(q.gives_away(other) for other in others):
                continue
            copies.setdefault((q.code, tuple(c.text["en"] for c in q.choices)), q)
            if len(copies) == n_variants:
                break
        groups.append((item.id, list(copies.values())))
        others += copies.values()
    return groups
