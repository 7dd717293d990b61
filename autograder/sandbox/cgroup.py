"""A cgroup v2 for one sandbox, where this process may make one: its memory and tasks capped as a whole.

Used when the cgroup v2 hierarchy gives this process a writable group whose children get the
memory and pids controllers: ``AUTOGRADER_CGROUP`` names one (e.g. a delegated group a systemd
unit or a container gives the grader), else the nearest of this process's own cgroup and its
ancestors that has both controllers in its ``cgroup.subtree_control`` and is writable (root on a
machine whose processes live in a cgroup v2 tree). Elsewhere (cgroup v1, a read-only or
undelegated tree) there is none and the fork server's watchdog caps the sandbox instead.

Each sandbox gets ``<parent>/autograder-<pid>-<n>``; its bubblewrap process is started inside it
(a shell moves itself there, then execs bwrap), so every process of the sandbox is in it from
the start. Per session the group gets ``memory.max`` = what the sandbox holds idle + the
session's cap, ``memory.swap.max`` 0, ``pids.max`` and ``memory.oom.group``: past the cap the
kernel's OOM killer ends every process of the sandbox (``memory.events`` counts it) and the
grader starts a new one. The group is removed with its sandbox.
"""
import itertools
import os
import time
from pathlib import Path

ENV = "AUTOGRADER_CGROUP"
CONTROLLERS = ("memory", "pids")
THREADS_PER_PROCESS = 64  # pids.max counts threads: a process of the session may run this many
_names = itertools.count(1)
_parent = None  # Path of the parent group, or False when there is none (found once per process)


def _unified_mount():
    with open("/proc/self/mountinfo", encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if fields[fields.index("-") + 1] == "cgroup2":
                return Path(fields[4])
    return None


def _own_group(mount):
    with open("/proc/self/cgroup", encoding="utf-8") as f:
        for line in f:
            if line.startswith("0::"):
                return mount / line.strip()[3:].lstrip("/")
    return None


def _usable(group):
    try:
        enabled = (group / "cgroup.subtree_control").read_text().split()
    except OSError:
        return False
    return all(c in enabled for c in CONTROLLERS) and os.access(group, os.W_OK) \
        and os.access(group / "cgroup.procs", os.W_OK)


def parent_group():
    """The group new sandbox groups go in, or None (cgroup v2 not usable here)."""
    global _parent
    if _parent is None:
        _parent = False
        try:
            mount = _unified_mount()
            candidates = [Path(os.environ[ENV])] if os.environ.get(ENV) else []
            own = _own_group(mount) if mount else None
            while own is not None and mount is not None and own.is_relative_to(mount):
                candidates.append(own)
                own = own.parent if own != mount else None
            _parent = next((g for g in candidates if _usable(g)), False)
        except OSError:
            pass
    return _parent or None


def sandbox_group():
    """A new SandboxGroup, or None where cgroup v2 cannot cap a sandbox."""
    parent = parent_group()
    try:
        return SandboxGroup(parent) if parent else None
    except OSError:
        return None


class SandboxGroup:
    """The cgroup of one sandbox. ``wrap(cmd)`` starts ``cmd`` inside it."""

    def __init__(self, parent):
        self.path = parent / f"autograder-{os.getpid()}-{next(_names)}"
        self.path.mkdir()
        self._oom_kills = 0

    def wrap(self, cmd):
        """``cmd`` run by a shell that first moves itself into this group (``holds`` tells if it could)."""
        return ["/bin/sh", "-c", 'echo 0 2>/dev/null > "$1"; shift; exec "$@"', "sh", str(self.path / "cgroup.procs"),
                *cmd]

    def holds(self, pid):
        """True when ``pid`` is in this group (the move before exec worked)."""
        try:
            return int(pid) in {int(p) for p in (self.path / "cgroup.procs").read_text().split()}
        except OSError:
            return False

    def limit(self, memory_mb, max_processes):
        """Cap the next session: ``memory_mb`` MiB above what the sandbox holds now, ``max_processes`` processes."""
        idle = int((self.path / "memory.current").read_text())
        (self.path / "memory.max").write_text(str(idle + memory_mb * 2**20))
        swap = self.path / "memory.swap.max"
        if swap.exists():
            swap.write_text("0")
        (self.path / "pids.max").write_text(str(max_processes * THREADS_PER_PROCESS))
        (self.path / "memory.oom.group").write_text("1")  # past the cap the whole sandbox ends, as with the watchdog
        self._oom_kills = self._events()

    def _events(self):
        for line in (self.path / "memory.events").read_text().splitlines():
            name, value = line.split()
            if name == "oom_kill":
                return int(value)
        return 0

    def oom_killed(self):
        """True when the kernel killed a process of this group for memory since ``limit``."""
        try:
            return self._events() > self._oom_kills
        except OSError:
            return False

    def remove(self):
        """Remove the group once its processes are gone (they are being killed: wait up to a second)."""
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)
