"""The sandbox hides the grading side and the deep-learning libraries; the wire carries only data."""
import base64
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.errors import StudentError
from autograder.sandbox import pool, wire
from autograder.sandbox.session import SandboxSession
from autograder.settings import REPO_ROOT, GradingSettings
from samples.wrong_answers import MEMORY_HOG


def _call(source, fn="f", *args, **config):
    with SandboxSession([(fn, source)], GradingSettings(**{"timeout": 5, **config})) as session:
        return session.call(fn, *args)


def test_round_trip_of_values():
    src = "import numpy as np\ndef f(x):\n    return x * 2, [1, 2.5], {'a': np.int64(3)}\n"
    arr, lst, dct = _call(src, "f", np.arange(4, dtype=np.int32))
    assert arr.dtype == np.int32 and arr.tolist() == [0, 2, 4, 6]
    assert lst == [1, 2.5] and int(dct["a"]) == 3


def test_grader_files_are_invisible():
    src = f"def f():\n    return open({str(REPO_ROOT / 'autograder' / 'grading' / 'grade.py')!r}).read()\n"
    with pytest.raises(StudentError) as err:
        _call(src)
    assert err.value.kind == "FileNotFoundError"


def test_keras_is_gone_even_without_the_import_blocker():
    src = ("import sys\ndef f():\n    sys.meta_path[:] = [m for m in sys.meta_path if type(m).__name__ != '_Blocker']\n"
           "    import keras\n    return 1\n")
    with pytest.raises(StudentError) as err:
        _call(src)
    assert err.value.kind == "ModuleNotFoundError"


def test_no_network():
    src = "import socket\ndef f():\n    socket.create_connection(('127.0.0.1', 22), timeout=1)\n"
    with pytest.raises(StudentError) as err:
        _call(src)
    assert err.value.kind in ("OSError", "ConnectionRefusedError")


def test_student_prints_do_not_corrupt_the_protocol():
    src = "import os\ndef f():\n    print('{\"ok\": true, \"value\": 100}')\n    os.write(1, b'garbage\\n')\n    return 7\n"
    assert _call(src) == 7


def test_hard_timeout_kills_and_restarts():
    src = "import signal\ndef f(loop):\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while loop:\n        pass\n    return 1\n"
    with SandboxSession([("f", src)], GradingSettings(timeout=1)) as session:
        with pytest.raises(StudentError) as err:
            session.call("f", True)
        assert err.value.kind == "Timeout"
        assert session.call("f", False) == 1  # a fresh process took over


def test_wire_refuses_object_arrays_and_bad_sizes():
    with pytest.raises(ValueError):
        wire.decode({"__nd__": ["|O", [1], base64.b64encode(b"12345678").decode()]})
    with pytest.raises(ValueError):
        wire.decode({"__nd__": ["<f8", [3], base64.b64encode(b"1234").decode()]})
    assert isinstance(wire.decode(wire.encode(object())), wire.Unsupported)


def test_scratch_space_is_capped():
    src = ("def f(mib):\n    with open('/tmp/big', 'wb') as out:\n        for _ in range(mib):\n"
           "            out.write(b'0' * 2**20)\n    return mib\n")
    with SandboxSession([("f", src)], GradingSettings(timeout=5, scratch_mb=8)) as session:
        assert session.call("f", 4) == 4
        with pytest.raises(StudentError) as err:
            session.call("f", 20)
    assert err.value.kind == "OSError" and "작업 공간 한도 8 MiB" in err.value.message


def test_notebook_budget_ends_the_notebook_and_says_so():
    src = "import time\ndef f():\n    time.sleep(0.8)\n    return 1\n"
    started = time.monotonic()
    with SandboxSession([("f", src)], GradingSettings(timeout=5, notebook_budget=2)) as session:
        kinds = []
        for _ in range(6):
            try:
                session.call("f")
                kinds.append("ok")
            except StudentError as err:
                kinds.append(err.kind)
                message = err.message
    first = kinds.index("Budget")
    assert kinds[0] == "ok" and set(kinds[first:]) == {"Budget"}, kinds  # once spent, nothing more runs
    assert time.monotonic() - started < 2 + 3  # the budget, the kill's grace, the sandbox's exit
    assert "채점 시간 한도 2초" in message


def _processes_with(marker):
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            continue
    return found


@pytest.mark.parametrize("isolation, escape", [("bwrap", True), ("process", False)])
def test_nothing_the_student_starts_outlives_the_notebook(isolation, escape):
    """bubblewrap's pid namespace takes everything down, even a process in a new session; the
    weaker "process" isolation kills the sandbox's process group (a new session escapes it)."""
    marker = f"{time.time_ns() % 10**6}.25"
    src = (f"import subprocess\ndef f():\n    subprocess.Popen(['sleep', '{marker}'], start_new_session={escape})\n"
           "    return 1\n")
    with SandboxSession([("f", src)], GradingSettings(timeout=5, isolation=isolation)) as session:
        assert session.call("f") == 1
        assert _eventually(lambda: _processes_with(f"sleep\0{marker}".encode()))  # it did start (exec is not instant)
    assert _eventually(lambda: not _processes_with(f"sleep\0{marker}".encode()))  # the reset's kill is asynchronous


