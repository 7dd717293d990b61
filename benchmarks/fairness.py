"""Same code, same score: how much a partly wrong answer's score moves with the random cases.

For every known wrong answer (samples/wrong_answers.py), the part's score (points x passed weight /
total weight, as grade_notebook makes it) under:
  per-upload draw   the old way: the score made from the cases each upload's seed draws
                    (--draws seeds): the spread a student could fish in by uploading again
  today             the score made from the one SCORING stream: the same for every seed (spread 0
                    by construction; measured over the same seeds to show it)
  other streams     what the score would be had another fixed stream been chosen (--draws streams):
                    how representative the one stream is (fair either way: everyone gets the same)
The answers run in this process (LocalAnswers: no sandbox, only the cases matter here). Prints a
table (max-min spread in points per part) and writes benchmarks/results/fairness.json.
"""
import argparse
import json
import statistics

from autograder.grading.answers import LocalAnswers
from autograder.assignment import Assignment
from autograder.grading.cases import SCORING
from autograder.grading.grader_suite import grader_module, run_graders
from autograder.settings import REPO_ROOT, SOURCE_ROOT
from samples.submissions import solution_answers
from samples.wrong_answers import WRONG_ANSWERS

RESULTS = REPO_ROOT / "benchmarks" / "results"


def _answers(solutions, wrong):
    namespace = {}
    for source in [*solutions.values(), wrong.source]:
        exec(compile(source, "<answer>", "exec"), namespace)  # noqa: S102 - the project's own sample answers
    return LocalAnswers({wrong.function: namespace[wrong.function]})


def _score(results, points):
    total = sum(r.case.weight for r in results)
    return round(points * sum(r.case.weight for r in results if r.passed) / total, 2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=30, help="seeds (and alternative streams) per answer")
    args = parser.parse_args(argv)
    assignment = Assignment.load("ch09", SOURCE_ROOT)
    points = {p.function: p.points for spec in assignment.notebooks.values() for p in spec.parts if p.function}
    solutions = {k: v for k, v in solution_answers(SOURCE_ROOT / "ch09").items() if k in points}
    rows = []
    for key, wrong in sorted(WRONG_ANSWERS.items()):
        answers, function = _answers(solutions, wrong), wrong.function
        drawn = [_score(grader_module(function, seed).run(answers), points[function]) for seed in range(args.draws)]
        today = [_score(run_graders([function], answers, seed)[function].cases, points[function])
                 for seed in range(args.draws)]
        streams = [_score(grader_module(function, f"{SCORING}-{i}").run(answers), points[function])
                   for i in range(args.draws)]
        rows.append({"answer": key, "function": function, "points": points[function],
                     "per_upload_draw": {"min": min(drawn), "max": max(drawn), "spread": round(max(drawn) - min(drawn), 2),
                                         "stdev": round(statistics.pstdev(drawn), 3)},
                     "today": {"score": today[0], "spread": round(max(today) - min(today), 2)},
                     "other_streams": {"min": min(streams), "max": max(streams),
                                       "spread": round(max(streams) - min(streams), 2)}})
    print(f"{'answer':<28}{'part':<20}{'pts':>4}  {'per-upload draw (old)':>22}  {'today':>12}  {'other streams':>15}")
    for r in rows:
        d, t, o = r["per_upload_draw"], r["today"], r["other_streams"]
        print(f"{r['answer']:<28}{r['function']:<20}{r['points']:>4g}  {d['min']:>6g}..{d['max']:<6g} ±{d['spread']:<6g}"
              f"  {t['score']:>6g} ±{t['spread']:<4g}  {o['min']:>5g}..{o['max']:<5g}")
    worst_old = max(r["per_upload_draw"]["spread"] / r["points"] for r in rows)
    worst_today = max(r["today"]["spread"] for r in rows)
    worst_streams = max(r["other_streams"]["spread"] / r["points"] for r in rows)
    print(f"\nlargest spread in a part: per-upload draw {100 * worst_old:.0f}% of its points, today {worst_today:g} "
          f"points (same code, same score), across other fixed streams {100 * worst_streams:.0f}% of its points "
          f"({args.draws} seeds / streams, {len(rows)} wrong answers)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fairness.json").write_text(json.dumps({"draws": args.draws, "rows": rows}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
