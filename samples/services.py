"""Starting and stopping the project's own services on loopback, for tests and benchmarks.

``serving(course, *args)`` runs ``python -m autograder serve`` on a free loopback port in its own
process group and kills the whole group (server and Dask workers) when the block ends, also on
failure; ``kill_group`` and ``free_port`` serve the other services the tests start.
"""
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

READY = "채점 서버:"  # the line `serve` prints once it accepts uploads


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kill_group(proc):
    """SIGKILL a process started with start_new_session=True and everything in its group; wait for it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


@contextmanager
def serving(course, *args, start_timeout_s=240):
    """Yields (base URL, process, log path) of a grading server on ``course`` once it is ready.

    Ready is the line the server prints; the port must accept a connection at once after it
    (a server that prints before it listens fails here, not in whichever test comes next).
    """
    port = free_port()
    log_path = Path(course) / f"serve-{port}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "autograder", "serve", "--course", str(course),
                                 "--port", str(port), *args], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            deadline = time.monotonic() + start_timeout_s
            while READY not in log_path.read_text(encoding="utf-8"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log_path.read_text(encoding='utf-8')[-3000:]}")
                time.sleep(0.02)
            socket.create_connection(("127.0.0.1", port), timeout=30).close()
            yield f"http://127.0.0.1:{port}", proc, log_path
        finally:
            kill_group(proc)
