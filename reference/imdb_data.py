"""The chapter's IMDB data: Keras's own IMDB where Keras's cache has it, else a SYNTHETIC corpus in its format.

Both come as ``keras.datasets.imdb.load_data`` gives them: ``(x_train, y_train), (x_test, y_test)``,
x an object array of int lists (1 = start of review, 2 = a word cut by ``num_words``, word ids =
frequency rank + 3, so the most frequent word is 4 and 0 stays free for padding), y int64 0/1.

Real IMDB: ``keras.datasets.imdb.load_data`` reads ``$KERAS_HOME/datasets/imdb.npz`` (default
``~/.keras/datasets/imdb.npz``) without the network when that file is there (Keras checks its
sha256 and would download on a mismatch, so ``imdb_available`` checks it first). An instructor
places it by running ``keras.datasets.imdb.load_data()`` once on a machine with internet and
copying that file, or by setting ``KERAS_HOME`` for the grading processes.

Synthetic corpus (``synthetic_imdb``): what this project makes where the real file is absent.
A fixed "language" of 10,000 words with Zipf frequencies; 12 positive and 12 negative words and
3 negators ("not") among the 500 most frequent; each review has a hidden sentiment (its label)
and states it through sentiment words (about 8 per 100 tokens, and 3 in a closing verdict among
its last 12 tokens), each agreeing with the label with probability 0.85, a tenth of them negated
(the negator followed by a word of the opposite polarity: an order effect a bag of words
misses). Review lengths follow a log-normal (median ~180 tokens), so ``maxlen=100`` cuts part of
the evidence, as it does on IMDB. The same ``seed`` gives the same reviews.
"""
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

NUM_WORDS, MAXLEN = 500, 100  # the book's choice (9-2, 9-3)
START, OOV, INDEX_FROM = 1, 2, 3
IMDB_SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"  # keras.datasets.imdb's own

VOCAB = 10_000
POLAR_WORDS = 12    # positive words, and as many negative ones
WORLD_SEED = 9_2_3  # fixes which ranks are sentiment words: the language, not the reviews
AGREE = 0.85        # probability that a sentiment mention agrees with the review's label
MENTION_RATE = 0.08  # sentiment mentions per token
NEGATED = 0.1      # share of mentions written as negator + opposite word
ENDING_SPAN, ENDING_MENTIONS = 12, 3  # a closing verdict: mentions among the last tokens
MEDIAN_LENGTH, LENGTH_SIGMA, MIN_LENGTH, MAX_LENGTH = 180, 0.5, 20, 1000


def imdb_npz_path():
    """Where ``keras.datasets.imdb.load_data`` looks for ``imdb.npz`` in this process."""
    from keras.src.backend.config import keras_home  # what keras.utils.get_file uses

    return Path(keras_home()).expanduser() / "datasets" / "imdb.npz"


def imdb_available():
    """True when Keras's cache holds the real ``imdb.npz`` (checked by its sha256: no download is ever tried)."""
    path = imdb_npz_path()
    if not path.is_file():
        return False
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == IMDB_SHA256


@lru_cache(maxsize=1)
def _language():
    """(background ranks, their probabilities, positive ranks, negative ranks, negator ranks); ranks from 1."""
    rng = np.random.default_rng(WORLD_SEED)
    special = rng.choice(np.arange(10, NUM_WORDS - INDEX_FROM), size=2 * POLAR_WORDS + 3, replace=False) + 1
    positive, negative = special[:POLAR_WORDS], special[POLAR_WORDS:2 * POLAR_WORDS]
    negators = special[2 * POLAR_WORDS:]
    ranks = np.setdiff1d(np.arange(1, VOCAB + 1), special)
    cdf = np.cumsum(1.0 / (ranks + 5.0) ** 1.05)
    return ranks, cdf / cdf[-1], positive, negative, negators


