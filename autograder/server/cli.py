"""``python -m autograder serve``: the grading server (FastAPI on uvicorn, grading on Dask).

Prints the URL, the device, the Keras backend and the number of workers when it is ready: the
port is listening by then (connections wait in its backlog until uvicorn takes them), so a
client that starts on that line is never refused. Before that it checks that the sandbox runs
here (and on every worker of a --scheduler cluster): if not, one line with the cause and the fix,
exit 2. Stop it with Ctrl-C or SIGTERM: what is queued stays queued, what was grading is queued
again, one line, exit 0; a kill -9 loses nothing that was acknowledged either.
"""
import argparse
import signal
import socket
import sys

from autograder.settings import ServerSettings, add_cluster_arguments, cluster_from_args

STORAGE = ".autograder/server-files"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def add_parser(sub):
    default = ServerSettings()
    parser = sub.add_parser("serve", help="run the grading server (students upload, see score and feedback)")
    parser.add_argument("--course", default=".", help="the course folder holding nbgrader_config.py (default: here)")
    parser.add_argument("--host", default=default.host, help=f"address to listen on (default: {default.host})")
    parser.add_argument("--port", type=int, default=default.port, help="TCP port to listen on")
    add_cluster_arguments(parser)
    parser.add_argument("--db", help="database URL (default: SQLite grading-server.sqlite in the course)")
    parser.add_argument("--assignment", action="append", help="assignments to grade (default: ch09; repeatable)")
    parser.add_argument("--max-upload-mb", type=float, default=default.max_upload_mb,
                        help="largest notebook accepted, MiB (larger: 413)")
    parser.add_argument("--per-hour", type=int, default=default.per_hour,
                        help="submissions a student may make in any hour (more: 429)")
    parser.add_argument("--max-active", type=int, default=default.max_active,
                        help="a student's submissions queued or grading at once (more: 429)")
    parser.add_argument("--max-faults", type=int, default=default.max_faults,
                        help="grader faults on one submission before it is held for the instructor "
                             "(a fault is never a score)")
    parser.add_argument("--retry-s", type=float, default=default.retry_s,
                        help="seconds before grading again after a grader fault, x6 after each further one")
    parser.add_argument("--time-zone", type=_time_zone, default=default.time_zone,
                        help="IANA time zone of the times the pages and the CSV show (default: "
                             f"{default.time_zone}, or AUTOGRADER_TIME_ZONE)")
    parser.set_defaults(run=main)


def _time_zone(name):
    from autograder.server.clock import time_zone

    try:
        time_zone(name)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return name


def main(args):
    import logging

    import uvicorn

    from autograder.errors import SandboxUnavailable
    from autograder.gradebook.course import CourseError, NbgraderCourse
    from autograder.gradebook.pipeline import NotebookPipeline, grading_settings
    from autograder.sandbox.check import require_sandbox
    from autograder.server.app import ServerState, create_app
    from autograder.server.db import Database, default_url
    from autograder.server.dispatcher import Dispatcher
    from autograder.server.models import Submission
    from sqlalchemy import func, select

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # failed logins, dispatcher faults
    try:
        course = NbgraderCourse(args.course)
        pipelines = {a: NotebookPipeline.for_assignment(course, a) for a in (args.assignment or ["ch09"])}
        if not args.scheduler:  # the workers will be this machine's (a --scheduler's are checked as they start)
            for pipeline in pipelines.values():
                grading = grading_settings(pipeline.config)
                require_sandbox(grading.isolation, grading.memory_mb, grading.scratch_mb)
    except (CourseError, SandboxUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        listening = _listen(args.host, args.port)
    except OSError as exc:
        print(f"error: {args.host}:{args.port}에서 들을 수 없습니다 (cannot listen there): {exc}", file=sys.stderr)
        return 2
    db = Database(args.db or default_url(course.root))
    db.upgrade()
    settings = ServerSettings(args.host, args.port, args.max_upload_mb, args.per_hour, args.max_active,
                              args.max_faults, args.retry_s, args.time_zone)
    state = ServerState(course, db, course.root / STORAGE, settings, cluster_from_args(args), pipelines)
    state.storage.mkdir(parents=True, exist_ok=True)
    state.dispatcher = Dispatcher(state)
    state.dispatcher.start()
    state.dispatcher.ready.wait()
    if state.dispatcher.failure:
        print(f"error: 채점 클러스터를 열 수 없습니다 (cannot start grading): {state.dispatcher.failure}", file=sys.stderr)
        return 2
    info = state.dispatcher.info
    print(f"채점 서버: http://{args.host}:{args.port}/  (강사: /instructor)\n"
          f"device={info['device']} backend={info['backend']} keras={info['keras']} workers={info['workers']} "
          f"db={db.url.render_as_string(hide_password=True)}", flush=True)
    for stop_signal in STOP_SIGNALS:  # uvicorn raises the signal again after its shutdown: then it is a no-op
        signal.signal(stop_signal, lambda *_: None)
    try:
        config = uvicorn.Config(create_app(state), host=args.host, port=args.port, log_level="warning")
        _uvicorn_server()(config, state.dispatcher.stop).run(sockets=[listening])
    finally:
        state.dispatcher.stop()
        state.dispatcher.join(timeout=60)
    with db.session() as s:
        waiting = s.scalar(select(func.count()).select_from(Submission).where(Submission.status == "queued"))
    db.dispose()
    print(f"채점 서버를 멈췄습니다: 대기 중인 제출물 {waiting}개는 다음에 시작할 때 채점합니다 "
          f"(stopped; {waiting} waiting submissions are graded at the next start)", flush=True)
    return 0


def _uvicorn_server():
    import uvicorn

    class StoppingServer(uvicorn.Server):
        """uvicorn's server; a stop signal also stops the dispatcher at once (no result taken in after it)."""

        def __init__(self, config, on_exit):
            super().__init__(config)
            self._on_exit = on_exit

        def handle_exit(self, sig, frame):
            self._on_exit()
            super().handle_exit(sig, frame)

    return StoppingServer


def _listen(host, port):
    """A TCP socket bound to (host, port) and listening; IPv6 when the host is an IPv6 address."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock
