"""The grading settings, declared once: the CLI flags and nbgrader's traitlets are made from them.

Paths of this checkout are defined here too (``REPO_ROOT``, ``SOURCE_ROOT``).
"""
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
    student code per notebook (past it the remaining cases score 0); memory_mb: the sandbox's
    address-space cap (MiB); scratch_mb: the size of each writable place in the sandbox (MiB;
    a write past it fails with OSError in the student's code); isolation: "bwrap" (bubblewrap, the default), "process" (a plain
    child process, weaker) or "auto" (bwrap when installed); seed: picks the graders' random
    cases (same seed, same cases).
    """

    timeout: float = _setting(10.0, "seconds allowed per answer cell and per function call")
    notebook_budget: float = _setting(60.0, "seconds of student code allowed per notebook, all cells and calls together")
    memory_mb: int = _setting(2048, "address-space limit of the student sandbox (MiB)")
    scratch_mb: int = _setting(64, "writable scratch space in the sandbox (/tmp, /dev/shm; MiB each)")
    isolation: str = _setting("bwrap", "how student code is isolated", ("bwrap", "process", "auto"))
    seed: int = _setting(0, "seed of the graders' random cases")


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
