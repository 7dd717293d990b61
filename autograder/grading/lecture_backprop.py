"""The backward pass as the "Do it! 딥러닝 입문" lecture prints it, for diagnosing that mistake.

Its ``RecurrentNetwork.backprop`` carries the error one step back with ``err @ w1h`` where
``err @ w1h.T`` is right. The recurrent kernel is square (units, units), so nothing fails:
only the values of the kernel, recurrent-kernel, bias and embedding gradients are wrong.
Arguments and result as ``reference.tbptt_gradients`` (truncate=None: all
steps); numpy float64.
"""
import numpy as np

MESSAGE = ("은닉 상태의 오차를 한 스텝 앞으로 보낼 때 recurrent_kernel을 전치하지 않았습니다: "
           "delta @ recurrent_kernel.T 이어야 합니다 (강의 자료의 err @ w1h도 같은 실수입니다). "
           "recurrent_kernel이 정사각 행렬이라 오류 없이 값만 틀립니다.")


def untransposed_recurrent_gradients(token_ids, y, embeddings, kernel, recurrent_kernel, bias,
                                     dense_kernel, dense_bias, truncate=None):
    token_ids = np.asarray(token_ids)
    batch, steps = token_ids.shape
    x = np.asarray(embeddings)[token_ids]                         # (batch, T, dim)
    hs = [np.zeros((batch, len(recurrent_kernel)))]              # hs[t] = h_t
    for t in range(steps):
        hs.append(np.tanh(x[:, t] @ kernel + hs[-1] @ recurrent_kernel + bias))
    p = 1.0 / (1.0 + np.exp(-(hs[-1] @ dense_kernel + dense_bias)))
    err = (p - np.reshape(y, (batch, 1))) / batch                  # (batch, 1)
    grads = {"embeddings": np.zeros(np.shape(embeddings)), "kernel": np.zeros(np.shape(kernel)),
             "recurrent_kernel": np.zeros(np.shape(recurrent_kernel)), "bias": np.zeros(np.shape(bias)),
             "dense_kernel": hs[-1].T @ err, "dense_bias": err.sum(axis=0)}
    delta = (err @ np.transpose(dense_kernel)) * (1 - hs[-1] ** 2)  # (batch, units)
    first = 0 if truncate is None else max(0, steps - truncate)
    for t in reversed(range(first, steps)):
        grads["kernel"] += x[:, t].T @ delta
        grads["recurrent_kernel"] += hs[t].T @ delta
        grads["bias"] += delta.sum(axis=0)
        np.add.at(grads["embeddings"], token_ids[:, t], delta @ np.transpose(kernel))
        delta = (delta @ recurrent_kernel) * (1 - hs[t] ** 2)        # the lecture's slip: no .T
    return grads
