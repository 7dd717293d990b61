"""Pass lines of the chapter models: the book's model, trained by the grader's routine over several seeds.

For each model of CHAPTER_MODELS, ``measure`` trains it with the book's settings (BOOK_TRAINING:
adam 0.001, batch 64, EarlyStopping(patience=3, restore_best_weights=True), best checkpoint)
on the grader's split (imdb_data.grading_data), for at most ``max_epochs`` epochs, once per seed,
and records the held-out accuracies. The pass line is the lowest of them minus MARGIN, rounded
down to 0.01: every measured seed of the reference passes with room for another seed or a GPU's
different summation order, and a model that learned nothing (accuracy ~0.5) is far below it.

Measured lines live in pass_lines.json, one entry per data key (corpus and split) and epoch cap.
Measure them where the data is (a machine with the real imdb.npz in Keras's cache for "imdb"):

    python -m reference.pass_lines --corpus synthetic --seeds 5
    python -m reference.pass_lines --corpus imdb --seeds 5
"""
import argparse
import json
import math
import platform
import time
from pathlib import Path

import keras

from reference.imdb_data import grading_data
from reference.models import CHAPTER_MODELS, chapter_model
from reference.training import BOOK_TRAINING, train_and_evaluate

PASS_LINES = Path(__file__).with_name("pass_lines.json")
MARGIN = 0.03
MAX_EPOCHS = 10        # the grader's epoch cap (GradingSettings.max_epochs): pass lines are measured under it
MEASURE_BUDGET_S = 600.0  # no time limit worth the name while measuring


def entry_key(data_key, max_epochs):
    return f"{data_key}@{max_epochs}"


def measure(corpus="synthetic", seeds=range(5), max_epochs=MAX_EPOCHS, log=print):
    """Train every chapter model once per seed; returns the pass_lines.json entry for this data and cap."""
    data = grading_data(corpus)
    models = {}
    for name in CHAPTER_MODELS:
        runs = []
        for seed in seeds:
            result = train_and_evaluate(lambda: chapter_model(name), BOOK_TRAINING, data, seed, max_epochs,
                                        MEASURE_BUDGET_S)
            runs.append(result)
            log(f"{name:<13} seed {seed}: held-out accuracy {result.accuracy:.4f}, "
                f"{result.epochs_run} epochs, {result.seconds:.1f} s")
        accuracies = [r.accuracy for r in runs]
        models[name] = {"accuracies": accuracies, "mean": sum(accuracies) / len(accuracies), "min": min(accuracies),
                        "pass_line": math.floor(round((min(accuracies) - MARGIN) * 100, 6)) / 100,
                        "epochs_run": [r.epochs_run for r in runs], "seconds": [round(r.seconds, 2) for r in runs]}
    return {"corpus": data.corpus, "data_key": data.key, "max_epochs": max_epochs, "seeds": list(seeds),
            "margin": MARGIN, "settings": BOOK_TRAINING.as_dict(), "keras": keras.__version__,
            "backend": keras.backend.backend(), "machine": platform.machine(),
            "measured": time.strftime("%Y-%m-%d"), "models": models}


def load_pass_lines(path=PASS_LINES):
    return json.loads(Path(path).read_text(encoding="utf-8")) if Path(path).exists() else {}


def measured(data_key, max_epochs=MAX_EPOCHS, path=PASS_LINES):
    """True when pass lines are measured for this data and epoch cap."""
    return entry_key(data_key, max_epochs) in load_pass_lines(path)


def pass_line(model, data_key, max_epochs=MAX_EPOCHS, path=PASS_LINES):
    """The measured pass line of chapter model ``model`` for this data and epoch cap (KeyError: not measured)."""
    entry = load_pass_lines(path).get(entry_key(data_key, max_epochs))
    if entry is None:
        raise KeyError(f"no pass line measured for {data_key} with max_epochs={max_epochs}: "
                       f"run python -m reference.pass_lines (see reference/pass_lines.py)")
    return entry["models"][model]["pass_line"]


def main(argv=None):
    parser = argparse.ArgumentParser(description="measure the chapter models' pass lines into pass_lines.json")
    parser.add_argument("--corpus", choices=("synthetic", "imdb"), default="synthetic")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--max-epochs", type=int, default=MAX_EPOCHS)
    args = parser.parse_args(argv)
    entry = measure(args.corpus, range(args.seeds), args.max_epochs)
    lines = load_pass_lines()
    lines[entry_key(entry["data_key"], args.max_epochs)] = entry
    PASS_LINES.write_text(json.dumps(lines, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, row in entry["models"].items():
        print(f"{name:<13} mean {row['mean']:.4f}  min {row['min']:.4f}  pass line {row['pass_line']:.2f}")


if __name__ == "__main__":
    main()
