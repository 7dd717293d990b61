"""The reference is Keras: check the places where it had to decide or compute around Keras."""
import numpy as np
import pytest

import reference
import keras  # after reference, which quiets TensorFlow


def test_keras_really_fails_where_the_reference_decides():
    # if a Keras release fixes these, the exercise's documented choice must be revisited
    with pytest.raises(ValueError):
        keras.utils.pad_sequences([[1, 2, 3]], maxlen=0)
    with pytest.raises(ValueError):
        keras.utils.pad_sequences([])
    assert reference.pad_sequences([[1, 2, 3], [4]], maxlen=0).shape == (2, 0)
    assert reference.pad_sequences([]).shape == (0, 0)


@pytest.mark.parametrize("shape", [(3,), (4, 5), (5, 1), (2, 1, 1), (0, 4), (1,)])
def test_one_hot_shape_and_nbytes_match_a_real_array(shape):
    real = keras.utils.to_categorical(np.zeros(shape, dtype=int), num_classes=7)
    assert reference.one_hot_shape(shape, 7) == real.shape
    assert reference.one_hot_nbytes(shape, 7) == real.nbytes
    assert reference.one_hot_nbytes(shape, 7, dtype="float32") == real.astype(np.float32).nbytes


def test_chapter_numbers():
    assert reference.one_hot_nbytes((20000, 100), 200) == 3_200_000_000
    assert reference.simple_rnn_params(200, 8) == 1672
    assert reference.embedding_params(500, 16) == 8000
    assert (reference.lstm_params(16, 8), reference.gru_params(16, 8), reference.gru_params(16, 8, False)) == (800, 624, 600)


def test_param_counts_are_the_sum_of_the_built_weights():
    layer = keras.layers.GRU(5)
    layer.build((None, None, 7))
    assert reference.gru_params(7, 5) == sum(int(np.prod(w.shape)) for w in layer.weights)


def test_rnn_reference_is_float64_and_follows_the_keras_layer():
    rng = np.random.default_rng(1)
    x, k, rk, b = rng.normal(size=(2, 4, 3)), rng.normal(size=(3, 5)), rng.normal(size=(5, 5)), rng.normal(size=5)
    layer = keras.layers.SimpleRNN(5)
    layer.build((None, 4, 3))
    layer.set_weights([k.astype("float32"), rk.astype("float32"), b.astype("float32")])
    float32 = keras.ops.convert_to_numpy(layer(x.astype("float32")))
    ours = reference.simple_rnn_forward(x, k, rk, b)
    assert ours.dtype == np.float64
    np.testing.assert_allclose(ours, float32, rtol=1e-4, atol=1e-5)


LOADING_WITH_A_NEIGHBOUR = """
import os, threading, time
done = threading.Event()
def neighbour():  # another thread of the process writes to stderr while Keras loads
    while not done.is_set():
        os.write(2, b"neighbour line\\n")
        time.sleep(0.05)
threading.Thread(target=neighbour, daemon=True).start()
time.sleep(0.1)
import reference
done.set()
print(reference.simple_rnn_params(3, 4))
"""


@pytest.mark.parametrize("level", ["3", "0"])
def test_loading_keras_hides_only_the_notices_the_log_level_hides(level):
    """TensorFlow 2.21 prints its oneDNN notice while its libraries load, whatever TF_CPP_MIN_LOG_LEVEL
    says: importing ``reference`` takes it off stderr at level 3 (the default it sets), keeps it at
    level 0, and never drops what another thread wrote meanwhile."""
    import os
    import subprocess
    import sys

    from helpers import framework_notices

    proc = subprocess.run([sys.executable, "-c", LOADING_WITH_A_NEIGHBOUR], capture_output=True, text=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": level}, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "32", proc.stderr
    assert proc.stderr.count("neighbour line") >= 3
    if level == "3":
        assert framework_notices(proc.stderr) == []
    elif keras.backend.backend() == "tensorflow":
        assert framework_notices(proc.stderr), "at level 0 TensorFlow's notices are the user's to see"
