"""The parameterized items of the bank, by id (``9-N-pK``), and a section's share of them."""
from quizzes.parametric.one_hot_nbytes import OneHotNbytesItem
from quizzes.parametric.pad_sequences import PadSequencesItem
from quizzes.parametric.param_count import ParamCountItem
from quizzes.parametric.recurrent_kernel import RecurrentKernelItem

ITEMS = (
    RecurrentKernelItem("9-1-p1", ("SimpleRNN",)),
    ParamCountItem("9-2-p1", "SimpleRNN"),
    PadSequencesItem("9-2-p2"),
    OneHotNbytesItem("9-2-p3"),
    ParamCountItem("9-3-p1", "LSTM"),
    ParamCountItem("9-3-p2", "GRU"),
    RecurrentKernelItem("9-3-p3", ("LSTM", "GRU")),
)


def items_for(section):
    """The parameterized items of one section ("9-1", "9-2" or "9-3"), in id order."""
    return [item for item in ITEMS if item.section == section]
