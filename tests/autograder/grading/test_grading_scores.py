"""Solutions score full marks, the untouched release scores 0, each known mistake is named."""
import time
from collections import defaultdict

import pytest

from helpers import notebook_of, part
from samples.wrong_answers import WRONG_ANSWERS


@pytest.fixture(scope="module")
def solution_results(assignment, solutions, grade):
    return {name: grade(solutions, name) for name in assignment.notebooks}


def test_solutions_score_full_marks(solution_results):
    for name, result in solution_results.items():
        for p in result["parts"]:
            if p["function"]:
                assert p["score"] == p["max_score"], f"{name}/{p['function']}:\n{p['feedback']}"


def test_manual_parts_are_listed_with_null_score(solution_results):
    manual = [p for r in solution_results.values() for p in r["parts"] if p["function"] is None]
    assert {p["grade_id"] for p in manual} >= {"written_padding_side", "written_embedding_memory"}
    assert all(p["score"] is None and p["max_score"] > 0 for p in manual)
    for result in solution_results.values():  # their points are said apart from the score
        waiting = sum(p["max_score"] for p in result["parts"] if p["function"] is None)
        assert result["manual_max_score"] == waiting and result["score"] + waiting == result["max_score"]


def test_untouched_release_scores_zero_everywhere(assignment, grade):
    for name in assignment.notebooks:
        result = grade({}, name)
        auto = [p for p in result["parts"] if p["function"]]
        assert auto and all(p["score"] == 0 for p in auto), name
        assert all("NotImplementedError" in p["feedback"] for p in auto), name


def _batches():
    """Wrong answers grouped so that no two in a batch answer the same function."""
    batches = []
    for key, wrong in WRONG_ANSWERS.items():
        batch = next((b for b in batches if wrong.function not in {WRONG_ANSWERS[k].function for k in b}), None)
        if batch is None:
            batch = []
            batches.append(batch)
        batch.append(key)
    return batches


@pytest.fixture(scope="module")
def mistake_results(assignment, solutions, grade):
    results = {}
    for batch in _batches():
        by_notebook = defaultdict(dict)
        for key in batch:
            wrong = WRONG_ANSWERS[key]
            by_notebook[notebook_of(assignment, wrong.function)][wrong.function] = wrong.source
        for notebook, replaced in by_notebook.items():
            result = grade({**solutions, **replaced}, notebook)
            for key in batch:
                if WRONG_ANSWERS[key].function in replaced:
                    results[key] = part(result, WRONG_ANSWERS[key].function)
    return results


@pytest.mark.parametrize("key", sorted(WRONG_ANSWERS))
def test_known_mistake_loses_points_and_is_named(key, mistake_results):
    wrong, got = WRONG_ANSWERS[key], mistake_results[key]
    assert got["score"] < got["max_score"], got["feedback"]
    assert (got["score"] > 0) == wrong.some_credit, got["feedback"]
    assert wrong.mistake in got["mistakes"], got["mistakes"]
    assert "→ 흔한 실수:" in got["feedback"], got["feedback"]


def test_feedback_shows_input_expected_and_got(mistake_results):
    text = mistake_results["padding_side"]["feedback"]
    assert "호출: pad_sequences(" in text and "기대값" in text and "제출값" in text
    float_text = mistake_results["cell_sigmoid"]["feedback"]
    assert "최대 상대 오차" in float_text


def test_processes_that_pass_the_memory_cap_together_cost_only_their_part(grade, solutions):
    """dense_params forks three processes of 120 MiB under a 256 MiB cap and returns once all three
    hold it (however busy the machine): that part scores 0 with the limit named in Korean, its
    remaining cases are skipped (not re-run into the cap each time), the other parts keep full marks."""
    hog = ("import os, time\nimport numpy as np\n\ndef dense_params(n_inputs, units):\n    held, told = os.pipe()\n"
           "    for _ in range(3):\n        if os.fork() == 0:\n            block = np.ones(120 * 2**20 // 8)\n"
           "            os.write(told, b'.')\n            time.sleep(5)\n            os._exit(0)\n"
           "    for _ in range(3):\n        os.read(held, 1)\n    return n_inputs * units + units\n")
    started = time.monotonic()
    result = grade({**solutions, "dense_params": hog}, "02_parameter_counts", memory_mb=256)
    dense = part(result, "dense_params")
    assert dense["score"] == 0 and "한도 256 MiB" in dense["feedback"] and "샌드박스 한도를 넘어" in dense["feedback"]
    assert all(p["score"] == p["max_score"] for p in result["parts"] if p["function"] not in (None, "dense_params"))
    assert result["memory_cap"] in ("cgroup", "watchdog")
    assert time.monotonic() - started < 30
