"""``python -m autograder serve``: the grading server (FastAPI on uvicorn, grading on Dask).

Prints the URL, the device, the Keras backend and the number of workers when it is ready: the
port is listening by then (connections wait in its backlog until uvicorn takes them), so a
client that starts on that line is never refused. Stop it with Ctrl-C (or SIGTERM); a kill -9
loses nothing that was acknowledged.
"""
import socket
import sys

from autograder.settings import ServerSettings, add_cluster_arguments, cluster_from_args

STORAGE = ".autograder/server-files"


def add_parser(sub):
    default = ServerSettings()
    parser = sub.add_parser("serve", help="run the grading server (students upload, see score and feedback)")
    parser.add_argument("--course", default=".", help="the course folder holding nbgrader_config.py (default: here)")
    parser.add_argument("--host", default=default.host, help=f"address to listen on (default: {default.host})")
    parser.add_argument("--port", type=int, default=default.port)
    add_cluster_arguments(parser)
    parser.add_argument("--db", help="database URL (default: SQLite grading-server.sqlite in the course)")
    parser.add_argument("--assignment", action="append", help="assignments to grade (default: ch09; repeatable)")
    parser.add_argument("--max-upload-mb", type=float, default=default.max_upload_mb)
    parser.add_argument("--per-hour", type=int, default=default.per_hour, help="submissions per student per hour")
    parser.add_argument("--max-active", type=int, default=default.max_active,
                        help="a student's submissions queued or grading at once")
    parser.set_defaults(run=main)


def main(args):
    import logging

    import uvicorn

    from autograder.gradebook.course import CourseError, NbgraderCourse
    from autograder.gradebook.pipeline import NotebookPipeline
    from autograder.server.app import ServerState, create_app
    from autograder.server.db import Database, default_url
    from autograder.server.dispatcher import Dispatcher

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # failed logins, dispatcher faults
    try:
        course = NbgraderCourse(args.course)
        pipelines = {a: NotebookPipeline.for_assignment(course, a) for a in (args.assignment or ["ch09"])}
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        listening = _listen(args.host, args.port)
    except OSError as exc:
        print(f"error: {args.host}:{args.port}에서 들을 수 없습니다 (cannot listen there): {exc}", file=sys.stderr)
        return 2
    db = Database(args.db or default_url(course.root))
    db.upgrade()
    settings = ServerSettings(args.host, args.port, args.max_upload_mb, args.per_hour, args.max_active)
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
    try:
        config = uvicorn.Config(create_app(state), host=args.host, port=args.port, log_level="warning")
        uvicorn.Server(config).run(sockets=[listening])
    finally:
        state.dispatcher.stop()
        state.dispatcher.join(timeout=30)
    return 0


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
