"""Load the YAML question bank (one file per section) and validate it against the JSON Schema."""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from quizzes.errors import InputError
from quizzes.questions import Choice, Question

PACKAGE_DIR = Path(__file__).resolve().parent
BANK_DIR = PACKAGE_DIR / "bank"
SCHEMA_PATH = PACKAGE_DIR / "schema" / "bank.schema.json"
SECTIONS = ("9-1", "9-2", "9-3")


@dataclass(frozen=True)
class Section:
    """One section's bank: its id ("9-2"), bilingual title and questions in file order."""

    section: str
    title: dict
    questions: tuple


@lru_cache(maxsize=1)
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def section_path(section, bank_dir=BANK_DIR):
    """Path of a section's bank file: ``<bank_dir>/<section>.yaml``."""
    return Path(bank_dir) / f"{section}.yaml"


def schema_problems(data, source):
    """Schema violations of parsed bank data, one message per error: '<source> <json path>: why'."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{source} {e.json_path}: {e.message}" for e in errors]


def read_raw(path):
    """Parsed YAML of one bank file (a dict); InputError when it is missing or not YAML."""
    path = Path(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([f"{path}: no such bank file"]) from None
    except yaml.YAMLError as exc:
        raise InputError([f"{path}: not valid YAML: {exc}"]) from None


def _question(entry, section):
    return Question(
        id=entry["id"], section=section, origin=entry["origin"], objective=entry["objective"],
        stem=entry["stem"], code=entry["code"].rstrip() if "code" in entry else None, key=entry["key"],
        explanation=entry["explanation"], choices=tuple(Choice(c["text"], c["why"], tag=str(n)) for n, c in enumerate(entry["choices"], 1)),
        check=entry.get("check"))


def read_section(section, bank_dir=BANK_DIR):
    """The parsed data of a section's bank file, schema-valid and of that section; InputError
    lists every problem (missing file, YAML, schema, section). The one loading step of the
    bank, shared by ``load_section`` and the linter."""
    path = section_path(section, bank_dir)
    data = read_raw(path)
    problems = schema_problems(data, path)
    if not problems and data["section"] != section:
        problems.append(f"{path}: section is {data['section']!r}, expected {section!r}")
    if problems:
        raise InputError(problems)
    return data


def load_section(section, bank_dir=BANK_DIR):
    """The validated Section for "9-1", "9-2" or "9-3"; InputError lists every problem."""
    data = read_section(section, bank_dir)
    return Section(section, data["title"], tuple(_question(entry, section) for entry in data["items"]))


def expand_sections(text):
    """"all" -> every section; "9-2" -> ("9-2",); "9-1,9-3" -> ("9-1", "9-3") (spaces, case and
    repeats ignored); an unknown name raises ValueError."""
    names = [n.strip().lower() for n in str(text).split(",") if n.strip()]
    unknown = [n for n in names if n != "all" and n not in SECTIONS]
    if unknown or not names:
        raise ValueError(f"알 수 없는 절 {', '.join(unknown) or repr(text)}: {', '.join(SECTIONS)}, all 또는 "
                         f"9-1,9-3처럼 쉼표로 나열하세요 (unknown section {', '.join(map(repr, unknown)) or repr(text)}; "
                         f"expected one of {', '.join(SECTIONS)} or all)")
    if "all" in names:
        return SECTIONS
    return tuple(dict.fromkeys(names))
