"""The student's model against the reference model, layer by layer, with each difference named in Korean.

Both sides are ModelSpecs (config_check) — the reference's from ``reference.chapter_model(name)``'s
own JSON — so a model Keras cannot build is still compared. Layers are paired by class in order
(difflib over the class names: a missing, extra or replaced layer shows as such). Each check
returns a list of Problems (Korean message, mistake key); an empty list passes.

  layer_order      classes and order (an extra Dropout layer, a GRU for an LSTM, a missing layer)
  layer_settings   one reference layer's arguments (units, return_sequences, dropout, activation, ...)
  shapes           input (None, 100) and output (None, 1)
  parameter_counts per layer and total ``count_params()`` of the BUILT model (Keras's numbers)
  functional       the reference's weights in the student's built model give the reference's outputs
"""
import difflib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from autograder.models.config_check import RECURRENT, check_model_config

OUTPUT_RTOL = 1e-4  # float32 outputs of the same computation


@dataclass(frozen=True)
class Problem:
    """A difference from the reference. message: Korean, its first sentence says what differs and the rest
    why it matters; mistake: the known-mistake key it is (None: a plain difference)."""

    message: str
    mistake: str | None = None

    @property
    def fact(self):
        """The first sentence (up to "니다.")."""
        head, sep, _ = self.message.partition("니다. ")
        return head + "니다." if sep else self.message

    @property
    def why(self):
        """What follows the first sentence ("" when nothing does)."""
        return self.message.partition("니다. ")[2]


@lru_cache(maxsize=8)
def reference_spec(name):
    """The ModelSpec of reference.chapter_model(name), read from its own JSON like a student's."""
    from reference import chapter_model

    return check_model_config(chapter_model(name).to_json())


def _class_list(spec):
    return [layer.class_name for layer in spec.layers]


def pairs(student, reference):
    """[(reference layer index or None, student layer index or None)] pairing the two layer lists by class."""
    ref, got = _class_list(reference), _class_list(student)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ref, b=got, autojunk=False).get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            out += list(zip(range(i1, i2), range(j1, j2)))
        elif op == "replace":
            common = min(i2 - i1, j2 - j1)
            out += list(zip(range(i1, i1 + common), range(j1, j1 + common)))
            out += [(i, None) for i in range(i1 + common, i2)] + [(None, j) for j in range(j1 + common, j2)]
        elif op == "delete":
            out += [(i, None) for i in range(i1, i2)]
        else:
            out += [(None, j) for j in range(j1, j2)]
    return out


def describe(layer):
    """``LSTM(8, dropout=0.2, return_sequences=True)``: a layer as the book writes it (non-default arguments)."""
    if layer.class_name == "Embedding":
        return f"Embedding({layer.arg('input_dim')}, {layer.arg('output_dim')})"
    if layer.class_name == "Dropout":
        return f"Dropout({layer.arg('rate')})"
    parts = [str(layer.arg("units"))]
    if layer.class_name == "Dense":
        if layer.arg("activation") != "linear":
            parts.append(f"activation='{layer.arg('activation')}'")
    else:
        for name in ("dropout", "recurrent_dropout"):
            if layer.arg(name):
                parts.append(f"{name}={layer.arg(name):g}")
        if layer.arg("return_sequences"):
            parts.append("return_sequences=True")
        if layer.arg("activation") != "tanh":
            parts.append(f"activation='{layer.arg('activation')}'")
    return f"{layer.class_name}({', '.join(parts)})"


def layer_order(student, reference):
    ref, got = _class_list(reference), _class_list(student)
    if ref == got:
        return []
    problems = [Problem(f"층의 순서가 {' → '.join(ref)}여야 하는데 제출한 모델은 {' → '.join(got) or '(층 없음)'}입니다.")]
    for r, s in pairs(student, reference):
        if r is None and got[s] == "Dropout":
            problems.append(Problem("따로 둔 Dropout 층이 있습니다. 이 장의 모델은 드롭아웃을 순환층의 인자로 줍니다: "
                                    "LSTM(8, dropout=0.2). Dropout 층은 층과 층 사이의 출력을 끄고, dropout 인자는 "
                                    "순환층이 타임스텝마다 받는 입력을 끕니다.", "dropout_as_layer"))
        elif r is None:
            problems.append(Problem(f"참조 모델에 없는 {got[s]} 층이 더 있습니다.", "extra_layer"))
        elif s is None:
            problems.append(Problem(f"{describe(reference.layers[r])} 층이 없습니다.", "missing_layer"))
        elif ref[r] != got[s]:
            problems.append(Problem(f"{r + 1}번째 층이 {ref[r]}이어야 하는데 {got[s]}입니다.", "wrong_layer_type"))
    return problems


