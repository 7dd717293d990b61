"""Run as a script under one KERAS_BACKEND: writes the references' outputs on fixed inputs to an .npz,
and, given a notebook of 05 and a model cache folder, its grading result (grade_notebook, JSON).

tests/reference/test_backends.py runs it under jax (one process for both: Keras on JAX starts once)
and compares with the same values and grading under tensorflow, in the test's own process.

    python backend_values.py OUT.npz [NOTEBOOK.ipynb RESULT.json MODEL_CACHE]
"""
import json
import sys

import numpy as np

import reference


def reference_values():
    rng = np.random.default_rng(0)
    x, k, rk, b = rng.normal(size=(3, 7, 4)), rng.normal(size=(4, 5)), rng.normal(size=(5, 5)) * .5, rng.normal(size=5)
    h = rng.normal(size=(3, 5))
    out = {
        "simple_rnn_sequences": reference.simple_rnn_forward(x, k, rk, b, return_sequences=True),
        "simple_rnn_h0": reference.simple_rnn_forward(x, k, rk, b, h0=h),
        "cell": reference.rnn_cell_forward(x[:, 0], h, k, rk, b),
        "cell_sigmoid": reference.rnn_cell_forward(x[:, 0], h, k, rk, b, activation="sigmoid"),
        "imdb": reference.imdb_rnn_predict(rng.integers(0, 30, size=(4, 9)), rng.normal(size=(30, 4)), k, rk, b,
                                     rng.normal(size=(5, 1)), rng.normal(size=1)),
        "gru": reference.gru_step(x[:, 0], h, rng.normal(size=(4, 15)), rng.normal(size=(5, 15)), rng.normal(size=(2, 15))),
        "gru_reset_before": reference.gru_step(x[:, 0], h, rng.normal(size=(4, 15)), rng.normal(size=(5, 15)),
                                         rng.normal(size=15), reset_after=False),
        "pad": reference.pad_sequences([[1, 2, 3], [4], []], maxlen=2, padding="post", value=7),
        "one_hot": reference.one_hot(np.array([[1, 2], [0, 3]])),
        "params": np.array([reference.simple_rnn_params(200, 8), reference.lstm_params(16, 8),
                            reference.gru_params(16, 8), reference.gru_params(16, 8, reset_after=False)]),
    }
    out["lstm_h"], out["lstm_c"] = reference.lstm_step(x[:, 0], h, rng.normal(size=(3, 5)), rng.normal(size=(4, 20)),
                                                 rng.normal(size=(5, 20)), rng.normal(size=20))
    weights = (rng.normal(size=(30, 4)), k, rk, b, rng.normal(size=(5, 1)), rng.normal(size=1))
    tokens, y = rng.integers(0, 30, size=(2, 6)), np.array([0.0, 1.0])
    for name, grads in (("bptt", reference.bptt_gradients(tokens, y, *weights)),
                        ("tbptt", reference.tbptt_gradients(tokens, y, *weights, truncate=3))):
        out.update({f"{name}_{key}": value for key, value in grads.items()})
    return out


def grade_05(path, cache):
    """grade_notebook of notebook 05 at ``path`` with the model cache ``cache`` (default settings otherwise)."""
    import nbformat

    from autograder.assignment import Assignment
    from autograder.grading.grade import grade_notebook
    from autograder.settings import SOURCE_ROOT, GradingSettings

    return grade_notebook(nbformat.read(path, as_version=4), Assignment.load("ch09", SOURCE_ROOT), "05_imdb_models",
                          GradingSettings(model_cache=cache))


if __name__ == "__main__":
    backend = reference.configure_backend()
    np.savez(sys.argv[1], backend=np.array(backend), **reference_values())
    if len(sys.argv) > 2:
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            json.dump(grade_05(sys.argv[2], sys.argv[4]), f)
