"""How a sandbox is isolated: the bubblewrap command line, its environment, the isolation choice.

bubblewrap: no network, no capabilities (also when the grader runs as root), a new pid
namespace (its processes die with it), a read-only system and /dev, size-capped tmpfs scratch at
/tmp and /dev/shm, the deep-learning packages and the grader blanked out, the sandbox files at
/sandbox. "process" isolation (no bubblewrap) is a plain process: weaker, and said so.
"""
import importlib.util
import os
import shutil
import sys
import warnings

from autograder.errors import SandboxUnavailable
from autograder.sandbox import wire

BWRAP_MISSING = ("채점 샌드박스를 쓸 수 없습니다: bubblewrap(bwrap)이 설치되어 있지 않습니다 (bwrap not found). "
                 "해결: sudo apt-get install bubblewrap — 또는 약한 격리를 알고 고르려면 --isolation process")

# One CPU thread per sandbox for numpy/BLAS, so N grading workers do not oversubscribe the cores.
THREAD_ENV = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                     "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}


def environment(home):
    """The sandbox's whole environment (nothing of the grader's)."""
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home, "TMPDIR": home, **THREAD_ENV}


def _hidden_package_dirs():
    """Real directories of deep-learning packages (and the grader) to blank out inside bwrap."""
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


def _inside(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def interpreter_binds():
    """[(real folder, where the sandbox sees it)] for the interpreter, parents first.

    Each prefix (the venv, the Python it was made from) is bound at its real path and, when it is
    reached through a symbolic link (``/opt/course/venv -> /srv/venvs/...``), also at the path
    Python knows it by: sys.executable and sys.path point there. So are the folder of the real
    interpreter binary and the site folder numpy comes from (a .pth file may put it outside the
    prefixes). (Folders under /usr are in the sandbox already: bwrap_command skips them.)"""
    binds = set()
    numpy_site = os.path.dirname(os.path.dirname(importlib.util.find_spec("numpy").origin))
    for path in (sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable)), numpy_site):
        real = os.path.realpath(path)
        binds |= {(real, real), (real, os.path.abspath(path))}
    covered = {(r, s) for r, s in binds for pr, ps in binds if (pr, ps) != (r, s) and _inside(s, ps)
               and os.path.join(pr, os.path.relpath(s, ps)) == r}  # shown already by a parent bind
    return sorted(binds - covered, key=lambda b: (b[1].count(os.sep), b[1]))


def bwrap_command(sandbox_dir, scratch_mb, args):
    """The bubblewrap command that runs ``python -I /sandbox/<args...>`` with ``sandbox_dir`` at /sandbox."""
    scratch = str(scratch_mb * 2**20)
    cmd = ["bwrap", "--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--clearenv",
           "--proc", "/proc", "--dev", "/dev", "--size", scratch, "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
           "--size", scratch, "--tmpfs", "/tmp", "--chdir", "/tmp"]
    for top in ("/usr", "/bin", "/lib", "/lib64", "/sbin"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    for etc in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime"):
        if os.path.exists(etc):
            cmd += ["--ro-bind", etc, etc]
    binds = interpreter_binds()
    for real, seen in binds:
        if not _inside(seen, "/usr"):
            cmd += ["--ro-bind", real, seen]
    blank = os.path.join(sandbox_dir, "hidden_package.py")
    for hidden in _hidden_package_dirs():  # blanked wherever a bind shows it, the real path and the linked one
        for real, seen in binds:
            if _inside(hidden, real) and hidden != real:
                where = os.path.join(seen, os.path.relpath(hidden, real))
                cmd += ["--tmpfs", where, "--ro-bind", blank, os.path.join(where, "__init__.py")]
    cmd += ["--ro-bind", sandbox_dir, "/sandbox"]
    for name, value in {**environment("/tmp"), "PYTHONDONTWRITEBYTECODE": "1"}.items():
        cmd += ["--setenv", name, value]
    return cmd + ["--", sys.executable, "-I", f"/sandbox/{args[0]}", *args[1:]]


def resolve_isolation(isolation):
    """"auto" -> "bwrap" if installed else "process" (with a warning); checks "bwrap" exists."""
    have = shutil.which("bwrap") is not None
    if isolation == "auto":
        if not have:
            warnings.warn("bubblewrap가 없어 학생 코드를 약한 격리(별도 프로세스)로 실행합니다")
        return "bwrap" if have else "process"
    if isolation == "bwrap" and not have:
        raise SandboxUnavailable(BWRAP_MISSING)
    if isolation not in ("bwrap", "process"):
        raise ValueError(f"unknown isolation {isolation!r}")
    return isolation
