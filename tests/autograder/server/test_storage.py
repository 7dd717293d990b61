"""Uploads and autograded notebooks are written durably (fsync, atomic replace, fsync of the folder),
at paths made only from the submission id."""
import os
import stat
import uuid

import pytest

from autograder.server import storage
from autograder.server.storage import StorageError, read_upload, store_text, store_upload

DATA = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "note": "한글"}'.encode()


def test_store_upload_writes_the_bytes_at_the_id_path(tmp_path):
    sid = uuid.uuid4().hex
    relative = store_upload(tmp_path, sid, DATA)
    assert relative == f"{sid[:2]}/{sid}.ipynb"
    assert (tmp_path / sid[:2] / f"{sid}.ipynb").read_bytes() == DATA
    assert read_upload(tmp_path, relative) == DATA
    assert stat.S_IMODE(os.stat(tmp_path / relative).st_mode) == 0o600
    assert [p.name for p in (tmp_path / sid[:2]).iterdir()] == [f"{sid}.ipynb"]  # no temp file left


def test_each_step_is_fsynced_before_the_next(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        path = os.readlink(f"/proc/self/fd/{fd}")
        events.append(("fsync-dir" if os.path.isdir(path) else "fsync-file", os.path.basename(path)))
        real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", os.path.basename(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    monkeypatch.setattr(storage.os, "replace", replace)
    sid = uuid.uuid4().hex
    store_upload(tmp_path, sid, DATA)
    # the new folder's entry, then the file's data, then the rename, then the folder holding it
    assert events[0] == ("fsync-dir", tmp_path.name)
    assert events[1][0] == "fsync-file" and events[1][1].startswith(".tmp-")
    assert events[2:] == [("replace", f"{sid}.ipynb"), ("fsync-dir", sid[:2])]


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    def broken(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", broken)
    sid = uuid.uuid4().hex
    with pytest.raises(OSError, match="No space"):
        store_upload(tmp_path, sid, DATA)
    monkeypatch.undo()
    assert not (tmp_path / sid[:2] / f"{sid}.ipynb").exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_second_store_replaces_whole(tmp_path):
    sid = uuid.uuid4().hex
    store_upload(tmp_path, sid, b"x" * 10000)
    store_upload(tmp_path, sid, b"short")
    assert read_upload(tmp_path, f"{sid[:2]}/{sid}.ipynb") == b"short"


@pytest.mark.parametrize("bad", ["../../etc/passwd", "evil.ipynb", "A" * 32, "0" * 31, "0" * 32 + "/x", "", None])
def test_only_a_submission_id_makes_an_upload_path(tmp_path, bad):
    with pytest.raises(StorageError):
        store_upload(tmp_path, bad, DATA)
    assert list(tmp_path.iterdir()) == []


def test_store_text_nests_and_stays_inside_the_root(tmp_path):
    relative = store_text(tmp_path, "autograded/ab/abc.ipynb", "채점 결과")
    assert relative == "autograded/ab/abc.ipynb"
    assert read_upload(tmp_path, relative).decode() == "채점 결과"
    for bad in ["../outside.ipynb", "/tmp/abs.ipynb", "a/../../b", "..", ".", "C:/x"]:
        with pytest.raises(StorageError):
            store_text(tmp_path, bad, "x")
        with pytest.raises(StorageError):
            read_upload(tmp_path, bad)
    assert not (tmp_path.parent / "outside.ipynb").exists()
