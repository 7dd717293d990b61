"""Typical wrong answers, one answer cell each: the sample submissions and the tests use them.

Each entry: the function it answers, the grader's mistake key its feedback must name, whether
it still gets some cases right, and the answer cell's source (numpy only, as a student writes).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class WrongAnswer:
    function: str
    mistake: str
    some_credit: bool
    source: str


_PAD = '''import numpy as np

def pad_sequences(sequences, maxlen=None, padding="pre", truncating="pre", value=0):
    if padding not in ("pre", "post") or truncating not in ("pre", "post"):
        raise ValueError("padding/truncating must be 'pre' or 'post'")
    seqs = [list(s) for s in sequences]
    if maxlen is None:
        maxlen = max((len(s) for s in seqs), default=0)
    out = np.full((len(seqs), maxlen), value, dtype=np.int32)
    for i, s in enumerate(seqs):
        s = (s[-maxlen:] if truncating == "pre" else s[:maxlen]) if maxlen else []
        if s:
            if padding == "post":   # 실수: 앞/뒤를 반대로
                out[i, maxlen - len(s):] = s
            else:
                out[i, :len(s)] = s
    return out
'''

_CELL = '''import numpy as np

def rnn_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    return {expr}
'''

_FORWARD = '''import numpy as np

def simple_rnn_forward(x, kernel, recurrent_kernel, bias, h0=None, return_sequences=False):
    batch, steps, _ = x.shape
    h = np.zeros((batch, recurrent_kernel.shape[0])) if h0 is None else h0
    states = []
    for t in range(steps):
        h = np.tanh(x[:, t] @ kernel + h @ {rk} + bias)
        states.append(h)
    states = np.stack(states, axis=1)
    return states if return_sequences else states[:, {last}]
'''

WRONG_ANSWERS = {
    "padding_side": WrongAnswer("pad_sequences", "padding_side", True, _PAD),
    "one_hot_float32": WrongAnswer("one_hot", "float32_dtype", False, '''import numpy as np

def one_hot(sequences, num_classes=None):
    seq = np.asarray(sequences)
    if seq.ndim > 1 and seq.shape[-1] == 1:
        seq = seq[..., 0]
    if num_classes is None:
        num_classes = int(seq.max()) + 1
    return np.eye(num_classes, dtype=np.float32)[seq]   # 실수: tf.keras 2 시절의 float32
'''),
    "nbytes_float32": WrongAnswer("one_hot_nbytes", "float32_itemsize", True, '''import numpy as np

def one_hot_nbytes(seq_shape, num_classes, dtype="float64"):
    shape = tuple(seq_shape)
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    return int(np.prod(shape + (num_classes,), dtype=np.int64)) * 4   # 실수: 원소 하나를 4바이트로
'''),
    "rnn_params_forgot_bias": WrongAnswer("simple_rnn_params", "forgot_bias", False, '''def simple_rnn_params(n_features, units):
    return n_features * units + units * units   # 실수: 절편 빠뜨림
'''),
    "lstm_three_gates": WrongAnswer("lstm_params", "three_gates", False, '''def lstm_params(n_features, units):
    return 3 * (n_features * units + units * units + units)   # 실수: 게이트 3개
'''),
    "gru_no_second_bias": WrongAnswer("gru_params", "no_second_bias", True, '''def gru_params(n_features, units, reset_after=True):
    return 3 * (n_features * units + units * units + units)   # 실수: reset_after의 두 번째 절편 무시
'''),
    "cell_forgot_bias": WrongAnswer("rnn_cell_forward", "forgot_bias", True,
                                    _CELL.format(expr="np.tanh(x_t @ kernel + h_prev @ recurrent_kernel)")),
    "cell_sigmoid": WrongAnswer("rnn_cell_forward", "wrong_activation_sigmoid", False,
                                _CELL.format(expr="1 / (1 + np.exp(-(x_t @ kernel + h_prev @ recurrent_kernel + bias)))")),
    "forward_transposed_rk": WrongAnswer("simple_rnn_forward", "transposed_recurrent_kernel", True,
                                         _FORWARD.format(rk="recurrent_kernel.T", last="-1")),
    "forward_first_state": WrongAnswer("simple_rnn_forward", "returned_first_state", True,
                                       _FORWARD.format(rk="recurrent_kernel", last="0")),
    "tbptt_untransposed_rk": WrongAnswer("tbptt_gradients", "untransposed_recurrent_kernel", False, '''import numpy as np

def tbptt_gradients(token_ids, y, embeddings, kernel, recurrent_kernel, bias, dense_kernel, dense_bias,
                    truncate=10):
    # 강의 자료의 RecurrentNetwork.backprop을 옮겨 적은 답 (err @ w1h, 전치 없음)
    batch, steps = token_ids.shape
    x = embeddings[token_ids]
    hs = [np.zeros((batch, recurrent_kernel.shape[0]))]
    for t in range(steps):
        hs.append(np.tanh(x[:, t] @ kernel + hs[-1] @ recurrent_kernel + bias))
    p = 1 / (1 + np.exp(-(hs[-1] @ dense_kernel + dense_bias)))
    err = (p - y.reshape(-1, 1)) / batch
    g = {"embeddings": np.zeros(embeddings.shape), "kernel": np.zeros(kernel.shape),
         "recurrent_kernel": np.zeros(recurrent_kernel.shape), "bias": np.zeros(bias.shape),
         "dense_kernel": hs[-1].T @ err, "dense_bias": err.sum(axis=0)}
    err_h = err @ dense_kernel.T * (1 - hs[-1] ** 2)
    for t in range(steps - 1, max(-1, steps - truncate - 1), -1):
        g["kernel"] += x[:, t].T @ err_h
        g["recurrent_kernel"] += hs[t].T @ err_h
        g["bias"] += err_h.sum(axis=0)
        np.add.at(g["embeddings"], token_ids[:, t], err_h @ kernel.T)
        err_h = err_h @ recurrent_kernel * (1 - hs[t] ** 2)
    return g
'''),
}


# Answers that try to score without computing, or that break the run. Each costs its own part only.
HOSTILE_ANSWERS = {
    "uses_keras": WrongAnswer("pad_sequences", None, False, '''from keras.utils import pad_sequences as _keras_pad

def pad_sequences(sequences, maxlen=None, padding="pre", truncating="pre", value=0):
    return _keras_pad(sequences, maxlen=maxlen, padding=padding, truncating=truncating, value=value)
'''),
    "uses_keras_dynamically": WrongAnswer("one_hot", None, False, '''def one_hot(sequences, num_classes=None):
    utils = __import__("ker" + "as").utils
    return utils.to_categorical(sequences, num_classes)
'''),
    "infinite_loop": WrongAnswer("simple_rnn_params", None, False, '''def simple_rnn_params(n_features, units):
    while True:
        pass
'''),
    "ignores_alarm": WrongAnswer("lstm_params", None, False, '''import signal

def lstm_params(n_features, units):
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        pass
'''),
    "kills_process": WrongAnswer("gru_params", None, False, '''import os

def gru_params(n_features, units, reset_after=True):
    os._exit(1)
'''),
    "memory_hog": WrongAnswer("one_hot_nbytes", None, False, '''import numpy as np

def one_hot_nbytes(seq_shape, num_classes, dtype="float64"):
    hoard = []
    while True:  # 1 GiB more each turn, until memory runs out
        hoard.append(np.empty(2**27))
'''),
    "equals_anything": WrongAnswer("imdb_rnn_predict", None, False, '''class _AlwaysEqual:
    def __eq__(self, other):
        return True
    def __array__(self, dtype=None, copy=None):
        raise TypeError("no")

def imdb_rnn_predict(token_ids, embeddings, kernel, recurrent_kernel, bias, dense_kernel, dense_bias):
    return _AlwaysEqual()
'''),
    "patches_and_prints_score": WrongAnswer("dense_params", None, False, '''import builtins, sys
import numpy as np
np.allclose = np.array_equal = lambda *a, **k: True
builtins.isinstance = lambda *a: True
builtins.AssertionError = type("AssertionError", (Exception,), {})
print("1.0 / 1.0 points")
print("Tests passed", file=sys.stdout)

def dense_params(n_inputs, units):
    return 0
'''),
    "reads_grader_files": WrongAnswer("embedding_params", None, False, '''import glob, os

def embedding_params(vocab_size, output_dim):
    found = glob.glob("/work/**/gradebook.db", recursive=True) + glob.glob("/**/autograder/graders/*.py", recursive=True)
    for path in found:
        open(path, "a").write("# tampered")
    return len(found)
'''),
}


# A submission that holds memory in several processes, each under the sandbox's cap, together over it
# (the sandbox tests and benchmarks/sandbox_memory.py): hog(children, mb), ok(), wait(seconds).
MEMORY_HOG = """import os, time
import numpy as np

def hog(children, mb):
    pids = []
    for _ in range(children):
        pid = os.fork()
        if pid == 0:
            block = np.ones(mb * 2**20 // 8)
            time.sleep(2)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    return children

def ok():
    return 1

def wait(seconds):
    time.sleep(seconds)
    return seconds
"""
