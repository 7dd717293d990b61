"""The sandbox side: executes answer cells and calls the student's functions on request.

Runs in a session process forked by fork_server.py (inside bubblewrap when available) with only
the stdlib, numpy and wire.py next to it. Protocol: one JSON request per line on the session's
socket, one JSON reply per line back; the student's own prints go to stderr, which the grader
discards. Requests:
  {"op": "exec", "cell": grade_id, "source": str, "timeout": s}   -> {"ok": true} | error
  {"op": "call", "fn": name, "args": [...], "kwargs": {...}, "timeout": s}
                                                                  -> {"ok": true, "value": v} | error
  {"op": "put", "path": relative path, "data": base64, "timeout": s}  -> {"ok": true} | error
      (a file of the notebook's folder, written under the working folder, before any cell runs)
  {"op": "run", "cell": cell id, "source": str, "timeout": s}
      -> {"ok": true, "stdout": str, "stderr": str, "result": repr of the last expression or None}
         | error with "stdout" and "stderr" beside it  (a cell as a Jupyter kernel runs it: an
         opted-in assignment's notebook, see autograder.notebook_run)
An error reply is {"ok": false, "error": {"type", "message", "where", "forbidden", "traceback"}}.
"""
import ast
import base64
import contextlib
import importlib.abc
import io
import linecache
import os
import resource
import signal
import sys
import traceback

import numpy as np  # noqa: F401  (imported before the memory limit is set)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wire  # noqa: E402

FORBIDDEN = wire.FORBIDDEN
CELL_PREFIX = "<답안 셀 "
MAX_STREAM_CHARS = 2**20  # what a cell may print (per stream) before the rest is cut


class ForbiddenImport(ImportError):
    """Raised when an answer imports a deep-learning library or the grader."""


class _Blocker(importlib.abc.MetaPathFinder):
    """Refuses FORBIDDEN imports (bwrap also hides those packages' files)."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in FORBIDDEN:
            raise ForbiddenImport(f"'{name}' 모듈은 이 과제에서 사용할 수 없습니다 (numpy만 사용)")
        return None


class _Deadline(BaseException):
    """The time limit for one request ran out (not an Exception: a bare except won't hide it)."""


def _on_alarm(signum, frame):
    raise _Deadline()


def _error(exc):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(CELL_PREFIX)]
    where = [f"{f.filename} {f.lineno}번째 줄: {f.line or ''}".strip() for f in frames[-3:]]
    forbidden = isinstance(exc, ForbiddenImport) or isinstance(exc.__context__, ForbiddenImport)
    kind = "Timeout" if isinstance(exc, _Deadline) else type(exc).__name__
    try:
        message = str(exc)[:500]
    except BaseException:  # a student exception whose __str__ fails
        message = ""
    lines = [f'  File "{f.filename}", line {f.lineno}\n    {f.line or ""}' for f in frames[-10:]]
    return {"ok": False, "error": {"type": kind, "message": message, "where": where, "forbidden": forbidden,
                                   "traceback": ["Traceback (most recent call last):", *lines, f"{kind}: {message}"]}}


def _compile(request):
    filename = f"{CELL_PREFIX}{request['cell']}>"
    linecache.cache[filename] = (len(request["source"]), None, request["source"].splitlines(True), filename)
    return filename


def _run_cell(request, namespace):
    """A cell as a kernel runs it: its prints captured, the value of a last expression shown."""
    filename = _compile(request)
    out, err = io.StringIO(), io.StringIO()
    reply = {"ok": True, "result": None}
    try:
        tree = ast.parse(request["source"], filename)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            exec(compile(tree, filename, "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
                reply["result"] = None if value is None else repr(value)[:MAX_STREAM_CHARS]
    except BaseException as exc:  # the student's code may raise anything
        reply = _error(exc)
    reply.update(stdout=out.getvalue()[:MAX_STREAM_CHARS], stderr=err.getvalue()[:MAX_STREAM_CHARS])
    return reply


def _put(request):
    path = os.path.normpath(request["path"])
    if os.path.isabs(path) or path.startswith(".."):
        return {"ok": False, "error": {"type": "ValueError", "message": f"path {path!r}", "where": [],
                                       "forbidden": False}}
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(base64.b64decode(request["data"]))
    return {"ok": True}


def _run(request, namespace):
    signal.setitimer(signal.ITIMER_REAL, float(request.get("timeout", 10)))
    try:
        if request["op"] == "exec":
            exec(compile(request["source"], _compile(request), "exec"), namespace)
            return {"ok": True}
        if request["op"] == "run":
            return _run_cell(request, namespace)
        if request["op"] == "put":
            return _put(request)
        fn = namespace.get(request["fn"])
        if not callable(fn):
            return {"ok": False, "error": {"type": "NameError", "where": [], "forbidden": False,
                                           "message": f"함수 '{request['fn']}'가 정의되어 있지 않습니다"}}
        args = wire.decode(request["args"])
        kwargs = wire.decode(request["kwargs"])
        return {"ok": True, "value": wire.encode(fn(*args, **kwargs))}
    except BaseException as exc:  # the student's code may raise anything, SystemExit included
        return _error(exc)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def serve(fd, memory_mb, scratch_mb):
    """Answer requests on the socket ``fd`` until it closes. memory_mb: address-space cap;
    scratch_mb: the largest file the student's code may write. The student's stdin/stdout
    become null/stderr."""
    proto_in, proto_out = os.fdopen(os.dup(fd), "rb"), os.fdopen(fd, "wb")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    memory, scratch = int(memory_mb) * 2**20, int(scratch_mb) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (scratch, scratch))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past RLIMIT_FSIZE raises OSError instead
    sys.meta_path.insert(0, _Blocker())
    namespace = {"__name__": "__main__"}
    for line in proto_in:
        reply = _run(wire.json.loads(line), namespace)
        try:
            out = wire.dumps(reply).encode()
        except BaseException as exc:
            out = wire.dumps(_error(exc)).encode()
        if len(out) > wire.MAX_LINE_BYTES:
            out = wire.dumps({"ok": False, "error": {"type": "OutputTooLarge", "where": [], "forbidden": False,
                                                     "message": "반환값이 너무 큽니다"}}).encode()
        proto_out.write(out)
        proto_out.flush()
