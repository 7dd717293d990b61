"""The grading settings, declared once: the CLI flags and nbgrader's traitlets are made from them.

Paths of this checkout are defined here too (``REPO_ROOT``, ``SOURCE_ROOT``).
"""
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCE_ROOT = REPO_ROOT / "source"


def _setting(default, help, choices=None):
    return field(default=default, metadata={"help": help, "choices": choices})


@dataclass(frozen=True)
class GradingSettings:
    """What bounds and seeds the grading of one notebook.

    timeout: seconds per answer cell and per function call; notebook_budget: seconds of
    student code per notebook (past it the remaining cases score 0); memory_mb: the memory all
    the sandbox's processes hold together (MiB; resident, capped by a cgroup v2 or the sandbox's
    watchdog, see sandbox/pool.py) and each process's address space; max_processes: processes
    the student's code may run at once; scratch_mb: the size of each writable place in the sandbox (MiB;
    a write past it fails with OSError in the student's code); isolation: "bwrap" (bubblewrap, the default), "process" (a plain
    child process, weaker) or "auto" (bwrap when installed); seed: picks the graders' random
    cases (same seed, same cases); expected_values: "all" (feedback shows every failed case's
    expected value) or "public" (only the fixed examples': a server that draws new random cases
    per submission, so feedback cannot be copied into a lookup table).
    """

    timeout: float = _setting(10.0, "seconds allowed per answer cell and per function call")
    notebook_budget: float = _setting(60.0, "seconds of student code allowed per notebook, all cells and calls together")
    memory_mb: int = _setting(2048, "memory of the student sandbox, all its processes together (MiB; also each "
                                    "process's address space)")
    max_processes: int = _setting(16, "processes the student's code may run at once in the sandbox")
    scratch_mb: int = _setting(64, "writable scratch space in the sandbox (/tmp, /dev/shm; MiB each)")
    isolation: str = _setting("bwrap", "how student code is isolated", ("bwrap", "process", "auto"))
    seed: int = _setting(0, "seed of the graders' random cases")
    expected_values: str = _setting("all", "which failed cases show their expected value in feedback: all, or "
                                    "public (fixed examples only; random cases differ per seed)", ("all", "public"))


def setting_fields():
    """[(name, type, default, help, choices)] of every setting, in declaration order."""
    return [(f.name, f.type, f.default, f.metadata["help"], f.metadata["choices"]) for f in fields(GradingSettings)]


def add_setting_arguments(parser):
    """Add ``--timeout``, ``--memory-mb``, ... to an argparse parser (defaults from GradingSettings)."""
    for name, kind, default, help, choices in setting_fields():
        parser.add_argument(f"--{name.replace('_', '-')}", type=kind, default=default, choices=choices,
                            help=f"{help} (default: {default})")


def settings_from_args(args):
    """The GradingSettings given by parsed ``add_setting_arguments`` flags."""
    return GradingSettings(**{name: getattr(args, name) for name, *_ in setting_fields()})


DEVICES = ("auto", "cpu", "gpu")


@dataclass(frozen=True)
class ClusterSettings:
    """Where notebooks are graded (the class autograder and the grading server).

    workers: processes of the embedded Dask LocalCluster (one thread each); scheduler: the
    address of a running Dask scheduler (``tcp://HOST:PORT``) instead of a LocalCluster;
    device: "cpu", "gpu" (only workers that declare a GPU resource) or "auto" (a GPU where a
    worker declares one, else the CPU); dashboard: HOST:PORT of the LocalCluster's dashboard
    (port 0: a free one). Everything else the LocalCluster opens listens on loopback only.
    """

    workers: int = max(1, os.cpu_count() or 1)
    scheduler: str | None = None
    device: str = "auto"
    dashboard: str = "127.0.0.1:0"


def add_cluster_arguments(parser):
    """Add ``--workers``, ``--scheduler``, ``--device`` (defaults from ClusterSettings)."""
    default = ClusterSettings()
    parser.add_argument("--workers", type=int, default=default.workers,
                        help=f"worker processes of the local Dask cluster (default: {default.workers}, the cores)")
    parser.add_argument("--scheduler", default=None, help="address of a running Dask scheduler, tcp://HOST:PORT")
    parser.add_argument("--device", choices=DEVICES, default=default.device,
                        help="where reference models run (default: auto)")
    parser.add_argument("--dashboard", default=default.dashboard, metavar="HOST:PORT",
                        help=f"where the local Dask cluster's dashboard listens (default: {default.dashboard}, "
                             "a free loopback port; printed at start)")


def cluster_from_args(args):
    return ClusterSettings(args.workers, args.scheduler, args.device, args.dashboard)


@dataclass(frozen=True)
class ServerSettings:
    """The grading server's own limits.

    host/port: where it listens (loopback by default); max_upload_mb: the largest notebook
    accepted (MiB); per_hour: submissions a student may make in any hour; max_active: a
    student's submissions queued or grading at once; max_faults: grader faults on one submission
    before it is held for the instructor; retry_s: the wait before grading again after the first
    fault (seconds; six times longer after each further one); time_zone: the IANA zone the pages
    and the CSV show times in (AUTOGRADER_TIME_ZONE, else Asia/Seoul: KST).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_mb: float = 5.0
    per_hour: int = 20
    max_active: int = 2
    max_faults: int = 3
    retry_s: float = 10.0
    time_zone: str = field(default_factory=lambda: os.environ.get("AUTOGRADER_TIME_ZONE", "Asia/Seoul"))
