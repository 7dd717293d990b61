"""``python -m autograder grade``: JSON on stdout, exit 0 for failing code, 2 for a bad or missing file,
the notebook recognised by its cells whatever the file is called (as the server does)."""
import json
import subprocess
import sys

import nbformat

from autograder.settings import REPO_ROOT
from helpers import RELEASE, run_cli


def test_release_notebook_grades_to_json_with_exit_0(tmp_path):
    path = tmp_path / "02_parameter_counts.ipynb"
    path.write_bytes((RELEASE / path.name).read_bytes())
    proc = run_cli("grade", path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["notebook"] == "02_parameter_counts" and result["score"] == 0
    assert result["status"] == "graded" and result["isolation"] == "bwrap"
    assert {p["function"] for p in result["parts"]} == {
        "simple_rnn_params", "lstm_params", "gru_params", "embedding_params", "dense_params"}
    assert all(set(p) == {"function", "grade_id", "score", "max_score", "feedback", "mistakes"} for p in result["parts"])


def test_broken_file_exits_2_with_one_line(tmp_path):
    path = tmp_path / "01_padding_encoding.ipynb"
    path.write_text("{ this is not json")
    proc = run_cli("grade", path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "not a notebook: broken JSON at line 1" in proc.stderr


def test_a_cut_short_file_is_said_so_plainly(tmp_path):
    """A truncated upload: what happened, in words; no exception class name, no doubled bracket."""
    path = tmp_path / "01_padding_encoding.ipynb"
    path.write_bytes((RELEASE / path.name).read_bytes()[:20_000])
    proc = run_cli("grade", path)
    assert proc.returncode == 2 and "파일이 중간에 끊겼습니다" in proc.stderr and "cut short" in proc.stderr
    assert "Error" not in proc.stderr and "))" not in proc.stderr


def test_a_renamed_copy_is_recognised_by_its_cells(tmp_path):
    path = tmp_path / "Copy of 01_padding_encoding (1).ipynb"
    path.write_bytes((RELEASE / "01_padding_encoding.ipynb").read_bytes())
    proc = run_cli("grade", path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["notebook"] == "01_padding_encoding"


def test_cells_decide_over_the_file_name(tmp_path):
    path = tmp_path / "02_parameter_counts.ipynb"
    path.write_bytes((RELEASE / "03_simple_rnn_forward.ipynb").read_bytes())
    proc = run_cli("grade", path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["notebook"] == "03_simple_rnn_forward"


def test_unknown_notebook_name_exits_2(tmp_path):
    path = tmp_path / "homework.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), path)
    proc = run_cli("grade", path)
    assert proc.returncode == 2 and "not a notebook of assignment ch09" in proc.stderr


def test_missing_file_exits_2(tmp_path):
    proc = run_cli("grade", tmp_path / "03_simple_rnn_forward.ipynb")
    assert proc.returncode == 2 and "no such file" in proc.stderr and "is not a notebook" not in proc.stderr


def test_the_writing_process_does_not_import_keras():
    """The process that reads the course config, plans a batch, writes the gradebook or serves
    uploads never grades, so it must not pay Keras's import (seconds of CPU at every start, on
    the cores the workers need then); workers and one-notebook grading import it when they grade."""
    code = ("import sys\n"
            "from autograder.gradebook.course import NbgraderCourse\n"
            "course = NbgraderCourse('.')\n"
            "import autograder.batch.run, autograder.batch.cli, autograder.server.app, autograder.server.cli\n"
            "from autograder.batch.plan import grader_version\n"
            "grader_version(course, 'ch09', '')\n"
            "print(sorted(m for m in ('keras', 'tensorflow', 'jax', 'reference') if m in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"
