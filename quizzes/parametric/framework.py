"""The frame of every parameterized item: draw parameters, compute the key, add three
distractors, redraw until the four choice texts differ, put the key at a uniform position."""
from dataclasses import dataclass
from typing import Callable

from quizzes.questions import Choice, Question

MAX_REDRAWS = 200


@dataclass(frozen=True)
class Misconception:
    """A named wrong way to get the answer: ``value(params)`` and ``why(params)``."""

    name: str
    value: Callable
    why: Callable

    def choice(self, item, p):
        """The distractor this misconception gives on parameters ``p``, as ``item`` writes it."""
        return item.choice(self.value(p), self.why(p), self.name)


class ParametricItem:
    """Base: subclasses define ``draw_params(rng)``, ``key_choice(p)``, ``distractors(p, rng)``,
    ``stem(p)``, ``code(p)``, ``explanation(p, key_value)`` and may redefine ``format(value)``."""

    origin = "parametric"
    objective = None  # {"ko": ..., "en": ...}: a class attribute, or given per instance

    def __init__(self, item_id, objective=None):
        self.id = item_id
        self.section = item_id.rsplit("-", 1)[0]
        self.objective = objective or self.objective

    def format(self, value):
        """Choice text of a value (the same in both languages)."""
        return f"{value:,}" if isinstance(value, int) else str(value)

    def choice(self, value, why, tag="key"):
        """The Choice showing ``value`` (formatted), with its reason ``why`` and its ``tag`` (the
        item analysis names it in Korean from ``quizzes.option_names``)."""
        text = self.format(value)
        return Choice({"ko": text, "en": text}, why, value, tag)

    def draw(self, rng):
        """One copy (a Question) from ``rng`` (a ``random.Random``); redrawn until the choices differ."""
        for _ in range(MAX_REDRAWS):
            p = self.draw_params(rng)
            key = self.key_choice(p)
            wrong = self.distractors(p, rng)
            if len({c.text["ko"] for c in (key, *wrong)}) == 4:
                break
        else:
            raise RuntimeError(f"{self.id}: no copy with four distinct choices in {MAX_REDRAWS} draws")
        position = rng.randrange(4)
        choices = list(wrong)
        choices.insert(position, key)
        return Question(id=self.id, section=self.section, origin=self.origin,
                        objective=self.objective, stem=self.stem(p), choices=tuple(choices),
                        key=position + 1, explanation=self.explanation(p, key.value),
                        code=self.code(p), params=p)


class MisconceptionItem(ParametricItem):
    """An item whose key is a Keras value and whose distractors are three misconceptions
    picked at random from ``misconceptions(p)``."""

    def distractors(self, p, rng):
        return [m.choice(self, p) for m in rng.sample(self.misconceptions(p), 3)]
