"""Loading and schema validation of bank files; the course bank itself when it is present."""
import re
from pathlib import Path

import pytest
import yaml

from quizzes.bank import SECTIONS, expand_sections, load_section
from quizzes.errors import InputError

from quiz_support import FIXTURE_BANK, copy_bank

REAL_BANK = Path(__file__).resolve().parents[2] / "quizzes" / "bank"


def _edit(bank, section, change):
    path = bank / f"{section}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_fixture_bank_loads():
    bank = load_section("9-2", FIXTURE_BANK)
    assert bank.section == "9-2" and bank.title["ko"]
    assert [q.id for q in bank.questions] == ["9-2-1", "9-2-3", "9-2-x1"]
    q = bank.questions[1]
    assert q.key == 1 and q.choices[0].text["ko"] == "1,672" and q.check["answer"] == 1672
    assert bank.questions[0].code and not bank.questions[0].code.endswith("\n")


@pytest.mark.parametrize("change, message", [
    (lambda d: d["items"][0].pop("key"), "'key' is a required property"),
    (lambda d: d["items"][0]["choices"].pop(), "is too short"),
    (lambda d: d["items"][0].update(key=5), "5 is greater than the maximum of 4"),
    (lambda d: d["items"][0].update(id="9-2-one"), "does not match"),
    (lambda d: d["items"][0]["stem"].pop("en"), "'en' is a required property"),
    (lambda d: d["items"][0].update(origin="chapter", id="9-2-x7"), "does not match"),
    (lambda d: d["items"][0].update(colour="red"), "Additional properties"),
])
def test_schema_violations_are_reported(tmp_path, change, message):
    bank_copy = copy_bank(tmp_path)
    _edit(bank_copy, "9-2", change)
    with pytest.raises(InputError) as info:
        load_section("9-2", bank_copy)
    assert any(message in p and "9-2.yaml" in p for p in info.value.problems), info.value.problems


def test_missing_and_broken_files(tmp_path):
    bank_copy = copy_bank(tmp_path)
    (bank_copy / "9-3.yaml").unlink()
    with pytest.raises(InputError, match="no such bank file"):
        load_section("9-3", bank_copy)
    (bank_copy / "9-1.yaml").write_text("items: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_section("9-1", bank_copy)


def test_section_names():
    assert expand_sections("all") == SECTIONS
    assert expand_sections("9-3") == ("9-3",)
    with pytest.raises(ValueError):
        expand_sections("9-4")


real_bank = pytest.mark.skipif(not all((REAL_BANK / f"{s}.yaml").exists() for s in SECTIONS),
                               reason="the course bank (quizzes/bank/9-*.yaml) is not written yet")


@real_bank
def test_course_bank_is_complete_and_clean():
    """The chapter's twelve questions in order and at least twelve own items; the linter is clean."""
    from quizzes.lint import lint

    problems = lint(REAL_BANK)
    assert not problems, "\n".join(map(str, problems))
    banks = [load_section(s, REAL_BANK) for s in SECTIONS]
    chapter = [q.id for b in banks for q in b.questions if q.origin == "chapter"]
    assert chapter == [f"{s}-{n}" for s in SECTIONS for n in range(1, 5)]
    own = [q.id for b in banks for q in b.questions if q.origin == "original"]
    assert len(own) >= 12 and all(re.fullmatch(r"9-[123]-x\d+", i) for i in own)


def _raw(section):
    return yaml.safe_load((REAL_BANK / f"{section}.yaml").read_text(encoding="utf-8"))


@real_bank
def test_course_bank_own_keys_are_balanced():
    """The bank's 15 own items put their key at each of the four choices 3 or 4 times."""
    keys = [item["key"] for s in SECTIONS for item in _raw(s)["items"] if item["origin"] == "original"]
    counts = sorted(keys.count(position) for position in (1, 2, 3, 4))
    assert len(keys) == 15 and counts == [3, 4, 4, 4], keys


@real_bank
def test_course_bank_gives_no_item_away(tmp_path):
    """9-3-x1 (LSTM(16) on 32 features: 3,136) once met a GRU item on the same setting whose
    four-blocks distractor was 3,136; the linter finds such a pair when it is put back."""
    from quizzes.lint import lint

    bank_copy = tmp_path / "bank"
    bank_copy.mkdir()
    for s in SECTIONS:
        (bank_copy / f"{s}.yaml").write_bytes((REAL_BANK / f"{s}.yaml").read_bytes())
    assert [str(p) for p in lint(bank_copy, keras=False)] == []

    def old_x2(d):
        (x2,) = [item for item in d["items"] if item["id"] == "9-3-x2"]
        for choice, text in zip(x2["choices"], ("2,304", "2,352", "2,400", "3,136")):
            choice["text"] = {"ko": text, "en": text}
        x2["key"] = 3
    _edit(bank_copy, "9-3", old_x2)
    problems = [str(p) for p in lint(bank_copy, keras=False)]
    assert any(p.startswith("9-3-x2: distractor 4 (3,136) is the key of 9-3-x1") for p in problems), problems


@real_bank
def test_imdb_ids_are_described_as_keras_reserves_them():
    """Keras reserves 0, 1, 2 and adds index_from=3 to word ranks: 3 is never used, nothing says 0~3 are reserved."""
    text = (REAL_BANK / "9-2.yaml").read_text(encoding="utf-8")
    assert "0~3" not in text and "0-3" not in text
    (x1,) = [item for item in _raw("9-2")["items"] if item["id"] == "9-2-x1"]
    assert "num_words=" in x1["stem"]["ko"] and "num_words=" in x1["stem"]["en"]
