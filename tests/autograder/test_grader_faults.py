"""A fault of the grader is never a student's grade (issue 20), checked at every exit.

Faults are injected where they happen: bubblewrap denied its namespaces by a seccomp filter (as in
a default Docker container: tests/deny_namespaces.py), a grader raising or the trusted side out of
memory (tests/fault_injection/sitecustomize.py, loaded in every process the test starts but never
in the sandbox), a session process killed from outside, a Dask worker killed mid-grade. Each exit
must say "not graded" with the reason and record no score: the JSON CLI, nbgrader autograde's
gradebook, the class autograder's summary and its rerun, the server's job state and pages. And the
student's own doings (killing its session, its fork server) stay the student's.
"""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import nbformat
import psutil
import pytest

from autograder.errors import GraderFault, StudentError
from autograder.grading.grade import grade_notebook
from autograder.sandbox.session import SandboxSession
from autograder.settings import REPO_ROOT, GradingSettings
from helpers import ASSIGNMENT, RELEASE, part
from samples import services
from samples.course import gradebook_scores, make_course, nbgrader
from samples.submissions import student_copy

TESTS = REPO_ROOT / "tests"
INJECT = TESTS / "fault_injection"
DENY = [shutil.which("python3", path="/usr/bin") or "/usr/bin/python3", str(TESTS / "deny_namespaces.py")]
NOTEBOOK = "02_parameter_counts"
FAULT = "dense_params"


def _env(fault=None):
    env = {**os.environ, "AUTOGRADER_TIMEOUT": "2"}
    if fault:
        env["PYTHONPATH"] = os.pathsep.join([str(INJECT), env.get("PYTHONPATH", "")])
        env["AUTOGRADER_TEST_FAULT"] = fault
    return env


def _run(args, fault=None, deny=False, cwd=REPO_ROOT, timeout=300):
    cmd = [*(DENY if deny else []), sys.executable, *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=_env(fault), timeout=timeout)


def _lines(text):
    """What a command said, without TensorFlow's start-up notices (issue 17 §6 is about those)."""
    return [line for line in text.splitlines() if line.strip() and not line.startswith(("I0000", "WARNING: All"))]


def _solution_file(tmp_path, solutions, name=NOTEBOOK):
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(student_copy(nbformat.read(RELEASE / f"{name}.ipynb", as_version=4), solutions), path)
    return path


# --- the JSON CLI --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["raise", "memory"])
def test_a_grader_fault_is_not_graded_in_the_cli(kind, tmp_path, solutions):
    path = _solution_file(tmp_path, solutions)
    proc = _run(["-m", "autograder", "grade", str(path)], fault=f"{FAULT}:{kind}")
    assert proc.returncode == 3, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["status"] == "not_graded" and result["score"] is None and result["parts"] == []
    assert FAULT in result["reason"] and ("MemoryError" if kind == "memory" else "RuntimeError") in result["reason"]
    said = _lines(proc.stderr)
    assert len(said) == 1 and "not graded" in said[0] and "Traceback" not in proc.stderr


def test_the_same_notebook_grades_in_full_without_the_fault(tmp_path, solutions):
    proc = _run(["-m", "autograder", "grade", str(_solution_file(tmp_path, solutions))])
    assert proc.returncode == 0 and json.loads(proc.stdout)["score"] == 12.0


# --- the sandbox cannot run here: every command stops at once with one line ----------------------------------

