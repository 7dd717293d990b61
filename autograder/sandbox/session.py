"""The grader's side of the sandbox: take a warm sandbox, execute the answer cells, call functions.

A session runs in one session process forked from a warm sandbox (sandbox/pool.py). Each
request has a deadline (``timeout`` seconds plus a short grace, and never past the notebook's
budget); a process that misses it, dies, or answers garbage is killed, and the next request
starts a fresh one that re-executes the answer cells. The notebook's budget counts the time its
requests took (the student's code, not the grader's own work between two calls, such as notebook
05's training); once it is spent, requests fail at once with kind "Budget". Closing the session kills everything the student's
code started and empties the scratch space before the sandbox serves another notebook. So a
hang, a crash or a memory blow-up costs only the requests that hit it.
"""
import base64
import queue
import threading
import time

from autograder.errors import SandboxLimit, StudentError
from autograder.sandbox import pool, wire
from autograder.sandbox.isolation import resolve_isolation
from autograder.settings import GradingSettings

GRACE_S = 2.0


class _Died(StudentError):
    """The session process ended while answering (a Crash, unless a second try ends the same way)."""

    def __init__(self, message):
        super().__init__("Crash", message)


# Address space (per process) a session needs beside what the settings give numpy answers: Keras with
# TensorFlow maps ~1.6 GB once imported and ~2.7 GB after a small fit (measured, Keras 3.15). Its resident
# memory stays under the sandbox's own cap: a session that built notebook 05's three models held 273 MiB
# private resident (the watchdog's measure; 319 MiB resident) beside the fork server's Keras.
ALLOWS_ADDRESS_MB = {"keras": 4096}


