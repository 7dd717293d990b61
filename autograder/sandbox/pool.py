"""Warm sandboxes: bubblewrap sandboxes that each run a fork server (fork_server.py), kept per process.

A grading session takes a sandbox from the pool (``acquire``), asks it for session processes
(``Sandbox.fork``: a socket to a fresh process with numpy already imported) and gives it back
(``release``), which resets it: every process the session started is killed and the scratch
folders are emptied before the next session may use it. A sandbox whose server died (the
student's code can kill it), answers late or cannot reset is closed and never reused; the next
``acquire`` starts a new one. So the sandbox start (~110 ms of CPU: Python, numpy) is paid once
per worker process instead of once per notebook, and each notebook still starts from a clean
process and an empty scratch space.

A session's memory cap holds for all of the sandbox's processes together: a cgroup v2 of the
sandbox (sandbox/cgroup.py) where this machine gives one, else the fork server's watchdog.
``Sandbox.memory_cap`` says which ("cgroup" | "watchdog"); ``Sandbox.ended()`` says which
limit, if any, ended the last session.
"""
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from autograder.errors import GraderFault
from autograder.sandbox import cgroup
from autograder.sandbox.isolation import bwrap_command, environment

HERE = Path(__file__).resolve().parent
SANDBOX_FILES = ("fork_server.py", "runner.py", "wire.py", "hidden_package.py")
START_TIMEOUT_S = 30.0  # a cold start (Python, numpy) on a loaded machine
CONTROL_TIMEOUT_S = 5.0  # a fork, or a reset (which waits up to 3 s for killed processes), of a warm server
MAX_IDLE = 4  # idle sandboxes a process keeps per kind


class SandboxFailed(GraderFault):
    """The sandbox could not start, fork or reset (not the student's fault: a one-line reason)."""


class Sandbox:
    """One sandbox with its fork server. isolation: "bwrap" | "process"; scratch_mb: the size of
    its scratch space (bubblewrap: /tmp and /dev/shm, each)."""

    def __init__(self, isolation, scratch_mb):
        self.kind = (isolation, scratch_mb)
        self._dir = tempfile.TemporaryDirectory(prefix="sandbox-")
        for name in SANDBOX_FILES:
            shutil.copy(HERE / name, self._dir.name)
        self._control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._proc = None
        self._pending = 0  # replies (of resets) not read yet
        self._group = cgroup.sandbox_group()
        fd = str(theirs.fileno())
        if isolation == "bwrap":
            cmd = bwrap_command(self._dir.name, scratch_mb, ["fork_server.py", fd, "pidns", "/tmp", "/dev/shm"])
            cwd, home = None, "/tmp"
        else:
            scratch = os.path.join(self._dir.name, "scratch")
            os.mkdir(scratch)
            cmd = [sys.executable, "-I", os.path.join(self._dir.name, "fork_server.py"), fd, "group", scratch]
            cwd, home = scratch, scratch
        try:
            self._proc = subprocess.Popen(self._group.wrap(cmd) if self._group else cmd, stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd,
                                          env=environment(home), pass_fds=(theirs.fileno(),), start_new_session=True)
        finally:
            theirs.close()
        try:
            self._reply(START_TIMEOUT_S)
        except SandboxFailed:
            self.close()
            raise
        if self._group and not self._group.holds(self._proc.pid):  # not allowed to move there after all
            self._group.remove()
            self._group = None
        self.memory_cap = "cgroup" if self._group else "watchdog"

    def fork(self, memory_mb, scratch_mb, max_processes):
        """A socket to a fresh session process. memory_mb: the memory of all its processes together
        (and each one's address space); scratch_mb: the largest file it may write; max_processes:
        how many processes it may run at once."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._settle()
            if self._group:
                try:
                    self._group.limit(memory_mb, max_processes)
                except OSError as exc:
                    raise SandboxFailed(f"sandbox cgroup limits could not be set ({exc})") from None
            request = {"op": "fork", "memory_mb": memory_mb, "scratch_mb": scratch_mb,
                       "max_processes": max_processes, "watch_memory": self._group is None}
            try:
                socket.send_fds(self._control, [json.dumps(request).encode()], [theirs.fileno()])
            except OSError as exc:
                raise SandboxFailed(f"sandbox fork server is gone ({exc})") from None
            self._reply(CONTROL_TIMEOUT_S)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        return ours

    def ended(self):
        """Which limit ended the last session: {"limit": "memory" | "processes", "value": ...} or None."""
        if self._group and self._group.oom_killed():
            return {"limit": "memory", "value": None}
        self._settle()
        try:
            self._control.send(b'{"op": "status"}')
        except OSError as exc:
            raise SandboxFailed(f"sandbox fork server is gone ({exc})") from None
        return self._reply(CONTROL_TIMEOUT_S).get("ended")

    def reset(self):
        """Kill every process of the last session and empty the scratch space (answered later)."""
        try:
            self._control.send(b'{"op": "reset"}')
        except OSError as exc:
            raise SandboxFailed(f"sandbox fork server is gone ({exc})") from None
        self._pending += 1

    def _settle(self):
        while self._pending:
            self._pending -= 1
            self._reply(CONTROL_TIMEOUT_S)

    def _reply(self, timeout):
        self._control.settimeout(timeout)
        try:
            data = self._control.recv(4096)
        except OSError as exc:  # socket.timeout included
            raise SandboxFailed(f"sandbox fork server did not answer ({type(exc).__name__})") from None
        if not data:
            raise SandboxFailed("sandbox fork server is gone")
        reply = json.loads(data)
        if not reply.get("ok"):
            raise SandboxFailed(f"sandbox reset failed: {reply.get('error')}")
        return reply

    def close(self):
        """Kill the sandbox and everything in it."""
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._proc.wait()
        if self._group:
            self._group.remove()
        self._control.close()
        self._dir.cleanup()


_lock = threading.Lock()
_idle = {}  # (isolation, scratch_mb) -> [Sandbox]
_owner = os.getpid()


def acquire(isolation, scratch_mb):
    """A sandbox of this kind, reset and ready to fork (a new one when none is idle)."""
    global _owner
    with _lock:
        if os.getpid() != _owner:  # a forked copy of this process: those sandboxes belong to the parent
            _idle.clear()
            _owner = os.getpid()
        ready = _idle.get((isolation, scratch_mb), [])
        sandbox = ready.pop() if ready else None
    if sandbox is not None:
        try:
            sandbox._settle()
            return sandbox
        except SandboxFailed:
            sandbox.close()
    return Sandbox(isolation, scratch_mb)


def release(sandbox):
    """Give a sandbox back after a session: it is reset for the next one, or closed."""
    try:
        sandbox.reset()
    except SandboxFailed:
        sandbox.close()
        return
    with _lock:
        ready = _idle.setdefault(sandbox.kind, [])
        if len(ready) < MAX_IDLE and os.getpid() == _owner:
            ready.append(sandbox)
            return
    sandbox.close()


@atexit.register
def close_idle():
    """Close every idle sandbox of this process."""
    with _lock:
        sandboxes = [s for ready in _idle.values() for s in ready] if os.getpid() == _owner else []
        _idle.clear()
    for sandbox in sandboxes:
        sandbox.close()
