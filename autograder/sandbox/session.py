"""The grader's side of the sandbox: start it, execute the answer cells, call functions.

A session owns one sandbox process. Each request has a deadline (``timeout`` seconds plus a
short grace, and never past the notebook's budget); a process that misses it, dies, or answers
garbage is killed, and the next request starts a fresh one that re-executes the answer cells.
Once the notebook's budget is spent, requests fail at once with kind "Budget". Closing the
session kills the sandbox and everything the student's code started in it. So a hang, a crash or a
memory blow-up costs only the requests that hit it.
"""
import importlib.util
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

from autograder.errors import StudentError
from autograder.sandbox import wire
from autograder.settings import GradingSettings

HERE = Path(__file__).resolve().parent
GRACE_S = 2.0
START_TIMEOUT_S = 30.0


def _hidden_package_dirs():
    """Directories of deep-learning packages (and the grader) to blank out inside bwrap."""
    dirs = []
    for name in wire.FORBIDDEN:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        for loc in (spec.submodule_search_locations or []) if spec else []:
            if os.path.isdir(loc):
                dirs.append(os.path.realpath(loc))
    return dirs


# One CPU thread per sandbox for numpy/BLAS, so N grading workers do not oversubscribe the cores.
THREAD_ENV = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                     "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}


def _bwrap_command(runner_dir, settings):
    """bubblewrap: no network, new pid namespace (its processes die with it), read-only system,
    size-capped tmpfs scratch at /tmp and /dev/shm, the runner at /sandbox."""
    scratch = str(settings.scratch_mb * 2**20)
    cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
           "--proc", "/proc", "--dev", "/dev", "--size", scratch, "--tmpfs", "/dev/shm",
           "--size", scratch, "--tmpfs", "/tmp", "--chdir", "/tmp"]
    for top in ("/usr", "/bin", "/lib", "/lib64", "/sbin"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    for etc in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime"):
        if os.path.exists(etc):
            cmd += ["--ro-bind", etc, etc]
    prefixes = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)}
    for prefix in sorted(prefixes):
        if not prefix.startswith("/usr"):
            cmd += ["--ro-bind", prefix, prefix]
    for hidden in _hidden_package_dirs():
        if any(hidden.startswith(p + os.sep) for p in prefixes):
            cmd += ["--tmpfs", hidden,
                    "--ro-bind", os.path.join(runner_dir, "hidden_package.py"), os.path.join(hidden, "__init__.py")]
    cmd += ["--ro-bind", runner_dir, "/sandbox"]
    for name, value in {**_environment("/tmp"), "PYTHONDONTWRITEBYTECODE": "1"}.items():
        cmd += ["--setenv", name, value]
    return cmd + ["--", sys.executable, "-I", "/sandbox/runner.py", str(settings.memory_mb), str(settings.scratch_mb)]


def _environment(home):
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home, **THREAD_ENV}


def resolve_isolation(isolation):
    """"auto" -> "bwrap" if installed else "process" (with a warning); checks "bwrap" exists."""
    have = shutil.which("bwrap") is not None
    if isolation == "auto":
        if not have:
            warnings.warn("bubblewrap가 없어 학생 코드를 약한 격리(별도 프로세스)로 실행합니다")
        return "bwrap" if have else "process"
    if isolation == "bwrap" and not have:
        raise RuntimeError("bubblewrap (bwrap) is required for grading: apt-get install bubblewrap, "
                           "or set isolation='process' knowingly")
    if isolation not in ("bwrap", "process"):
        raise ValueError(f"unknown isolation {isolation!r}")
    return isolation


