"""`python -m autograder autograde`: the same course state as `nbgrader autograde`, faster, resumable.

One mixed class (full, typical mistakes, untouched, hostile, a missing notebook, a late
submission with a late penalty) is graded by the real `nbgrader autograde` in one copy of the
course and by the class autograder in others; gradebooks, exports and autograded files must
match. The fault tests kill the batch (and, on a real `dask scheduler` / `dask worker` cluster,
one worker) in the middle and check that a rerun leaves the same grades, each row once.
"""
import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime

import pytest
from nbgrader.api import Gradebook

from helpers import ASSIGNMENT, framework_notices
from samples.course import gradebook_scores, make_course, nbgrader
from samples.services import free_port, kill_group
from samples.submissions import SAMPLE_STUDENTS, write_submissions

TIMEOUT_ENV = {"AUTOGRADER_TIMEOUT": "2"}  # hostile loops cost 2 s, not 10, in both paths
LATE = "oh_late"
MISSING = "han_missing"
CLASS = {**SAMPLE_STUDENTS, MISSING: ["solution"], LATE: ["solution"]}
BATCH_TIMEOUT_S = 300


def _env():
    return {**os.environ, **TIMEOUT_ENV}


def _batch(course, *args, wait=True):
    cmd = [sys.executable, "-m", "autograder", "autograde", ASSIGNMENT, "--course", str(course), *args]
    if not wait:
        return subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
    return subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=BATCH_TIMEOUT_S)


