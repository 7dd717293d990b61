"""An opted-in assignment's notebook, run in the sandbox the way nbgrader's Execute runs it in a kernel.

For assignments a course lists in ``c.ChapterScope.sandbox_assignments`` (default none): every code
cell, test cells included, runs in order in one sandbox session (one namespace, like one kernel),
and its outputs are recorded as Jupyter records them: the stdout and stderr streams, the value of a
last expression as an ``execute_result`` (text/plain), an error (ename, evalue, traceback). So
nbgrader's own SaveAutoGrades scores the test cells by its own rules: an error or stderr output is 0,
a number as the result is partial credit, anything else full points.

What differs from nbgrader's kernel (said in the README): the student's code is isolated and
limited as in the chapter (no network, no view of the course or other students, memory, processes,
scratch space, deep-learning libraries and the grader hidden); each cell has ``c.Execute.timeout``
seconds (nbgrader's own setting; a cell past it gets a CellTimeoutError output); the files next to
the notebook are copied into the sandbox's working folder before the first cell (up to
MAX_FILES_MB), and what the notebook writes there stays in the sandbox; outputs are text only (no
figures); a cell that kills its process gets an error output and the next cell starts afresh, as
after a kernel restart, where nbgrader would fail the whole submission.
"""
import dataclasses
from pathlib import Path

import nbformat

from autograder.sandbox.session import SandboxSession

MAX_FILES_MB = 16  # the notebook's own files copied into the sandbox, at most (a quarter of the scratch space)
TIMEOUT_ERROR = "CellTimeoutError"  # nbgrader's name for a cell past its time


def _files(folder, limit_bytes):
    """{relative path: bytes} of the files beside the notebook (no notebooks, no hidden files), up to the limit."""
    found, total = {}, 0
    for path in sorted(Path(folder).rglob("*")) if folder else []:
        relative = path.relative_to(folder)
        if not path.is_file() or path.suffix == ".ipynb" or any(p.startswith(".") for p in relative.parts):
            continue
        total += path.stat().st_size
        if total > limit_bytes:
            break
        found[relative.as_posix()] = path.read_bytes()
    return found


def run_notebook(nb, settings, cell_timeout, folder=None):
    """Run ``nb``'s code cells in a sandbox session and give them their outputs (in place; returns nb).

    settings: GradingSettings (memory, scratch, isolation); cell_timeout: seconds per cell; folder:
    the notebook's folder, whose files are copied in first."""
    cells = [c for c in nb.cells if c.cell_type == "code"]
    per_cell = dataclasses.replace(settings, timeout=float(cell_timeout),
                                   notebook_budget=float(cell_timeout) * max(1, len(cells)) + 1.0)
    limit = min(MAX_FILES_MB, settings.scratch_mb // 4) * 2**20
    with SandboxSession([], per_cell) as session:
        for path, data in _files(folder, limit).items():
            session.put(path, data)
        for count, cell in enumerate(cells, start=1):
            cell.execution_count = count
            cell.outputs = _outputs(session.run(cell.get("id") or str(count), cell.source), count, cell_timeout)
    return nb


def _outputs(ran, count, cell_timeout):
    outputs = []
    for name in ("stdout", "stderr"):
        if ran[name]:
            outputs.append(nbformat.v4.new_output("stream", name=name, text=ran[name]))
    if ran["result"] is not None:
        outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": ran["result"]},
                                              execution_count=count))
    error = ran["error"]
    if error is not None:
        ename, evalue = str(error.get("type", "Error")), str(error.get("message", ""))
        traceback = [str(line) for line in error.get("traceback") or []]
        if ename in ("Timeout", "Budget"):
            ename, evalue = TIMEOUT_ERROR, f"{cell_timeout:g}초 안에 끝나지 않았습니다 (no reply before the timeout)"
            traceback = []
        traceback = traceback or [f"{ename}: {evalue}"]
        outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=traceback))
    return outputs
