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


HIDDEN_NOTE = ("확인용 예는 제출할 때마다 새로 뽑으므로 기대값을 보여 주지 않습니다: "
               "무엇이 틀렸는지(shape, dtype, 상대 오차, 흔한 실수)를 보고 고치세요.")
SCORING_NOTE = "모든 학생에게 같은 사례입니다. 호출과 기대값은 보여 주지 않습니다"
EXAMPLES_NOTE = "확인용 예 (제출할 때마다 새로 뽑으며 점수에는 들어가지 않습니다)"


def part_feedback(report, score, max_score, timeout, cell_error=None, forbidden=False, notes=(), reveal="all"):
    """The text shown under a test cell: score line, notes, the scoring cases, then the examples.

    report: the function's FunctionReport (see grader_suite: how a score is made); score/max_score
    None: no points line (the instructor's in-notebook check); notes: Korean lines about which cell
    was graded and names defined outside the answer cells (answer_cells.GradingPlan.notes). The
    scoring cases: each fixed example with its call and expected value; the random ones as a count
    and what went wrong, never their calls or expected values (the same for every student). The
    examples that failed: their calls, and their expected values when ``reveal`` is "all" (not
    when "public").
    """
    function, results = report.function, report.cases
    passed = sum(r.passed for r in results)
    points = f" {score:g} / {max_score:g}점 —" if score is not None else ""
    lines = [f"[{function}]{points} 채점 사례 {len(results)}개 중 {passed}개 통과"]
    if forbidden:
        lines.append(FORBIDDEN_MESSAGE)
    lines.extend(notes)
    if cell_error is not None:
        lines.append(f"답안 셀을 실행하다 오류가 났습니다: {explain_error(cell_error, report.hints, timeout)}")
    lines += [_case_lines(r, function, report.hints, timeout, reveal=True) for r in results if r.public]
    hidden = [r for r in results if not r.public]
    if hidden:
        ok = sum(r.passed for r in hidden)
        lines.append(f"  {'✔' if ok == len(hidden) else '✘'} 채점용 무작위 사례 {len(hidden)}개 중 {ok}개 통과 "
                     f"({SCORING_NOTE})")
        lines += [f"     {count}개: {text}" for text, count in _what_went_wrong(hidden, report.hints, timeout)]
    failed = [r for r in report.examples if not r.passed]
    if report.examples:
        lines.append(f"  {EXAMPLES_NOTE}: {len(report.examples)}개 중 {len(report.examples) - len(failed)}개 통과")
        if failed and reveal != "all":
            lines.append(f"  {HIDDEN_NOTE}")
        lines += [_case_lines(r, function, report.hints, timeout, reveal=reveal == "all") for r in failed]
    return "\n".join(lines)


def _case_lines(result, function, hints, timeout, reveal):
    if result.passed:
        return f"  ✔ {result.case.label}"
    if result.error is not None:
        detail = explain_error(result.error, hints, timeout)
    else:
        detail = result.failure.text(reveal=reveal)
    detail = detail.replace("\n", "\n     ")
    return f"  ✘ {result.case.label}\n     호출: {result.case.call_text(function)}\n     {detail}"


def _what_went_wrong(results, hints, timeout):
    """[(explanation, how many)] of failed results, without their values, most frequent first."""
    said = {}
    for r in results:
        if r.passed:
            continue
        if r.error is not None:
            text = explain_error(r.error, hints, timeout).replace("\n", " ")
        else:
            text = r.failure.message + (f" → 흔한 실수: {r.failure.advice}" if r.failure.advice else "")
        said[text] = said.get(text, 0) + 1
    return sorted(said.items(), key=lambda item: -item[1])
