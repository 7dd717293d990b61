"""The question model shared by the bank, the parameterized items, rendering and exports.

Words used throughout ``quizzes``:
  item       what an item id ("9-2-x1", "9-2-p1") names: a fixed question of the bank or a
             parameterized item (``quizzes.parametric``); keys, scores and item analysis are per item
  entry      the raw mapping of one fixed item in a bank YAML file, before it becomes a Question
  Question   one concrete multiple-choice question: a fixed item as loaded, or one draw of a
             parameterized item
  Choice     one of a Question's four answers

Every text field is bilingual: a dict {"ko": str, "en": str}. ``key`` is 1-based.
"""
import re
from dataclasses import dataclass, field, replace

LANGS = ("ko", "en")
LABELS = "①②③④"


def comparable(text):
    """A choice text as two items are compared to find a giveaway: markup, spaces and case
    dropped (``"3,136"``, ``"`3,136`"`` and ``"3, 136"`` are the same answer)."""
    return re.sub(r"\s+", "", text.replace("**", "").replace("`", "")).casefold()


@dataclass(frozen=True)
class Choice:
    """One answer choice: its text and why it is right (key) or what misconception it stands for.

    A parameterized item's choice also keeps ``value``, the number, shape or row its text shows.
    ``tag`` names the option for item analysis whatever the printed order: the choice's number
    in the bank ("1"-"4") for a fixed item, ``key`` or the misconception's name for a parameterized one.
    """

    text: dict
    why: dict
    value: object = None
    tag: str = ""


@dataclass(frozen=True)
class Question:
    """A multiple-choice question with exactly four choices and one key (1-based)."""

    id: str
    section: str
    origin: str  # "chapter", "original" or "parametric"
    objective: dict
    stem: dict
    choices: tuple
    key: int
    explanation: dict
    code: str | None = None
    check: dict | None = None
    params: dict = field(default_factory=dict)

    def permuted(self, order):
        """The same question with choices reordered: new position i shows old choice ``order[i]`` (0-based)."""
        if sorted(order) != list(range(len(self.choices))):
            raise ValueError(f"{self.id}: {order!r} is not a permutation of the choices")
        return replace(self, choices=tuple(self.choices[i] for i in order),
                       key=list(order).index(self.key - 1) + 1)

    def key_texts(self):
        """The key's text in every language, as ``comparable`` writes it."""
        return {comparable(self.choices[self.key - 1].text[lang]) for lang in LANGS}

    def choice_texts(self):
        """Every choice's text (key included) in every language, as ``comparable`` writes it."""
        return {comparable(c.text[lang]) for c in self.choices for lang in LANGS}

    def gives_away(self, other):
        """Whether this question and ``other`` on one form give each other away: a choice of
        either one is the key of the other."""
        return bool(self.choice_texts() & other.key_texts() or self.key_texts() & other.choice_texts())

    def text(self, lang):
        """Plain strings of this question in one language (for templates and exports)."""
        return {
            "id": self.id,
            "section": self.section,
            "origin": self.origin,
            "objective": self.objective[lang],
            "stem": self.stem[lang],
            "code": self.code,
            "choices": [c.text[lang] for c in self.choices],
            "whys": [c.why[lang] for c in self.choices],
            "key": self.key,
            "key_label": LABELS[self.key - 1],
            "explanation": self.explanation[lang],
        }
