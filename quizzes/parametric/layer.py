"""What the two items about one recurrent layer share: the parameter grids, the layer's
Keras weight shapes and parameter count, its code line, and the key's reason."""
import reference
from quizzes.parametric.framework import MisconceptionItem

TIMESTEPS = (10, 20, 50, 100)
FEATURES = (4, 8, 10, 16, 20, 32, 100)
UNITS = (4, 8, 16, 32)
KEY_WHY = {"ko": "케라스로 층을 만들어 얻은 값과 같다.", "en": "Matches what Keras reports for the built layer."}


def shapes(p):
    """Keras weight shapes of the layer in ``p`` (kind, features, units, reset_after)."""
    return reference.recurrent_weight_shapes(p["kind"], p["features"], p["units"], p.get("reset_after", True))


def count(p, n_features=None):
    """Keras parameter count of the layer in ``p``, optionally on another number of features."""
    return reference.recurrent_params(p["kind"], n_features or p["features"], p["units"], p.get("reset_after", True))


def layer_code(p):
    """The layer as it is written in Keras code: ``keras.layers.GRU(8, reset_after=True)``."""
    args = f"{p['units']}, reset_after={p['reset_after']}" if p["kind"] == "GRU" else f"{p['units']}"
    return f"keras.layers.{p['kind']}({args})"


class LayerItem(MisconceptionItem):
    """A misconception item about one recurrent layer drawn from ``kinds``."""

    def __init__(self, item_id, kinds, objective):
        super().__init__(item_id, objective)
        self.kinds = kinds

    def draw_params(self, rng):
        p = {"kind": rng.choice(self.kinds), "timesteps": rng.choice(TIMESTEPS),
             "features": rng.choice(FEATURES), "units": rng.choice(UNITS)}
        if p["kind"] == "GRU":
            p["reset_after"] = rng.choice((True, False))
        return p
