"""A throwaway PostgreSQL cluster for tests: initdb in a temp folder, loopback only, always removed.

    with throwaway_postgres() as url:      # postgresql+psycopg://postgres@127.0.0.1:PORT/grading
        other = create_database(url, "second")

Uses Debian's ``postgresql`` package (``/usr/lib/postgresql/<version>/bin``; scripts/setup.sh
installs it). PostgreSQL refuses to run as root: when the tests run as root, every server
command runs as the system user ``postgres`` (the package creates it; ``nobody`` otherwise)
through ``runuser``. The cluster listens on 127.0.0.1 only, on a free port, with its Unix socket
in the temp folder; authentication is ``trust`` (loopback, throwaway data) and fsync is off (the
tests do not survive power cuts). On exit the server is stopped (``pg_ctl stop -m immediate``,
then SIGKILL of its postmaster if that fails) and the folder removed, also when the test failed.
"""
import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DATABASE = "grading"


class PostgresUnavailable(RuntimeError):
    pass


def find_bin():
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding initdb and pg_ctl."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb") if Path(p).with_name("pg_ctl").exists()]
    if not found:
        raise PostgresUnavailable("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: "
                                  "run scripts/setup.sh (Debian package postgresql)")
    return max(found, key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)) or (0,))


def _server_user():
    """(name, uid, gid) of the user the server runs as: ourselves, or postgres/nobody when root."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return me.pw_name, me.pw_uid, me.pw_gid
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_name, entry.pw_uid, entry.pw_gid
    raise PostgresUnavailable("running as root and neither user postgres nor nobody exists")


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(user, command, cwd, timeout=60):
    prefix = ["runuser", "-u", user, "--"] if os.geteuid() == 0 else []
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC"}
    done = subprocess.run(prefix + [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise PostgresUnavailable(f"{Path(str(command[0])).name} failed ({done.returncode}): "
                                  f"{(done.stderr or done.stdout).strip()[-2000:]}")
    return done


@contextlib.contextmanager
def throwaway_postgres(database=DATABASE):
    """Start a fresh cluster, create ``database``, yield its SQLAlchemy URL; stop and remove it after."""
    bindir = find_bin()
    user, uid, gid = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="pg-throwaway-", dir="/tmp" if os.path.isdir("/tmp") else None))
    data, sockets = folder / "data", folder / "sockets"
    started = False
    try:
        sockets.mkdir()
        for path in (folder, sockets):
            os.chown(path, uid, gid)
        _run(user, [bindir / "initdb", "-D", data, "-U", user, "--auth=trust", "--encoding=UTF8", "--no-locale",
                    "--no-sync"], cwd=folder)
        for attempt in range(5):
            port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
            try:
                _run(user, [bindir / "pg_ctl", "-D", data, "-l", folder / "server.log", "-o", options, "-w", "-t", "30",
                            "start"], cwd=folder)
                started = True
                break
            except PostgresUnavailable:
                log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
                if attempt == 4 or "could not bind" not in log and "in use" not in log:
                    raise PostgresUnavailable(f"pg_ctl start failed: {log.strip()[-2000:]}") from None
                _stop(user, bindir, data, folder)
        _run(user, [bindir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", user, database], cwd=folder)
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/{database}"
    finally:
        if started:
            _stop(user, bindir, data, folder)
        shutil.rmtree(folder, ignore_errors=True)


def _stop(user, bindir, data, folder):
    try:
        _run(user, [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], cwd=folder)
        return
    except (PostgresUnavailable, subprocess.TimeoutExpired):
        pass
    pid_file = data / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def create_database(url, name):
    """Create database ``name`` in the cluster of ``url``; returns its URL (same user, host, port)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"database name {name!r}: lowercase letters, digits and _ only")
    engine = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)