def _partner(student, reference, index):
    """The student's layer paired with reference layer ``index``, or None."""
    return next((student.layers[s] for r, s in pairs(student, reference) if r == index and s is not None), None)


def layer_settings(student, reference, index):
    """Problems of the student's layer paired with reference layer ``index``."""
    want = reference.layers[index]
    got = _partner(student, reference, index)
    if got is None:
        return [Problem(f"{describe(want)}에 해당하는 층이 없습니다.", "missing_layer")]
    if got.class_name != want.class_name:
        return [Problem(f"{describe(want)}이어야 하는데 {describe(got)}입니다.", "wrong_layer_type")]
    check = {"Embedding": _embedding, "Dense": _dense, "Dropout": _dropout_layer}.get(want.class_name, _recurrent)
    return check(got, want, student, reference)


def _embedding(got, want, *_):
    problems = []
    if got.arg("input_dim") != want.arg("input_dim"):
        problems.append(Problem(f"Embedding의 첫 인자(어휘 크기 input_dim)가 {want.arg('input_dim')}이어야 하는데 "
                                f"{got.arg('input_dim')}입니다. num_words={want.arg('input_dim')}로 불러온 데이터의 "
                                f"단어 id는 0~{want.arg('input_dim') - 1}입니다.", "wrong_vocabulary"))
    if got.arg("output_dim") != want.arg("output_dim"):
        problems.append(Problem(f"임베딩 벡터 크기(output_dim)가 {want.arg('output_dim')}이어야 하는데 "
                                f"{got.arg('output_dim')}입니다.", "wrong_embedding_dim"))
    return problems


def _dense(got, want, *_):
    problems = []
    if got.arg("units") != want.arg("units"):
        problems.append(Problem(f"출력층 Dense의 뉴런 수가 {want.arg('units')}이어야 하는데 {got.arg('units')}입니다. "
                                "긍정/부정 이진 분류는 확률 하나만 출력합니다.", "wrong_units"))
    if got.arg("activation") != want.arg("activation"):
        problems.append(Problem(f"출력층의 활성화 함수가 '{want.arg('activation')}'이어야 하는데 "
                                f"'{got.arg('activation')}'입니다. 이진 분류의 출력은 sigmoid로 0~1 사이의 "
                                "양성 클래스 확률이 되어야 binary_crossentropy로 훈련할 수 있습니다.",
                                "dense_without_sigmoid"))
    return problems


def _dropout_layer(got, want, *_):
    if got.arg("rate") != want.arg("rate"):
        return [Problem(f"Dropout 비율이 {want.arg('rate')}이어야 하는데 {got.arg('rate')}입니다.", "wrong_dropout")]
    return []


def _recurrent(got, want, student, reference):
    problems, name = [], want.class_name
    if got.arg("units") != want.arg("units"):
        problems.append(Problem(f"{name} 층의 뉴런 수(units)가 {want.arg('units')}이어야 하는데 {got.arg('units')}입니다.",
                                "wrong_units"))
    if want.arg("return_sequences") and not got.arg("return_sequences"):
        problems.append(Problem(f"{name} 층에 return_sequences=True가 없습니다. 순환층을 쌓을 때 아래층은 모든 "
                                "타임스텝의 은닉 상태 (None, 100, 8)를 다음 순환층에 넘겨야 합니다 (마지막 순환층만 "
                                "기본값 False).", "missing_return_sequences"))
    elif got.arg("return_sequences") and not want.arg("return_sequences"):
        problems.append(Problem(f"{name} 층이 return_sequences=True입니다. 마지막 순환층은 마지막 타임스텝의 은닉 상태 "
                                "(None, 8)만 Dense에 넘겨야 하므로 기본값 False로 둡니다 (True이면 출력이 "
                                "(None, 100, 1)이 됩니다).", "return_sequences_on_last"))
    problems += _dropouts(got, want, name)
    if got.arg("activation") != want.arg("activation") or \
            (name != "SimpleRNN" and got.arg("recurrent_activation") != want.arg("recurrent_activation")):
        problems.append(Problem(f"{name} 층의 활성화 함수를 바꾸었습니다 (activation='{got.arg('activation')}'). "
                                "책의 모델은 기본값(tanh, 게이트는 sigmoid)을 씁니다.", "wrong_activation"))
    if name == "GRU" and got.arg("reset_after") != want.arg("reset_after"):
        problems.append(Problem("GRU의 reset_after를 바꾸었습니다: 기본값 True를 씁니다.", "wrong_reset_after"))
    return problems


