"""The sandbox's memory cap on all its processes together: what a memory hog holds, and what the cap costs.

For each isolation ("bwrap", "process"), ``--workers`` sessions at once each run a submission
that forks ``--children`` processes holding ``--fraction`` x the cap each (every one under its
own address-space limit). Sampled every 10 ms: the sandboxes' private resident memory and the
host's MemAvailable. The baseline in the same run is what those processes ask for together
(children x fraction x cap a sandbox), which is what they held under a per-process cap.
Then the watchdog's own cost: the fork server's CPU while a session waits 2 s in the student's
code (the watchdog polls every 20 ms). Prints a table; writes benchmarks/results/sandbox_memory.json.
"""
import argparse
import json
import platform
import threading
import time
from pathlib import Path

import psutil

from autograder.errors import StudentError
from autograder.sandbox.session import SandboxSession
from autograder.settings import REPO_ROOT, GradingSettings
from samples.wrong_answers import MEMORY_HOG

RESULTS = REPO_ROOT / "benchmarks" / "results"


def _sandboxes_mb():
    total = 0
    for child in psutil.Process().children(recursive=True):
        try:
            info = child.memory_info()
            total += info.rss - info.shared
        except psutil.Error:
            pass
    return total / 2**20


def _available_mb():
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def hogs(isolation, workers, children, fraction, cap_mb):
    settings = GradingSettings(timeout=20, memory_mb=cap_mb, isolation=isolation)
    outcomes, caps = [], []

    def grade():
        with SandboxSession([("hog", MEMORY_HOG)], settings) as session:
            try:
                session.call("hog", children, int(fraction * cap_mb))
                outcomes.append("ran")
            except StudentError as err:
                outcomes.append(err.kind)
            caps.append(session.memory_cap)

    start_sandboxes, start_available = _sandboxes_mb(), _available_mb()
    peak, low, stop = [start_sandboxes], [start_available], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0], low[0] = max(peak[0], _sandboxes_mb()), min(low[0], _available_mb())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    threads = [threading.Thread(target=grade) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    return {"isolation": isolation, "memory_cap": sorted(set(caps)), "workers": workers, "children": children,
            "asked_mb": round(workers * children * fraction * cap_mb), "cap_mb": cap_mb * workers,
            "held_peak_mb": round(peak[0] - start_sandboxes), "available_drop_mb": round(start_available - low[0]),
            "outcomes": outcomes, "seconds": round(seconds, 2)}


def watchdog_cpu(isolation, seconds=2.0):
    """CPU seconds the fork server spends while the session's code waits ``seconds``."""
    with SandboxSession([("hog", MEMORY_HOG)], GradingSettings(timeout=20, isolation=isolation)) as session:
        session.call("wait", 0)
        servers = []
        for p in psutil.Process().children(recursive=True):
            try:
                if "fork_server.py" in " ".join(p.cmdline()):
                    servers.append(p)
            except psutil.Error:  # a zombie of the hogs' sessions
                pass
        server = next(p for p in servers if p.children())  # the one serving this session (its process is a child)
        before = sum(server.cpu_times()[:2])
        session.call("wait", seconds)
        used = sum(server.cpu_times()[:2]) - before
    return {"isolation": isolation, "seconds": seconds, "fork_server_cpu_s": round(used, 3),
            "share_of_a_core": round(used / seconds, 4)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--children", type=int, default=3)
    parser.add_argument("--fraction", type=float, default=0.5)
    parser.add_argument("--cap-mb", type=int, default=1024)
    args = parser.parse_args(argv)
    rows = [hogs(iso, args.workers, args.children, args.fraction, args.cap_mb) for iso in ("bwrap", "process")]
    costs = [watchdog_cpu(iso) for iso in ("bwrap", "process")]
    print(f"{'isolation/cap':<18}{'cap':>10}{'asked':>10}{'held (peak)':>13}{'host drop':>11}  outcomes")
    for r in rows:
        print(f"{r['isolation'] + '/' + ','.join(r['memory_cap']):<18}{r['cap_mb']:>6} MiB{r['asked_mb']:>6} MiB"
              f"{r['held_peak_mb']:>9} MiB{r['available_drop_mb']:>7} MiB  {r['outcomes']}")
    for c in costs:
        print(f"watchdog ({c['isolation']}): fork server {c['fork_server_cpu_s']} CPU-s in {c['seconds']} s "
              f"({100 * c['share_of_a_core']:.2f}% of a core)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sandbox_memory.json").write_text(json.dumps(
        {"machine": platform.platform(), "cores": psutil.cpu_count(), "args": vars(args), "hogs": rows,
         "watchdog": costs}, indent=2) + "\n")


if __name__ == "__main__":
    main()
