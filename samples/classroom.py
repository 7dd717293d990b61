"""A synthetic class: many students' submissions with a realistic mix, for the class autograder.

Mix (of the students): about 60% fully correct, 25% with one to three typical mistakes, 10%
untouched release notebooks, 5% hostile or broken (half of them hand in a notebook that is not
valid JSON, half hostile answers that loop, kill their process or use Keras); from 5 students
on, every kind is there at least once (``class_mix``). Deterministic for a seed.
"""
import math
import random

from samples.submissions import write_submissions
from samples.wrong_answers import HOSTILE_ANSWERS, WRONG_ANSWERS

MIX = (("correct", 0.60), ("mistakes", 0.25), ("untouched", 0.10), ("hostile", 0.025), ("broken", 0.025))
BROKEN_NOTEBOOK = "02_parameter_counts"


def class_mix(n_students):
    """{kind: students} for a class of ``n_students``: one of each kind first (when there are at
    least as many students as kinds), the rest shared out by MIX's shares, largest remainder first."""
    counts = {kind: 0 for kind, _ in MIX}
    if n_students >= len(MIX):
        counts = {kind: 1 for kind in counts}
    left = n_students - sum(counts.values())
    weights = {kind: max(share * n_students - counts[kind], 0.0) for kind, share in MIX}
    total = sum(weights.values()) or 1.0
    quotas = {kind: left * w / total for kind, w in weights.items()}
    for kind, quota in quotas.items():
        counts[kind] += math.floor(quota)
    by_remainder = sorted(quotas, key=lambda kind: (math.floor(quotas[kind]) - quotas[kind], list(counts).index(kind)))
    for kind in by_remainder[:n_students - sum(counts.values())]:
        counts[kind] += 1
    return counts


def _kinds(n, rng):
    kinds = [kind for kind, count in class_mix(n).items() for _ in range(count)]
    rng.shuffle(kinds)
    return kinds


def _recipe(kind, rng):
    if kind == "untouched":
        return ["release"]
    if kind == "mistakes":
        keys = rng.sample(sorted(WRONG_ANSWERS), rng.randint(1, 3))
        return ["solution", *[k for i, k in enumerate(keys)
                              if WRONG_ANSWERS[k].function not in {WRONG_ANSWERS[j].function for j in keys[:i]}]]
    if kind == "hostile":
        return ["solution", *rng.sample(sorted(HOSTILE_ANSWERS), 2)]
    return ["solution"]


def write_class(course_root, n_students, assignment="ch09", seed=0):
    """Write submitted/<student>/<assignment>/ for ``n_students`` students (ids s001, s002, ...).

    Returns {student: kind}. A "broken" student's BROKEN_NOTEBOOK is replaced by bytes that are
    not JSON; their other notebooks are correct.
    """
    rng = random.Random(seed)
    kinds = {f"s{i + 1:03d}": kind for i, kind in enumerate(_kinds(n_students, rng))}
    recipes = {student: _recipe(kind, rng) for student, kind in kinds.items()}
    write_submissions(course_root, assignment, recipes)
    for student, kind in kinds.items():
        if kind == "broken":
            path = course_root / "submitted" / student / assignment / f"{BROKEN_NOTEBOOK}.ipynb"
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    return kinds
