"""nbgrader's own test suite with this project's configuration in force in every course its tests make.

    .venv/bin/python scripts/nbgrader_suite.py                      # the modules below, stock and ours
    .venv/bin/python scripts/nbgrader_suite.py --modules autograde --only project

nbgrader ships its tests (``nbgrader.tests``). Each one makes its own course folder with its own
nbgrader_config.py; the project's configuration is put in force in all of them through
JUPYTER_CONFIG_PATH: a folder whose nbgrader_config.py holds the lines an instructor adds to a
course (``add_chapter(c)``), which nbgrader loads for every course before the course's own file.
The suite runs twice, stock and with that folder, and the outcomes are compared test by test.
nbgrader's tests start kernels and time them; on a busy machine (this project's own suite runs in
parallel) one may fail for the load alone, so a test that fails is run once more, alone, on both
sides alike: its outcome is the second run's, and the report lists every such rerun.
Prints a table per module and every test whose outcome differs; writes the outcomes as JSON
(benchmarks/results/nbgrader_suite.json unless --json). Exit 1 when an outcome differs (or, with --only project,
when a test fails).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
MODULES = {  # issue 21's list: the apps that grade, give feedback, keep the gradebook, move files
    "autograde": "nbgrader.tests.apps.test_nbgrader_autograde",
    "generate_feedback": "nbgrader.tests.apps.test_nbgrader_generate_feedback",
    "api": "nbgrader.tests.apps.test_api",
    "db": "nbgrader.tests.apps.test_nbgrader_db",
    "export": "nbgrader.tests.apps.test_nbgrader_export",
    "fetchfeedback": "nbgrader.tests.apps.test_nbgrader_fetchfeedback",
    "list": "nbgrader.tests.apps.test_nbgrader_list",
    "releasefeedback": "nbgrader.tests.apps.test_nbgrader_releasefeedback",
    "update": "nbgrader.tests.apps.test_nbgrader_update",
}
CHAPTER_CONFIG = "from autograder.course_config import add_chapter\n\nadd_chapter(get_config())\n"


def run(modules, project, workers, folder):
    """{test id: outcome} of nbgrader's tests in ``modules``; the ids of those that failed and ran again; seconds.

    outcome: "passed" | "failed" | "skipped". A test that failed is run once more, alone.
    """
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    env.pop("JUPYTER_CONFIG_PATH", None)
    if project:
        config = Path(folder) / "config"
        config.mkdir(exist_ok=True)
        (config / "nbgrader_config.py").write_text(CHAPTER_CONFIG, encoding="utf-8")
        env["JUPYTER_CONFIG_PATH"] = str(config)
    side = "project" if project else "stock"
    started = time.perf_counter()
    outcomes = _pytest(["-n", str(workers)] if workers > 1 else [], ["--pyargs", *(MODULES[m] for m in modules)],
                       Path(folder) / f"{side}.xml", folder, env)
    failed = sorted(t for t, o in outcomes.items() if o == "failed")
    again = (_pytest([], ["--pyargs", *(_node_id(t) for t in failed)], Path(folder) / f"{side}-rerun.xml", folder, env)
             if failed else {})
    outcomes.update(again)
    return outcomes, sorted(again), time.perf_counter() - started


def _pytest(options, tests, report, folder, env):
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--junitxml", str(report),
           *options, *tests]
    subprocess.run(cmd, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return _outcomes(report)


def _node_id(test_id):
    """The --pyargs node id (package.module::Class::test) of a JUnit test id ([package.module].Class::test)."""
    classname, name = test_id.split("::", 1)
    return f"{MODULES[_module(test_id)]}::{classname.rsplit('.', 1)[-1]}::{name}"


def _outcomes(report):
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        kinds = {child.tag for child in case}
        outcomes[name] = "failed" if kinds & {"failure", "error"} else "skipped" if "skipped" in kinds else "passed"
    return outcomes


CLASSES = {"TestNbGraderAutograde": "autograde", "TestNbGraderFeedback": "generate_feedback", "TestNbGraderAPI": "api",
           "TestNbGraderDb": "db", "TestNbGraderExport": "export", "TestNbGraderFetchFeedback": "fetchfeedback",
           "TestNbGraderList": "list", "TestNbGraderReleaseFeedback": "releasefeedback", "TestNbGraderUpdate": "update"}


def _module(test_id):
    """The module of a test id (pytest's JUnit report names only the test's class with --pyargs)."""
    return CLASSES.get(test_id.split("::")[0].rsplit(".", 1)[-1], test_id.split("::")[0])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="+", choices=sorted(MODULES), default=list(MODULES))
    parser.add_argument("--only", choices=("both", "project"), default="both",
                        help="project: run with the project's config only (every test must pass or be skipped)")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist processes")
    parser.add_argument("--json", type=Path, default=RESULTS / "nbgrader_suite.json", help="where the outcomes go")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nbgrader-suite-") as folder:
        ours, ours_rerun, seconds = run(args.modules, True, args.workers, folder)
        stock, stock_rerun, stock_seconds = (run(args.modules, False, args.workers, folder) if args.only == "both"
                                             else ({}, [], 0.0))
    rows = []
    for module in args.modules:
        mine = {t: o for t, o in ours.items() if _module(t) == module}
        theirs = {t: o for t, o in stock.items() if _module(t) == module}
        rows.append((module, Counter(theirs.values()), Counter(mine.values())))
    print(f"{'module':<18}{'stock passed/failed/skipped':>30}{'with the project':>26}")
    for module, theirs, mine in rows:
        cells = [f"{c['passed']}/{c['failed']}/{c['skipped']}" if c else "-" for c in (theirs, mine)]
        print(f"{module:<18}{cells[0]:>30}{cells[1]:>26}")
    if args.only == "both":
        differ = sorted(t for t in set(ours) | set(stock) if ours.get(t) != stock.get(t))
    else:
        differ = sorted(t for t, o in ours.items() if o == "failed")
    print(f"\n{len(ours)} tests, {seconds:.0f} s with the project's config" +
          (f", {stock_seconds:.0f} s stock" if stock else "") + f"; differing: {len(differ)}")
    for test in differ:
        print(f"  {test}: stock {stock.get(test, '-')}, project {ours.get(test)}")
    for side, rerun, outcomes in (("project", ours_rerun, ours), ("stock", stock_rerun, stock)):
        for test in rerun:
            print(f"  rerun alone ({side}): {test} failed, then {outcomes[test]}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(
        {"modules": args.modules, "project": ours, "stock": stock, "differing": differ,
         "rerun": {"project": ours_rerun, "stock": stock_rerun},
         "seconds": {"project": round(seconds, 1), "stock": round(stock_seconds, 1)}}, indent=1), encoding="utf-8")
    return 1 if differ or not ours else 0


if __name__ == "__main__":
    sys.exit(main())
