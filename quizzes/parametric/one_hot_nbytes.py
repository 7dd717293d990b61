"""``.nbytes`` of ``to_categorical`` on padded (n, maxlen) integer sequences, and the
misconceptions its distractors come from."""
import math

import numpy as np

import reference
from quizzes.parametric.framework import Misconception, MisconceptionItem


def _seq_shape(p):
    return (p["samples"], p["maxlen"])


class OneHotNbytesItem(MisconceptionItem):
    """``.nbytes`` of ``to_categorical`` on padded (n, maxlen) integer sequences."""

    objective = {"ko": "원-핫 인코딩 배열의 크기와 자료형으로 메모리 사용량을 구한다.",
                 "en": "Work out the memory of a one-hot array from its shape and dtype."}

    def draw_params(self, rng):
        return {"samples": rng.choice((1000, 2000, 5000, 10000, 20000, 25000)),
                "maxlen": rng.choice((50, 100, 200)), "classes": rng.choice((100, 200, 300, 500, 1000))}

    def key_choice(self, p):
        return self.choice(reference.one_hot_nbytes(_seq_shape(p), p["classes"]), {
            "ko": "케라스 3의 to_categorical이 돌려주는 float64 배열의 바이트 수와 같다.",
            "en": "Matches the float64 array that Keras 3's to_categorical returns."})

    def misconceptions(self, p):
        return ONE_HOT_MISCONCEPTIONS

    def stem(self, p):
        shape = f"({p['samples']}, {p['maxlen']})"
        return {"ko": f"정수 시퀀스 `train_seq`의 크기가 {shape}일 때, 다음 코드가 출력하는 값(바이트 수)은?",
                "en": f"`train_seq` holds integer sequences of shape {shape}. What does the code below print (bytes)?"}

    def code(self, p):
        return (f"train_oh = keras.utils.to_categorical(train_seq, num_classes={p['classes']})\n"
                "print(train_oh.nbytes)")

    def explanation(self, p, key):
        shape = reference.one_hot_shape(_seq_shape(p), p["classes"])
        itemsize = np.dtype(reference.one_hot_dtype()).itemsize
        n = math.prod(shape)
        dtype = np.dtype(reference.one_hot_dtype()).name
        return {"ko": f"결과의 크기는 {shape}이고 자료형은 {dtype}이다. 원소 {n:,}개 × {itemsize}바이트 = {key:,}바이트.",
                "en": f"The result has shape {shape} and dtype {dtype}: {n:,} elements × {itemsize} bytes = {key:,} bytes."}


ONE_HOT_MISCONCEPTIONS = [
    Misconception("float32 itemsize",
                  lambda p: reference.one_hot_nbytes(_seq_shape(p), p["classes"], dtype="float32"),
                  lambda p: {"ko": "원소 하나를 float32(4바이트)로 본 값이다. 케라스 3의 to_categorical은 float64를 돌려준다.",
                             "en": "Assumes float32 (4 bytes); Keras 3's to_categorical returns float64."}),
    Misconception("elements, not bytes",
                  lambda p: math.prod(reference.one_hot_shape(_seq_shape(p), p["classes"])),
                  lambda p: {"ko": "원소 개수만 세고 원소 하나의 바이트 수를 곱하지 않은 값이다.",
                             "en": "Counts the elements but not the bytes per element."}),
    Misconception("forgot the one-hot axis",
                  lambda p: math.prod(_seq_shape(p)) * reference.pad_sequences([[1]], maxlen=1).dtype.itemsize,
                  lambda p: {"ko": "원-핫 축을 빼먹고 패딩된 정수 배열(int32)의 크기를 센 값이다.",
                             "en": "Forgets the one-hot axis: the size of the padded int32 array."}),
]
