"""Rosters, per-student variants and reproducible builds (byte-identical output)."""
from collections import Counter

import pytest

from quizzes.bank import load_section
from quizzes.build import build
from quizzes.errors import InputError
from quizzes.variants import (CANONICAL, RosterEntry, canonical_form, key_rows, read_roster,
                              student_form, student_forms)

from quiz_support import FIXTURE_BANK, write_roster



@pytest.fixture(scope="module")
def bank():
    return load_section("9-3", FIXTURE_BANK)


def test_read_roster(tmp_path):
    roster = write_roster(tmp_path)
    assert read_roster(roster)[2] == RosterEntry("2024003", "Jane Doe")
    korean = tmp_path / "k.csv"
    korean.write_text("\ufeff학번,이름\n1,가\n", encoding="utf-8")
    assert read_roster(korean) == [RosterEntry("1", "가")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_roster_as_korean_excel_saves_it(tmp_path, encoding):
    path = tmp_path / "r.csv"
    path.write_text(" 학번 , 이름 \r\n2024001, 김철수 \r\n\r\n2024002,이영희\r\n", encoding=encoding)
    assert read_roster(path) == [RosterEntry("2024001", "김철수"), RosterEntry("2024002", "이영희")]


def test_roster_in_another_encoding_says_how_to_save_it(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("학번,이름\n1,가\n", encoding="utf-16")
    with pytest.raises(InputError) as info:
        read_roster(path)
    assert info.value.problems == [f"{path}: 명단(roster) 파일이 UTF-8도 cp949도 아닙니다. 엑셀에서 [다른 이름으로 "
                                   f"저장] → 파일 형식 'CSV UTF-8(쉼표로 분리)'로 다시 저장하세요 (save it as \"CSV UTF-8\")"]


@pytest.mark.parametrize("text, message", [
    ("id,name\n1,a\n", "no student_id or 학번 column"),
    ("student_id,name\n1,a\n,b\n", ":3: blank student id \\(b\\)"),
    ("student_id,name\n1,a\n2,b\n1,c\n", ":4: student id 1 already on line 2"),
    ("student_id,name\n", "has no students"),
])
def test_bad_rosters(tmp_path, text, message):
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_roster(path)


def test_variant_is_a_shuffle_of_the_same_items(bank):
    canonical = canonical_form(bank, 0)
    forms = student_forms(bank, 0, [RosterEntry(str(i), "") for i in range(40)])
    static = {q.id: q for q in bank.questions}
    orders = set()
    for form in forms:
        assert sorted(q.id for q in form.questions) == sorted(q.id for q in canonical.questions)
        orders.add(tuple(q.id for q in form.questions))
        for q in form.questions:
            if q.id in static:  # the same key text, wherever it moved
                original = static[q.id]
                assert q.choices[q.key - 1] == original.choices[original.key - 1]
                assert sorted(c.text["ko"] for c in q.choices) == sorted(c.text["ko"] for c in original.choices)
    assert len(orders) > 20
    assert len({f.variant for f in forms}) == 40 and CANONICAL not in {f.variant for f in forms}
    keys = Counter(q.key for f in forms for q in f.questions)
    assert min(keys.values()) > 0.15 * sum(keys.values())


def test_a_students_copy_does_not_depend_on_the_rest_of_the_roster(bank):
    alone = student_form(bank, 5, RosterEntry("2024002", "이영희"), "X")
    among = student_forms(bank, 5, [RosterEntry("9", "z"), RosterEntry("2024002", "이영희")])[1]
    assert among.questions == alone.questions
    assert student_form(bank, 6, RosterEntry("2024002", "이영희"), "X").questions != alone.questions


def test_key_rows(bank):
    forms = student_forms(bank, 0, [RosterEntry("1", "a"), RosterEntry("2", "b")])
    rows = key_rows(forms)
    assert len(rows) == 2 * len(forms[0].questions)
    assert rows[0] | {"question": 1} == rows[0] and rows[0]["variant"] == forms[0].variant
    assert [r["key"] for r in rows if r["student_id"] == "2"] == [q.key for q in forms[1].questions]


def _tree(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_and_roster_give_byte_identical_output(tmp_path):
    """Every file, PDFs and zips included, is the same byte for byte (no timestamps are written)."""
    roster = write_roster(tmp_path)
    small = tmp_path / "r2.csv"
    small.write_text("\n".join(roster.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    kwargs = dict(roster=small, bank_dir=FIXTURE_BANK, jobs=1, formats=("html", "pdf", "md", "moodle", "qti"))
    first = build(["9-1"], out=tmp_path / "a", seed=3, **kwargs)
    build(["9-1"], out=tmp_path / "b", seed=3, **kwargs)
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a.keys() == b.keys() and len(a) == len(first)
    assert sum(p.suffix == ".pdf" for p in a) == 5  # handout, key, key sheet, two students
    assert [p for p in a if a[p] != b[p]] == []
    build(["9-1"], out=tmp_path / "c", seed=4, **(kwargs | {"formats": ("html",)}))
    def students(tree):
        return {p.name.split("_")[0]: data for p, data in tree.items()
                if p.parts[-2] == "students" and p.suffix == ".html"}

    other = students(_tree(tmp_path / "c"))
    assert other.keys() == students(a).keys()
    assert all(other[s] != students(a)[s] for s in other), "another seed must change every copy"
