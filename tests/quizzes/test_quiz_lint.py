"""``python -m quizzes check``: every lint rule fires on a bank that breaks it, and only then."""

import pytest
import yaml

from quizzes.cli import main
from quizzes.lint import format_answer, lint

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
    ("9-3", lambda d: d["items"][0].update(id="9-2-7"), "id is not in section 9-3"),
    ("9-3", lambda d: d.update(section="9-1"), "section is '9-1', expected '9-3'"),
    ("9-3", lambda d: d["items"][0].pop("stem"), "'stem' is a required property"),
])
def test_rule_fires(tmp_path, section, change, message):
    bank_copy = copy_bank(tmp_path)
    _edit(bank_copy, section, change)
    problems = [str(p) for p in lint(bank_copy)]
    assert any(message in p for p in problems), problems


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


@pytest.mark.parametrize("value, text", [(1672, "1,672"), ((3, 4), "(3, 4)"), ([0, 0, 1, 2], "[0, 0, 1, 2]")])
def test_answer_formats(value, text):
    assert format_answer(value) == text


def test_check_command_exit_codes(tmp_path, capsys):
    bank_copy = copy_bank(tmp_path)
    assert main(["check", "--bank", str(FIXTURE_BANK)]) == 0
    assert "0 problem(s)" in capsys.readouterr().out
    _edit(bank_copy, "9-1", lambda d: _set_choice(d["items"][2], 3, "all of the above"))
    assert main(["check", "--bank", str(bank_copy), "--no-keras"]) == 1
    assert "9-1-x1: choice" in capsys.readouterr().out