def _eventually(condition, seconds=3.0):
    """True once ``condition()`` is, polling for up to ``seconds`` (a loaded machine may take a while)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_one_blas_thread_per_sandbox():
    src = "import os\ndef f():\n    return [os.environ.get(k) for k in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS')]\n"
    assert _call(src) == ["1", "1", "1"]


# --- warm sandboxes: one notebook's session never reaches the next one's -----------------------

LEAVE_TRACES = '''import os, subprocess, sys, time
def f():
    for root, dirs, _ in os.walk("/tmp"):  # also next to what bubblewrap mounts under /tmp (a venv there, say)
        dirs[:] = [d for d in dirs if not os.path.ismount(os.path.join(root, d))]
        open(os.path.join(root, "left.txt"), "w").write("answer of the last student")
    open("/dev/shm/b", "w").write("x")
    os.makedirs("/tmp/locked/inner")
    open("/tmp/locked/inner/c", "w").write("x")
    os.chmod("/tmp/locked/inner", 0)
    os.chmod("/tmp/locked", 0)
    os.symlink("/sandbox", "/tmp/link")
    subprocess.Popen([sys.executable, "-c", "import os, time\\nwhile True:\\n    open('/tmp/late', 'w').write(str(os.getpid()))\\n    time.sleep(0.05)"],
                     start_new_session=True)
    time.sleep(0.3)
    os.chmod("/tmp", 0)
    return 1
'''
LOOK_AROUND = '''import os
def f():
    others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid(), os.getppid())]
    scratch = []
    for root, dirs, files in os.walk("/tmp"):
        dirs[:] = [d for d in dirs if not os.path.ismount(os.path.join(root, d))]
        scratch += [os.path.join(root, name) for name in dirs + files]
    return [sorted(scratch), sorted(os.listdir("/dev/shm")), others]
'''


def test_the_next_session_finds_no_process_and_no_file_of_the_last():
    settings = GradingSettings(timeout=5, isolation="bwrap")
    pool.close_idle()  # no warm sandbox of earlier tests: every session below gets the same one
    with SandboxSession([("f", LOOK_AROUND)], settings) as session:
        fresh = session.call("f")  # what a new sandbox shows (mount points under /tmp, if any)
        first = session._sandbox
    with SandboxSession([("f", LEAVE_TRACES)], settings) as session:
        assert session.call("f") == 1
        assert session._sandbox is first
    with SandboxSession([("f", LOOK_AROUND)], settings) as session:
        found = session.call("f")
        assert session._sandbox is first  # the same warm sandbox, reset
    assert found == fresh and fresh[1:] == [[], []]


def test_a_session_cannot_reach_into_the_fork_server():
    src = '''import ctypes, os
def f():
    seen = {}
    parent = os.getppid()
    for name in ("mem", "environ"):
        try:
            open(f"/proc/{parent}/{name}", "rb").read(1)
            seen[name] = "read"
        except OSError as exc:
            seen[name] = type(exc).__name__
    fds = set()
    for fd in os.listdir(f"/proc/{parent}/fd"):
        try:
            os.readlink(f"/proc/{parent}/fd/{fd}")
            fds.add("read")
        except OSError as exc:
            fds.add(type(exc).__name__)
    seen["fds"] = sorted(fds)
    seen["ptrace"] = ctypes.CDLL(None).ptrace(16, parent, 0, 0)  # PTRACE_ATTACH
    seen["caps"] = [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0]
    try:
        open("/dev/evil", "w")
        seen["dev"] = "written"
    except OSError as exc:
        seen["dev"] = type(exc).__name__
    return seen
'''
    seen = _call(src, isolation="bwrap")
    assert seen == {"mem": "PermissionError", "environ": "PermissionError", "fds": ["PermissionError"], "ptrace": -1,
                    "caps": "0000000000000000", "dev": "OSError"}, seen


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGSTOP"])
def test_a_fork_server_killed_or_stopped_by_a_student_is_replaced(signal_name):
    attack = f"import os, signal\ndef f():\n    os.kill(os.getppid(), signal.{signal_name})\n    return 1\n"
    settings = GradingSettings(timeout=3, isolation="bwrap")
    with SandboxSession([("f", attack)], settings) as session:
        try:
            session.call("f")
        except StudentError as err:  # the sandbox went down with its server
            assert err.kind == "Crash"
        attacked = session._sandbox
    started = time.monotonic()
    with SandboxSession([("g", "def g(x):\n    return x + 1\n")], settings) as session:
        assert session.call("g", 1) == 2
        assert session._sandbox is not attacked
    assert time.monotonic() - started < 5 + 30  # the reset's wait, a fresh start


CAP_MB = 256
SLACK_MB = 96  # what the watchdog may let through in one period (20 ms) at numpy's allocation speed


class _Sampler:
    """Samples, every 10 ms while the block runs, the private resident memory of this process's
    descendants (the sandboxes) and the host's MemAvailable; keeps the extremes (MiB)."""

    def __enter__(self):
        import threading

        self.start_sandboxes, self.start_available = self._sandboxes(), self._available()
        self.peak_sandboxes, self.low_available = self.start_sandboxes, self.start_available
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            self.peak_sandboxes = max(self.peak_sandboxes, self._sandboxes())
            self.low_available = min(self.low_available, self._available())
            time.sleep(0.01)

    @staticmethod
    def _sandboxes():
        """The sandboxes' processes only: each fork server of this process and what it started (other
        descendants of a long test session, servers or browsers of other tests, are not counted)."""
        import psutil

        counted = {}
        for child in psutil.Process().children(recursive=True):
            try:
                if any("fork_server.py" in part for part in child.cmdline()):  # bwrap's processes, the server
                    counted.update({p.pid: p for p in [child, *child.children(recursive=True)]})
            except psutil.Error:
                pass
        total = 0
        for process in counted.values():  # each once: bwrap and its server both name fork_server.py
            try:
                info = process.memory_info()
                total += info.rss - info.shared
            except psutil.Error:
                pass
        return total / 2**20

    @staticmethod
    def _available():
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no MemAvailable in /proc/meminfo")


