"""Hostile and broken answers score 0 on their own part only, in bounded time, and touch nothing."""
import hashlib
import time
from collections import defaultdict

import pytest

from autograder.grading.feedback import FORBIDDEN_MESSAGE
from autograder.settings import REPO_ROOT
from helpers import notebook_of, part
from samples.wrong_answers import HOSTILE_ANSWERS

TIMEOUT = 2.0


def _tree_digest():
    files = sorted(p for d in ("autograder", "reference") for p in (REPO_ROOT / d).rglob("*.py")) + sorted((REPO_ROOT / "source").rglob("*.ipynb"))
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def hostile(assignment, solutions, grade):
    before = _tree_digest()
    by_notebook = defaultdict(dict)
    for wrong in HOSTILE_ANSWERS.values():
        by_notebook[notebook_of(assignment, wrong.function)][wrong.function] = wrong.source
    results, seconds = {}, {}
    for notebook, replaced in by_notebook.items():
        started = time.monotonic()
        results[notebook] = grade({**solutions, **replaced}, notebook, timeout=TIMEOUT)
        seconds[notebook] = time.monotonic() - started
    return {"results": results, "seconds": seconds, "replaced": by_notebook, "before": before}


def _part(hostile, key):
    function = HOSTILE_ANSWERS[key].function
    notebook = next(n for n, r in hostile["replaced"].items() if function in r)
    return part(hostile["results"][notebook], function)


@pytest.mark.parametrize("key", sorted(HOSTILE_ANSWERS))
def test_hostile_answer_scores_zero(key, hostile):
    got = _part(hostile, key)
    assert got["score"] == 0, got["feedback"]


def test_other_parts_keep_full_marks(hostile):
    for notebook, result in hostile["results"].items():
        for p in result["parts"]:
            if p["function"] and p["function"] not in hostile["replaced"][notebook]:
                assert p["score"] == p["max_score"], f"{notebook}/{p['function']}: {p['feedback']}"


@pytest.mark.parametrize("key", ["uses_keras", "uses_keras_dynamically"])
def test_keras_inside_an_answer_is_named(key, hostile):
    assert FORBIDDEN_MESSAGE in _part(hostile, key)["feedback"]


@pytest.mark.parametrize("key", ["infinite_loop", "ignores_alarm"])
def test_endless_loop_is_cut_with_a_message(key, hostile):
    assert f"제한 시간 {TIMEOUT:g}초" in _part(hostile, key)["feedback"]


def test_grading_time_is_bounded(hostile):
    # each looping function costs one time-out (+ grace), its other cases are skipped
    for notebook, seconds in hostile["seconds"].items():
        assert seconds < 60, (notebook, seconds)


def test_killed_process_and_memory_blowup_are_explained(hostile):
    assert "종료" in _part(hostile, "kills_process")["feedback"]
    memory = _part(hostile, "memory_hog")["feedback"]
    assert "MemoryError" in memory and "배열을 실제로 만들지 말고" in memory


def test_object_that_equals_anything_is_not_an_answer(hostile):
    assert "numpy 배열" in _part(hostile, "equals_anything")["feedback"]


def test_student_cannot_touch_grader_or_sources(hostile):
    assert _tree_digest() == hostile["before"]
    assert "0 / " in _part(hostile, "reads_grader_files")["feedback"]
