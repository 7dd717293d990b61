"""Can the sandbox run here? Checked once before a command's first notebook.

``require_sandbox(isolation)`` returns a SandboxCheck, or raises SandboxUnavailable whose text is
one line: what stops the sandbox and how to fix it. The steps, each with its own diagnosis:
  1. bubblewrap is installed ("bwrap" isolation);
  2. bubblewrap can make its namespaces: if not, which setting denies them (the user-namespace
     sysctls, Ubuntu's AppArmor restriction, a container's seccomp filter);
  3. the interpreter, its virtual environment and numpy are visible inside the sandbox;
  4. a real session: an answer cell executed and its function called (its sandbox kept warm for
     the first notebook when the checking process grades).
A check that passed is kept for the process; ``recheck=True`` runs it again (the server does,
to tell a broken machine from a fault of one submission).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SandboxUnavailable
from autograder.sandbox import pool
from autograder.sandbox.isolation import bwrap_command, resolve_isolation
from autograder.settings import GradingSettings

PROBE_TIMEOUT_S = 30
PROBE = "import sys, numpy\nprint(sys.version.split()[0], numpy.__version__)\n"
PREFIX = "채점 샌드박스를 쓸 수 없습니다: "
WEAKER = "또는 약한 격리를 알고 고르려면 --isolation process (결과마다 기록됩니다)"


@dataclass(frozen=True)
class SandboxCheck:
    """isolation: "bwrap" | "process"; detail: what was found (versions, interpreter); seconds: the check's time."""

    isolation: str
    detail: str
    seconds: float


_PASSED = {}  # (isolation, memory_mb, scratch_mb) -> SandboxCheck


def require_sandbox(isolation="bwrap", memory_mb=None, scratch_mb=None, recheck=False, warm=False):
    """SandboxCheck for these settings (GradingSettings' defaults where None), or SandboxUnavailable.

    warm: keep the checked sandbox for this process's first notebook (a process that grades);
    else it is closed (a process that only plans and writes, such as the batch's or the server's)."""
    default = GradingSettings()
    key = (isolation, memory_mb or default.memory_mb, scratch_mb or default.scratch_mb)
    if recheck or key not in _PASSED:
        try:
            _PASSED[key] = _check(*key)
        finally:
            if not warm:
                pool.close_idle()
    return _PASSED[key]


def _check(isolation, memory_mb, scratch_mb):
    started = time.perf_counter()
    kind = resolve_isolation(isolation)  # SandboxUnavailable when bwrap is missing
    parts = []
    if kind == "bwrap":
        parts.append(_bwrap_version())
        _namespaces()
        parts.append(_interpreter(scratch_mb))
    parts.append(_round_trip(kind, memory_mb, scratch_mb))
    return SandboxCheck(kind, ", ".join(parts), round(time.perf_counter() - started, 3))


