"""Korean feedback for one graded part, from its grader's FunctionReport."""
import re

FORBIDDEN_MESSAGE = ("이 함수는 직접 구현하는 문제인데 keras/tensorflow(또는 채점기 코드)를 사용했습니다. "
                     "numpy만으로 구현해야 점수를 받을 수 있어 이 문항은 0점입니다.")


_BREAK = re.compile(r"[\s,;:(\[{=]")


def shorten(text, limit=80):
    """``text`` whole when it fits in ``limit`` characters; else cut after the last space or
    separator (``, ; : ( [ { =``) that fits, never inside a name or a number, and ended with
    "…" (one long token is cut where it must)."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    breaks = [m.end() for m in _BREAK.finditer(text, 0, limit - 1)]
    if breaks:
        head = text[:breaks[-1]]
    return head.rstrip() + "…"


def explain_error(err, hints, timeout):
    """A StudentError as a sentence a student can act on; ``hints``: {error kind: hint} of the grader."""
    if err.kind == "NotImplementedError":
        text = "아직 구현하지 않았습니다 (NotImplementedError). '# 여기에 코드를 작성하세요' 자리를 채우세요."
    elif err.kind == "Timeout":
        text = f"제한 시간 {timeout:g}초 안에 끝나지 않았습니다 (무한 루프가 있나요?)."
    elif err.kind in ("Crash", "Skipped", "Budget") or err.forbidden:
        text = err.message
    else:
        text = f"실행 중 오류 {err.kind}: {err.message}"
    where = "".join(f"\n위치: {w}" for w in err.where)
    hint = hints.get(err.kind)
    return text + where + (f"\n→ 힌트: {hint}" if hint else "")


HIDDEN_NOTE = ("무작위 사례는 제출할 때마다 새로 뽑으므로 기대값을 보여 주지 않습니다: "
               "무엇이 틀렸는지(shape, dtype, 상대 오차, 흔한 실수)를 보고 고치세요.")


def part_feedback(report, score, max_score, timeout, cell_error=None, forbidden=False, notes=(), reveal="all"):
    """The text shown under a test cell: score line, notes, then one line (or block) per case.

    report: the function's FunctionReport; score/max_score None: no points line (the
    instructor's in-notebook check); notes: Korean lines about which cell was graded and names
    defined outside the answer cells (answer_cells.GradingPlan.notes); reveal: "all" shows
    every failed case's expected value, "public" only those of fixed examples.
    """
    function, results = report.function, report.cases
    passed = sum(r.passed for r in results)
    points = f" {score:g} / {max_score:g}점 —" if score is not None else ""
    lines = [f"[{function}]{points} 사례 {len(results)}개 중 {passed}개 통과"]
    if forbidden:
        lines.append(FORBIDDEN_MESSAGE)
    lines.extend(notes)
    if reveal != "all" and any(not (r.passed or r.public) for r in results):
        lines.append(HIDDEN_NOTE)
    if cell_error is not None:
        lines.append(f"답안 셀을 실행하다 오류가 났습니다: {explain_error(cell_error, report.hints, timeout)}")
    for r in results:
        if r.passed:
            lines.append(f"  ✔ {r.case.label}")
            continue
        if r.error is not None:
            detail = explain_error(r.error, report.hints, timeout)
        else:
            detail = r.failure.text(reveal=reveal == "all" or r.public)
        detail = detail.replace("\n", "\n     ")
        lines.append(f"  ✘ {r.case.label}\n     호출: {r.case.call_text(function)}\n     {detail}")
    return "\n".join(lines)
