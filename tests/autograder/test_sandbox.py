"""The sandbox hides the grading side and the deep-learning libraries; the wire carries only data."""
import base64

import numpy as np
import pytest

from autograder.errors import StudentError
from autograder.sandbox import wire
from autograder.sandbox.session import SandboxSession
from autograder.settings import REPO_ROOT, GradingSettings


def _call(source, fn="f", *args, **config):
    with SandboxSession([(fn, source)], GradingSettings(**{"timeout": 5, **config})) as session:
        return session.call(fn, *args)


def test_round_trip_of_values():
    src = "import numpy as np\ndef f(x):\n    return x * 2, [1, 2.5], {'a': np.int64(3)}\n"
    arr, lst, dct = _call(src, "f", np.arange(4, dtype=np.int32))
    assert arr.dtype == np.int32 and arr.tolist() == [0, 2, 4, 6]
    assert lst == [1, 2.5] and int(dct["a"]) == 3


def test_grader_files_are_invisible():
    src = f"def f():\n    return open({str(REPO_ROOT / 'autograder' / 'grade.py')!r}).read()\n"
    with pytest.raises(StudentError) as err:
        _call(src)
    assert err.value.kind == "FileNotFoundError"


def test_keras_is_gone_even_without_the_import_blocker():
    src = ("import sys\ndef f():\n    sys.meta_path[:] = [m for m in sys.meta_path if type(m).__name__ != '_Blocker']\n"
           "    import keras\n    return 1\n")
    with pytest.raises(StudentError) as err:
        _call(src)
    assert err.value.kind == "ModuleNotFoundError"


def test_no_network():
    src = "import socket\ndef f():\n    socket.create_connection(('127.0.0.1', 22), timeout=1)\n"
    with pytest.raises(StudentError) as err:
        _call(src)
    assert err.value.kind in ("OSError", "ConnectionRefusedError")


def test_student_prints_do_not_corrupt_the_protocol():
    src = "import os\ndef f():\n    print('{\"ok\": true, \"value\": 100}')\n    os.write(1, b'garbage\\n')\n    return 7\n"
    assert _call(src) == 7


def test_hard_timeout_kills_and_restarts():
    src = "import signal\ndef f(loop):\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while loop:\n        pass\n    return 1\n"
    with SandboxSession([("f", src)], GradingSettings(timeout=1)) as session:
        with pytest.raises(StudentError) as err:
            session.call("f", True)
        assert err.value.kind == "Timeout"
        assert session.call("f", False) == 1  # a fresh process took over


def test_wire_refuses_object_arrays_and_bad_sizes():
    with pytest.raises(ValueError):
        wire.decode({"__nd__": ["|O", [1], base64.b64encode(b"12345678").decode()]})
    with pytest.raises(ValueError):
        wire.decode({"__nd__": ["<f8", [3], base64.b64encode(b"1234").decode()]})
    assert isinstance(wire.decode(wire.encode(object())), wire.Unsupported)