def test_seccomp_denying_namespaces_stops_every_command_with_one_line(tmp_path, solutions):
    """Docker's default seccomp profile, reproduced: bubblewrap cannot make namespaces."""
    assert Path(DENY[0]).exists(), "Debian's python3 with python3-seccomp (scripts/setup.sh installs it)"
    path = _solution_file(tmp_path, solutions)
    graded = _run(["-m", "autograder", "grade", str(path)], deny=True)
    assert graded.returncode == 3
    assert json.loads(graded.stdout)["status"] == "not_graded" and json.loads(graded.stdout)["score"] is None
    said = _lines(graded.stderr)
    assert len(said) == 1 and "seccomp" in said[0] and "--security-opt seccomp=unconfined" in said[0]
    assert "--isolation process" in said[0]

    course = make_course(tmp_path / "course")
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    batch = _run(["-m", "autograder", "autograde", ASSIGNMENT, "--course", str(course), "--workers", "1"], deny=True)
    assert batch.returncode == 2 and len(_lines(batch.stderr)) == 1 and "seccomp" in batch.stderr
    serve = _run(["-m", "autograder", "serve", "--course", str(course), "--port", str(services.free_port()),
                  "--db", f"sqlite:///{tmp_path / 'server.sqlite'}"], deny=True)
    assert serve.returncode == 2 and len(_lines(serve.stderr)) == 1 and "seccomp" in serve.stderr
    assert not (tmp_path / "server.sqlite").exists()
    demo = _run(["-m", "demo", "--out", str(tmp_path / "demo")], deny=True)
    assert demo.returncode != 0 and "seccomp" in demo.stderr and not (tmp_path / "demo").exists()
    check = _run(["-m", "autograder", "check", "--course", str(course)], deny=True)
    assert check.returncode == 1 and "✘ 샌드박스" in check.stdout and "seccomp" in check.stdout

    weaker = _run(["-m", "autograder", "grade", str(path), "--isolation", "process"], deny=True)
    assert weaker.returncode == 0, weaker.stderr[-2000:]
    result = json.loads(weaker.stdout)
    assert result["score"] == 12.0 and result["isolation"] == "process"  # chosen knowingly, and recorded


