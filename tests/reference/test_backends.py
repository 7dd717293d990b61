"""Keras on JAX (the GPU grading box has no TensorFlow): the references give the same values as on
TensorFlow (float64), and notebook 05 grades the same, trained on JAX.

jax is in the test extra (~90 MB of wheels). One subprocess runs under KERAS_BACKEND=jax for both
checks; the TensorFlow side is this process.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.settings import REPO_ROOT, SOURCE_ROOT
from backend_values import grade_05, reference_values
from helpers import RELEASE, framework_notices, part
from samples.submissions import solution_answers, student_copy

HERE = Path(__file__).parent
TRAINED = ("build_simple_rnn", "training_settings")  # the rest left as released: one model trains on JAX


@pytest.fixture(scope="module")
def on_jax(tmp_path_factory):
    """(reference values, the 05 notebook's path, its grading result, stderr) from one process under jax."""
    tmp = tmp_path_factory.mktemp("jax")
    answers = {k: v for k, v in solution_answers(SOURCE_ROOT / "ch09").items() if k in TRAINED}
    notebook = tmp / "05_imdb_models.ipynb"
    nbformat.write(student_copy(nbformat.read(RELEASE / "05_imdb_models.ipynb", as_version=4), answers), notebook)
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    proc = subprocess.run([sys.executable, str(HERE / "backend_values.py"), str(tmp / "jax.npz"), str(notebook),
                           str(tmp / "result.json"), str(tmp / "model-cache")], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    values = dict(np.load(tmp / "jax.npz"))
    assert str(values.pop("backend")) == "jax"
    return values, notebook, json.loads((tmp / "result.json").read_text(encoding="utf-8")), proc.stderr


def test_jax_references_match_tensorflow(on_jax):
    import reference

    assert reference.configure_backend() == "tensorflow"
    tf, (jax, *_) = reference_values(), on_jax
    assert tf.keys() == jax.keys()
    for name, want in tf.items():
        want, got = np.asarray(want), jax[name]
        assert got.dtype == want.dtype, (name, got.dtype, want.dtype)
        rel = np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-300)
        assert rel <= 1e-12, (name, rel)


def test_notebook_05_grades_the_same_trained_on_jax(on_jax, model_cache):
    _, notebook, jax, stderr = on_jax
    tf = grade_05(notebook, model_cache)
    assert [(p["grade_id"], p["score"]) for p in jax["parts"]] == [(p["grade_id"], p["score"]) for p in tf["parts"]]
    trained = {name: part(result, "build_simple_rnn")["details"]["training"] for name, result in
               (("jax", jax), ("tensorflow", tf))}
    for backend, training in trained.items():
        assert training["backend"] == backend and training["device"] == "cpu" and training["deterministic"]
        assert training["accuracy"] >= training["pass_line"]
    assert part(jax, "build_simple_rnn")["score"] == 10 and part(jax, "build_lstm")["score"] == 0
    assert framework_notices(stderr) == []  # Keras on JAX still imports TensorFlow where installed: held too