@pytest.mark.parametrize("isolation", ["bwrap", "process"])
def test_memory_is_capped_for_all_the_sandboxs_processes_together(isolation):
    """Three processes of 0.45 x the cap each (every one under its own address-space limit) pass the
    cap together: the session is ended with a Korean message naming the limit, the sandbox held
    no more than the cap (and one watchdog period), and the next call runs."""
    settings = GradingSettings(timeout=10, memory_mb=CAP_MB, isolation=isolation)
    with _Sampler() as sampled, SandboxSession([("hog", MEMORY_HOG)], settings) as session:
        with pytest.raises(StudentError) as err:
            session.call("hog", 3, int(0.45 * CAP_MB))
        assert session.call("ok") == 1
        cap = session.memory_cap
    assert err.value.kind == "MemoryError" and f"한도 {CAP_MB} MiB" in err.value.message, err.value
    assert "모든 프로세스" in err.value.message
    assert sampled.peak_sandboxes - sampled.start_sandboxes <= CAP_MB + SLACK_MB, vars(sampled)
    assert cap in ("cgroup", "watchdog")


def test_a_burst_of_processes_ends_at_the_process_limit():
    src = "import os, time\ndef f(n):\n    for _ in range(n):\n        if os.fork() == 0:\n            time.sleep(30)\n"
    src += "            os._exit(0)\n    return n\ndef ok():\n    return 1\n"
    with SandboxSession([("f", src)], GradingSettings(timeout=10, max_processes=8)) as session:
        assert session.call("f", 3) == 3  # a few are fine
        with pytest.raises(StudentError) as err:
            session.call("f", 60)
        assert session.call("ok") == 1
    assert err.value.kind == "TooManyProcesses" and "한도 8개" in err.value.message


@pytest.mark.parametrize("isolation", ["bwrap", "process"])
def test_processes_past_the_limit_end_the_call_even_when_it_returns_before_the_watchdog_looks(isolation):
    """The call forks ten sleeping processes under a limit of 8 and returns at once, before the
    watchdog's next period (a busy machine may delay it much longer): the call still ends at the
    limit, every time, not with the value."""
    src = ("import os, time\ndef f(n):\n    for _ in range(n):\n        if os.fork() == 0:\n"
           "            time.sleep(30)\n            os._exit(0)\n    return n\n")
    settings = GradingSettings(timeout=10, max_processes=8, isolation=isolation)
    with SandboxSession([("f", src)], settings) as session:
        kinds = []
        for _ in range(5):
            try:
                kinds.append(session.call("f", 10))
            except StudentError as err:
                kinds.append(err.kind)
    assert kinds == ["TooManyProcesses"] * 5


def test_the_host_keeps_its_memory_while_every_worker_grades_a_memory_hog():
    """One hog per core at once, each spreading 8 x 0.45 x the cap over its processes (uncapped: 3.6
    caps a sandbox): the host's available memory never drops by more than the caps, and the
    sandboxes together never hold more."""
    import os
    import threading

    workers = max(2, os.cpu_count() or 1)
    settings = GradingSettings(timeout=10, memory_mb=CAP_MB)
    errors = []

    def grade():
        with SandboxSession([("hog", MEMORY_HOG)], settings) as session:
            try:
                session.call("hog", 8, int(0.45 * CAP_MB))
            except StudentError as err:
                errors.append(err.kind)

    with _Sampler() as sampled:
        threads = [threading.Thread(target=grade) for _ in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    allowed = workers * (CAP_MB + SLACK_MB)
    assert errors == ["MemoryError"] * workers
    assert sampled.peak_sandboxes - sampled.start_sandboxes <= allowed, vars(sampled)
    floor = sampled.start_available - allowed - 512  # 512 MiB for the rest of the machine meanwhile
    assert sampled.low_available >= floor, vars(sampled)