def _nbgrader(course, *args):
    old = {k: os.environ.get(k) for k in TIMEOUT_ENV}
    os.environ.update(TIMEOUT_ENV)
    try:
        return nbgrader(course, *args)
    finally:
        for key, value in old.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A course with the release generated, the class submitted, a due date and a late penalty; not graded."""
    root = make_course(tmp_path_factory.mktemp("pristine"))
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as f:
        f.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=datetime(2026, 11, 1, 9, 0))
    write_submissions(root, ASSIGNMENT, CLASS)
    (root / "submitted" / MISSING / ASSIGNMENT / "03_simple_rnn_forward.ipynb").unlink()
    for student in CLASS:
        stamp = "2026-11-01 10:30:00.000000 UTC" if student == LATE else "2026-10-31 18:00:00.000000 UTC"
        (root / "submitted" / student / ASSIGNMENT / "timestamp.txt").write_text(stamp)
    return root


def _copy(pristine, tmp_path_factory, name):
    target = tmp_path_factory.mktemp(name) / "course"
    shutil.copytree(pristine, target)
    return target


@pytest.fixture(scope="module")
def by_nbgrader(pristine, tmp_path_factory):
    root = _copy(pristine, tmp_path_factory, "nbgrader")
    _nbgrader(root, "autograde", ASSIGNMENT, "--create", "--force")
    return root


@pytest.fixture(scope="module")
def by_batch(pristine, tmp_path_factory):
    root = _copy(pristine, tmp_path_factory, "batch")
    proc = _batch(root, "--workers", "2", "--feedback")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return root, proc


def _export(root):
    nbgrader(root, "export", "--to", "grades.csv")
    with open(root / "grades.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _rows(root):
    """Every gradebook row a grader or formgrader reads, as plain tuples; and, per student, the
    order the submission's rows were inserted in (rowid order, as nbgrader's own flush makes it)."""
    db = sqlite3.connect(root / "gradebook.db")
    joins = ("JOIN submitted_assignment s ON sn.assignment_id = s.id JOIN notebook n ON sn.notebook_id = n.id")
    queries = {
        "grades": "SELECT s.student_id, n.name, c.name, g.auto_score, g.manual_score, g.extra_credit, "
                  f"g.needs_manual_grade FROM grade g JOIN submitted_notebook sn ON g.notebook_id = sn.id {joins} "
                  "JOIN base_cell c ON g.cell_id = c.id ORDER BY 1, 2, 3",
        "comments": "SELECT s.student_id, n.name, c.name, m.auto_comment, m.manual_comment FROM comment m "
                    f"JOIN submitted_notebook sn ON m.notebook_id = sn.id {joins} "
                    "JOIN base_cell c ON m.cell_id = c.id ORDER BY 1, 2, 3",
        "notebooks": "SELECT s.student_id, n.name, sn.late_submission_penalty, sn.flagged FROM submitted_notebook sn "
                     f"{joins} ORDER BY 1, 2",
        "submissions": "SELECT student_id, timestamp, extension FROM submitted_assignment ORDER BY 1",
        "grade order": "SELECT s.student_id, n.name, c.name FROM grade g JOIN submitted_notebook sn "
                       f"ON g.notebook_id = sn.id {joins} JOIN base_cell c ON g.cell_id = c.id ORDER BY 1, g.rowid",
        "comment order": "SELECT s.student_id, n.name, c.name FROM comment m JOIN submitted_notebook sn "
                         f"ON m.notebook_id = sn.id {joins} JOIN base_cell c ON m.cell_id = c.id ORDER BY 1, m.rowid",
        "notebook order": f"SELECT s.student_id, n.name FROM submitted_notebook sn {joins} ORDER BY 1, sn.rowid",
    }
    try:
        return {name: db.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        db.close()


def _files(root):
    base = root / "autograded"
    return {str(p.relative_to(base)): (p.read_bytes(), p.stat().st_mode & 0o777) for p in base.rglob("*") if p.is_file()}


def test_same_gradebook_export_and_files_as_nbgrader(by_nbgrader, by_batch):
    batch, _ = by_batch
    assert _export(batch) == _export(by_nbgrader)
    assert gradebook_scores(batch) == gradebook_scores(by_nbgrader)
    assert _rows(batch) == _rows(by_nbgrader)
    assert _files(batch) == _files(by_nbgrader)


def _feedback_files(root):
    base = root / "feedback"
    return {str(p.relative_to(base)): p.read_bytes() for p in base.rglob("*") if p.is_file()}


def test_feedback_is_what_nbgrader_generate_feedback_writes(by_nbgrader, by_batch, tmp_path):
    """--feedback (a task a student on the two workers) leaves the feedback/ folder `nbgrader
    generate_feedback` leaves, file for file."""
    batch, proc = by_batch
    theirs = shutil.copytree(by_nbgrader, tmp_path / "course")
    _nbgrader(theirs, "generate_feedback", ASSIGNMENT, "--force")
    expected = _feedback_files(theirs)
    assert len([f for f in expected if f.endswith(".html")]) == sum(
        len(list((theirs / "autograded" / s / ASSIGNMENT).glob("*.ipynb"))) for s in CLASS)
    assert _feedback_files(batch) == expected
    assert f"피드백 HTML: {len(CLASS)}명" in proc.stdout


def test_the_class_is_what_the_fixture_says(by_nbgrader):
    """Guards the comparison above against a class where nothing differs between students."""
    rows = _rows(by_nbgrader)
    late = {nb: penalty for s, nb, penalty, _ in rows["notebooks"] if s == LATE}
    assert late and all(p and p > 0 for p in late.values()), late  # penalty "zero": the whole score
    missing = [g for g in rows["grades"] if g[0] == MISSING and g[1] == "03_simple_rnn_forward"]
    assert missing and all(g[3] == 0 for g in missing)
    scores = gradebook_scores(by_nbgrader)
    assert scores["kim_full"] != scores["park_padding"] != scores["lee_untouched"]


def test_summary_counts_the_class_mistakes(by_batch, by_nbgrader):
    root, proc = by_batch
    summary = json.loads((root / "autograde-reports" / ASSIGNMENT / "summary.json").read_text())
    mistakes = {(m["function"], m["mistake"]): m["students"] for m in summary["mistakes"]}
    assert mistakes[("pad_sequences", "padding_side")] == 1
    assert mistakes[("gru_params", "no_second_bias")] == 1
    assert {s for s, nbs in summary["students"].items()
            for r in nbs.values() if r["status"] == "missing"} == {MISSING}
    every = [r for nbs in summary["students"].values() for r in nbs.values() if r["status"] == "graded"]
    assert every and all(r["device"] and r["backend"] for r in every)
    assert 0 < summary["first_result_seconds"] < summary["wall_seconds"]
    assert "가장 흔한 실수" in proc.stdout and "첫 결과까지" in proc.stdout
    with open(root / "autograde-reports" / ASSIGNMENT / "mistakes.csv", encoding="utf-8") as f:
        rows = {(r["function"], r["mistake"]): int(r["students"]) for r in csv.DictReader(f)}
    assert rows == mistakes
    # the points nbgrader leaves for hand grading are said beside each total
    waiting = {nb: sum(m for score, m in parts.values() if score is None)
               for nb, parts in gradebook_scores(by_nbgrader)["kim_full"].items()}
    with open(root / "autograde-reports" / ASSIGNMENT / "scores.csv", encoding="utf-8") as f:
        said = {r["notebook"]: float(r["manual_max_score"]) for r in csv.DictReader(f) if r["student"] == "kim_full"}
    assert said == waiting and any(waiting.values())
    assert f"(수동 {max(waiting.values()):g}점 대기)" in proc.stdout


def test_the_output_is_the_commands_own(by_batch):
    """The workers import Keras: none of TensorFlow's notices reaches the terminal; the local
    cluster's dashboard is said, on loopback."""
    _, proc = by_batch
    assert framework_notices(proc.stdout + proc.stderr) == []
    assert "Dask 대시보드 (dashboard): http://127.0.0.1:" in proc.stderr


def test_a_dashboard_address_it_cannot_listen_on_is_one_clear_line(pristine, tmp_path_factory):
    root = _copy(pristine, tmp_path_factory, "dashboard")
    proc = _batch(root, "--workers", "1", "--dashboard", "192.0.2.1:0")  # TEST-NET: not this machine's
    assert proc.returncode == 2 and "--dashboard 192.0.2.1:0: 그 주소에서 들을 수 없습니다" in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and not (root / "autograded").exists()


