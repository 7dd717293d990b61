"""Which row can ``pad_sequences`` NOT produce from three given sequences. Its distractors
are the rows Keras does produce; the key is one sequence run with one side flipped."""
import reference
from quizzes.korean import josa
from quizzes.parametric.framework import ParametricItem

_FLIP = {"pre": "post", "post": "pre"}


class PadSequencesItem(ParametricItem):
    """Which row can ``pad_sequences`` NOT produce from three given sequences."""

    objective = {"ko": "pad_sequences의 padding과 truncating 방향이 결과에 주는 영향을 설명한다.",
                 "en": "Explain how padding and truncating sides change the output of pad_sequences."}

    def format(self, value):
        return str(list(value))

    def draw_params(self, rng):
        maxlen = rng.randint(3, 6)
        lengths = [rng.randint(maxlen + 1, maxlen + 3), rng.randint(1, maxlen - 1), rng.randint(1, maxlen + 3)]
        rng.shuffle(lengths)
        flip = rng.choice(("padding", "truncating"))
        # padding only changes short sequences, truncating only long ones
        rows = [i for i, n in enumerate(lengths) if (n > maxlen if flip == "truncating" else n < maxlen)]
        return {"maxlen": maxlen, "padding": rng.choice(("pre", "post")),
                "truncating": rng.choice(("pre", "post")),
                "sequences": [[rng.randint(1, 20) for _ in range(n)] for n in lengths],
                "flip": flip, "flip_row": rng.choice(rows)}

    def _rows(self, p, padding=None, truncating=None):
        out = reference.pad_sequences(p["sequences"], maxlen=p["maxlen"],
                                      padding=padding or p["padding"],
                                      truncating=truncating or p["truncating"])
        return [tuple(int(v) for v in row) for row in out]

    def key_choice(self, p):
        """The impossible row: a sequence run through Keras with one side flipped."""
        i = p["flip_row"]
        if p["flip"] == "padding":
            row = self._rows(p, padding=_FLIP[p["padding"]])[i]
            why = {"ko": f"{i + 1}번째 시퀀스에 0을 반대쪽(padding='{_FLIP[p['padding']]}')에 채운 행이다. 실제 출력에는 없다.",
                   "en": f"Sequence {i + 1} padded on the other side (padding='{_FLIP[p['padding']]}'); "
                         f"the real output has no such row."}
        else:
            row = self._rows(p, truncating=_FLIP[p["truncating"]])[i]
            why = {"ko": f"{i + 1}번째 시퀀스를 반대쪽(truncating='{_FLIP[p['truncating']]}')에서 자른 행이다. 실제 출력에는 없다.",
                   "en": f"Sequence {i + 1} cut on the other side (truncating='{_FLIP[p['truncating']]}'); "
                         f"the real output has no such row."}
        return self.choice(row, why)

    def distractors(self, p, rng):
        return [self.choice(row, {"ko": f"{i + 1}번째 시퀀스의 실제 출력 행이다.",
                                  "en": f"The real output row of sequence {i + 1}."}, f"real row {i + 1}")
                for i, row in enumerate(self._rows(p))]

    def stem(self, p):
        return {"ko": "다음 코드를 실행했을 때 `padded`의 행이 될 수 **없는** 것은?",
                "en": "Which of these can **NOT** be a row of `padded` after running the code below?"}

    def code(self, p):
        return (f"seqs = {p['sequences']}\n"
                f"padded = pad_sequences(seqs, maxlen={p['maxlen']}, "
                f"padding='{p['padding']}', truncating='{p['truncating']}')")

    def explanation(self, p, key):
        rows = ", ".join(str(list(r)) for r in self._rows(p))
        return {"ko": f"케라스로 실행하면 padded의 행은 {rows}이다. {josa(str(list(key)), '은/는')} 이 중에 없다.",
                "en": f"Keras gives the rows {rows}; {list(key)} is not among them."}