def _review(rng, label):
    ranks, cdf, positive, negative, negators = _language()
    length = int(np.clip(rng.lognormal(np.log(MEDIAN_LENGTH), LENGTH_SIGMA), MIN_LENGTH, MAX_LENGTH))
    words = ranks[np.minimum(np.searchsorted(cdf, rng.random(length)), len(ranks) - 1)]
    sentiment = 1 if label else -1
    mentions = min(rng.poisson(MENTION_RATE * length), length // 2)
    slots = rng.choice(length // 2, size=mentions, replace=False) * 2  # even slots: a negated pair fits
    ending = length - ENDING_SPAN + rng.choice(ENDING_SPAN // 2, size=ENDING_MENTIONS, replace=False) * 2
    slots = np.concatenate([slots[slots < length - ENDING_SPAN], ending])
    for slot in slots:
        meaning = sentiment if rng.random() < AGREE else -sentiment
        if rng.random() < NEGATED and slot + 1 < length:
            words[slot] = rng.choice(negators)
            slot, meaning = slot + 1, -meaning
        words[slot] = rng.choice(positive if meaning > 0 else negative)
    return [START] + [int(w) + INDEX_FROM for w in words]


def _limit(sequences, num_words):
    """What ``load_data(num_words=...)`` does: every id >= num_words becomes OOV (2)."""
    if num_words is None:
        return sequences
    return [[w if w < num_words else OOV for w in seq] for seq in sequences]


def _as_loaded(sequences, labels):
    x = np.empty(len(sequences), dtype=object)
    x[:] = sequences
    return x, np.asarray(labels, dtype=np.int64)


def synthetic_imdb(n_train, n_test, seed, num_words=NUM_WORDS):
    """SYNTHETIC reviews in ``imdb.load_data``'s format: ((x_train, y_train), (x_test, y_test)).

    Balanced labels; ``seed`` draws the reviews (the language is fixed); ``num_words`` as in Keras.
    """
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n_train + n_test) % 2)
    reviews = _limit([_review(rng, y) for y in labels], num_words)
    return (_as_loaded(reviews[:n_train], labels[:n_train]),
            _as_loaded(reviews[n_train:], labels[n_train:]))


def real_imdb(num_words=NUM_WORDS):
    """``keras.datasets.imdb.load_data(num_words=...)`` from Keras's cache (``imdb_available()`` must be True)."""
    import keras

    if not imdb_available():
        raise FileNotFoundError(f"imdb.npz is not in Keras's cache ({imdb_npz_path()}); see reference/imdb_data.py")
    return keras.datasets.imdb.load_data(num_words=num_words)


@dataclass(frozen=True)
class GradingData:
    """The grader's own split, padded as the book pads (``pad_sequences(maxlen=100)``: int32 (n, 100)).

    train: what ``fit`` learns from; val: its ``validation_data`` (what EarlyStopping and
    ModelCheckpoint watch); test: the held-out reviews the score is measured on (never in a sandbox).
    corpus: "imdb" or "synthetic"; key: the corpus and split parameters (pass lines are per key).
    """

    corpus: str
    key: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


# The grader's split: small enough that one model trains in seconds on a CPU core.
SPLIT = {"n_train": 2500, "n_val": 500, "n_test": 2000, "seed": 15}


def split_key(corpus, n_train=SPLIT["n_train"], n_val=SPLIT["n_val"], n_test=SPLIT["n_test"], seed=SPLIT["seed"]):
    """The key of a grading split (GradingData.key; pass lines are measured per key), without loading it."""
    return f"{corpus}-{n_train}-{n_val}-{n_test}-{seed}"


def corpus_in_use(corpus="auto"):
    """"imdb" where Keras's cache has the real file (for "auto"), else "synthetic"; "imdb" without it raises."""
    if corpus == "auto":
        return "imdb" if imdb_available() else "synthetic"
    if corpus not in ("imdb", "synthetic"):
        raise ValueError(f"unknown corpus {corpus!r}")
    return corpus


@lru_cache(maxsize=4)
def grading_data(corpus="auto", n_train=SPLIT["n_train"], n_val=SPLIT["n_val"], n_test=SPLIT["n_test"],
                 seed=SPLIT["seed"]):
    """The grader's GradingData (kept per process): from the real IMDB (training reviews for train and val,
    test reviews for test, drawn with ``seed``) or the synthetic corpus drawn with ``seed``."""
    corpus = corpus_in_use(corpus)
    if corpus == "imdb":
        (x_pool, y_pool), (x_held, y_held) = real_imdb()
        rng = np.random.default_rng(seed)
        pick, held = rng.permutation(len(x_pool))[:n_train + n_val], rng.permutation(len(x_held))[:n_test]
        (x_pool, y_pool), (x_held, y_held) = (x_pool[pick], y_pool[pick]), (x_held[held], y_held[held])
    else:
        (x_pool, y_pool), (x_held, y_held) = synthetic_imdb(n_train + n_val, n_test, seed)
    x_pool, x_held = _padded(x_pool), _padded(x_held)
    key = split_key(corpus, n_train, n_val, n_test, seed)
    y_pool, y_held = y_pool.astype(np.int64), y_held.astype(np.int64)
    return GradingData(corpus, key, x_pool[:n_train], y_pool[:n_train], x_pool[n_train:], y_pool[n_train:],
                       x_held, y_held)


def _padded(sequences):
    """The book's padding: ``keras.utils.pad_sequences(..., maxlen=100)`` (zeros in front, the end kept)."""
    from keras.utils import pad_sequences

    return pad_sequences(list(sequences), maxlen=MAXLEN)


# The SYNTHETIC corpus shipped with notebook 05 (source/ch09/data/): seeded apart from the grader's split.
STUDENT_CORPUS = {"n_train": 4000, "n_test": 1000, "seed": 2024}


def write_corpus(path, n_train=STUDENT_CORPUS["n_train"], n_test=STUDENT_CORPUS["n_test"],
                 seed=STUDENT_CORPUS["seed"]):
    """Save ``synthetic_imdb(n_train, n_test, seed)`` (num_words=500, ~1 MB) as a plain .npz (no pickles):
    per part ``x_<part>_ids`` (all reviews' ids end to end, uint16), ``x_<part>_lengths``, ``y_<part>``."""
    (x_train, y_train), (x_test, y_test) = synthetic_imdb(n_train, n_test, seed)
    arrays = {"description": np.array(CORPUS_DESCRIPTION), "seed": np.array(seed), "num_words": np.array(NUM_WORDS)}
    for part, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        arrays[f"x_{part}_ids"] = np.concatenate([np.asarray(r, dtype=np.uint16) for r in x])
        arrays[f"x_{part}_lengths"] = np.array([len(r) for r in x], dtype=np.int32)
        arrays[f"y_{part}"] = y.astype(np.uint8)
    np.savez_compressed(path, **arrays)


def read_corpus(path, num_words=NUM_WORDS):
    """A ``write_corpus`` file as ``imdb.load_data(num_words=...)`` returns data (num_words at most the file's)."""
    with np.load(path, allow_pickle=False) as f:
        if num_words is None or num_words > int(f["num_words"]):
            raise ValueError(f"this corpus keeps the {int(f['num_words'])} most frequent words; num_words={num_words}")
        parts = []
        for part in ("train", "test"):
            ids, ends = f[f"x_{part}_ids"].astype(np.int64), np.cumsum(f[f"x_{part}_lengths"])
            reviews = [r.tolist() for r in np.split(ids, ends[:-1])]
            parts.append(_as_loaded(_limit(reviews, num_words), f[f"y_{part}"]))
    return tuple(parts)


CORPUS_DESCRIPTION = ("SYNTHETIC IMDB-format corpus made by reference/imdb_data.py (not real reviews): "
                      "word ids as keras.datasets.imdb (1 start, 2 out of vocabulary, frequency rank + 3); "
                      "labels 1 = positive, 0 = negative, stated by sentiment words.")