def _run(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise SandboxUnavailable(f"{PREFIX}bubblewrap이 {PROBE_TIMEOUT_S}초 안에 끝나지 않았습니다 "
                                 f"(bwrap hung: {' '.join(cmd[:3])} ...)") from None


def _bwrap_version():
    done = _run(["bwrap", "--version"])
    return done.stdout.strip() or "bubblewrap"


def _namespaces():
    """bubblewrap's namespaces, alone (nothing of ours mounted): a denial is the machine's setting."""
    cmd = ["bwrap", "--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--new-session",
           "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", shutil.which("true") or "/bin/true"]
    done = _run(cmd)
    if done.returncode != 0:
        raise SandboxUnavailable(PREFIX + namespace_advice(_last_line(done.stderr)))


def _read(path):
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None


def _seccomp_mode():
    for line in (_read("/proc/self/status") or "").splitlines():
        if line.startswith("Seccomp:"):
            return line.split()[1]
    return None


def namespace_advice(error):
    """Why bubblewrap could not make its namespaces here, and the fix (one line; ``error``: bwrap's own)."""
    said = f" [bwrap: {error}]" if error else ""
    root = os.geteuid() == 0
    if _read("/proc/sys/user/max_user_namespaces") == "0":
        return ("사용자 네임스페이스가 꺼져 있습니다 (user.max_user_namespaces=0). "
                f"해결: sudo sysctl -w user.max_user_namespaces=10000 (영구: /etc/sysctl.d/) — {WEAKER}{said}")
    if not root and _read("/proc/sys/kernel/unprivileged_userns_clone") == "0":
        return ("비특권 사용자 네임스페이스가 꺼져 있습니다 (kernel.unprivileged_userns_clone=0). "
                f"해결: sudo sysctl -w kernel.unprivileged_userns_clone=1 — {WEAKER}{said}")
    if not root and _read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1":
        return ("AppArmor가 비특권 사용자 네임스페이스를 막습니다 (kernel.apparmor_restrict_unprivileged_userns=1, "
                "Ubuntu 23.10 이후). 해결: bwrap에 userns를 허용하는 AppArmor 프로필(/etc/apparmor.d/bwrap: "
                "'/usr/bin/bwrap flags=(unconfined) { userns, }')을 두고 sudo systemctl reload apparmor, "
                f"또는 sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 — {WEAKER}{said}")
    if _seccomp_mode() == "2":
        return ("seccomp 필터가 네임스페이스 만들기를 막습니다 (a seccomp filter denies unshare/clone: 컨테이너, "
                "예: Docker의 기본 seccomp 프로필). 해결: docker run --security-opt seccomp=unconfined "
                "--security-opt apparmor=unconfined (또는 clone/unshare를 허용하는 프로필)로 컨테이너를 시작 — "
                f"{WEAKER}{said}")
    return f"bubblewrap이 네임스페이스를 만들지 못했습니다 (bwrap cannot create namespaces). {WEAKER}{said}"


def _last_line(text):
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _interpreter(scratch_mb):
    """This Python and numpy inside the sandbox exactly as grading starts it (its binds, its flags)."""
    with tempfile.TemporaryDirectory(prefix="sandbox-check-") as folder:
        Path(folder, "probe.py").write_text(PROBE)
        Path(folder, "hidden_package.py").write_text("")
        done = _run(bwrap_command(folder, scratch_mb, ["probe.py"]))
    if done.returncode == 0:
        return f"python {sys.executable} (numpy {done.stdout.split()[-1]})"
    error = _last_line(done.stderr)
    real = os.path.realpath(sys.executable)
    if "Permission denied" in error:
        raise SandboxUnavailable(
            f"{PREFIX}파이썬이 있는 폴더를 이 사용자(uid {os.geteuid()})가 읽을 수 없습니다 (a folder of the interpreter "
            f"is not readable by this user: {sys.executable} -> {real}). 해결: 이 사용자가 읽을 수 있는 곳에 파이썬과 "
            f"가상환경을 두세요 — {WEAKER} [bwrap: {error}]")
    if "execvp" in error or "No such file" in error:
        raise SandboxUnavailable(
            f"{PREFIX}파이썬 인터프리터가 샌드박스 안에서 보이지 않습니다 (the interpreter is not visible inside the "
            f"sandbox: {sys.executable} -> {real}). 해결: 그 경로가 /usr 또는 파이썬 prefix({sys.prefix}) 아래에 "
            f"있도록 가상환경을 만드세요 — {WEAKER} [bwrap: {error}]")
    raise SandboxUnavailable(f"{PREFIX}샌드박스 안에서 파이썬이나 numpy를 시작하지 못했습니다 (python or numpy failed "
                             f"inside the sandbox: {error or 'exit ' + str(done.returncode)}) — {WEAKER}")


def _round_trip(isolation, memory_mb, scratch_mb):
    """An answer cell run and its function called in a real session (which warms a sandbox for the first notebook)."""
    from autograder.sandbox.session import SandboxSession

    settings = GradingSettings(isolation=isolation, memory_mb=memory_mb, scratch_mb=scratch_mb)
    started = time.perf_counter()
    try:
        with SandboxSession([("check", "def check(x):\n    return x + 1\n")], settings) as session:
            answer = session.call("check", 41)
            failed = session.cell_errors.get("check")
            cap = session.memory_cap
    except Exception as exc:  # noqa: BLE001 - whatever stops it, said in one line
        raise SandboxUnavailable(f"{PREFIX}샌드박스 세션이 실패했습니다 (a sandbox session failed: "
                                 f"{type(exc).__name__}: {str(exc)[:200]}) — {WEAKER}") from None
    if failed is not None or answer != 42:
        raise SandboxUnavailable(f"{PREFIX}샌드박스가 답을 돌려주지 않았습니다 (the probe answered {answer!r}, "
                                 f"{failed}) — {WEAKER}")
    how = "cgroup v2" if cap == "cgroup" else "샌드박스 감시 프로세스 (watchdog: cgroup v2를 쓸 수 없음)"
    return (f"{isolation} 세션 왕복 {1000 * (time.perf_counter() - started):.0f} ms, "
            f"메모리 {memory_mb} MiB 한도는 모든 프로세스 합계: {how}")
