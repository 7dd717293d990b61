"""Durable files of the grading server: uploads and autograded notebooks under one storage root.

Every write goes to a temporary file in the target's folder, is fsynced, moved into place with
``os.replace`` (atomic), and the folder is fsynced: after the function returns, the file survives
a kill -9 or a power cut, and no reader ever sees a half-written one. Files are created 0600.

An upload is stored as ``<root>/<first 2 hex of id>/<id>.ipynb``: the path is made only from the
submission id (32 hex characters); the uploaded file name is never used. Relative paths given to
``read_upload``/``store_text`` must stay inside the root (no absolute paths, no ``..``).
"""
import os
import re
import tempfile
from pathlib import Path, PurePosixPath

_SUBMISSION_ID = re.compile(r"[0-9a-f]{32}")


class StorageError(ValueError):
    """A path or id that would leave the storage root."""


def upload_path(submission_id):
    """The relative path (POSIX text) where ``store_upload`` keeps a submission."""
    if not isinstance(submission_id, str) or not _SUBMISSION_ID.fullmatch(submission_id):
        raise StorageError(f"submission id must be 32 lowercase hex characters, not {submission_id!r}")
    return f"{submission_id[:2]}/{submission_id}.ipynb"


def store_upload(root, submission_id, data):
    """Write the uploaded bytes durably; returns the path relative to ``root``."""
    relative = upload_path(submission_id)
    _durable_write(Path(root), relative, bytes(data))
    return relative


def read_upload(root, relative):
    """The bytes of a stored file (``relative`` as returned by ``store_upload``/given to ``store_text``)."""
    return _resolve(Path(root), relative).read_bytes()


def store_text(root, relative, text):
    """Write UTF-8 text durably at ``root/relative`` (e.g. an autograded notebook); returns ``relative``."""
    _durable_write(Path(root), relative, text.encode("utf-8"))
    return str(PurePosixPath(relative))


def _resolve(root, relative):
    text = str(relative).replace("\\", "/")
    path = PurePosixPath(text)
    if not text or path.is_absolute() or ".." in path.parts or not path.parts or ":" in path.parts[0]:
        raise StorageError(f"not a relative path inside the storage root: {relative!r}")
    return root.joinpath(*path.parts)


def _fsync_dir(folder):
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_dirs(root, folder):
    """mkdir -p, fsyncing the parent of every folder it creates (so the new entries are durable)."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current == root or current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue
        _fsync_dir(path.parent)


def _durable_write(root, relative, data):
    target = _resolve(root, relative)
    _make_dirs(root, target.parent)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(target.parent)
    return target
