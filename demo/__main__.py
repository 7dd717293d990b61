"""The main job, end to end on embedded defaults (SQLite gradebook, local sandbox):

1. regenerate the student release from source/ with ``nbgrader generate_assignment`` in the
   course folder and compare it with the committed release/ (the checkout is never modified);
2. write sample submissions (full solution, untouched release, typical mistakes, a hostile one);
3. ``nbgrader autograde`` and ``nbgrader generate_feedback`` on them (the sandboxed path);
4. print parts x students with totals and where the feedback HTML is;
5. build section 9-2's quiz handouts (HTML, PDF, Markdown), one shuffled copy per sample student.
Class data goes to a temporary course folder (``--out`` to choose it), never the repository.
"""
import csv
import tempfile
import time
from pathlib import Path

from autograder.errors import SandboxUnavailable
from autograder.sandbox.check import require_sandbox
from autograder.settings import REPO_ROOT
from samples.course import gradebook_scores, make_course, nbgrader, release_differences
from samples.submissions import SAMPLE_STUDENTS, write_submissions
from quizzes.cli import main as quizzes_main
from terminal.arguments import Parser
from terminal.width import display_width, pad

ASSIGNMENT = "ch09"
OPTIONAL = "04_advanced_bptt_gates"


def regenerate_release(course):
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    built, committed = course / "release" / ASSIGNMENT, REPO_ROOT / "release" / ASSIGNMENT
    changed = release_differences(built, committed)
    if changed:
        print(f"  주의: 커밋된 release/{ASSIGNMENT}가 source/와 다릅니다 ({', '.join(changed)}). "
              f"새 배포본은 {built}에 있습니다: release/{ASSIGNMENT}에 복사해 커밋하세요.")
    else:
        print(f"  release/{ASSIGNMENT}는 source/와 일치합니다")


def print_table(scores, students):
    parts = []
    for nb in sorted({nb for s in scores.values() for nb in s}):
        grades = next(s[nb] for s in scores.values() if nb in s)
        parts += [(nb, g) for g in grades]
    width = max(display_width(s) for s in students) + 1
    print(f"\n{pad('notebook / part', 52)}" + "".join(pad(s, width, ">") for s in students))
    totals = {s: {"core": 0.0, "optional": 0.0, "max_core": 0.0, "max_optional": 0.0} for s in students}
    for nb, grade_id in parts:
        cells = []
        for s in students:
            score, max_score = scores.get(s, {}).get(nb, {}).get(grade_id, (None, None))
            kind = "optional" if nb == OPTIONAL else "core"
            cells.append("수동" if score is None and max_score else f"{score or 0:g}/{max_score:g}")
            if score is not None:
                totals[s][kind] += score
            totals[s][f"max_{kind}"] += max_score or 0
        print(pad(f"{nb[:24]} / {grade_id}", 52) + "".join(pad(c, width, ">") for c in cells))
    for kind, label in (("core", "합계 (필수, 수동 채점 전)"), ("optional", "합계 (선택: 04 심화)")):
        print(pad(label, 52) + "".join(pad(f"{totals[s][kind]:g}/{totals[s]['max_' + kind]:g}", width, ">")
                                       for s in students))


def build_quiz(course, students, section="9-2"):
    """One shuffled copy of ``section``'s quiz per student, the canonical handout and the key sheet."""
    roster = course / "quiz-roster.csv"
    with roster.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "name"])
        writer.writerows([s, s.split("_")[0]] for s in students)
    out = course / "quiz"
    failed = quizzes_main(["build", "--section", section, "--roster", str(roster), "--seed", "9",
                           "--format", "html,pdf,md", "--out", str(out), "--course", "딥러닝 9장"])
    if failed:
        raise SystemExit(f"quiz build failed (exit {failed}); see the messages above")
    return out / section


def main(argv=None):
    parser = Parser(prog="python -m demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="course folder to use (default: a new temporary folder)")
    args = parser.parse_args(argv)
    try:  # grading cannot work here: one line with the cause and the fix, before anything is made
        require_sandbox()
    except SandboxUnavailable as exc:
        raise SystemExit(f"error: {exc}") from None
    course = make_course(Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="rnn-ch09-course-")))
    started = time.time()
    print(f"[1/5] 배포본 생성 (nbgrader generate_assignment) — 과정 폴더 {course}")
    regenerate_release(course)
    print(f"[2/5] 예시 제출물 작성: {', '.join(SAMPLE_STUDENTS)}")
    write_submissions(course, ASSIGNMENT)
    print("[3/5] nbgrader autograde (격리된 채점 경로) 와 generate_feedback")
    nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    nbgrader(course, "generate_feedback", ASSIGNMENT, "--force")
    print("[4/5] 결과")
    print_table(gradebook_scores(course, ASSIGNMENT), list(SAMPLE_STUDENTS))
    print(f"\n피드백 HTML: {course / 'feedback'}/<학생>/{ASSIGNMENT}/*.html")
    for path in sorted((course / "feedback").glob(f"*/{ASSIGNMENT}/01_*.html")):
        print(f"  {path}")
    print("[5/5] 9-2절 퀴즈 (학생별 변형, 정답표)")
    quiz = build_quiz(course, list(SAMPLE_STUDENTS))
    print(f"  유인물·정답: {quiz}/handout.pdf, {quiz}/key.pdf; 학생별: {quiz}/students/; 정답표: {quiz}/key-sheet.pdf")
    print(f"걸린 시간: {time.time() - started:.0f}초")


if __name__ == "__main__":
    main()
