"""``python -m quizzes check``: every lint rule fires on a bank that breaks it, and only then."""
import re

from collections import Counter

import numpy as np
import pytest
import yaml

from quizzes.cli import main
from quizzes.lint import format_answer, key_position_table, key_positions, lint

from quiz_support import FIXTURE_BANK, copy_bank



def _edit(bank, section, change):
    path = bank / f"{section}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _set_choice(item, n, ko, en=None):
    item["choices"][n]["text"] = {"ko": ko, "en": en or ko}


def test_fixture_bank_is_clean():
    assert lint(FIXTURE_BANK) == []


@pytest.mark.parametrize("section, change, message", [
    ("9-1", lambda d: _set_choice(d["items"][2], 3, "위의 모든 것", "sigmoid"), "banned catch-all"),
    ("9-1", lambda d: _set_choice(d["items"][2], 3, "sigmoid", "All of the above"), "banned catch-all"),
    ("9-1", lambda d: _set_choice(d["items"][2], 3, "relu"), "not four distinct texts (ko)"),
    ("9-1", lambda d: d["items"][0]["stem"].update(ko="순서가 의미를 갖지 않는 데이터는?"),
     "'않는' in the stem is not in bold (ko)"),
    ("9-1", lambda d: d["items"][0]["stem"].update(en="Which data does not depend on order?"),
     "'not' in the stem is not in bold (en)"),
    ("9-1", lambda d: _set_choice(d["items"][2], 0, "relu를 쓰되 기울기 소실을 막으려고 가중치를 작게 초기화한 함수", "relu"),
     "more than 2.5 x the median"),
    ("9-1", lambda d: [i.update(key=1) for i in d["items"]], "key position 1 is used by 3 of 3 items"),
    ("9-1", lambda d: d["items"].reverse(), "chapter items are not in chapter order"),
    ("9-2", lambda d: d["items"][1]["check"].update(answer=1664), "Keras gives 1,672, the bank says 1664"),
    ("9-2", lambda d: _set_choice(d["items"][1], 0, "1672"), "key choice 1 does not show the answer 1,672"),
    ("9-2", lambda d: _set_choice(d["items"][1], 1, "1,672개보다 많다", "more than 1,672"),
     "distractor 2 also shows the answer 1,672"),
    ("9-2", lambda d: d["items"][1]["check"].update(function="os_system"), "not in the reference API"),
    ("9-2", lambda d: d["items"][1]["check"]["kwargs"].update(units=-1), "raised"),
    ("9-3", lambda d: _set_choice(d["items"][1], 2, "800"),
     "9-3-2: distractor 3 (800) is the key of 9-3-1; both are on every form of 9-3"),
    ("9-3", lambda d: _set_choice(d["items"][2], 3, "264"), "9-3-x1: distractor 4 (264) is the key of 9-3-2"),
    ("9-2", lambda d: d["items"][1]["check"].update(arrays=["no_such_argument"]), "raised KeyError"),
    ("9-3", lambda d: d["items"][0].update(id="9-2-7"), "id is not in section 9-3"),
    ("9-3", lambda d: d.update(section="9-1"), "section is '9-1', expected '9-3'"),
    ("9-3", lambda d: d["items"][0].pop("stem"), "'stem' is a required property"),
])
def test_rule_fires(tmp_path, section, change, message):
    bank_copy = copy_bank(tmp_path)
    _edit(bank_copy, section, change)
    problems = [str(p) for p in lint(bank_copy)]
    assert any(message in p for p in problems), problems


def test_the_same_text_as_a_key_in_another_section_is_fine(tmp_path):
    """Sections are printed on separate forms: 9-2's key 1,672 as a 9-3 distractor gives nothing away."""
    bank_copy = copy_bank(tmp_path)
    _edit(bank_copy, "9-3", lambda d: _set_choice(d["items"][0], 3, "1,672"))
    assert lint(bank_copy, keras=False) == []


def _own_keys_at_4(data):
    for item in data["items"]:
        if item["origin"] == "original":
            item["key"] = 4


def test_bank_wide_key_position_spread(tmp_path):
    """Each section alone is fine (one own item each), but all own items of the bank sit at choice 4."""
    bank_copy = copy_bank(tmp_path)
    for section in ("9-1", "9-2", "9-3"):
        _edit(bank_copy, section, _own_keys_at_4)
    problems = [str(p) for p in lint(bank_copy, keras=False)]
    assert problems == ["bank: key positions of the bank's own items are unbalanced (1: 0, 2: 0, 3: 0, 4: 3; "
                        "most and least used differ by more than 2)"], problems
    assert lint(bank_copy, ("9-1",), keras=False) == []  # one section: no bank-wide rule


def test_key_position_table():
    table = key_positions(FIXTURE_BANK)
    # fixture keys: 9-1 1, 2, 3 (own: 3); 9-2 2, 1, 4 (own: 4); 9-3 3, 1, 2 (own: 2)
    assert table["9-2"] == (Counter({1: 1, 2: 1, 4: 1}), Counter({4: 1}))
    assert table["bank"] == (Counter({1: 3, 2: 3, 3: 2, 4: 1}), Counter({2: 1, 3: 1, 4: 1}))
    lines = key_position_table(table)
    assert lines[-1].split() == ["bank", "9", "3", "3", "2", "1", "2", "|", "3", "0", "1", "1", "1", "1"]


def test_negative_in_bold_and_in_code_is_fine(tmp_path):
    bank_copy = copy_bank(tmp_path)
    def change(d):
        d["items"][0]["stem"] = {"ko": "`mask_zero=True`인 모델에서 순서가 의미를 갖지 **않는** 데이터는?",
                                 "en": "When `mask is not None`, which data does **NOT** depend on order?"}
    _edit(bank_copy, "9-1", change)
    assert lint(bank_copy, ("9-1",)) == []


def test_duplicate_id_across_sections(tmp_path):
    bank_copy = copy_bank(tmp_path)
    _edit(bank_copy, "9-3", lambda d: d["items"][2].update(id="9-3-x1"))
    _edit(bank_copy, "9-2", lambda d: d["items"][2].update(id="9-3-x1"))
    assert any("also used in section 9-2" in str(p) for p in lint(bank_copy, keras=False))


@pytest.mark.parametrize("value, text", [(1672, "1,672"), ((3, 4), "(3, 4)"), ([0, 0, 1, 2], "[0, 0, 1, 2]"),
                                         (np.array([[11.0]]), "11"), (np.array([2.5]), "2.5"),
                                         (np.array([[1.0, 2.0]]), "[[1.0, 2.0]]")])
def test_answer_formats(value, text):
    assert format_answer(value) == text


def test_check_command_exit_codes(tmp_path, capsys):
    bank_copy = copy_bank(tmp_path)
    assert main(["check", "--bank", str(FIXTURE_BANK)]) == 0
    out = capsys.readouterr().out
    assert "0 problem(s)" in out
    assert re.search(r"^bank\s+9\s+3\s+3\s+2\s+1\s+2 \|", out, re.M), out
    _edit(bank_copy, "9-1", lambda d: _set_choice(d["items"][2], 3, "all of the above"))
    assert main(["check", "--bank", str(bank_copy), "--no-keras"]) == 1
    assert "9-1-x1: choice" in capsys.readouterr().out
