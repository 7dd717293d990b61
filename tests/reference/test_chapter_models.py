"""The chapter's IMDB classifiers, their data and their training: what the model graders stand on."""
import hashlib

import numpy as np
import pytest

import reference
import keras  # after reference, which quiets TensorFlow
from reference.pass_lines import load_pass_lines


def test_chapter_models_are_the_books_summaries():
    # the parameter counts the book's model.summary() prints (9-2, 9-3)
    want = {"simple_rnn": [8000, 200, 9], "lstm": [8000, 800, 9], "stacked_lstm": [8000, 800, 544, 9]}
    for name in reference.CHAPTER_MODELS:
        rows = reference.describe_layers(reference.chapter_model(name))
        assert [r["params"] for r in rows] == want[name]
        assert rows[0]["output_shape"] == (None, 100, 16) and rows[-1]["output_shape"] == (None, 1)
        assert rows[-1]["activation"] == "sigmoid"
    stacked = reference.describe_layers(reference.chapter_model("stacked_lstm"))
    assert [(r["return_sequences"], r["dropout"]) for r in stacked[1:3]] == [(True, 0.2), (False, 0.2)]


def test_synthetic_corpus_has_imdb_load_data_format():
    (x, y), (xt, yt) = reference.synthetic_imdb(300, 100, seed=1)
    assert x.dtype == object and len(x) == 300 and len(xt) == 100 and y.dtype == np.int64
    ids = np.concatenate([np.asarray(r) for r in [*x, *xt]])
    assert all(r[0] == 1 for r in [*x, *xt])                  # start of review
    assert ids.min() >= 1 and ids.max() < reference.NUM_WORDS and 3 not in ids and 0 not in ids
    assert 0.2 < np.mean(ids == 2) < 0.5                       # words cut by num_words=500, as on IMDB
    assert abs(np.mean(np.concatenate([y, yt])) - 0.5) < 0.01  # balanced
    (x2, y2), _ = reference.synthetic_imdb(300, 100, seed=1)
    (x3, _), _ = reference.synthetic_imdb(300, 100, seed=2)
    assert [list(r) for r in x2] == [list(r) for r in x] and (y2 == y).all()
    assert [list(r) for r in x3] != [list(r) for r in x]
    (full, _), _ = reference.synthetic_imdb(300, 100, seed=1, num_words=None)
    assert max(max(r) for r in full) > reference.NUM_WORDS
    assert [[w if w < 500 else 2 for w in r] for r in full] == [list(r) for r in x]  # load_data's num_words rule


def test_synthetic_corpus_needs_the_words_not_chance():
    """A bag of words over the padded reviews learns the labels; the same model on shuffled labels does not."""
    from sklearn.linear_model import LogisticRegression

    (x, y), (xt, yt) = reference.synthetic_imdb(2000, 1000, seed=3)
    pad = lambda s: keras.utils.pad_sequences(list(s), maxlen=reference.MAXLEN)  # noqa: E731
    counts = lambda s: np.stack([np.bincount(r, minlength=500) > 0 for r in pad(s)]).astype(float)  # noqa: E731
    learned = LogisticRegression(solver="liblinear").fit(counts(x), y).score(counts(xt), yt)
    shuffled = LogisticRegression(solver="liblinear").fit(counts(x), np.random.default_rng(0).permutation(y))
    assert learned > 0.8
    assert abs(shuffled.score(counts(xt), yt) - 0.5) < 0.06


def test_corpus_file_round_trips_and_the_shipped_file_is_this_generator(tmp_path):
    from autograder.settings import SOURCE_ROOT

    path = tmp_path / "corpus.npz"
    reference.write_corpus(path, n_train=50, n_test=20, seed=7)
    (x, y), (xt, yt) = reference.read_corpus(path)
    (wx, wy), (wxt, wyt) = reference.synthetic_imdb(50, 20, seed=7)
    assert [list(r) for r in x] == [list(r) for r in wx] and (y == wy).all() and (yt == wyt).all()
    with pytest.raises(ValueError):
        reference.read_corpus(path, num_words=1000)
    shipped = SOURCE_ROOT / "ch09" / "data" / "imdb_synthetic.npz"
    reference.write_corpus(path)
    assert hashlib.sha256(shipped.read_bytes()).digest() == hashlib.sha256(path.read_bytes()).digest()
    with np.load(shipped) as f:
        assert "SYNTHETIC" in str(f["description"])


