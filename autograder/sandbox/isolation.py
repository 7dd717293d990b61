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

from autograder.sandbox import wire

# One CPU thread per sandbox for numpy/BLAS, so N grading workers do not oversubscribe the cores.
THREAD_ENV = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                     "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}


def environment(home):
    """The sandbox's whole environment (nothing of the grader's)."""
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home, "TMPDIR": home, **THREAD_ENV}


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
    prefixes = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)}
    for prefix in sorted(prefixes):
        if not prefix.startswith("/usr"):
            cmd += ["--ro-bind", prefix, prefix]
    for hidden in _hidden_package_dirs():
        if any(hidden.startswith(p + os.sep) for p in prefixes):
            cmd += ["--tmpfs", hidden,
                    "--ro-bind", os.path.join(sandbox_dir, "hidden_package.py"), os.path.join(hidden, "__init__.py")]
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
        raise RuntimeError("bubblewrap (bwrap) is required for grading: apt-get install bubblewrap, "
                           "or set isolation='process' knowingly")
    if isolation not in ("bwrap", "process"):
        raise ValueError(f"unknown isolation {isolation!r}")
    return isolation
