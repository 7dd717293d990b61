"""Rosters, per-student variants and reproducible builds (byte-identical output)."""
from collections import Counter
from dataclasses import replace

import pytest

from quizzes.bank import load_section
from quizzes.build import build
from quizzes.errors import InputError
from quizzes.parametric import ParametricItem
from quizzes.questions import Choice
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
    assert sum(p.suffix == ".pdf" for p in a) == 6  # handout, key, key sheet, blank answer sheet, two students
    assert [p for p in a if a[p] != b[p]] == []
    build(["9-1"], out=tmp_path / "c", seed=4, **(kwargs | {"formats": ("html",)}))
    def students(tree):
        return {p.name.split("_")[0]: data for p, data in tree.items()
                if p.parts[-2] == "students" and p.suffix == ".html"}

    other = students(_tree(tmp_path / "c"))
    assert other.keys() == students(a).keys()
    assert all(other[s] != students(a)[s] for s in other), "another seed must change every copy"


# --- no two questions of a form give each other away (issue 9 §5) ---------------------------

def _giveaways(questions):
    """(id, id) pairs of one form where a choice of one question is the key of the other."""
    return [(a.id, b.id) for i, a in enumerate(questions) for b in questions[i + 1:] if a.gives_away(b)]


def test_gives_away_compares_keys_with_every_choice(bank):
    fixed = bank.questions[0]
    key_text = fixed.choices[fixed.key - 1].text
    other = bank.questions[1]
    showing = replace(other, choices=(Choice({"ko": f" `{key_text['ko']}` ", "en": "x"}, {}),) + other.choices[1:])
    assert showing.gives_away(fixed) and fixed.gives_away(showing)
    assert not other.gives_away(fixed)


@pytest.mark.parametrize("section", ["9-1", "9-2", "9-3"])
def test_no_course_form_gives_an_item_away(section):
    """200 students' forms and 20 canonical forms of each section of the course bank: no
    parameterized copy shows another item's key, and no item shows its key. Drawn without the
    redraw, the same streams would give items away on some 9-2 and 9-3 forms (so the check is live)."""
    from quizzes.variants import _parametric_items, rng_for

    course = load_section(section)
    forms = student_forms(course, 3, [RosterEntry(str(n), "") for n in range(200)])
    forms += [canonical_form(course, seed) for seed in range(20)]
    assert [(f.variant, pair) for f in forms for pair in _giveaways(f.questions)] == []
    raw = sum(bool(_giveaways(list(course.questions) + [item.draw(rng_for(3, section, str(n)))
                                                        for item in _parametric_items(section)]))
              for n in range(200))
    assert raw > 0 or section == "9-1"


class _Rigged(ParametricItem):
    """A parameterized item whose key is ``shown`` (another item's key) on about half of its
    draws and a number no other item uses on the rest."""

    objective = {"ko": "목표", "en": "goal"}

    def __init__(self, item_id, shown):
        super().__init__(item_id)
        self.shown = shown

    def draw_params(self, rng):
        return {"value": rng.choice([self.shown, "999,999"])}

    def key_choice(self, p):
        return self.choice(p["value"], {"ko": "키", "en": "key"})

    def distractors(self, p, rng):
        return [self.choice(t, {"ko": "오해", "en": "wrong"}, "m") for t in ("111,111", "222,222", "333,333")]

    def stem(self, p):
        return {"ko": "값은?", "en": "Value?"}

    def code(self, p):
        return None

    def explanation(self, p, key):
        return {"ko": "설명", "en": "why"}


def test_form_assembly_redraws_a_copy_that_gives_an_item_away(bank, monkeypatch):
    """A rigged item shows a fixed item's key on half of its draws: without the redraw about
    half of 100 forms would give it away; with it none does, and the forms stay reproducible."""
    import quizzes.variants as variants

    fixed = bank.questions[0]
    rigged = _Rigged(f"{bank.section}-p9", fixed.choices[fixed.key - 1].text["ko"])
    monkeypatch.setattr(variants, "_parametric_items", lambda section: [rigged])
    students = [RosterEntry(str(n), "") for n in range(100)]
    forms = student_forms(bank, 1, students)
    assert [f.variant for f in forms if _giveaways(f.questions)] == []
    assert {q.choices[q.key - 1].text["ko"] for f in forms for q in f.questions if q.id == rigged.id} == {"999,999"}
    assert student_forms(bank, 1, students) == forms
    raw = [rigged.draw(variants.rng_for(1, bank.section, s.student_id)) for s in students]
    assert sum(q.gives_away(fixed) for q in raw) > 20


def test_a_copy_that_always_gives_an_item_away_stops_the_form(bank, monkeypatch):
    import quizzes.variants as variants

    fixed = bank.questions[0]
    rigged = _Rigged(f"{bank.section}-p9", fixed.choices[fixed.key - 1].text["ko"])
    rigged.draw_params = lambda rng: {"value": rigged.shown}
    monkeypatch.setattr(variants, "_parametric_items", lambda section: [rigged])
    with pytest.raises(RuntimeError, match="gives another item"):
        canonical_form(bank, 0)


@pytest.mark.parametrize("section", ["9-2", "9-3"])
def test_lms_copies_give_no_item_away(section):
    """An LMS draws any exported copy beside any copy of another item: no such pair gives one away."""
    from quizzes.variants import export_groups

    groups = export_groups(load_section(section), 0, 10)
    assert all(len(copies) == 10 for item_id, copies in groups if "-p" in item_id)
    pairs = [(a.id, b.id) for i, (_, one) in enumerate(groups) for _, two in groups[i + 1:]
             for a in one for b in two if a.gives_away(b)]
    assert pairs == []
