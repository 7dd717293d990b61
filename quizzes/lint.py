"""``python -m quizzes check``: validate and lint the bank, re-running every Keras check.

Rules: the JSON Schema; ids unique, in their section, chapter items in chapter order; exactly
one key; four distinct choices in each language; no "all of the above"-style choices;
negative words of the question sentence in bold; no choice conspicuously longer than the rest
(longest <= 2.5 x the median of the others, Korean, markup and spaces not counted); no
distractor that is the key of another item of its section (every form of a section holds all
of its items, so on one form the one item would give the other away); key positions balanced:
no position for more than half of a section's items, and the four positions' counts differ by at
most KEY_SPREAD in each section, in the bank and among the bank's own items (``key_positions``
reports them); every ``check`` re-run against Keras, and the key choice, and only the key
choice, shows its answer.
"""
import re
import statistics
from collections import Counter
from dataclasses import dataclass

import numpy as np

from quizzes.bank import BANK_DIR, SECTIONS, read_section
from quizzes.errors import InputError

BANNED = ("모두 옳다", "모두 맞다", "모두 정답", "위의 모든 것", "위의 것 모두", "정답 없음",
          "all of the above", "none of the above")
NEGATIVE = {"ko": re.compile(r"않은|않는|아닌|틀린|잘못|수 없는|없는 것"),
            "en": re.compile(r"(?<![=\w])(?:not|cannot|except|incorrect|false|wrong)\b", re.IGNORECASE)}
LENGTH_RATIO = 2.5
KEY_SPREAD = 2  # most key positions may differ in count (most used - least used)
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
    """How a key choice writes a Keras answer: 1,672 / (3, 4) / [0, 0, 1, 2]; a single value
    (a one-element array, a whole float) as the number: 11."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, np.ndarray) and value.size == 1:  # one output value: shown as a number
        value = value.reshape(()).item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
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
    kwargs = dict(check["kwargs"])
    try:
        for name in check.get("arrays", ()):  # weights and inputs the reference takes as float64 arrays
            kwargs[name] = np.asarray(kwargs[name], dtype="float64")
        result = function(**kwargs)
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


def _key_text(entry, lang):
    return _plain(entry["choices"][entry["key"] - 1]["text"][lang]).casefold()


def _giveaway_problems(section, entries):
    """Distractors that are the key of another item of the section (the two meet on every form)."""
    problems = []
    for item in entries:
        for number, choice in enumerate(item["choices"], 1):
            if number == item["key"]:
                continue
            for other in entries:
                if other is not item and any(_plain(choice["text"][lang]).casefold() == _key_text(other, lang)
                                             for lang in ("ko", "en")):
                    problems.append(Problem(item["id"], f"distractor {number} ({choice['text']['ko']}) is the key of "
                                                        f"{other['id']}; both are on every form of {section}, so "
                                                        f"one gives the other away"))
    return problems


def spread(counts):
    """Most used minus least used key position (positions 1-4, unused ones count 0)."""
    values = [counts.get(position, 0) for position in range(1, 5)]
    return max(values) - min(values)


def _spread_problem(where, what, counts):
    if spread(counts) <= KEY_SPREAD:
        return []
    shown = ", ".join(f"{position}: {counts.get(position, 0)}" for position in range(1, 5))
    return [Problem(where, f"key positions of {what} are unbalanced ({shown}; most and least used differ "
                           f"by more than {KEY_SPREAD})")]


def _section_problems(section, entries):
    problems, keys = [], [entry["key"] for entry in entries]
    for position in sorted(set(keys)):
        if keys.count(position) > len(keys) / 2:
            problems.append(Problem(section, f"key position {position} is used by {keys.count(position)} "
                                             f"of {len(keys)} items (more than half)"))
    problems += _spread_problem(section, "the section", Counter(keys))
    problems += _giveaway_problems(section, entries)
    chapter = [int(entry["id"].rsplit("-", 1)[1]) for entry in entries if entry["origin"] == "chapter"]
    if chapter != sorted(chapter):
        problems.append(Problem(section, f"chapter items are not in chapter order: {chapter}"))
    for entry in entries:
        if not entry["id"].startswith(f"{section}-"):
            problems.append(Problem(entry["id"], f"id is not in section {section}"))
    return problems


def key_positions(bank_dir=BANK_DIR, sections=SECTIONS):
    """{row: (Counter of all items' key positions, Counter of the own items')} for each readable
    section and, last, "bank" for all of them together (the table ``python -m quizzes check`` prints)."""
    table, bank_all, bank_own = {}, Counter(), Counter()
    for section in sections:
        try:
            entries = read_section(section, bank_dir)["items"]
        except InputError:
            continue
        every = Counter(entry["key"] for entry in entries)
        own = Counter(entry["key"] for entry in entries if entry["origin"] != "chapter")
        table[section] = (every, own)
        bank_all += every
        bank_own += own
    table["bank"] = (bank_all, bank_own)
    return table


def key_position_table(table):
    """``key_positions`` as printable lines: how many keys sit at choices 1-4, and their spread."""
    def cells(counts):
        return f"{sum(counts.values()):>5}" + "".join(f"{counts.get(p, 0):>3}" for p in range(1, 5)) + \
            f"{spread(counts):>7}"

    lines = ["key positions  items  1  2  3  4 spread | own items  1  2  3  4 spread"]
    for row, (every, own) in table.items():
        lines.append(f"{row:<14}{cells(every)} | {'':>4}{cells(own)}")
    return lines


def lint(bank_dir=BANK_DIR, sections=SECTIONS, keras=True):
    """Every problem of the bank files of ``sections`` (an empty list when the bank is clean)."""
    problems, seen = [], {}
    every, own = Counter(), Counter()
    for section in sections:
        try:
            entries = read_section(section, bank_dir)["items"]
        except InputError as exc:
            problems += [Problem(section, p) for p in exc.problems]
            continue
        every.update(entry["key"] for entry in entries)
        own.update(entry["key"] for entry in entries if entry["origin"] != "chapter")
        for entry in entries:
            if entry["id"] in seen:
                problems.append(Problem(entry["id"], f"id also used in section {seen[entry['id']]}"))
            seen[entry["id"]] = section
            problems += _choice_problems(entry)
            if keras and "check" in entry:
                problems += _check_problems(entry)
        problems += _section_problems(section, entries)
    if len(sections) > 1:
        problems += _spread_problem("bank", "the bank", every)
        problems += _spread_problem("bank", "the bank's own items", own)
    return problems
