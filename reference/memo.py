"""A bounded per-process memo for reference computations.

Graders ask for the same expected values on every notebook of a class (the cases come from one
seed), so a worker computes each one once: ``memoized`` keys a call by its arguments' values
(numpy arrays by dtype, shape and a digest of their bytes) and returns a copy of the stored
result, so callers can never change what the next notebook is compared with.
"""
import copy
import functools
import hashlib
from collections import OrderedDict

import numpy as np

MAX_ENTRIES = 4096


def _key(value):
    if isinstance(value, np.ndarray):
        return ("nd", value.dtype.str, value.shape, hashlib.blake2b(np.ascontiguousarray(value).tobytes(),
                                                                    digest_size=16).digest())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), _key(v)) for k, v in value.items())))
    if isinstance(value, np.generic):
        return ("np", value.dtype.str, value.item())
    return (type(value).__name__, value)


def memoized(fn):
    """``fn`` with its results kept per argument values (LRU, at most MAX_ENTRIES); returns copies."""
    store = OrderedDict()

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            key = (_key(args), _key(kwargs))
            hash(key)
        except TypeError:  # an argument we cannot key: compute, do not store
            return fn(*args, **kwargs)
        if key in store:
            store.move_to_end(key)
        else:
            store[key] = fn(*args, **kwargs)
            if len(store) > MAX_ENTRIES:
                store.popitem(last=False)
        return copy.deepcopy(store[key])

    return wrapper
