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

The server is also the session's watchdog: every WATCH_S while a session runs it counts the
processes the session started and sums their resident private memory (``/proc/PID/statm``,
resident minus shared pages: readable even for a process that made itself non-dumpable). Past
the session's ``max_processes``, or past its ``memory_mb`` when the grader asked for the
watchdog (``watch_memory``: no cgroup caps this sandbox), it kills every process of the session
at once and remembers why; the grader asks with "status". So the sandbox's processes together,
not each of them, stay under the cap.

Usage: python fork_server.py CONTROL_FD MODE SCRATCH_DIR [SCRATCH_DIR ...]
  CONTROL_FD  an AF_UNIX SOCK_SEQPACKET socket to the grader; MODE "pidns": this server runs in
  its own pid namespace (bubblewrap), a reset kills every other process in it; "group": a plain
  process (a child subreaper: orphans of a session stay its descendants), a reset kills its
  descendants and each session's process group.
Control messages, JSON, one per packet (grader -> server -> grader):
  {"op": "fork", "memory_mb": m, "scratch_mb": s, "max_processes": n, "watch_memory": bool,
   "address_mb": a (each process's address space; default m)} with one fd (the session's socket)
      -> {"ok": true, "pid": p}
  {"op": "status"} -> {"ok": true, "ended": null | {"limit": "memory" | "processes", "value": v}}
      (a running session is watched once first: the grader asks after every reply, so a limit passed
      during a request is caught even when the machine was too busy for the periodic watch)
  {"op": "reset"} -> {"ok": true} | {"ok": false, "error": why}
The server sends {"ok": true, "ready": pid} once at start.

SANDBOX_ALLOWS=keras in its environment (a notebook that builds Keras models): the server imports
Keras once before it serves (~4 s and ~0.7 GB with TensorFlow), so each session forks with it.
"""
import ctypes
import json
import os
import select
import shutil
import signal
import socket
import sys
import time

import numpy  # noqa: F401  (the point of this process: imported once, inherited by every fork)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runner  # noqa: E402

PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
SETTLE_S = 3.0  # how long a reset waits for killed processes to disappear
WATCH_S = 0.02  # the watchdog's period while a session runs
PAGE = os.sysconf("SC_PAGE_SIZE")


def _prctl(option, value):
    ctypes.CDLL(None, use_errno=True).prctl(option, int(value), 0, 0, 0)


def _set_dumpable(flag):
    _prctl(PR_SET_DUMPABLE, flag)


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


def _descendants(pid):
    """Pids of ``pid``'s descendants (its threads' children, recursively)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def _private_resident(pid):
    """Resident memory of ``pid`` not shared with other processes or files (bytes; 0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            fields = f.read().split()
    except OSError:
        return 0
    return max(0, int(fields[1]) - int(fields[2])) * PAGE


class ForkServer:
    def __init__(self, control, mode, scratch):
        self.control, self.mode, self.scratch = control, mode, scratch
        self.keep = frozenset().union(*(_mount_points(folder) for folder in scratch))
        self.children = set()
        self.limits = None  # (memory bytes or None, processes) of the running session
        self.ended = None  # why the watchdog ended the last session

    def serve(self):
        self._send({"ok": True, "ready": os.getpid()})
        while True:
            if self.limits and not select.select([self.control], [], [], WATCH_S)[0]:
                self._watch()
                continue
            message, fds, _, _ = socket.recv_fds(self.control, 4096, 1)
            if not message:
                return
            request = json.loads(message)
            if request["op"] == "fork":
                self._send(self._fork(request, fds[0]))
            elif request["op"] == "status":
                if self.limits:  # one pass now: what passed a limit before this reply is caught, however late
                    self._watch()
                self._send({"ok": True, "ended": self.ended})
            elif request["op"] == "reset":
                self.limits = None
                self._send(self._reset())

    def _session_processes(self):
        return _other_processes() if self.mode == "pidns" else _descendants(os.getpid())

    def _watch(self):
        """End the session when its processes together pass its limits."""
        memory, processes = self.limits
        pids = self._session_processes()
        if len(pids) > processes:
            self._end({"limit": "processes", "value": len(pids)}, pids)
        elif memory is not None:
            used = sum(_private_resident(pid) for pid in pids)
            if used > memory:
                self._end({"limit": "memory", "value": -(-used // 2**20)}, pids)

    def _end(self, why, pids):
        self.ended, self.limits = why, None
        self._kill(pids)

    def _kill(self, pids):
        if self.mode == "pidns":
            pids = [-1]  # every process in this namespace but its init and this server
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

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
                runner.serve(fd, request.get("address_mb", request["memory_mb"]), request["scratch_mb"])
            finally:
                os._exit(0)
        os.close(fd)
        self.children.add(pid)
        memory = request["memory_mb"] * 2**20 if request.get("watch_memory", True) else None
        self.limits, self.ended = (memory, request.get("max_processes", 64)), None
        return {"ok": True, "pid": pid}

    def _reset(self):
        try:
            self._kill(self._session_processes())
            for pid in self.children:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + SETTLE_S
            while True:
                self._reap()
                if not self.children and not self._session_processes():
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
    _prctl(PR_SET_CHILD_SUBREAPER, 1)  # a session's orphans stay this server's descendants ("group" mode)
    _preload()
    control = socket.socket(fileno=int(sys.argv[1]))
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    ForkServer(control, sys.argv[2], sys.argv[3:]).serve()


if __name__ == "__main__":
    main()