def test_nbgrader_autograde_reports_the_submission_failed_and_writes_no_grade(tmp_path, solutions):
    course = make_course(tmp_path / "course")
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    folder = course / "submitted" / "kim" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(_solution_file(tmp_path, solutions), folder)
    nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    before = gradebook_scores(course)["kim"][NOTEBOOK]
    assert before[f"test_{FAULT}"] == (1.0, 1.0)
    proc = _run(["-m", "nbgrader", "autograde", ASSIGNMENT, "--force"], fault=f"{FAULT}:raise", cwd=course)
    assert proc.returncode != 0
    assert "not graded" in proc.stderr and "There was an error processing assignment" in proc.stderr
    assert gradebook_scores(course)["kim"][NOTEBOOK] == before  # the grade it had stays; no new one
    assert not (course / "autograded" / "kim" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").exists()


# --- the class autograder ----------------------------------------------------------------------------------

def test_the_class_autograder_lists_not_graded_apart_keeps_grades_and_the_rerun_grades(tmp_path, solutions):
    course = make_course(tmp_path / "course")
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    for student in ("kim", "lee"):
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for name in (NOTEBOOK, "01_padding_encoding"):
            shutil.copy(_solution_file(tmp_path, solutions, name), folder)
    batch = ["-m", "autograder", "autograde", ASSIGNMENT, "--course", str(course), "--workers", "1"]
    first = _run(batch)
    assert first.returncode == 0, first.stderr[-3000:]
    autograded = course / "autograded" / "kim" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    kept = autograded.read_bytes()
    for student in ("kim", "lee"):  # a new submission: the batch grades it again
        (course / "submitted" / student / ASSIGNMENT / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    faulty = _run(batch, fault=f"{FAULT}:raise")
    assert faulty.returncode == 1, faulty.stderr[-3000:]
    assert "채점하지 못함 2건" in faulty.stdout and "not graded" in faulty.stdout
    summary = json.loads((course / "autograde-reports" / ASSIGNMENT / "summary.json").read_text(encoding="utf-8"))
    assert sorted((f["student"], f["notebook"]) for f in summary["not_graded"]) == [("kim", NOTEBOOK), ("lee", NOTEBOOK)]
    assert all(summary["students"][s][NOTEBOOK]["score"] is None for s in ("kim", "lee"))
    scores = gradebook_scores(course)
    assert all(sum(g[0] for g in scores[s][NOTEBOOK].values()) == 12.0 for s in ("kim", "lee"))  # kept
    assert autograded.read_bytes() == kept
    assert (course / "autograded" / "kim" / ASSIGNMENT / "01_padding_encoding.ipynb").exists()
    rerun = _run(batch)  # no --force: the students with a not-graded notebook were not recorded as done
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    summary = json.loads((course / "autograde-reports" / ASSIGNMENT / "summary.json").read_text(encoding="utf-8"))
    assert summary["skipped"] == [] and summary["not_graded"] == []
    assert all(summary["students"][s][NOTEBOOK]["score"] == 12.0 for s in ("kim", "lee"))


# --- the sandbox session: whose fault is a dead process --------------------------------------------------------

def test_a_session_process_killed_from_outside_costs_no_case():
    code = "import time\n\ndef slow(x):\n    time.sleep(1.5)\n    return x * 2\n"
    with SandboxSession([("slow", code)], GradingSettings(timeout=10)) as session:
        session.call("slow", 0)  # the sandbox and its session process now exist
        server = psutil.Process(session._sandbox._proc.pid)

        def kill_the_call():
            time.sleep(0.5)
            newest = max((p for p in server.children(recursive=True) if p.name().startswith("python")),
                         key=lambda p: p.create_time())
            newest.kill()  # the session process (a fork of the fork server), killed from outside

        killer = threading.Thread(target=kill_the_call)
        killer.start()
        assert session.call("slow", 21) == 42  # run once more in a fresh process: no Crash for the student
        killer.join()


def test_a_student_who_kills_the_fork_server_keeps_the_grade_of_it(grade, solutions):
    """Killing its own sandbox is the student's doing: that function scores 0, the notebook is graded."""
    hostile = ("import os, signal\n\ndef dense_params(n_inputs, units):\n"
               "    os.kill(os.getppid(), signal.SIGKILL)\n    os._exit(1)\n")
    result = grade({**solutions, FAULT: hostile}, NOTEBOOK)
    assert result["status"] == "graded"
    assert part(result, FAULT)["score"] == 0 and "종료" in part(result, FAULT)["feedback"]
    assert result["score"] == 11.0  # every other part in full


def test_grade_notebook_raises_a_grader_fault_for_an_exception_in_the_grader(assignment, solutions, monkeypatch):
    import autograder.graders.dense_params as grader

    monkeypatch.setattr(grader, "grade", lambda case, answers: 1 / 0)
    nb = student_copy(nbformat.read(RELEASE / f"{NOTEBOOK}.ipynb", as_version=4), solutions)
    with pytest.raises(GraderFault, match="ZeroDivisionError"):
        grade_notebook(nb, assignment, NOTEBOOK, GradingSettings())


# --- where instructors run it: a venv through a symlink, a non-root user -------------------------------------

def test_grading_works_from_a_venv_reached_through_a_symlink(tmp_path, solutions):
    link = tmp_path / "course-venv"
    link.symlink_to(Path(sys.prefix).resolve(), target_is_directory=True)
    proc = subprocess.run([str(link / "bin" / "python"), "-m", "autograder", "grade",
                           str(_solution_file(tmp_path, solutions))], capture_output=True, text=True, cwd=REPO_ROOT,
                          env=_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["score"] == 12.0


@pytest.fixture
def open_dir():
    """A folder under /tmp that every user can read (pytest's tmp_path is the test user's only)."""
    folder = Path(tempfile.mkdtemp(prefix="nonroot-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_grading_works_as_a_user_without_privileges(open_dir, solutions):
    """bubblewrap unprivileged (user namespaces), from a venv of Debian's Python that reaches the
    project's packages through a .pth file (outside every prefix: the sandbox binds numpy's folder)."""
    python = Path("/usr/bin/python3.11")
    assert python.exists(), "Debian's python3.11"
    tmp_path = open_dir
    venv = tmp_path / "venv"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = next(Path(sys.prefix).glob("lib/python3.*/site-packages"))
    (next(venv.glob("lib/python3.*/site-packages")) / "project.pth").write_text(f"{site}\n{REPO_ROOT}\n")
    path = _solution_file(tmp_path, solutions)
    path.chmod(0o644)
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] if os.geteuid() == 0 else []
    proc = subprocess.run([*drop, str(venv / "bin" / "python"), "-m", "autograder", "grade", str(path)],
                          capture_output=True, text=True, cwd="/", env={**_env(), "HOME": str(tmp_path)}, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["score"] == 12.0


# --- the grading server -------------------------------------------------------------------------------------

def _server_course(tmp_path, students=("s1", "s2")):
    course = make_course(tmp_path / "server-course")
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    (course / "roster.csv").write_text("student_id,name\n" + "".join(f"{s},학생{s}\n" for s in students))
    db = f"sqlite:///{tmp_path / 'server.sqlite'}"
    out = _run(["-m", "autograder", "students", "import", str(course / "roster.csv"), "--db", db,
                "--course", str(course)]).stdout
    tokens = dict(line.split(",", 1) for line in out.splitlines()[1:])
    instructor = _run(["-m", "autograder", "instructors", "add", "prof", "--db", db, "--course", str(course)])
    return course, db, tokens, instructor.stdout.strip().splitlines()[-1]


def _upload(base, token, data):
    response = httpx.post(f"{base}/api/submissions", headers={"Authorization": f"Bearer {token}"},
                          files={"file": ("nb.ipynb", data)}, timeout=60)
    assert response.status_code == 202, response.text
    return response.json()["id"]


def _wait(base, token, sid, until, limit_s=240):
    deadline = time.monotonic() + limit_s
    while True:
        body = httpx.get(f"{base}/api/submissions/{sid}", headers={"Authorization": f"Bearer {token}"}).json()
        if body["status"] in until:
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.3)


@pytest.fixture
def start_server(monkeypatch):
    """services.serving, with the environment of the test (fault injection) in the server's process tree."""
    def start(course, db, *args, fault=None):
        for key, value in _env(fault).items():
            monkeypatch.setenv(key, value)
        return services.serving(course, "--db", db, *args)
    return start


def test_the_server_retries_a_faulty_submission_then_holds_it_never_a_score(tmp_path, solutions, start_server):
    course, db, tokens, instructor = _server_course(tmp_path)
    data = nbformat.writes(student_copy(nbformat.read(RELEASE / f"{NOTEBOOK}.ipynb", as_version=4), solutions)).encode()
    with start_server(course, db, "--workers", "1", "--max-faults", "2", "--retry-s", "0.2",
                      fault=f"{FAULT}:raise") as (base, _, _):
        sid = _upload(base, tokens["s1"], data)
        mine = _wait(base, tokens["s1"], sid, {"held"})
        assert mine["score"] is None and mine["parts"] == [] and "채점이 지연되고 있습니다" in mine["notice"]
        assert "fault_log" not in mine and mine["error"] is None  # the evidence is the instructor's
        theirs = httpx.get(f"{base}/api/submissions/{sid}", headers={"Authorization": f"Bearer {instructor}"}).json()
        assert theirs["faults"] == 2 and theirs["fault_log"].count("\n") == 1 and FAULT in theirs["fault_log"]
        assert "이 제출물에서만" in theirs["error"]
        health = httpx.get(f"{base}/api/health").json()
        assert health["status"] == "ok" and health["held"] == 1
        export = httpx.get(f"{base}/api/export.csv", headers={"Authorization": f"Bearer {instructor}"}).text
        assert "s1" not in export
    assert "s1" not in gradebook_scores(course)  # nothing written to the gradebook


def _grading_workers(server):
    """The server's Dask worker processes that hold a sandbox (bubblewrap) right now."""
    found = []
    for process in psutil.Process(server.pid).children(recursive=True):
        try:
            if "multiprocessing.spawn" in " ".join(process.cmdline()) and \
                    any(child.name() == "bwrap" for child in process.children()):
                found.append(process)
        except psutil.NoSuchProcess:
            continue
    return found


def test_a_worker_killed_mid_grade_is_graded_once_elsewhere_and_the_server_stays_healthy(
        tmp_path, solutions, start_server):
    course, db, tokens, _ = _server_course(tmp_path)
    slow = "import time\n\ndef dense_params(n_inputs, units):\n    time.sleep(1)\n    return n_inputs * units + units\n"
    data = nbformat.writes(student_copy(nbformat.read(RELEASE / f"{NOTEBOOK}.ipynb", as_version=4),
                                        {**solutions, FAULT: slow})).encode()
    with start_server(course, db, "--workers", "1") as (base, proc, log):  # its restart is "another worker"
        sid = _upload(base, tokens["s1"], data)
        deadline = time.monotonic() + 120
        while not _grading_workers(proc):
            assert time.monotonic() < deadline, "no worker started grading"
            time.sleep(0.1)
        time.sleep(1.0)  # inside the slow answer's calls
        assert httpx.get(f"{base}/api/submissions/{sid}", headers={"Authorization": f"Bearer {tokens['s1']}"}
                         ).json()["status"] == "running"
        for worker in _grading_workers(proc):  # the Dask worker that holds a sandbox: the one grading
            worker.send_signal(signal.SIGKILL)
        assert httpx.get(f"{base}/api/health").status_code == 200
        body = _wait(base, tokens["s1"], sid, {"graded", "held", "error"})
        assert body["status"] == "graded" and body["score"] == 12.0, body
        assert httpx.get(f"{base}/api/health").json()["status"] == "ok"
        second = _upload(base, tokens["s2"], data)
        assert _wait(base, tokens["s2"], second, {"graded", "held", "error"})["score"] == 12.0
    rows = sqlite3.connect(course / "gradebook.db").execute(
        "SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id").fetchall()
    assert sorted(rows) == [("s1", 1), ("s2", 1)]  # graded once each
