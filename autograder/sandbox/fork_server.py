"""The fork server inside one sandbox: numpy imported once, a fresh process for every student session.

Starting Python and importing numpy costs ~110 ms of CPU; a fork of this warm process costs ~2 ms.
The grader keeps a few of these servers (sandbox/pool.py) and asks one for a session process
per notebook; the forked process runs runner.serve on a socket the grader sent. Between two
sessions the server resets the sandbox: every process a session started is killed and the
scratch folders are emptied, so nothing of one notebook reaches the next (and when a reset
cannot prove that, the grader throws this sandbox away).

The server makes itself non-dumpable: under bubblewrap without capabilities a session process
can neither trace it nor read its memory, environment or file descriptors. A session that kills
it only ends this sandbox; the grader starts another.

Usage: python fork_server.py CONTROL_FD MODE SCRATCH_DIR [SCRATCH_DIR ...]
  CONTROL_FD  an AF_UNIX SOCK_SEQPACKET socket to the grader; MODE "pidns": this server runs in
  its own pid namespace (bubblewrap), a reset kills every other process in it; "group": a plain
  process, a reset kills each session's process group (a process that leaves its group escapes).
Control messages, JSON, one per packet (grader -> server -> grader):
  {"op": "fork", "memory_mb": m, "scratch_mb": s} with one fd (the session's socket) -> {"ok": true, "pid": p}
  {"op": "reset"} -> {"ok": true} | {"ok": false, "error": why}
The server sends {"ok": true, "ready": pid} once at start.

SANDBOX_ALLOWS=keras in its environment (a notebook that builds Keras models): the server imports
Keras once before it serves (~4 s and ~0.7 GB with TensorFlow), so each session forks with it.
"""
import ctypes
import json
import os
import shutil
import signal
import socket
import sys
import time

import numpy  # noqa: F401  (the point of this process: imported once, inherited by every fork)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runner  # noqa: E402

PR_SET_DUMPABLE = 4
SETTLE_S = 3.0  # how long a reset waits for killed processes to disappear


def _set_dumpable(flag):
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, int(flag), 0, 0, 0)


def _mount_points(folder):
    """Mount points strictly inside ``folder``: bubblewrap's binds of paths under it (a virtual
    environment under /tmp, say) sit on the scratch tmpfs and are not the student's to remove."""
    inside = folder.rstrip("/") + "/"
    with open("/proc/self/mountinfo", encoding="utf-8") as f:
        points = {line.split()[4].replace("\\040", " ") for line in f}
    return frozenset(p for p in points if p.startswith(inside))


def _leads_to(path, keep):
    """``path`` is a folder on the way to one of the mount points in ``keep``."""
    return any(k.startswith(path + "/") for k in keep)


def _empty(folder, keep=frozenset()):
    """Remove everything in ``folder`` but the mount points in ``keep`` and the folders leading to
    them (the student may have made entries read-only or unreadable)."""
    os.chmod(folder, 0o755)
    for entry in os.scandir(folder):
        if entry.path in keep:
            continue
        if _leads_to(entry.path, keep):
            _empty(entry.path, keep)
        elif entry.is_dir(follow_symlinks=False):
            os.chmod(entry.path, 0o700)
            for root, dirs, _ in os.walk(entry.path):  # top-down: each folder made readable before it is entered
                for name in dirs:
                    if not os.path.islink(os.path.join(root, name)):
                        os.chmod(os.path.join(root, name), 0o700)
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
    left = [os.path.join(folder, name) for name in os.listdir(folder)]
    if any(p not in keep and not _leads_to(p, keep) for p in left):
        raise OSError(f"{folder} is not empty")


def _other_processes():
    """Pids in this pid namespace other than its init (1) and this server."""
    me = os.getpid()
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, me)]


class ForkServer:
    def __init__(self, control, mode, scratch):
        self.control, self.mode, self.scratch = control, mode, scratch
        self.keep = frozenset().union(*(_mount_points(folder) for folder in scratch))
        self.children = set()

    def serve(self):
        self._send({"ok": True, "ready": os.getpid()})
        while True:
            message, fds, _, _ = socket.recv_fds(self.control, 4096, 1)
            if not message:
                return
            request = json.loads(message)
            if request["op"] == "fork":
                self._send(self._fork(request, fds[0]))
            elif request["op"] == "reset":
                self._send(self._reset())

    def _send(self, reply):
        self.control.send(json.dumps(reply).encode())

    def _fork(self, request, fd):
        pid = os.fork()
        if pid == 0:  # the session process: nothing of the server's channel stays open in it
            try:
                self.control.close()
                os.setsid()
                _set_dumpable(True)
                signal.signal(signal.SIGINT, signal.default_int_handler)  # what a fresh Python has
                for name in ("SIGTERM", "SIGHUP"):
                    signal.signal(getattr(signal, name), signal.SIG_DFL)
                runner.serve(fd, request["memory_mb"], request["scratch_mb"])
            finally:
                os._exit(0)
        os.close(fd)
        self.children.add(pid)
        return {"ok": True, "pid": pid}

    def _reset(self):
        try:
            if self.mode == "pidns" and _other_processes():
                try:
                    os.kill(-1, signal.SIGKILL)  # every process in this namespace but its init and this server
                except ProcessLookupError:
                    pass
            for pid in self.children:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + SETTLE_S
            while True:
                self._reap()
                if not self.children and (self.mode != "pidns" or not _other_processes()):
                    break
                if time.monotonic() > deadline:
                    raise OSError("processes of the last session did not end")
                time.sleep(0.002)
            for folder in self.scratch:
                _empty(folder, self.keep)
        except OSError as exc:
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        return {"ok": True}

    def _reap(self):
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return
            if pid == 0:
                return
            self.children.discard(pid)


def _preload():
    """Import what the sandbox's notebooks may use (SANDBOX_ALLOWS), before any student code runs."""
    if "keras" in os.environ.get("SANDBOX_ALLOWS", "").split(","):
        import keras  # noqa: F401  (imported only: no TensorFlow op runs here, so no thread pool is forked)


def main():
    _set_dumpable(False)
    _preload()
    control = socket.socket(fileno=int(sys.argv[1]))
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    ForkServer(control, sys.argv[2], sys.argv[3:]).serve()


if __name__ == "__main__":
    main()
