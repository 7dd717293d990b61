"""``python -m samples course/class``: the README's way to a course and a synthetic class, with
the class's mix (correct, mistakes, untouched, hostile, broken) kept at any size."""
import csv
import json
import subprocess
import sys

import pytest

from samples.classroom import MIX, class_mix


def test_every_kind_of_student_is_there_from_five_students_on():
    assert class_mix(30) == {"correct": 18, "mistakes": 7, "untouched": 3, "hostile": 1, "broken": 1}
    for n in range(5, 400):
        counts = class_mix(n)
        assert sum(counts.values()) == n and min(counts.values()) >= 1, (n, counts)
        if n >= 40:  # and the shares hold to within one student
            assert all(abs(counts[kind] - share * n) <= 1 for kind, share in MIX), (n, counts)


def _samples(*args):
    return subprocess.run([sys.executable, "-m", "samples", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_a_course_then_a_class_of_n_students(tmp_path):
    course = tmp_path / "my-course"
    made = _samples("course", course)
    assert made.returncode == 0, made.stderr[-2000:]
    assert (course / "release" / "ch09" / "01_padding_encoding.ipynb").is_file() and (course / "gradebook.db").is_file()
    klass = _samples("class", course, "--students", 6)
    assert klass.returncode == 0, klass.stderr[-2000:]
    with open(course / "roster.csv", encoding="utf-8") as f:
        roster = list(csv.DictReader(f))
    assert [r["student_id"] for r in roster] == [f"s{i:03d}" for i in range(1, 7)] and all(r["name"] for r in roster)
    notebooks = sorted((course / "submitted").glob("s*/ch09/*.ipynb"))
    assert len(notebooks) == 6 * 4
    unreadable = []
    for path in notebooks:
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            unreadable.append(path.relative_to(course / "submitted").parts[0])
    assert len(unreadable) == 1  # the broken student
    again = _samples("class", course, "--students", 6)
    assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1
    assert _samples("course", course).returncode == 2


@pytest.mark.parametrize("argv", [["class", "no-such-course", "--students", "3"]])
def test_a_class_needs_a_course_first(tmp_path, argv):
    got = subprocess.run([sys.executable, "-m", "samples", *argv], capture_output=True, text=True, cwd=tmp_path,
                         timeout=60)
    assert got.returncode == 2 and "python -m samples course" in got.stderr and "Traceback" not in got.stderr