def test_real_imdb_is_read_only_from_keras_cache_with_its_hash(tmp_path, monkeypatch):
    import reference.imdb_data as imdb_data

    fake = tmp_path / "datasets" / "imdb.npz"
    monkeypatch.setattr(imdb_data, "imdb_npz_path", lambda: fake)
    assert not reference.imdb_available() and reference.corpus_in_use("auto") == "synthetic"
    fake.parent.mkdir()
    fake.write_bytes(b"not the IMDB file")  # Keras would try to download over it: we never call it
    assert not reference.imdb_available() and reference.corpus_in_use("auto") == "synthetic"
    with pytest.raises(FileNotFoundError):
        reference.real_imdb()
    with pytest.raises(ValueError):
        reference.corpus_in_use("cifar")


def test_grading_split_is_padded_like_the_book():
    data = reference.grading_data("synthetic")
    assert data.corpus == "synthetic" and data.key in {k.split("@")[0] for k in load_pass_lines()}
    assert data.x_train.shape == (2500, 100) and data.x_val.shape == (500, 100) and data.x_test.shape == (2000, 100)
    assert data.x_train.dtype == np.int32
    (x, _), _ = reference.synthetic_imdb(3000, 2000, 15)
    np.testing.assert_array_equal(data.x_train[:5], keras.utils.pad_sequences(list(x[:5]), maxlen=100))


def _tiny():
    full = reference.grading_data("synthetic")
    return reference.GradingData("synthetic", "tiny", full.x_train[:256], full.y_train[:256], full.x_val[:64],
                                 full.y_val[:64], full.x_test[:128], full.y_test[:128])


def test_training_is_deterministic_on_cpu_and_bounded():
    data = _tiny()
    settings = reference.TrainingSettings("adam", 0.01, "binary_crossentropy", 64, 5,
                                          reference.EarlyStoppingSettings(patience=1, restore_best_weights=True),
                                          reference.CheckpointSettings(save_best_only=True))
    build = lambda: reference.chapter_model("simple_rnn")  # noqa: E731
    one, two = (reference.train_and_evaluate(build, settings, data, seed=1, max_epochs=2, budget_s=60)
                for _ in range(2))
    assert one.history == two.history and one.accuracy == two.accuracy and one.deterministic
    assert one.epochs_asked == 2 and one.epochs_run <= 2 and not one.over_budget
    other = reference.train_and_evaluate(build, settings, data, seed=2, max_epochs=2, budget_s=60)
    assert other.history != one.history
    stopped = reference.train_and_evaluate(build, settings, data, seed=1, max_epochs=2, budget_s=0)
    assert stopped.over_budget and stopped.accuracy is None


def test_pass_lines_are_measured_far_above_chance():
    entry = load_pass_lines()[f"{reference.grading_data('synthetic').key}@10"]
    assert entry["corpus"] == "synthetic" and len(entry["seeds"]) >= 5
    for name in reference.CHAPTER_MODELS:
        row = entry["models"][name]
        assert row["pass_line"] <= min(row["accuracies"]) - entry["margin"] + 1e-9
        assert row["pass_line"] >= 0.8
        assert reference.pass_line(name, entry["data_key"], 10) == row["pass_line"]
    with pytest.raises(KeyError):
        reference.pass_line("lstm", "imdb-2500-500-2000-15", 10)


def test_an_untrained_model_misses_the_pass_line():
    data = reference.grading_data("synthetic")
    keras.utils.set_random_seed(0)
    probabilities = reference.predict(reference.chapter_model("lstm"), data.x_test)
    accuracy = np.mean((probabilities[:, 0] > 0.5) == (data.y_test == 1))
    assert accuracy < reference.pass_line("lstm", data.key) - 0.2
