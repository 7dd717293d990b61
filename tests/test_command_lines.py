"""Every command line of the project (autograder, quizzes, samples): each flag has help
and --help shows its default; a flag is never abbreviated; a mistake after a subcommand is
reported with that subcommand's usage."""
import argparse

import pytest

from autograder.cli import parser as autograder_parser
from quizzes.cli import _parser as quizzes_parser
from samples.__main__ import parser as samples_parser

PARSERS = {"autograder": autograder_parser, "quizzes": quizzes_parser, "samples": samples_parser}


def _commands(parser, path=()):
    """(subcommand path, parser) of a parser and all its subcommands, nested ones included."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def _arguments(parser):
    return [a for a in parser._actions
            if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction)) and a.help != argparse.SUPPRESS]


@pytest.mark.parametrize("program", sorted(PARSERS))
def test_every_flag_has_help_that_shows_its_default(program):
    missing, no_default = [], []
    for path, parser in _commands(PARSERS[program]()):
        formatter = parser._get_formatter()
        for action in _arguments(parser):
            where = f"{program} {' '.join(path)} {'/'.join(action.option_strings) or action.dest}"
            if not (action.help or "").strip():
                missing.append(where)
                continue
            shown = formatter._expand_help(action)
            if action.option_strings and action.default not in (None, False, []) and "default" not in shown:
                no_default.append(f"{where}: {shown!r}")
    assert missing == [], "flags without help"
    assert no_default == [], "help that does not show the default"


CASES = [  # (program, argv, the usage line it must print, the wrong argument)
    ("autograder", ["serve", "--worker", "2"], "usage: python -m autograder serve", "--worker"),
    ("autograder", ["autograde", "ch09", "--forse"], "usage: python -m autograder autograde", "--forse"),
    ("autograder", ["students", "import", "roster.csv", "--outt", "x.csv"],
     "usage: python -m autograder students import", "--outt"),
    ("autograder", ["grade", "nb.ipynb", "--time", "3"], "usage: python -m autograder grade", "--time"),
    ("quizzes", ["score", "r.csv", "--key", "k.csv", "--lan", "en"], "usage: python -m quizzes score", "--lan"),
    ("samples", ["class", "c", "--students", "3", "--sed", "1"], "usage: python -m samples class", "--sed"),
]


@pytest.mark.parametrize("program, argv, usage, wrong", CASES, ids=[" ".join(c[1][:2]) for c in CASES])
def test_a_mistyped_or_abbreviated_flag_is_an_error_of_its_subcommand(program, argv, usage, wrong, capsys):
    with pytest.raises(SystemExit) as stop:
        PARSERS[program]().parse_args(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err.startswith(usage), err
    assert err.strip().splitlines()[-1].endswith(f"unrecognized arguments: {' '.join(argv[argv.index(wrong):])}"), err

