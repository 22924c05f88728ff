"""Command line: `python generate.py [build] ...`, `python generate.py schema` and `... email`."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path
from typing import NoReturn

from handouts import review_dates
from handouts.diagnostics import Diagnostic
from handouts.fingerprint import stored_notes, unchanged_outputs
from handouts.paths import CONTENT_DIR, OUTPUT_DIR, STYLES_DIR, TEMPLATES_DIR
from handouts.reader import display_path
from handouts.review_dates import warnings_on

EXIT_OK, EXIT_CONTENT, EXIT_INTERNAL = 0, 1, 2


class AddressSafeParser(argparse.ArgumentParser):
    """Usage errors never echo an email address, whatever was typed."""

    def error(self, message: str) -> NoReturn:
        super().error(re.sub(r"\S*@\S*", "[address hidden]", message))


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        default=CONTENT_DIR,
        metavar="DIR",
        help="content folder (default: handouts/content)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = AddressSafeParser(
        prog="generate.py",
        description="Build print-ready PDF patient handouts from validated content files.",
        epilog=(
            "Exit status: 0 when every document was built, 1 when content had mistakes "
            "(the other documents are still built), 2 on an internal error or bad usage."
        ),
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["build", "schema", "email"],
        default="build",
        help="build (default): write the PDFs and output/manifest.json; "
        "schema: write the JSON Schema of the content files; "
        "email: write an email draft with built PDFs attached (see: generate.py email --help)",
    )
    add_content_option(parser)
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to write (default: output/; for schema: CONTENT/schema)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ID",
        help="build only this document or output id (repeatable)",
    )
    parser.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="render in N worker processes (default: one per core; 1: in this process)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="rebuild every document, changed or not (default: skip unchanged ones)",
    )
    parser.add_argument(
        "--as-of",
        dest="today",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="check review dates as of this day (default: today); the PDFs never depend on it",
    )
    return parser


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _print_warnings(warnings: list[Diagnostic]) -> str:
    """Warnings on stderr; their count for the summary line."""
    for warning in warnings:
        print(warning, file=sys.stderr)
    return f"; {len(warnings)} warning(s)" if warnings else ""


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def _nothing_to_do(args: argparse.Namespace) -> bool:
    """The quick path: nothing changed since the last clean build, so say so and stop."""
    if args.force or args.only or not args.content.is_dir():
        return False
    started = time.monotonic()
    output = args.output or OUTPUT_DIR
    unchanged = unchanged_outputs(args.content, output, TEMPLATES_DIR, STYLES_DIR)
    notes = stored_notes(output) if unchanged is not None else None
    if unchanged is None or notes is None:
        return False
    content_warnings, reviews = notes
    overdue = warnings_on(reviews, args.today or review_dates.today())
    said = _print_warnings(sorted(content_warnings + overdue))
    print(f"0 built, {unchanged} unchanged, 0 failed, 0 removed in {time.monotonic() - started:.1f} s{said}")
    return True


def _run_build(args: argparse.Namespace) -> int:
    if _nothing_to_do(args):
        return EXIT_OK
    from handouts.build import BuildSettings, build, default_jobs
    from handouts.progress import Progress

    settings = BuildSettings(
        content=args.content,
        output=args.output or OUTPUT_DIR,
        only=args.only,
        jobs=args.jobs or default_jobs(),
        force=args.force,
        today=args.today,
    )
    if not settings.content.is_dir():
        print(f"error: content folder not found: {settings.content}", file=sys.stderr)
        return EXIT_INTERNAL
    report = build(settings, Progress(sys.stdout))
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.folder_error:
        print(f"error: {report.folder_error}", file=sys.stderr)
        return EXIT_INTERNAL
    for error in report.internal_errors:
        print(f"internal error: {error}", file=sys.stderr)
    for unknown in report.unknown_ids:
        because = " (it may be in a file with the problems above)" if report.problems else ""
        print(f"error: no document or output with id '{unknown}'{because}", file=sys.stderr)
    summary = (
        f"{len(report.built)} built, {len(report.unchanged)} unchanged, {len(report.failed)} failed, "
        f"{len(report.removed)} removed in {report.seconds:.1f} s"
    )
    summary += _print_warnings(report.warnings)
    if report.problems:
        summary += f"; {len(report.problems)} content problem(s)"
    if report.internal_errors:
        summary += f"; {len(report.internal_errors)} internal error(s)"
    print(summary, file=sys.stderr if report.exit_code else sys.stdout)
    return report.exit_code


def _run_schema(args: argparse.Namespace) -> int:
    from handouts.schema import write_schemas

    folder = args.output or args.content / "schema"
    for path in write_schemas(folder):
        print(f"wrote {display_path(path)}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["email"]:
        from handouts.email_draft import main as email_main

        return email_main(argv[1:])
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "email":
        parser.error("put 'email' first: generate.py email --to ADDRESS ID [ID ...]")
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return _run_schema(args) if args.command == "schema" else _run_build(args)
    except KeyboardInterrupt:
        return EXIT_INTERNAL


def main_entry() -> None:
    sys.exit(main())