class SandboxSession:
    """cells: [(grade_id, source)] answer cells in notebook order; settings: a GradingSettings
    (its timeout, notebook_budget, memory_mb, scratch_mb and isolation apply here); allows: the
    notebook's sandbox_allows (its sandboxes import those packages; each process's address space at
    least ALLOWS_ADDRESS_MB, while memory_mb still caps the sandbox's resident memory as a whole)."""

    def __init__(self, cells, settings=GradingSettings(), allows=frozenset()):
        self.cells = list(cells)
        self.allows = frozenset(allows)
        self.address_mb = max([settings.memory_mb, *(ALLOWS_ADDRESS_MB.get(a, 0) for a in self.allows)])
        self.settings = settings
        self.isolation = resolve_isolation(settings.isolation)
        self.cell_errors = {}
        self._died_once = set()  # cells whose process died once (a second death drops the cell)
        self._sandbox = None
        self._channel = None  # socket to the session process
        self._replies = None
        self._spent = 0.0  # seconds the notebook's requests have taken (its budget: student code, not the grader's)
        self.memory_cap = None  # how the sandbox's memory was capped: "cgroup" | "watchdog" (after the first spawn)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """End the session; the sandbox goes back to the pool, which resets it."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._sandbox is not None:
            pool.release(self._sandbox)
            self._sandbox = None

    def _fork(self):
        """A socket to a fresh session process; a sandbox that fails is closed and replaced once."""
        for attempt in (1, 2):
            if self._sandbox is None:
                self._sandbox = pool.acquire(self.isolation, self.settings.scratch_mb, self.allows)
            try:
                channel = self._sandbox.fork(self.settings.memory_mb, self.settings.scratch_mb,
                                             self.settings.max_processes, self.address_mb)
                self.memory_cap = self._sandbox.memory_cap
                return channel
            except pool.SandboxFailed as exc:
                self._sandbox.close()
                self._sandbox = None
                if attempt == 2:
                    raise pool.SandboxFailed(f"채점 샌드박스를 시작하지 못했습니다 (sandbox could not start: {exc})") from None

    def _spawn(self):
        if self._spent >= self.settings.notebook_budget:
            raise self._timeout(0.0)
        self._channel = self._fork()
        self._replies = queue.Queue()
        threading.Thread(target=self._read, args=(self._channel.makefile("rb"), self._replies), daemon=True).start()
        self.cell_errors = {}
        for grade_id, source in self.cells:
            try:
                self._request({"op": "exec", "cell": grade_id, "source": source})
            except StudentError as err:
                self.cell_errors[grade_id] = err
                if isinstance(err, _Died) and grade_id not in self._died_once:  # once more, with the cell
                    self._died_once.add(grade_id)
                    self._spawn()
                    return
                if self._channel is None:  # the cell hung or killed the process: start again without it
                    self.cells = [(g, s) for g, s in self.cells if g != grade_id]
                    failed = self.cell_errors
                    self._spawn()
                    self.cell_errors = {**failed, **self.cell_errors}
                    return

    @staticmethod
    def _read(stream, replies):
        with stream:
            for line in iter(lambda: stream.readline(wire.MAX_LINE_BYTES + 1), b""):
                replies.put(line)
        replies.put(None)

    def _kill(self):
        """End the session process and everything it started (the sandbox's reset)."""
        if self._channel is None:
            return
        self._channel.close()
        self._channel = None
        try:
            self._sandbox.reset()
        except pool.SandboxFailed:
            self._sandbox.close()
            self._sandbox = None

    def _exchange(self, request):
        """Send one request, return (its reply dict, the time limit it had). A deadline missed, a process
        that died or answered garbage: the session is killed and StudentError raised."""
        left = self.settings.notebook_budget - self._spent
        if left <= 0:
            self._kill()
            raise self._timeout(0.0)
        limit = min(self.settings.timeout, left)
        request = {**request, "timeout": limit}
        started = time.monotonic()
        try:
            reply = self._answer(request)
        finally:  # only the time the student's code had counts against the notebook's budget
            self._spent += time.monotonic() - started
        ended = self._ended()  # a limit passed during the request counts, however late the watchdog ran
        if ended:
            self._kill()
            raise self._limit_error(ended)
        return reply, limit

    def _answer(self, request):
        """Send ``request`` and read its reply (a dict); see _exchange."""
        limit = request["timeout"]
        try:
            self._channel.sendall(wire.dumps(request).encode())
        except OSError:
            self._end_with(_Died("학생 코드 실행 프로세스가 종료되었습니다"))
        wait = limit + GRACE_S
        try:
            line = self._replies.get(timeout=wait)
        except queue.Empty:
            self._kill()
            raise self._timeout(limit)
        if line is None:
            self._end_with(_Died("학생 코드가 실행 프로세스를 종료시켰습니다 (os._exit 등)"))
        try:
            reply = wire.json.loads(line)
            if not isinstance(reply, dict):
                raise TypeError(type(reply).__name__)
        except (ValueError, TypeError):
            self._end_with(StudentError("Crash", "실행 프로세스가 알아볼 수 없는 응답을 보냈습니다"))
        return reply

    def _request(self, request):
        """A request's decoded value, or StudentError (the student's code failed)."""
        reply, limit = self._exchange(request)
        try:
            value = wire.decode(reply["value"]) if reply.get("ok") and "value" in reply else None
        except (ValueError, KeyError, TypeError):
            self._end_with(StudentError("Crash", "실행 프로세스가 알아볼 수 없는 응답을 보냈습니다"))
        if not reply.get("ok"):
            err = reply.get("error") or {}
            kind, message = str(err.get("type", "Error")), str(err.get("message", ""))
            where = [str(w) for w in err.get("where", [])]
            if kind == "Timeout":
                raise self._timeout(limit, where)
            raise StudentError(kind, message + self._limit_note(kind, message), where, bool(err.get("forbidden")))
        return value

    def _end_with(self, error):
        """The session process is gone: raise the limit that ended it (the sandbox's watchdog or cgroup
        says which), else ``error``; the session is killed and the sandbox reset either way."""
        ended = self._ended()
        self._kill()
        raise (self._limit_error(ended) if ended else error)

    def _ended(self):
        """Which limit the session's processes passed, from the sandbox (None: none, or the sandbox failed)."""
        try:
            return self._sandbox.ended()
        except pool.SandboxFailed:
            return None

    def _limit_error(self, ended):
        """The Korean error for a limit the sandbox ended the session at."""
        if ended["limit"] == "memory":
            held = f" (함께 {ended['value']} MiB)" if ended.get("value") else ""
            return SandboxLimit("MemoryError", f"샌드박스의 모든 프로세스가 함께 쓴 메모리가 한도 {self.settings.memory_mb} MiB를 "
                                               f"넘어{held} 학생 코드의 프로세스를 모두 종료했습니다")
        return SandboxLimit("TooManyProcesses", f"학생 코드가 프로세스를 {ended['value']}개 만들어 한도 "
                                                f"{self.settings.max_processes}개를 넘었습니다: 모두 종료했습니다")

    def _timeout(self, limit, where=()):
        """The error for a request cut at ``limit`` seconds: the per-call limit, or the notebook's budget."""
        if limit < self.settings.timeout:
            return StudentError("Budget", f"이 노트북의 채점 시간 한도 {self.settings.notebook_budget:g}초를 다 써서 "
                                          "남은 사례는 실행하지 않았습니다 (0점).", where)
        return StudentError("Timeout", f"{self.settings.timeout:g}초 안에 끝나지 않았습니다", where)

    def _limit_note(self, kind, message):
        """Names the sandbox limit behind an error, in Korean ("" when none was hit)."""
        if kind == "MemoryError":
            return f" (메모리 한도 {self.address_mb} MiB를 넘었습니다)"
        if kind in ("OSError", "IOError") and ("No space left" in message or "File too large" in message):
            return f" (작업 공간 한도 {self.settings.scratch_mb} MiB를 넘었습니다: 임시 파일을 줄이세요)"
        return ""

    def call(self, fn, *args, **kwargs):
        """Call the student's ``fn`` on these arguments -> decoded value, or raise StudentError."""
        request = {"op": "call", "fn": fn, "args": wire.encode(list(args)), "kwargs": wire.encode(dict(kwargs))}
        for attempt in (1, 2):
            if self._channel is None:
                self._spawn()
            try:
                return self._request(request)
            except _Died:
                if attempt == 2:
                    raise

    def put(self, path, data):
        """Write ``data`` (bytes) at ``path`` under the session's working folder (before cells run)."""
        if self._channel is None:
            self._spawn()
        self._request({"op": "put", "path": path, "data": base64.b64encode(data).decode()})

    def run(self, cell, source):
        """Run a cell as a Jupyter kernel runs it, in this session's one namespace ->
        {"stdout", "stderr", "result": repr of a last expression or None, "error": None or {"type",
        "message", "traceback"}}. A cell that hangs, exhausts a limit or kills its process gets that
        as its error; the next cell starts in a fresh process (as after a kernel restart)."""
        if self._channel is None:
            self._spawn()
        try:
            reply, _ = self._exchange({"op": "run", "cell": cell, "source": source})
        except StudentError as err:
            return {"stdout": "", "stderr": "", "result": None,
                    "error": {"type": err.kind, "message": err.message, "traceback": [f"{err.kind}: {err.message}"]}}
        error = None if reply.get("ok") else reply.get("error") or {"type": "Error", "message": "", "traceback": []}
        return {"stdout": str(reply.get("stdout") or ""), "stderr": str(reply.get("stderr") or ""),
                "result": reply.get("result") if reply.get("ok") else None, "error": error}
