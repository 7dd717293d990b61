"""Feedback that cannot be replayed: a lookup table built from one submission's feedback does not
reach full marks on the next.

The attack (measured on the CLI before the scoring cases were kept apart: gru_params 0/3, then 3/3):
copy every "기대값" the feedback shows into a table keyed by the call, and hand in the table. Scores
now come from scoring cases whose calls and expected values the feedback never shows, so the table
fails even with every example's expected value shown and the same seed; with "public" feedback and a
new seed per upload it does not even cover the next upload's examples.
"""
import ast
import re

from autograder.grading.feedback import EXAMPLES_NOTE
from helpers import part, notebook_of

FUNCTION = "gru_params"
WRONG = '''def gru_params(n_features, units, reset_after=True):
    return 3 * (n_features * units + units * units + units)
'''


def _table(feedback):
    """{(n_features, units, reset_after): value} from the feedback's 호출/기대값 lines."""
    table, call = {}, None
    for line in feedback.splitlines():
        line = line.strip()
        if line.startswith("호출: "):
            node = ast.parse(line.removeprefix("호출: "), mode="eval").body
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
            call = (*[ast.literal_eval(a) for a in node.args], kwargs.get("reset_after", True))
        match = re.match(r"기대값: ([\d,]+)$", line)
        if match and call is not None:
            table[call] = int(match.group(1).replace(",", ""))
    return table


def _lookup_answer(table):
    """The table where feedback gave a value, the first answer (which passed those cases) elsewhere."""
    return (f"TABLE = {table!r}\n\n" + WRONG.replace("def gru_params", "def first_answer") +
            "\ndef gru_params(n_features, units, reset_after=True):\n"
            "    key = (n_features, units, reset_after)\n"
            "    return TABLE[key] if key in TABLE else first_answer(n_features, units, reset_after)\n")


def test_a_table_from_fully_revealed_feedback_does_not_replay_even_under_the_same_seed(assignment, solutions, grade):
    """Every example's expected value shown and the same seed: the table covers those examples (they
    pass), yet the score stays where it was, made of cases the feedback never showed."""
    notebook = notebook_of(assignment, FUNCTION)
    first = part(grade({**solutions, FUNCTION: WRONG}, notebook, seed=5, expected_values="all"), FUNCTION)
    assert first["score"] < first["max_score"]
    table = _table(first["feedback"])
    assert table
    again = part(grade({**solutions, FUNCTION: _lookup_answer(table)}, notebook, seed=5, expected_values="all"),
                 FUNCTION)
    assert again["score"] < again["max_score"], again["feedback"]
    assert EXAMPLES_NOTE in again["feedback"]
    assert "✘" not in again["feedback"].split(EXAMPLES_NOTE)[1]  # the table answers every example it saw


def test_public_feedback_and_a_new_seed_defeat_the_table(assignment, solutions, grade):
    notebook = notebook_of(assignment, FUNCTION)
    first = part(grade({**solutions, FUNCTION: WRONG}, notebook, seed=5, expected_values="public"), FUNCTION)
    assert "기대값을 보여 주지 않습니다" in first["feedback"]
    table = _table(first["feedback"])
    again = part(grade({**solutions, FUNCTION: _lookup_answer(table)}, notebook, seed=6, expected_values="public"),
                 FUNCTION)
    assert again["score"] < again["max_score"], again["feedback"]
    assert "제출값:" in again["feedback"]  # it still says what the answer gave


def test_fixed_examples_still_show_their_expected_value(assignment, solutions, grade):
    notebook = notebook_of(assignment, FUNCTION)
    feedback = part(grade({**solutions, FUNCTION: WRONG}, notebook, seed=5, expected_values="public"),
                    FUNCTION)["feedback"]
    assert "기대값: 624" in feedback  # the textbook's GRU(8) on 16 features, a fixed case
