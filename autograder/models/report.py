"""What a graded model part shows beside its feedback: the layer table and the training curves.

``details(answers, function)`` (after grading) is plain JSON for the result's part: the layers
side by side (expected vs submitted, with parameter counts) and the grader's training (history,
held-out accuracy, pass line, data, backend). ``layer_table_html`` and ``curves_png`` render it
for the feedback (nbgrader's feedback HTML shows them under the test cell's text).
"""
import html
import importlib
import io

from autograder.models import architecture
from autograder.models.cases import recorded

TRAINING_KEYS = ("accuracy", "pass_line", "corpus", "epochs_run", "epochs_asked", "seconds", "estimated_s",
                 "backend", "device", "deterministic", "cached", "history")


def details(answers, function):
    """{"reference", "layers": [{"expected", "submitted", "expected_params", "submitted_params", "same"}],
    "training": {...} or None} for model ``function`` graded with ``answers``; None for any other function or
    a model the grader could not read."""
    sub = recorded(answers, function)
    if sub is None or sub.spec is None:
        return None
    name = importlib.import_module(f"autograder.graders.{function}").REFERENCE
    reference = architecture.reference_spec(name)
    rows = []
    for r, s in architecture.pairs(sub.spec, reference):
        want = reference.layers[r] if r is not None else None
        got = sub.spec.layers[s] if s is not None else None
        same = want is not None and got is not None and not architecture.layer_settings(sub.spec, reference, r)
        rows.append({"expected": architecture.describe(want) if want else None,
                     "submitted": architecture.describe(got) if got else None,
                     "expected_params": want.params if want else None,
                     "submitted_params": got.params if got and got.problem is None else None, "same": same})
    training = None
    if sub.training is not None:
        training = {key: sub.training.get(key) for key in TRAINING_KEYS if key != "pass_line"}
        training["pass_line"] = sub.pass_line
    return {"reference": name, "layers": rows, "training": training}


def layer_table_html(rows):
    """The layers side by side as an HTML table (Korean headers)."""
    def cell(value):
        return "—" if value is None else html.escape(f"{value:,}" if isinstance(value, int) else str(value))

    body = "".join(
        f"<tr><td>{'✔' if row['same'] else '✘'}</td><td>{cell(row['expected'])}</td><td>{cell(row['expected_params'])}</td>"
        f"<td>{cell(row['submitted'])}</td><td>{cell(row['submitted_params'])}</td></tr>" for row in rows)
    return ("<table><thead><tr><th></th><th>참조 모델의 층</th><th>파라미터</th><th>제출한 층</th><th>파라미터</th></tr>"
            f"</thead><tbody>{body}</tbody></table>")


def curves_png(training, title):
    """The grader's training as the book plots it: loss and val_loss, accuracy and val_accuracy by epoch,
    the pass line and the held-out accuracy on the right (PNG bytes; labels in English as in the book)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    history = training["history"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    for key, label in (("loss", "train"), ("val_loss", "val")):
        left.plot(range(1, len(history.get(key, [])) + 1), history.get(key, []), label=label)
    left.set(xlabel="epoch", ylabel="loss", title=title)
    for key, label in (("accuracy", "train"), ("val_accuracy", "val")):
        right.plot(range(1, len(history.get(key, [])) + 1), history.get(key, []), label=label)
    if training.get("pass_line") is not None:
        right.axhline(training["pass_line"], color="gray", linestyle="--", label=f"pass line {training['pass_line']:.2f}")
    if training.get("accuracy") is not None:
        right.axhline(training["accuracy"], color="green", linestyle=":", label=f"held-out {training['accuracy']:.3f}")
    right.set(xlabel="epoch", ylabel="accuracy", title=f"grader's training ({training.get('corpus')})")
    for ax in (left, right):
        ax.legend(fontsize=8)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=80)
    plt.close(fig)
    return out.getvalue()
