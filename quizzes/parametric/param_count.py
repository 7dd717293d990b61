"""Parameter count of SimpleRNN/LSTM/GRU(units) on (timesteps, features) inputs, and the
misconceptions its distractors come from."""
import math

import reference
from quizzes.korean import josa
from quizzes.parametric.framework import Misconception
from quizzes.parametric.layer import KEY_WHY, LayerItem, count, layer_code, shapes


class ParamCountItem(LayerItem):
    """Parameter count of SimpleRNN/LSTM/GRU(units) on (timesteps, features) inputs."""

    def __init__(self, item_id, kind):
        super().__init__(item_id, (kind,), {
            "ko": f"{josa(kind, '이/가')} 가진 모델 파라미터 개수를 입력 크기와 뉴런 개수로 구한다.",
            "en": f"Count the parameters of a {kind} layer from its input shape and units."})

    def key_choice(self, p):
        return self.choice(count(p), KEY_WHY)

    def misconceptions(self, p):
        return COUNT_MISCONCEPTIONS + KIND_MISCONCEPTIONS[p["kind"]]

    def stem(self, p):
        shape = f"({p['timesteps']}, {p['features']})"
        return {"ko": f"다음 코드에서 {josa(p['kind'], '은/는')} {shape} 크기의 입력을 받고 뉴런이 {p['units']}개이다. "
                      f"이 층의 모델 파라미터 개수는?",
                "en": f"In the code below, the {p['kind']} layer receives inputs of shape {shape} and has "
                      f"{p['units']} units. How many parameters does this layer have?"}

    def code(self, p):
        return ("model = keras.Sequential([\n"
                f"    keras.Input(shape=({p['timesteps']}, {p['features']})),\n"
                f"    {layer_code(p)},\n"
                "])\n"
                "model.count_params()")

    def explanation(self, p, key):
        parts = [(name, shape, math.prod(shape)) for name, shape in shapes(p).items()]
        if sum(n for _, _, n in parts) != key:
            raise AssertionError(f"{self.id}: Keras weight shapes {parts} do not add up to {key}")
        ko = " + ".join(f"{name} {shape} {n:,}개" for name, shape, n in parts)
        en = " + ".join(f"{name} {shape} ({n:,})" for name, shape, n in parts)
        return {"ko": f"케라스로 층을 만들어 가중치를 세면 {ko} = {key:,}개이다. 타임스텝 길이는 파라미터 개수와 무관하다.",
                "en": f"Building the layer in Keras gives {en} = {key:,} parameters. "
                      f"The number of timesteps does not change the count."}


COUNT_MISCONCEPTIONS = [
    Misconception("forgot the bias", lambda p: count(p) - math.prod(shapes(p)["bias"]),
                  lambda p: {"ko": "절편(bias)을 빼고 가중치만 센 값이다.",
                             "en": "Counts the weights but forgets the bias."}),
    Misconception("timesteps instead of features", lambda p: count(p, p["timesteps"]),
                  lambda p: {"ko": f"특성 개수({p['features']}) 대신 타임스텝 길이({p['timesteps']})를 입력 크기로 쓴 값이다.",
                             "en": f"Uses the number of timesteps ({p['timesteps']}) instead of the number of "
                                   f"features ({p['features']})."}),
]


def _gru_other_bias(p):
    if p["reset_after"]:
        return {"ko": "reset_after=True일 때 추가되는 두 번째 절편을 빠뜨린 값이다.",
                "en": "Forgets the second bias that reset_after=True adds."}
    return {"ko": "reset_after=False인데도 두 번째 절편을 더한 값이다.",
            "en": "Adds a second bias although reset_after=False."}


KIND_MISCONCEPTIONS = {
    "SimpleRNN": [
        Misconception("no recurrent weights (counted like Dense)",
                      lambda p: reference.dense_params(p["features"], p["units"]),
                      lambda p: {"ko": "은닉 상태에 곱하는 순환 가중치를 빼고 Dense 층처럼 센 값이다.",
                                 "en": "Counts it like a Dense layer, without the recurrent weights."}),
        Misconception("no input weights",
                      lambda p: count(p) - math.prod(shapes(p)["kernel"]),
                      lambda p: {"ko": "입력에 곱하는 가중치(kernel)를 빼먹고 순환 가중치와 절편만 센 값이다.",
                                 "en": "Counts only the recurrent weights and the bias, not the input kernel."}),
    ],
    "LSTM": [
        Misconception("three gates for LSTM",
                      lambda p: reference.lstm_params(p["features"], p["units"]) * 3 // 4,
                      lambda p: {"ko": "LSTM의 가중치 묶음을 게이트 세 개로만 센 값이다(셀 상태 후보를 만드는 묶음까지 넷이다).",
                                 "en": "Counts three gate blocks only; the cell candidate makes it four."}),
        Misconception("one block like SimpleRNN",
                      lambda p: reference.simple_rnn_params(p["features"], p["units"]),
                      lambda p: {"ko": "LSTM을 SimpleRNN처럼 가중치 한 묶음으로 센 값이다.",
                                 "en": "Counts a single weight block, as for SimpleRNN."}),
    ],
    "GRU": [
        Misconception("no second GRU bias / reset_after mixed up",
                      lambda p: reference.gru_params(p["features"], p["units"],
                                                     reset_after=not p["reset_after"]),
                      _gru_other_bias),
        Misconception("four blocks like LSTM",
                      lambda p: reference.lstm_params(p["features"], p["units"]),
                      lambda p: {"ko": "GRU에도 LSTM처럼 가중치 묶음이 네 개 있다고 본 값이다(GRU는 세 개).",
                                 "en": "Counts four weight blocks as in an LSTM; a GRU has three."}),
    ],
}
