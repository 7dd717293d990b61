"""The end of a class autograde run: students x notebooks, failures with reasons, common mistakes.

Printed for the instructor and written beside the course (``autograde-reports/<assignment>/``):
  scores.csv     student, notebook, status, score, max_score, manual_max_score (the part of
                 max_score graded by hand, not yet in score), device, backend (one row each)
  failures.csv   student, notebook, reason, kind ("not_graded": the grader's fault, no score;
                 "submission": the student's file, e.g. unreadable)
  mistakes.csv   function, mistake, students (how many students made it), most common first
  summary.json   all of the above, with the run's wall time, the time to its first results, the worker
                 count and, with --feedback, the feedback's time and failures
"""
import csv
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from terminal.width import clip, display_width, pad

REPORTS = "autograde-reports"


def mistake_counts(reports):
    """Counter {(function, mistake key): number of students whose feedback named it}."""
    counts = Counter()
    for notebooks in reports.values():
        seen = {(f, m) for r in notebooks.values() for f, keys in r.mistakes.items() for m in keys}
        counts.update(seen)
    return counts


def _cell(report):
    """"20/24 (수동 4점 대기)": the score, the maximum, and the points a person still grades."""
    if report is None:
        return "·"
    if report.status == "graded":
        manual = f" (수동 {report.manual_max_score:g}점 대기)" if report.manual_max_score else ""
        return f"{report.score:g}/{report.max_score:g}{manual}"
    return {"unreadable": "읽기실패", "error": "채점안됨", "missing": "미제출"}[report.status]


def format_table(result, top=5):
    """The printed summary (Korean headings), aligned in terminal columns (Hangul takes two)."""
    names = result.notebooks
    cells = {s: [_cell(row.get(n)) for n in names] for s, row in result.reports.items()}
    width = max([display_width(s) for s in result.reports] + [8]) + 2
    column = max([display_width(c) for row in cells.values() for c in row] + [22]) + 2
    lines = [pad("학생", width) + "".join(pad(clip(n, column - 2), column, ">") for n in names)]
    for student in sorted(result.reports):
        lines.append(pad(student, width) + "".join(pad(c, column, ">") for c in cells[student]))
    graded = sum(r.status == "graded" for s, nbs in result.reports.items() if s not in result.skipped
                 for r in nbs.values())
    lines.append(f"\n이번에 채점 {len(result.reports) - len(result.skipped)}명 ({graded}개 노트북), "
                 f"제출물이 그대로여서 건너뜀 {len(result.skipped)}명 (표에는 이전 결과), "
                 f"워커 {result.workers}개, {result.wall_seconds:.1f}초"
                 + (f" (첫 결과까지 {result.first_result_seconds:.1f}초: 워커 시작, Keras, 기준값)"
                    if result.first_result_seconds is not None else ""))
    not_graded = result.not_graded
    if not_graded:
        lines.append(f"\n채점하지 못함 {len(not_graded)}건 — 채점기 쪽 문제이며 점수를 기록하지 않았습니다. 다시 실행하면 "
                     "다시 채점합니다 (not graded: the grader's fault, no score recorded; run again to retry):")
        lines += [f"  {s} / {nb or '(제출물 전체)'}: {reason}" for s, nb, reason in not_graded]
    theirs = [f for f in result.failures if f not in not_graded]
    if theirs:
        lines.append(f"\n제출물 문제 {len(theirs)}건 (the submissions' own problems, scored as nbgrader does):")
        lines += [f"  {s} / {nb}: {reason}" for s, nb, reason in theirs]
    counts = mistake_counts(result.reports)
    if counts:
        lines.append("\n가장 흔한 실수 (학생 수):")
        lines += [f"  {n:>3}명  {f}: {m}" for (f, m), n in counts.most_common(top)]
    return "\n".join(lines)


def write_reports(result, course_root):
    """Write the CSV/JSON reports; returns their folder."""
    folder = Path(course_root) / REPORTS / result.assignment
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "scores.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["student", "notebook", "status", "score", "max_score", "manual_max_score", "device", "backend"])
        for student in sorted(result.reports):
            for name, r in sorted(result.reports[student].items()):
                out.writerow([student, name, r.status, r.score, r.max_score, r.manual_max_score, r.device, r.backend])
    with open(folder / "failures.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["student", "notebook", "reason", "kind"])
        not_graded = result.not_graded
        out.writerows([*f, "not_graded" if f in not_graded else "submission"] for f in result.failures)
    counts = mistake_counts(result.reports)
    with open(folder / "mistakes.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["function", "mistake", "students"])
        out.writerows([f, m, n] for (f, m), n in counts.most_common())
    summary = {"assignment": result.assignment, "wall_seconds": round(result.wall_seconds, 2),
               "first_result_seconds": result.first_result_seconds and round(result.first_result_seconds, 2),
               "feedback_seconds": result.feedback_seconds and round(result.feedback_seconds, 2),
               "feedback_failed": result.feedback_failed,
               "workers": result.workers, "skipped": result.skipped,
               "students": {s: {n: asdict(r) for n, r in nbs.items()} for s, nbs in result.reports.items()},
               "failures": [{"student": s, "notebook": nb, "reason": why} for s, nb, why in result.failures],
               "not_graded": [{"student": s, "notebook": nb, "reason": why} for s, nb, why in result.not_graded],
               "mistakes": [{"function": f, "mistake": m, "students": n} for (f, m), n in counts.most_common()]}
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder
