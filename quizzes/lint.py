"""``python -m quizzes check``: validate and lint the bank, re-running every Keras check.

Rules: the JSON Schema; ids unique, in their section, chapter items in chapter order; exactly
one key; four distinct choices in each language; no "all of the above"-style choices;
negative words of the question sentence in bold; no choice conspicuously longer than the rest
(longest <= 2.5 x the median of the others, Korean, markup and spaces not counted); key
positions balanced (no position for more than half of a section's items); every ``check``
re-run against Keras, and the key choice, and only the key choice, shows its answer.
"""
import re
import statistics
from dataclasses import dataclass

import numpy as np

from quizzes.bank import BANK_DIR, SECTIONS, read_section
from quizzes.errors import InputError

BANNED = ("모두 옳다", "모두 맞다", "모두 정답", "위의 모든 것", "위의 것 모두", "정답 없음",
          "all of the above", "none of the above")
NEGATIVE = {"ko": re.compile(r"않은|않는|아닌|틀린|잘못|수 없는|없는 것"),
            "en": re.compile(r"(?<![=\w])(?:not|cannot|except|incorrect|false|wrong)\b", re.IGNORECASE)}
LENGTH_RATIO = 2.5
_CODE_SPAN = re.compile(r"`[^`]*`")
_BOLD_SPAN = re.compile(r"\*\*.+?\*\*")


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}"


def _plain(text):
    return re.sub(r"\s+", "", text.replace("**", "").replace("`", ""))


def _question_sentence(stem):
    """The last sentence of a stem, code spans removed (that is where the question is asked)."""
    text = _CODE_SPAN.sub(" ", stem).strip()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    return sentences[-1] if sentences else ""


def _negative_outside_bold(stem, lang):
    outside = _BOLD_SPAN.sub(" ", _question_sentence(stem))
    return [m.group(0) for m in NEGATIVE[lang].finditer(outside)]


def _choice_problems(entry):
    where, choices = entry["id"], entry["choices"]
    problems = []
    for lang in ("ko", "en"):
        texts = [_plain(c["text"][lang]).casefold() for c in choices]
        if len(set(texts)) != len(texts):
            problems.append(Problem(where, f"choices are not four distinct texts ({lang})"))
        for c in choices:
            banned = [b for b in BANNED if b.casefold() in c["text"][lang].casefold()]
            if banned:
                problems.append(Problem(where, f"choice {c['text'][lang]!r} is a banned catch-all ({banned[0]})"))
        for word in _negative_outside_bold(entry["stem"][lang], lang):
            problems.append(Problem(where, f"negative word {word!r} in the stem is not in bold ({lang})"))
    lengths = [len(_plain(c["text"]["ko"])) for c in choices]
    for i, n in enumerate(lengths):
        others = statistics.median(lengths[:i] + lengths[i + 1:])
        if n > LENGTH_RATIO * others:
            problems.append(Problem(where, f"choice {i + 1} is {n} characters, more than {LENGTH_RATIO} x "
                                           f"the median {others:g} of the others"))
    if not 1 <= entry["key"] <= len(choices):
        problems.append(Problem(where, f"key {entry['key']} is not one of the {len(choices)} choices"))
    return problems


def _normal(value):
    """Keras results and YAML answers in one comparable form (nested lists of Python scalars)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_normal(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def format_answer(value):
    """How a key choice writes a Keras answer: 1,672 / (3, 4) / [0, 0, 1, 2]."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, tuple):
        return str(tuple(_normal(list(value))))
    return str(_normal(value))


def _shows(text, answer):
    return re.search(rf"(?<![\d,.]){re.escape(answer)}(?![\d,]|\.\d)", text) is not None


def _check_problems(entry):
    import reference  # imports Keras: only when a check runs

    where, check = entry["id"], entry["check"]
    function = getattr(reference, check["function"], None)
    if check["function"] not in reference.__all__ or function is None:
        return [Problem(where, f"check function {check['function']!r} is not in the reference API")]
    try:
        result = function(**check["kwargs"])
    except Exception as exc:  # noqa: BLE001 - any failure of the re-check is reported
        return [Problem(where, f"check {check['function']}(**{check['kwargs']}) raised {exc!r}")]
    if _normal(result) != _normal(check["answer"]):
        return [Problem(where, f"Keras gives {format_answer(result)}, the bank says {check['answer']!r}")]
    shown = format_answer(result)
    problems = []
    for number, choice in enumerate(entry["choices"], 1):
        for lang in ("ko", "en"):
            has = _shows(choice["text"][lang], shown)
            if number == entry["key"] and not has:
                problems.append(Problem(where, f"key choice {number} does not show the answer {shown} ({lang})"))
            elif number != entry["key"] and has:
                problems.append(Problem(where, f"distractor {number} also shows the answer {shown} ({lang})"))
    return problems


def _section_problems(section, entries):
    problems, keys = [], [entry["key"] for entry in entries]
    for position in sorted(set(keys)):
        if keys.count(position) > len(keys) / 2:
            problems.append(Problem(section, f"key position {position} is used by {keys.count(position)} "
                                             f"of {len(keys)} items (more than half)"))
    chapter = [int(entry["id"].rsplit("-", 1)[1]) for entry in entries if entry["origin"] == "chapter"]
    if chapter != sorted(chapter):
        problems.append(Problem(section, f"chapter items are not in chapter order: {chapter}"))
    for entry in entries:
        if not entry["id"].startswith(f"{section}-"):
            problems.append(Problem(entry["id"], f"id is not in section {section}"))
    return problems


def lint(bank_dir=BANK_DIR, sections=SECTIONS, keras=True):
    """Every problem of the bank files of ``sections`` (an empty list when the bank is clean)."""
    problems, seen = [], {}
    for section in sections:
        try:
            entries = read_section(section, bank_dir)["items"]
        except InputError as exc:
            problems += [Problem(section, p) for p in exc.problems]
            continue
        for entry in entries:
            if entry["id"] in seen:
                problems.append(Problem(entry["id"], f"id also used in section {seen[entry['id']]}"))
            seen[entry["id"]] = section
            problems += _choice_problems(entry)
            if keras and "check" in entry:
                problems += _check_problems(entry)
        problems += _section_problems(section, entries)
    return problems