class SandboxSession:
    """cells: [(grade_id, source)] answer cells in notebook order; settings: a GradingSettings
    (its timeout, memory_mb and isolation apply here)."""

    def __init__(self, cells, settings=GradingSettings()):
        self.cells = list(cells)
        self.settings = settings
        self.isolation = resolve_isolation(settings.isolation)
        self.cell_errors = {}
        self._proc = None
        self._replies = None
        self._deadline = None  # monotonic time when the notebook's budget runs out (set at the first spawn)
        self._workdir = tempfile.TemporaryDirectory(prefix="sandbox-")
        for name in ("runner.py", "wire.py", "hidden_package.py"):
            shutil.copy(HERE / name, self._workdir.name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._kill()
        self._workdir.cleanup()

    def _spawn(self):
        runner_dir = self._workdir.name
        if self._deadline is None:
            self._deadline = time.monotonic() + self.settings.notebook_budget
        elif time.monotonic() >= self._deadline:
            raise self._timeout(0.0)
        if self.isolation == "bwrap":
            cmd, cwd = _bwrap_command(runner_dir, self.settings), None
        else:
            cmd = [sys.executable, "-I", os.path.join(runner_dir, "runner.py"), str(self.settings.memory_mb),
                   str(self.settings.scratch_mb)]
            cwd = runner_dir
        # a new session: on kill, the whole process group goes (bwrap's pid namespace does more)
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      cwd=cwd, env=_environment(runner_dir), start_new_session=True)
        self._replies = queue.Queue()
        self._fresh = True
        threading.Thread(target=self._read, args=(self._proc.stdout, self._replies), daemon=True).start()
        self.cell_errors = {}
        for grade_id, source in self.cells:
            try:
                self._request({"op": "exec", "cell": grade_id, "source": source})
            except StudentError as err:
                self.cell_errors[grade_id] = err
                if self._proc is None:  # the cell hung or killed the process: start again without it
                    self.cells = [(g, s) for g, s in self.cells if g != grade_id]
                    failed = self.cell_errors
                    self._spawn()
                    self.cell_errors = {**failed, **self.cell_errors}
                    return

    @staticmethod
    def _read(stream, replies):
        for line in iter(lambda: stream.readline(wire.MAX_LINE_BYTES + 1), b""):
            replies.put(line)
        replies.put(None)

    def _kill(self):
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                stream.close()
        self._proc = None

    def _request(self, request):
        left = self._deadline - time.monotonic()
        if left <= 0:
            self._kill()
            raise self._timeout(0.0)
        limit = min(self.settings.timeout, left)
        request = {**request, "timeout": limit}
        try:
            self._proc.stdin.write(wire.dumps(request).encode())
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._kill()
            raise StudentError("Crash", "학생 코드 실행 프로세스가 종료되었습니다")
        wait = limit + GRACE_S + (START_TIMEOUT_S if self._fresh else 0)
        self._fresh = False
        try:
            line = self._replies.get(timeout=wait)
        except queue.Empty:
            self._kill()
            raise self._timeout(limit)
        if line is None:
            self._kill()
            raise StudentError("Crash", "학생 코드가 실행 프로세스를 종료시켰습니다 (os._exit, 메모리 초과 등)")
        try:
            reply = wire.json.loads(line)
            value = wire.decode(reply["value"]) if reply.get("ok") and "value" in reply else None
        except (ValueError, KeyError, TypeError):
            self._kill()
            raise StudentError("Crash", "실행 프로세스가 알아볼 수 없는 응답을 보냈습니다")
        if not reply.get("ok"):
            err = reply.get("error") or {}
            kind, message = str(err.get("type", "Error")), str(err.get("message", ""))
            where = [str(w) for w in err.get("where", [])]
            if kind == "Timeout":
                raise self._timeout(limit, where)
            raise StudentError(kind, message + self._limit_note(kind, message), where, bool(err.get("forbidden")))
        return value

    def _timeout(self, limit, where=()):
        """The error for a request cut at ``limit`` seconds: the per-call limit, or the notebook's budget."""
        if limit < self.settings.timeout:
            return StudentError("Budget", f"이 노트북의 채점 시간 한도 {self.settings.notebook_budget:g}초를 다 써서 "
                                          "남은 사례는 실행하지 않았습니다 (0점).", where)
        return StudentError("Timeout", f"{self.settings.timeout:g}초 안에 끝나지 않았습니다", where)

    def _limit_note(self, kind, message):
        """Names the sandbox limit behind an error, in Korean ("" when none was hit)."""
        if kind == "MemoryError":
            return f" (메모리 한도 {self.settings.memory_mb} MiB를 넘었습니다)"
        if kind in ("OSError", "IOError") and ("No space left" in message or "File too large" in message):
            return f" (작업 공간 한도 {self.settings.scratch_mb} MiB를 넘었습니다: 임시 파일을 줄이세요)"
        return ""

    def call(self, fn, *args, **kwargs):
        """Call the student's ``fn`` on these arguments -> decoded value, or raise StudentError."""
        if self._proc is None:
            self._spawn()
        return self._request({"op": "call", "fn": fn, "args": wire.encode(list(args)),
                              "kwargs": wire.encode(dict(kwargs))})
