"""Command line: ``python -m quizzes build|key|check|score|scan``."""
import argparse
import json
import sys
from pathlib import Path

from quizzes.bank import BANK_DIR, SECTIONS, expand_sections, load_section
from quizzes.errors import InputError
from quizzes.variants import canonical_form
from terminal.arguments import Parser


def _sections(text):
    try:
        return expand_sections(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _formats(text):
    from quizzes.build import parse_formats

    try:
        return parse_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser():
    parser = Parser(prog="python -m quizzes", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    bank = Parser(add_help=False)
    bank.add_argument("--bank", type=Path, default=BANK_DIR, help="folder with 9-1.yaml ... (default: the package's)")

    b = sub.add_parser("build", parents=[bank], help="handouts, keys, key sheets, LMS exports")
    b.add_argument("--section", type=_sections, required=True, help=f"{', '.join(SECTIONS)}, all, or a list such as 9-1,9-3")
    b.add_argument("--roster", type=Path, help="CSV with student_id,name: one shuffled copy per student")
    b.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    b.add_argument("--lang", choices=("ko", "en"), default="ko", help="language of the handouts and keys")
    b.add_argument("--format", type=_formats, default=("html", "pdf"),
                   help="comma list of html,pdf,md,moodle,qti (default: html,pdf)")
    b.add_argument("--out", type=Path, required=True, help="folder the files are written under (one per section)")
    b.add_argument("--course", help="course line of the header")
    b.add_argument("--export-variants", type=int, default=5, help="fixed copies of each parameterized item in exports")
    b.add_argument("--jobs", type=int, help="PDF worker processes (default: the CPU count)")

    k = sub.add_parser("key", parents=[bank], help="keys of the canonical form: {item_id: choice number}")
    k.add_argument("--section", type=_sections, default=SECTIONS, help="as for build (default: all)")
    k.add_argument("--seed", type=int, default=0, help="seed of the parameterized items' draws")
    k.add_argument("--format", choices=("json", "csv"), default="json", help="output format")

    c = sub.add_parser("check", parents=[bank], help="validate and lint the bank, re-run Keras checks")
    c.add_argument("--section", type=_sections, default=SECTIONS, help="as for build (default: all)")
    c.add_argument("--no-keras", action="store_true", help="skip re-running the Keras checks")

    s = sub.add_parser("score", help="score answer sheets and analyse items")
    s.add_argument("responses", type=Path, help="CSV of answers: student_id (or 학번), optional variant, 1, 2, ...")
    s.add_argument("--key", type=Path, required=True, help="key.csv or key-sheet.csv from a build")
    s.add_argument("--out", type=Path, help="folder for scores.csv, items.csv, report.png "
                                           "(default: next to RESPONSES)")
    s.add_argument("--lang", choices=("ko", "en"), default="ko", help="language of the printed report and report.png")

    r = sub.add_parser("scan", help="read answer sheets from scans and photos, then score them")
    r.add_argument("scans", type=Path, nargs="+", help="PDFs from a copier, JPEG/PNG photos, or folders of them")
    r.add_argument("--key", type=Path, required=True, help="key-sheet.csv (or key.csv) of the build that printed them")
    r.add_argument("--out", type=Path, required=True, help="folder for responses.csv, review.csv, review.html and "
                                                           "the scores (decisions in its review.csv are applied)")
    r.add_argument("--lang", choices=("ko", "en"), default="ko", help="language of the printed report and report.png")
    return parser


def _build(args):
    from quizzes.build import build
    from quizzes.variants import unused_roster_columns

    unused = unused_roster_columns(args.roster) if args.roster else []
    if unused:
        print(f"명단에서 쓰지 않는 열: {', '.join(unused)} (roster columns not used: {', '.join(unused)})",
              file=sys.stderr)
    paths = build(args.section, args.format, args.out, seed=args.seed, lang=args.lang, roster=args.roster,
                  course=args.course, bank_dir=args.bank, export_variants=args.export_variants, jobs=args.jobs)
    print(f"{len(paths)} files written under {args.out}")
    return 0


def _key(args):
    from quizzes.variants import key_csv

    forms = [canonical_form(load_section(s, args.bank), args.seed) for s in args.section]
    if args.format == "csv":
        sys.stdout.write(key_csv(forms).decode("utf-8-sig"))
    else:
        keys = {q.id: q.key for form in forms for q in form.questions}
        print(json.dumps(keys, ensure_ascii=False, indent=2))
    return 0


def _check(args):
    from quizzes.lint import key_position_table, key_positions, lint

    problems = lint(args.bank, args.section, keras=not args.no_keras)
    for problem in problems:
        print(problem)
    print("\n".join(key_position_table(key_positions(args.bank, args.section))))
    print(f"{len(problems)} problem(s) in {', '.join(args.section)}")
    return 1 if problems else 0


_SCORE_TEXT = {
    "ko": {"students": ("학번", "유형", "점수"), "items": ("문항", "n", "난이도", "변별도", "상하위차"),
           "distractors": "선택지 분석 (* 정답): 문항, 보기, 고른 비율, 상위 27%, 하위 27%",
           "summary": "오답 선택 요약 (많이 고른 순): 비율, 고른 수/제시된 수, 오개념 [문항]",
           "kr20": "신뢰도 KR-20", "done": "{n}명 채점, 메시지 {m}개; {files}: {out}",
           "no_font": "report.png: 한글 글꼴이 없어 영어로 그렸습니다 ({why})"},
    "en": {"students": ("student_id", "variant", "score"),
           "items": ("item", "n", "difficulty", "discrimination", "upper-lower"),
           "distractors": "Distractors (* key): item, option, share, upper 27%, lower 27%",
           "summary": "Misconceptions chosen, most first: share, chosen/offered, misconception [items]",
           "kr20": "Reliability KR-20", "done": "{n} scored, {m} message(s); {files} in {out}",
           "no_font": "report.png: {why}"},
}


def _score(args):
    return _report_scores(args.responses, args.key, args.out or args.responses.parent, args.lang)


def _report_scores(responses, key, out, lang):
    """Score RESPONSES against KEY: the tables printed, the CSV files and report.png written into ``out``."""
    from quizzes.fonts import FontNotInstalledError
    from terminal.width import display_width, pad
    from quizzes.scoring import misconception_summary, option_label, plot, score, write_csv

    text = _SCORE_TEXT[lang]
    report = score(responses, key)
    out.mkdir(parents=True, exist_ok=True)
    sid, variant, points = text["students"]
    print(f"{pad(sid, 11)} {pad(variant, 8)} {points}")
    for s in report.students:
        print(f"{pad(s['student_id'], 11)} {pad(s['variant'], 8)} {s['score']}/{s['total']} ({s['percent']}%)")
    headers = text["items"]
    widths = [10] + [max(display_width(h), 6) for h in headers[1:]]
    print("\n" + "  ".join(pad(h, w, "<" if c == 0 else ">") for c, (h, w) in enumerate(zip(headers, widths))))
    for i in report.items:
        cells = [i["item_id"], i["n"], f"{i['difficulty']:.2f}",
                 *("-" if v is None else f"{v:.2f}" for v in (i["discrimination"], i["upper_lower"]))]
        print("  ".join(pad(v, w, "<" if c == 0 else ">") for c, (v, w) in enumerate(zip(cells, widths))))
    labels = [option_label(row["option"], lang) for row in report.distractors]
    print(f"\n{text['distractors']}")
    width = max(map(display_width, labels), default=3) + 2
    for row, label in zip(report.distractors, labels):
        mark = "*" if row["key"] else " "
        print(f"  {pad(row['item_id'], 10)} {mark}{pad(label, width)} {_percent(row['share'])}  "
              f"{_percent(row['upper'])}  {_percent(row['lower'])}")
    summary = misconception_summary(report.distractors)
    print(f"\n{text['summary']}")
    for row in summary[:10]:
        print(f"  {row['share']:>5.0%}  {row['chosen']:>6}/{row['offered']:<7}  "
              f"{option_label(row['misconception'], lang)}  [{row['items']}]")
    kr20 = "-" if report.kr20 is None else f"{report.kr20:.2f}"
    print(f"\n{text['kr20']}: {kr20}")
    for message in report.messages:
        print(message, file=sys.stderr)
    write_csv(report.students, out / "scores.csv")
    write_csv(report.items, out / "items.csv")
    write_csv(report.distractors, out / "distractors.csv")
    write_csv(summary, out / "misconceptions.csv")
    try:
        plot(report, out / "report.png", lang)
    except FontNotInstalledError as exc:  # the numbers matter more than the language of the picture
        print(text["no_font"].format(why=exc), file=sys.stderr)
        plot(report, out / "report.png", "en")
    files = "scores.csv, items.csv, distractors.csv, misconceptions.csv, report.png"
    print("\n" + text["done"].format(n=len(report.students), m=len(report.messages), files=files, out=out))
    return 0


def _scan(args):
    from quizzes.scan.run import scan, summary

    result = scan(args.scans, args.key, args.out)
    for line in result.unreadable:
        print(f"읽지 못함 (unreadable): {line}", file=sys.stderr)
    if result.rows:
        _report_scores(args.out / "responses.csv", args.key, args.out, args.lang)
    print(f"\n{summary(result)}")
    print(f"검토 (review): {args.out / 'review.html'}, 결정은 {args.out / 'review.csv'}의 decision 칸에")
    return 0 if result.rows else 1


def _percent(value):
    return "  -" if value is None else f"{value:>4.0%}"


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return {"build": _build, "key": _key, "check": _check, "score": _score, "scan": _scan}[args.command](args)
    except InputError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder the command could not read or write
        print(f"{exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
