"""Command line: ``python -m quizzes build|key|check|score|scan``."""
import argparse
import json
import sys
from pathlib import Path

from quizzes.bank import BANK_DIR, SECTIONS, expand_sections, load_section
from quizzes.errors import InputError
from quizzes.variants import canonical_form


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
    parser = argparse.ArgumentParser(prog="python -m quizzes", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    bank = argparse.ArgumentParser(add_help=False)
    bank.add_argument("--bank", type=Path, default=BANK_DIR, help="folder with 9-1.yaml ... (default: the package's)")

    b = sub.add_parser("build", parents=[bank], help="handouts, keys, key sheets, LMS exports")
    b.add_argument("--section", type=_sections, required=True, help=f"{', '.join(SECTIONS)}, all, or a list such as 9-1,9-3")
    b.add_argument("--roster", type=Path, help="CSV with student_id,name: one shuffled copy per student")
    b.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    b.add_argument("--lang", choices=("ko", "en"), default="ko")
    b.add_argument("--format", type=_formats, default=("html", "pdf"), help="comma list of html,pdf,md,moodle,qti")
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--course", help="course line of the header")
    b.add_argument("--export-variants", type=int, default=5, help="fixed copies of each parameterized item in exports")
    b.add_argument("--jobs", type=int, help="PDF worker processes (default: CPU count)")

    k = sub.add_parser("key", parents=[bank], help="keys of the canonical form: {item_id: choice number}")
    k.add_argument("--section", type=_sections, default=SECTIONS)
    k.add_argument("--seed", type=int, default=0)
    k.add_argument("--format", choices=("json", "csv"), default="json")

    c = sub.add_parser("check", parents=[bank], help="validate and lint the bank, re-run Keras checks")
    c.add_argument("--section", type=_sections, default=SECTIONS)
    c.add_argument("--no-keras", action="store_true", help="skip re-running the Keras checks")

    s = sub.add_parser("score", help="score answer sheets and analyse items")
    s.add_argument("responses", type=Path)
    s.add_argument("--key", type=Path, required=True, help="key.csv or key-sheet.csv from a build")
    s.add_argument("--out", type=Path, help="folder for scores.csv, items.csv, report.png "
                                           "(default: next to RESPONSES)")
    s.add_argument("--lang", choices=("ko", "en"), default="ko")

    r = sub.add_parser("scan", help="read answer sheets from scans and photos, then score them")
    r.add_argument("scans", type=Path, nargs="+", help="PDFs from a copier, JPEG/PNG photos, or folders of them")
    r.add_argument("--key", type=Path, required=True, help="key-sheet.csv (or key.csv) of the build that printed them")
    r.add_argument("--out", type=Path, required=True, help="folder for responses.csv, review.csv, review.html and "
                                                           "the scores (decisions in its review.csv are applied)")
    r.add_argument("--lang", choices=("ko", "en"), default="ko")
    return parser


def _build(args):
    from quizzes.build import build

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


def _score(args):
    from quizzes.scoring import misconception_summary, plot, score, write_csv

    report = score(args.responses, args.key)
    out = args.out or args.responses.parent
    out.mkdir(parents=True, exist_ok=True)
    print("student_id  variant  score")
    for s in report.students:
        print(f"{s['student_id']:<11} {s['variant']:<8} {s['score']}/{s['total']} ({s['percent']}%)")
    print("\nitem        n   difficulty  discrimination  upper-lower")
    for i in report.items:
        r = "-" if i["discrimination"] is None else f"{i['discrimination']:.2f}"
        d = "-" if i["upper_lower"] is None else f"{i['upper_lower']:.2f}"
        print(f"{i['item_id']:<10} {i['n']:>3}   {i['difficulty']:.2f}        {r:>6}          {d:>6}")
    _print_distractors(report.distractors)
    summary = misconception_summary(report.distractors)
    print("\n오답 선택 요약 (misconceptions chosen, most first)\n  share  chosen/offered  misconception  [items]")
    for row in summary[:10]:
        print(f"  {row['share']:>5.0%}  {row['chosen']:>6}/{row['offered']:<7}  {row['misconception']}  [{row['items']}]")
    kr20 = "-" if report.kr20 is None else f"{report.kr20:.2f}"
    print(f"\n신뢰도 KR-20 (reliability): {kr20}")
    for message in report.messages:
        print(message, file=sys.stderr)
    write_csv(report.students, out / "scores.csv")
    write_csv(report.items, out / "items.csv")
    write_csv(report.distractors, out / "distractors.csv")
    write_csv(summary, out / "misconceptions.csv")
    plot(report, out / "report.png", args.lang)
    print(f"\n{len(report.students)} scored, {len(report.messages)} message(s); "
          f"scores.csv, items.csv, distractors.csv, misconceptions.csv, report.png in {out}")
    return 0


def _scan(args):
    from quizzes.scan.run import scan, summary

    result = scan(args.scans, args.key, args.out)
    for line in result.unreadable:
        print(f"읽지 못함 (unreadable): {line}", file=sys.stderr)
    if result.rows:
        _score(argparse.Namespace(responses=args.out / "responses.csv", key=args.key, out=args.out, lang=args.lang))
    print(f"\n{summary(result)}")
    print(f"검토 (review): {args.out / 'review.html'}, 결정은 {args.out / 'review.csv'}의 decision 칸에")
    return 0 if result.rows else 1


def _print_distractors(rows):
    """Per item, the share choosing each option, all and upper/lower 27% (* marks the key)."""
    print("\n선택지 분석 (distractors): item  option  share  upper  lower")
    for row in rows:
        def pct(v):
            return "  -" if v is None else f"{v:>4.0%}"
        mark = "*" if row["key"] else " "
        print(f"  {row['item_id']:<10} {mark}{row['option']:<30} {pct(row['share'])}  {pct(row['upper'])}  "
              f"{pct(row['lower'])}")


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
