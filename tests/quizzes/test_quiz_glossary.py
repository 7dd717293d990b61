"""One term for each idea (issue 9 §3): the Korean texts of the quiz bank, of the quiz code
(parameterized items included) and of the templates use the terms of docs/glossary.md.

The list of terms to avoid is read from the glossary's table ("쓰지 않는 말" column), never
copied here. Code spans (`keras.layers.SimpleRNN`) and English texts are left alone.
"""
import ast
import random
import re
from pathlib import Path

import pytest
import yaml

from helpers import avoided_patterns, avoided_terms
from quiz_support import FIXTURE_BANK

ROOT = Path(__file__).resolve().parents[2]
QUIZZES = ROOT / "quizzes"
HANGUL = re.compile(r"[가-힣]")
CODE_SPAN = re.compile(r"`[^`]*`")
PATTERNS = avoided_patterns()


def avoided_in(text):
    """The avoided terms found in one Korean text, outside its code spans."""
    prose = CODE_SPAN.sub("", text)
    return [m.group(0) for p in PATTERNS for m in re.finditer(p, prose)]


def korean_bank_texts(path):
    """(where, text) for every ``ko`` string of one bank YAML file."""
    def walk(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "ko" and isinstance(v, str):
                    yield where, v
                else:
                    yield from walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                label = v.get("id", i) if isinstance(v, dict) else i
                yield from walk(v, f"{where}[{label}]")
    yield from walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def korean_code_strings(path):
    """(line, text) of every string constant with Hangul in a Python module (f-string parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and HANGUL.search(n.value)]


def test_glossary_is_read():
    terms = avoided_terms()
    assert {"Keras", "편향", "기울기", "답 칸", "망각 게이트"} <= set(terms)
    assert "케라스" not in terms and "절편" not in terms


def test_checker_finds_a_planted_term_and_spares_code_spans():
    assert avoided_in("Keras `SimpleRNN`의 기본값") == ["Keras"]
    assert avoided_in("두 번째 편향을 빠뜨렸다") == ["편향"]
    assert avoided_in("케라스 `keras.layers.SimpleRNN`과 `tf.keras`, 절편") == []
    assert avoided_in("`Keras` 3") == []


@pytest.mark.parametrize("path", sorted((QUIZZES / "bank").glob("*.yaml")) + sorted(FIXTURE_BANK.glob("*.yaml")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_korean_bank_texts_use_the_glossary_terms(path):
    found = [(where, avoided_in(text)) for where, text in korean_bank_texts(path) if avoided_in(text)]
    assert not found


@pytest.mark.parametrize("path", sorted(QUIZZES.rglob("*.py")), ids=lambda p: str(p.relative_to(QUIZZES)))
def test_korean_strings_of_the_quiz_code_use_the_glossary_terms(path):
    found = [(line, text[:60], avoided_in(text)) for line, text in korean_code_strings(path) if avoided_in(text)]
    assert not found


@pytest.mark.parametrize("path", sorted((QUIZZES / "templates").iterdir()), ids=lambda p: p.name)
def test_templates_use_the_glossary_terms(path):
    found = [(i, line) for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if HANGUL.search(line) and avoided_in(line)]
    assert not found


def test_drawn_copies_use_the_glossary_terms():
    """Korean texts as the parameterized items assemble them (f-strings filled in)."""
    from quizzes.parametric import ITEMS

    rng = random.Random(9)
    found = set()
    for item in ITEMS:
        for _ in range(30):
            q = item.draw(rng)
            texts = [q.objective["ko"], q.stem["ko"], q.explanation["ko"]]
            texts += [c.text["ko"] for c in q.choices] + [c.why["ko"] for c in q.choices]
            found |= {(q.id, term) for t in texts for term in avoided_in(t)}
    assert not found
