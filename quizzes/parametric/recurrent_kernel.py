"""Shape of ``recurrent_kernel`` of a built SimpleRNN/LSTM/GRU layer, and the misconceptions
its distractors come from."""
from quizzes.korean import josa
from quizzes.parametric.framework import Misconception
from quizzes.parametric.layer import KEY_WHY, LayerItem, layer_code, shapes


class RecurrentKernelItem(LayerItem):
    """Shape of ``recurrent_kernel`` of a built SimpleRNN/LSTM/GRU layer."""

    def __init__(self, item_id, kinds):
        super().__init__(item_id, kinds, {
            "ko": "순환층의 recurrent_kernel 크기를 뉴런 개수와 게이트 수로 설명한다.",
            "en": "Explain the shape of a recurrent layer's recurrent_kernel from units and gates."})

    def key_choice(self, p):
        return self.choice(shapes(p)["recurrent_kernel"], KEY_WHY)

    def misconceptions(self, p):
        return KERNEL_MISCONCEPTIONS + GATE_MISCONCEPTIONS.get(p["kind"], [])

    def stem(self, p):
        return {"ko": f"다음 코드의 {josa(p['kind'], '이/가')} 만드는 가중치 중 이전 타임스텝의 은닉 상태에 곱하는 "
                      f"`recurrent_kernel`의 크기는?",
                "en": f"Which shape does the `recurrent_kernel` (the weights applied to the previous hidden "
                      f"state) of the {p['kind']} layer below have?"}

    def code(self, p):
        return (f"layer = {layer_code(p)}\n"
                f"model = keras.Sequential([keras.Input(shape=({p['timesteps']}, {p['features']})), layer])\n"
                "[w.shape for w in layer.weights]  # kernel, recurrent_kernel, bias")

    def explanation(self, p, key):
        s = shapes(p)
        return {"ko": f"케라스로 층을 만들면 kernel {s['kernel']}, recurrent_kernel {s['recurrent_kernel']}, "
                      f"bias {s['bias']}이다. recurrent_kernel의 행 개수는 은닉 상태의 크기(뉴런 {p['units']}개)이다.",
                "en": f"Built in Keras: kernel {s['kernel']}, recurrent_kernel {s['recurrent_kernel']}, "
                      f"bias {s['bias']}. The rows of recurrent_kernel are the hidden-state size ({p['units']} units)."}


KERNEL_MISCONCEPTIONS = [
    Misconception("kernel instead of recurrent_kernel", lambda p: shapes(p)["kernel"],
                  lambda p: {"ko": "입력에 곱하는 kernel의 크기와 혼동한 값이다.",
                             "en": "Confuses it with the input kernel."}),
    Misconception("timesteps instead of units", lambda p: (p["timesteps"], shapes(p)["recurrent_kernel"][1]),
                  lambda p: {"ko": "행 개수를 이전 은닉 상태의 크기(뉴런 개수) 대신 타임스텝 길이로 쓴 값이다.",
                             "en": "Uses the number of timesteps for the rows instead of the hidden-state size."}),
    Misconception("bias shape", lambda p: shapes(p)["bias"],
                  lambda p: {"ko": "절편(bias)의 크기와 혼동한 값이다.", "en": "Confuses it with the bias."}),
]
_NOT_STACKED = Misconception(
    "gates not stacked", lambda p: (p["units"], p["units"]),
    lambda p: {"ko": "게이트마다의 가중치가 열 방향으로 이어 붙어 있다는 것을 빠뜨린 값이다.",
               "en": "Forgets that the gates' weights are stacked along the columns."})
GATE_MISCONCEPTIONS = {  # SimpleRNN has one block: (units, units) is its key
    "LSTM": [_NOT_STACKED, Misconception(
        "three gates for LSTM", lambda p: (p["units"], shapes(p)["recurrent_kernel"][1] * 3 // 4),
        lambda p: {"ko": "LSTM의 가중치 묶음을 셋으로 본 값이다(셀 상태 후보까지 넷이다).",
                   "en": "Counts three blocks for LSTM; the cell candidate makes it four."})],
    "GRU": [_NOT_STACKED, Misconception(
        "four blocks like LSTM", lambda p: (p["units"], shapes(p)["recurrent_kernel"][1] * 4 // 3),
        lambda p: {"ko": "GRU에도 LSTM처럼 가중치 묶음이 넷이라고 본 값이다(GRU는 셋).",
                   "en": "Counts four blocks as in an LSTM; a GRU has three."})],
}
