"""The references give the same values under KERAS_BACKEND=jax as under tensorflow (float64).

jax is not in the test extra (it would double the set-up); this runs where it is installed,
e.g. on a GPU grading box: `pip install -e .[jax]`.
"""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder.settings import REPO_ROOT

HERE = Path(__file__).parent


def _values(backend, tmp_path):
    out = tmp_path / f"{backend}.npz"
    env = {**os.environ, "KERAS_BACKEND": backend}
    subprocess.run([sys.executable, str(HERE / "backend_values.py"), str(out)], check=True, env=env,
                   cwd=REPO_ROOT, capture_output=True)
    values = dict(np.load(out))
    assert str(values.pop("backend")) == backend
    return values


@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="jax not installed (pip install -e .[jax])")
def test_jax_references_match_tensorflow(tmp_path):
    tf, jax = _values("tensorflow", tmp_path), _values("jax", tmp_path)
    assert tf.keys() == jax.keys()
    for name, want in tf.items():
        got = jax[name]
        assert got.dtype == want.dtype, (name, got.dtype, want.dtype)
        rel = np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-300)
        assert rel <= 1e-12, (name, rel)
