"""Parameterized items: numbers drawn per copy, the key computed by running Keras.

Each item draws its parameters from small grids (so the cached Keras builds in
``reference`` make 1,000 draws fast), asks Keras for the answer, and builds its
distractors from named misconceptions. A draw whose four choices do not all differ is
thrown away and drawn again, so every copy has four distinct choices and one key, placed
at a uniformly drawn position.

Modules: ``framework`` (the base classes and the drawing), one module per kind of item with
its misconception table (``param_count``, ``recurrent_kernel``, ``pad_sequences``,
``one_hot_nbytes``; ``layer`` holds what the two layer items share) and ``registry``
(``ITEMS``, ``items_for``).
"""
from quizzes.parametric.framework import MAX_REDRAWS, Misconception, MisconceptionItem, ParametricItem
from quizzes.parametric.layer import LayerItem
from quizzes.parametric.one_hot_nbytes import OneHotNbytesItem
from quizzes.parametric.pad_sequences import PadSequencesItem
from quizzes.parametric.param_count import ParamCountItem
from quizzes.parametric.recurrent_kernel import RecurrentKernelItem
from quizzes.parametric.registry import ITEMS, items_for

__all__ = ["ITEMS", "MAX_REDRAWS", "LayerItem", "Misconception", "MisconceptionItem", "OneHotNbytesItem",
           "PadSequencesItem", "ParamCountItem", "ParametricItem", "RecurrentKernelItem", "items_for"]
