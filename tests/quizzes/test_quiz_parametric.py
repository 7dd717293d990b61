"""Parameterized items: 1,000 copies each, keys from Keras, four distinct choices, even key spread."""
import random
from collections import Counter

import pytest
from scipy.stats import chi2

from quizzes import parametric
from quizzes.parametric import ITEMS, MAX_REDRAWS, Misconception, ParamCountItem
from quizzes.parametric.param_count import KIND_MISCONCEPTIONS

from quiz_support import assert_keras_key

COPIES = 1000
# Deterministic (seeded) draws, so this cannot flake. For a fair generator the statistic is
# chi-square with 3 degrees of freedom; at alpha = 0.001 the critical value is 16.27, which
# a generator that puts the key in one slot half the time (statistic ~333) fails at once.
CRITICAL = chi2.ppf(0.999, df=3)


def spread_statistic(positions):
    """Pearson chi-square of key positions 1-4 against a uniform spread."""
    counts = Counter(positions)
    expected = len(positions) / 4
    return sum((counts.get(p, 0) - expected) ** 2 / expected for p in range(1, 5))


def test_spread_statistic_rejects_a_biased_generator():
    biased = [1] * 500 + [2, 3, 4] * 166 + [2, 3]
    assert spread_statistic(biased) > CRITICAL
    assert spread_statistic([1, 2, 3, 4] * 250) == 0


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.id)
def test_thousand_copies(item):
    rng = random.Random(f"stress {item.id}")
    positions = []
    for _ in range(COPIES):
        q = item.draw(rng)
        texts = [c.text["ko"] for c in q.choices]
        assert len(q.choices) == 4 and len(set(texts)) == 4, texts
        assert [c.text["en"] for c in q.choices] == texts
        assert 1 <= q.key <= 4
        assert_keras_key(q)
        assert all(c.why["ko"] and c.why["en"] for c in q.choices)
        positions.append(q.key)
    assert spread_statistic(positions) < CRITICAL, Counter(positions)


def test_every_misconception_is_used():
    """Over many draws each named misconception of each item shows up as a distractor."""
    rng = random.Random(7)
    for item in ITEMS:
        if not isinstance(item, parametric.MisconceptionItem):
            continue
        used, pool = set(), set()
        for _ in range(300):
            q = item.draw(rng)
            whys = [c.why["en"] for n, c in enumerate(q.choices, 1) if n != q.key]
            for m in item.misconceptions(q.params):
                pool.add(m.name)
                if m.why(q.params)["en"] in whys:
                    used.add(m.name)
        assert used == pool, (item.id, pool - used)


def test_named_misconceptions_of_the_issue():
    names = {m.name for kind in KIND_MISCONCEPTIONS.values() for m in kind}
    p = {"kind": "LSTM", "timesteps": 100, "features": 16, "units": 8}
    names |= {m.name for m in ParamCountItem("t", "LSTM").misconceptions(p)}
    assert {"forgot the bias", "timesteps instead of features", "three gates for LSTM",
            "no second GRU bias / reset_after mixed up"} <= names
    item = parametric.OneHotNbytesItem("t")
    assert "float32 itemsize" in {m.name for m in item.misconceptions({"samples": 10, "maxlen": 5, "classes": 3})}


@pytest.mark.parametrize("kind, features, reset_after, expected", [
    ("SimpleRNN", 200, True, 1672), ("LSTM", 16, True, 800), ("GRU", 16, True, 624), ("GRU", 16, False, 600)])
def test_chapter_values_from_keras(kind, features, reset_after, expected):
    """The chapter's own numbers come out of the items' Keras path: LSTM(8) on 16 = 800 etc."""
    p = {"kind": kind, "timesteps": 100, "features": features, "units": 8, "reset_after": reset_after}
    key = ParamCountItem("t", kind).key_choice(p)
    assert key.value == expected and key.text == {"ko": f"{expected:,}", "en": f"{expected:,}"}


def test_a_copy_whose_choices_coincide_is_redrawn():
    """A misconception that equals the key on some draws never reaches a copy."""

    class Sometimes(ParamCountItem):
        def misconceptions(self, p):
            same = Misconception("equal when features == 16",
                                 lambda p: self.key_choice(p).value if p["features"] == 16 else -p["features"],
                                 lambda p: {"ko": "x", "en": "x"})
            return super().misconceptions(p)[:2] + [same]

    item = Sometimes("9-2-p9", "SimpleRNN")
    seen = {item.draw(random.Random(s)).params["features"] for s in range(200)}
    assert 16 not in seen and len(seen) > 3


def test_an_item_that_always_coincides_fails_loudly():
    class Always(ParamCountItem):
        def distractors(self, p, rng):
            return [self.choice(self.key_choice(p).value, {"ko": "x", "en": "x"})] * 3

    with pytest.raises(RuntimeError, match=f"{MAX_REDRAWS} draws"):
        Always("9-2-p9", "SimpleRNN").draw(random.Random(0))


def test_templated_korean_particles():
    texts = {}
    for seed in range(40):
        for item in ITEMS:
            q = item.draw(random.Random(seed))
            texts.setdefault(q.params.get("kind"), set()).add(q.stem["ko"])
    assert any("LSTM은 " in t for t in texts["LSTM"]) and not any("LSTM는" in t for t in texts["LSTM"])
    assert any("GRU는 " in t for t in texts["GRU"]) and not any("GRU은" in t for t in texts["GRU"])
    assert any("SimpleRNN이 " in t for t in texts["SimpleRNN"])
    assert any("GRU가 " in t for t in texts["GRU"])