def test_rerun_skips_the_unchanged_and_regrades_a_changed_submission(by_batch):
    root, _ = by_batch
    proc = _batch(root, "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads((root / "autograde-reports" / ASSIGNMENT / "summary.json").read_text())
    assert sorted(summary["skipped"]) == sorted(CLASS)
    changed = root / "submitted" / "lee_untouched" / ASSIGNMENT / "timestamp.txt"
    changed.write_text("2026-10-31 19:00:00.000000 UTC")
    proc = _batch(root, "--workers", "1")
    summary = json.loads((root / "autograde-reports" / ASSIGNMENT / "summary.json").read_text())
    assert set(CLASS) - set(summary["skipped"]) == {"lee_untouched"}, proc.stdout[-2000:]


def test_unreadable_notebook_costs_only_itself(by_batch, tmp_path_factory):
    """nbgrader zeroes the whole submission (jupyter/nbgrader: one bad file fails the student);
    the batch grades the readable notebooks and records the unreadable one with its reason."""
    root, _ = by_batch
    write_submissions(root, ASSIGNMENT, {"yoon_broken": ["solution"]})
    broken = root / "submitted" / "yoon_broken" / ASSIGNMENT / "02_parameter_counts.ipynb"
    broken.write_text('{"cells": [ this is not json')
    proc = _batch(root, "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    scores = gradebook_scores(root)["yoon_broken"]
    assert scores["01_padding_encoding"]["test_pad_sequences"] == (10, 10)
    assert all(score == 0 for score, _ in scores["02_parameter_counts"].values())
    rows = _rows(root)
    assert ("yoon_broken", "02_parameter_counts", None, 1) in rows["notebooks"]
    with open(root / "autograde-reports" / ASSIGNMENT / "failures.csv", encoding="utf-8") as f:
        failures = list(csv.DictReader(f))
    assert [(r["student"], r["notebook"]) for r in failures] == [("yoon_broken", "02_parameter_counts")]
    assert "not a notebook" in failures[0]["reason"] and failures[0]["kind"] == "submission"
    assert "yoon_broken / 02_parameter_counts" in proc.stdout
    assert broken.exists() and not (root / "autograded" / "yoon_broken" / ASSIGNMENT / broken.name).exists()


def _wait_for_ledger(root, at_least, proc, limit_s=BATCH_TIMEOUT_S):
    ledger = root / ".autograder" / "ledger.sqlite"
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        if ledger.exists():
            db = sqlite3.connect(ledger)
            try:
                count = db.execute("SELECT COUNT(*) FROM written").fetchone()[0]
            except sqlite3.OperationalError:
                count = 0
            db.close()
            if count >= at_least:
                return count
        time.sleep(0.1)
    raise AssertionError("the batch wrote nobody in time")


def test_kill_9_in_the_middle_then_rerun_gives_the_same_grades_once(pristine, by_nbgrader, tmp_path_factory):
    root = _copy(pristine, tmp_path_factory, "killed")
    proc = _batch(root, "--workers", "2", wait=False)
    try:
        written = _wait_for_ledger(root, 1, proc)
    finally:
        kill_group(proc)
    assert written < len(CLASS), "killed too late to test anything"
    proc = _batch(root, "--workers", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _rows(root) == _rows(by_nbgrader)
    assert _files(root) == _files(by_nbgrader)


def test_dask_cluster_survives_a_killed_worker(pristine, by_nbgrader, tmp_path_factory):
    """`dask scheduler` and two `dask worker` processes on loopback; one worker is SIGKILLed mid-batch."""
    root = _copy(pristine, tmp_path_factory, "cluster")
    dask = os.path.join(os.path.dirname(sys.executable), "dask")  # the `dask` command of this environment
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
                              env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    try:
        time.sleep(3)
        for _ in range(2):
            procs.append(subprocess.Popen(
                [dask, "worker", address, "--nthreads", "1", "--no-nanny",
                 "--host", "127.0.0.1", "--dashboard-address", ":0"],
                env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        batch = _batch(root, "--scheduler", address, wait=False)
        try:
            _wait_for_ledger(root, 1, batch)
            victim = procs[1]
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            out, err = batch.communicate(timeout=BATCH_TIMEOUT_S)
        finally:
            if batch.poll() is None:
                kill_group(batch)
        assert batch.returncode == 0, err[-3000:]
        assert _rows(root) == _rows(by_nbgrader)
        assert _files(root) == _files(by_nbgrader)
        db = sqlite3.connect(root / "gradebook.db")
        assert db.execute("SELECT COUNT(*) FROM submitted_assignment").fetchone()[0] == len(CLASS)
        db.close()
    finally:
        for p in procs:
            kill_group(p)