def _dropouts(got, want, name):
    dropout, recurrent = got.arg("dropout"), got.arg("recurrent_dropout")
    want_dropout, want_recurrent = want.arg("dropout"), want.arg("recurrent_dropout")
    if (dropout, recurrent) == (want_dropout, want_recurrent):
        return []
    if want_dropout and not dropout and recurrent == want_dropout:
        return [Problem(f"{name} 층의 드롭아웃을 recurrent_dropout={recurrent:g}로 주었습니다. 책의 모델은 셀의 입력에 "
                        f"적용하는 dropout={want_dropout:g}을 씁니다 (recurrent_dropout은 순환되는 은닉 상태에 "
                        "적용하며 GPU에서 훈련이 크게 느려집니다).", "recurrent_dropout_instead")]
    if want_dropout and not dropout:
        return [Problem(f"{name} 층에 dropout={want_dropout:g}이 없습니다. 과대적합을 줄이려고 순환층마다 입력의 "
                        f"{want_dropout:.0%}를 끕니다.", "dropout_missing")]
    if not want_dropout and (dropout or recurrent):
        return [Problem(f"이 모델의 {name} 층에는 드롭아웃이 없습니다 (드롭아웃을 쓰는 것은 쌓은 모델입니다). "
                        f"dropout={dropout:g}, recurrent_dropout={recurrent:g}을 빼세요.", "unexpected_dropout")]
    return [Problem(f"{name} 층의 드롭아웃이 dropout={want_dropout:g}, recurrent_dropout={want_recurrent:g}이어야 "
                    f"하는데 dropout={dropout:g}, recurrent_dropout={recurrent:g}입니다.", "wrong_dropout")]


def _shape(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")" if shape is not None else "(만들 수 없음)"


def shapes(student, reference):
    problems = []
    if student.input_shape[1:] not in (reference.input_shape[1:], (None,)):
        problems.append(Problem(f"입력 shape이 {_shape(reference.input_shape)}이어야 하는데 {_shape(student.input_shape)}"
                                f"입니다. maxlen={reference.input_shape[1]}로 패딩한 시퀀스를 받습니다: "
                                f"keras.Input(shape=({reference.input_shape[1]},)).", "wrong_input_shape"))
    if student.output_shape != reference.output_shape:
        problems.append(Problem(f"모델의 출력 shape이 {_shape(reference.output_shape)}이어야 하는데 "
                                f"{_shape(student.output_shape)}입니다: 리뷰마다 양성 확률 하나입니다.", "wrong_output_shape"))
    return problems


def parameter_counts(student_model, student, reference_model, reference):
    """Per paired layer and total count_params() of the two BUILT models (Keras's own counts)."""
    from reference import describe_layers

    got_rows, want_rows = describe_layers(student_model), describe_layers(reference_model)
    problems = []
    for r, s in pairs(student, reference):
        if r is not None and s is not None and got_rows[s]["params"] != want_rows[r]["params"]:
            problems.append(Problem(f"{describe(reference.layers[r])}의 파라미터는 {want_rows[r]['params']:,}개인데 "
                                    f"제출한 층({describe(student.layers[s])})은 {got_rows[s]['params']:,}개입니다."))
    want_total, got_total = reference_model.count_params(), student_model.count_params()
    if got_total != want_total:
        problems.append(Problem(f"모델 전체의 파라미터가 {want_total:,}개여야 하는데 {got_total:,}개입니다."))
    return problems


def functional(student_model, name):
    """The reference's weights (reference.chapter_probe) set into the student's model; outputs compared."""
    from reference import chapter_probe, predict

    from autograder.grading.checks import relative_error

    weights, token_ids, want = chapter_probe(name)
    shapes_got = [tuple(w.shape) for w in student_model.weights]
    shapes_want = [w.shape for w in weights]
    if shapes_got != shapes_want:
        return [Problem(f"가중치의 개수나 shape이 참조 모델과 달라 참조 가중치를 넣을 수 없습니다: 참조 {shapes_want}, "
                        f"제출 {shapes_got}.")]
    student_model.set_weights(weights)
    got = predict(student_model, token_ids)
    if got.shape != want.shape:
        return [Problem(f"출력 shape이 {want.shape}이어야 하는데 {got.shape}입니다.")]
    err = relative_error(got, want)
    if not err <= OUTPUT_RTOL:
        return [Problem(f"참조 모델의 가중치를 넣고 같은 리뷰 {len(token_ids)}개를 넣었더니 출력이 다릅니다 "
                        f"(최대 상대 오차 {err:.1e}, 허용 {OUTPUT_RTOL:.0e}): 층의 계산(활성화 함수 등)이 참조 모델과 "
                        f"다릅니다. 참조 출력 {np.round(want[:3, 0], 4).tolist()}, 제출 출력 {np.round(got[:3, 0], 4).tolist()}.")]
    return []
