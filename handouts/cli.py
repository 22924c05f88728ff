"""The command line, all of it: `handouts [build] ...`, `watch`, `schema`, `email`,
`init`, `personalise`, `purge` and `read`.

Every command's arguments are parsed here and handed to the module that does the work as
plain values; exit statuses come from `handouts.status`. The program is named as it was
typed (`handouts`, or `generate.py` in the repository).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from handouts.catalog import PAPERS
from handouts.diagnostics import Diagnostic
from handouts.paths import CONTENT_DIR, OUTPUT_DIR
from handouts.reader import display_path
from handouts.status import ExitStatus

if TYPE_CHECKING:
    from handouts.build import BuildReport

COMMANDS = ("build", "watch", "schema", "email", "init", "personalise", "purge", "read")
EXIT_STATUS_HELP = (
    "Exit status: 0 when all was done, 1 when content had mistakes (the rest is still done), "
    "2 on bad usage, an unusable folder or an internal error."
)


class AddressSafeParser(argparse.ArgumentParser):
    """Usage errors never echo an email address, whatever was typed."""

    def error(self, message: str) -> NoReturn:
        super().error(re.sub(r"\S*@\S*", "[address hidden]", message))


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of days, got {text!r}")
    return int(text)


def _private_option(parser: argparse.ArgumentParser) -> None:
    from handouts.personalise import default_private_folder

    parser.add_argument(
        "--private", type=Path, default=default_private_folder(), metavar="DIR",
        help="the private folder of personalised copies, never inside the output folder "
        "(default: %(default)s)",
    )  # fmt: skip


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content", type=Path, default=CONTENT_DIR, metavar="DIR",
        help="content folder (default: the sample content shipped with handouts)",
    )  # fmt: skip


def _build_output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output", type=Path, default=OUTPUT_DIR, metavar="DIR", help="where to write (default: output/)"
    )


def _build_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "build",
        help="write the PDFs and OUTPUT/manifest.json (the default command)",
        description="Build print-ready PDF patient handouts from validated content files.",
        epilog=EXIT_STATUS_HELP,
    )
    _content_option(parser)
    _build_output_option(parser)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ID",
        help="build only this document or output id (repeatable)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="render in N worker processes (default: one per core; 1: in this process)",
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="render on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786); "
        "needs handouts[dask]",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="rebuild every document, changed or not (default: skip unchanged ones)",
    )
    parser.add_argument(
        "--replace-other-clinic",
        action="store_true",
        help="remove handouts that another clinic profile built into the output folder "
        "(without it, such a folder is refused)",
    )
    parser.add_argument(
        "--as-of",
        dest="today",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="check review dates as of this day (default: today); the PDFs never depend on it",
    )
    parser.set_defaults(run=_run_build)  # fmt: skip


def _watch_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "watch",
        help="build, then rebuild what a saved file changes, until Ctrl-C",
        description="Build, then watch the content folder, the templates, the string tables and the "
        "styles: each save rebuilds only the outputs that read the saved file (the saved document's "
        "standard first-paper PDF first) and the catalogue page, with messages as a build prints them. "
        "A content mistake is reported and the last good PDFs stay. Ctrl-C stops it and leaves the "
        "output folder consistent.",
    )
    _content_option(parser)
    _build_output_option(parser)
    parser.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="warm worker processes (default: one per core)",
    )
    parser.set_defaults(run=_run_watch)  # fmt: skip


def _schema_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "schema",
        help="write the JSON Schemas of the content files, for editors",
        description="Write the JSON Schemas that editors use to check content files as you type.",
    )
    _content_option(parser)
    parser.add_argument(
        "--output", type=Path, default=None, metavar="DIR", help="where to write (default: CONTENT/schema)"
    )
    parser.set_defaults(run=_run_schema)  # fmt: skip


def _email_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "email",
        help="write an email draft (.eml) with built PDFs attached",
        description="Write an unsent email draft (.eml) with already-built PDFs attached.",
        epilog="Exit status: 0 when the draft was written, 1 when content problems stop reading "
        "the clinic profile, 2 on bad usage (address, id, missing or changed build).",
    )
    parser.add_argument("--to", action="append", required=True, metavar="ADDRESS", help="recipient")
    parser.add_argument(
        "ids",
        nargs="*",
        metavar="ID",
        help="document id (e.g. psychodynamic-therapy) "
        "or output id from the manifest (e.g. psychodynamic-therapy-booklet-a4)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=OUTPUT_DIR,
        metavar="DIR",
        help="the build folder holding manifest.json (default: output/)",
    )
    _content_option(parser)
    parser.add_argument(
        "--paper", choices=PAPERS, default="letter", help="paper for a document id (default: letter)"
    )
    parser.add_argument(
        "--draft",
        type=Path,
        default=None,
        metavar="PATH",
        help="where to write the draft (default: OUTPUT/drafts/handouts-draft.eml)",
    )
    parser.add_argument(
        "--personalised",
        type=Path,
        action="append",
        default=[],
        metavar="COPY",
        help="also attach this personalised copy (from `handouts personalise`), "
        "checked against the private folder's record and the build",
    )
    _private_option(parser)
    parser.set_defaults(run=_run_email)  # fmt: skip


def _personalise_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "personalise",
        help="a copy of a built intake leaflet with the patient's name already filled in",
        description="Write a copy of a built intake leaflet with its name, birth date, appointment "
        "and clinician fields filled in, into the private folder (never the output folder). "
        "Prints where it wrote it; nothing else, and no personal data, is printed or recorded.",
        epilog="Exit status: 0 when written, 1 when content problems stop reading the leaflet, "
        "2 on bad usage (id, values, private folder, missing or changed build).",
    )
    parser.add_argument("id", metavar="ID", help="intake document id, or output id from the manifest")
    parser.add_argument("--name", required=True, help="the patient's full name")
    parser.add_argument("--birth-date", type=_iso_date, metavar="YYYY-MM-DD", help="date of birth")
    parser.add_argument("--appointment", metavar="TEXT", help='day and time, e.g. "Tuesday 4 May, 10:00"')
    parser.add_argument("--clinician", metavar="NAME", help="who the patient will see")
    parser.add_argument(
        "--output",
        type=Path,
        default=OUTPUT_DIR,
        metavar="DIR",
        help="the build folder holding manifest.json (default: output/)",
    )
    _content_option(parser)
    parser.add_argument(
        "--paper", choices=PAPERS, default="letter", help="paper for a document id (default: letter)"
    )
    _private_option(parser)
    parser.set_defaults(run=_run_personalise)  # fmt: skip


def _purge_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "purge",
        help="remove old personalised copies from the private folder",
        description="Remove personalised copies made more than DAYS days ago, and their records.",
    )
    parser.add_argument("--older-than", type=_days, required=True, metavar="DAYS")
    _private_option(parser)
    parser.set_defaults(run=_run_purge)  # fmt: skip


def _read_parser(commands: argparse._SubParsersAction) -> None:
    from handouts.read_leaflets import FORMATS

    parser = commands.add_parser(
        "read",
        help="read filled intake leaflets back: answers, scores, unanswered items",
        description="Read intake leaflets filled on screen: every answer with its question in form "
        "order, PHQ-9 and GAD-7 totals with their severity bands, unanswered items, and first of "
        "all any answer above 0 to PHQ-9 item 9. Prints to the screen only.",
        epilog="Exit status: 3 when a leaflet answers PHQ-9 item 9 above 0 (everything is still "
        "read), else 2 when a file was refused (not our leaflet, unknown version) or on bad usage, "
        "1 when content problems stop reading the declarations, 0 otherwise.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILLED.pdf")
    parser.add_argument("--format", choices=FORMATS, default="text", help="text (default), json or fhir")
    _content_option(parser)
    parser.set_defaults(run=_run_read)  # fmt: skip


def _init_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "init",
        help="start a clinic's own content folder",
        description="Make a content folder for a clinic: a profile with marked placeholders, a brochure "
        "and an intake leaflet to copy, a short guide for editors and the schemas editors use.",
    )
    parser.add_argument(
        "folder", type=Path, metavar="DIR", help="the new folder (must not exist, or be empty)"
    )
    parser.set_defaults(run=_run_init)  # fmt: skip


def parser() -> argparse.ArgumentParser:
    top = AddressSafeParser(
        description="Validated therapy content to print-ready, accessible PDF patient handouts. "
        "With no command, `build` runs.",
        epilog=EXIT_STATUS_HELP,
    )
    commands = top.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", parser_class=AddressSafeParser
    )
    for add in (
        _build_parser,
        _watch_parser,
        _schema_parser,
        _email_parser,
        _init_parser,
        _personalise_parser,
        _purge_parser,
        _read_parser,
    ):
        add(commands)
    return top


def _print_warnings(warnings: list[Diagnostic]) -> str:
    """Warnings on stderr; their count for the summary line."""
    for warning in warnings:
        print(warning, file=sys.stderr)
    return f"; {len(warnings)} warning(s)" if warnings else ""


def _dask_executor(address: str) -> Callable[[], AbstractContextManager[Executor]]:
    """Renders on a Dask cluster, connected only when there is something to render."""
    from handouts.build import ExecutorUnavailable

    @contextmanager
    def connected() -> Iterator[Executor]:
        from distributed import Client

        try:
            client = Client(address, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise ExecutorUnavailable(f"cannot reach a Dask scheduler at {address}: {error}") from None
        with client:
            yield client.get_executor(pure=False)

    return connected


def _run_build(args: argparse.Namespace) -> ExitStatus:
    from handouts.build import BuildSettings, build, default_jobs
    from handouts.progress import Progress

    executor = None
    if args.scheduler:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("error: --scheduler needs Dask: pip install 'handouts[dask]'", file=sys.stderr)
            return ExitStatus.USAGE
        executor = _dask_executor(args.scheduler)

    settings = BuildSettings(
        content=args.content,
        output=args.output,
        only=args.only,
        jobs=args.jobs or default_jobs(),
        force=args.force,
        today=args.today,
        replace_other_clinic=args.replace_other_clinic,
    )
    if not settings.content.is_dir():
        print(f"error: content folder not found: {settings.content}", file=sys.stderr)
        return ExitStatus.USAGE
    return _print_report(build(settings, Progress(sys.stdout), executor))


def _print_report(report: BuildReport) -> ExitStatus:
    """A build's messages and summary line, as every build prints them."""
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.folder_error:
        print(f"error: {report.folder_error}", file=sys.stderr)
        return ExitStatus.USAGE
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


def _run_watch(args: argparse.Namespace) -> ExitStatus:
    from handouts.build import BuildSettings, default_jobs
    from handouts.progress import Progress
    from handouts.watch import Watcher

    settings = BuildSettings(content=args.content, output=args.output, jobs=args.jobs or default_jobs())
    if not settings.content.is_dir():
        print(f"error: content folder not found: {settings.content}", file=sys.stderr)
        return ExitStatus.USAGE
    folders = ", ".join(
        display_path(folder) for folder in (settings.content, settings.templates, settings.styles)
    )

    def ready() -> None:
        print(f"watching {folders} (Ctrl-C to stop)", flush=True)

    try:
        with Watcher(settings, Progress(sys.stdout)) as watcher:
            watcher.run(_print_report, ready)
    except KeyboardInterrupt:
        pass
    print(f"stopped; {display_path(settings.output)} is consistent", flush=True)
    return ExitStatus.OK


def _run_schema(args: argparse.Namespace) -> ExitStatus:
    from handouts.schema import write_schemas

    for path in write_schemas(args.output or args.content / "schema"):
        print(f"wrote {display_path(path)}")
    return ExitStatus.OK


def _run_email(args: argparse.Namespace) -> ExitStatus:
    from handouts.email_draft import EmailRequest, UsageError, write_email_draft

    request = EmailRequest(
        args.to, args.ids, args.output, args.content, args.paper, args.draft, args.personalised, args.private
    )
    try:
        return write_email_draft(request)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitStatus.USAGE


def _run_init(args: argparse.Namespace) -> ExitStatus:
    from handouts.starter import FolderNotEmpty, init_content_folder

    try:
        written = init_content_folder(args.folder)
    except FolderNotEmpty as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitStatus.USAGE
    for path in written:
        print(f"wrote {display_path(path)}")
    profile = display_path(args.folder / "clinic.yaml")
    print(f"Next: edit {profile}, then: handouts build --content {args.folder}")
    return ExitStatus.OK


def _run_personalise(args: argparse.Namespace) -> ExitStatus:
    from handouts.personalise import PersonaliseError, PersonaliseRequest, write_personalised

    values = {
        "name": args.name,
        "birth_date": args.birth_date.isoformat() if args.birth_date else None,
        "appointment": args.appointment,
        "clinician": args.clinician,
    }
    request = PersonaliseRequest(
        id=args.id,
        values={key: value for key, value in values.items() if value is not None},  # type: ignore[misc]
        output=args.output,
        content=args.content,
        paper=args.paper,
        private=args.private,
    )
    if not args.content.is_dir():
        print(f"error: content folder not found: {args.content}", file=sys.stderr)
        return ExitStatus.USAGE
    try:
        path = write_personalised(request)
    except PersonaliseError as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitStatus.USAGE
    print(f"wrote {path}")
    return ExitStatus.OK


def _run_purge(args: argparse.Namespace) -> ExitStatus:
    from handouts.personalise import PersonaliseError, purge

    if not args.private.is_dir():
        print(f"nothing to purge: no private folder at {args.private}")
        return ExitStatus.OK
    try:
        removed, kept = purge(args.private.resolve(), dt.timedelta(days=args.older_than))
    except PersonaliseError as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitStatus.USAGE
    print(f"removed {removed} personalised cop{'y' if removed == 1 else 'ies'} older than "
          f"{args.older_than} days; {kept} kept")  # fmt: skip
    return ExitStatus.OK


def _run_read(args: argparse.Namespace) -> ExitStatus:
    from handouts.build import BuildSettings
    from handouts.fhir import FhirUnavailable
    from handouts.models.intake import Intake
    from handouts.pipeline import load_content
    from handouts.read_leaflets import Declarations, read_leaflets

    if not args.content.is_dir():
        print(f"error: content folder not found: {args.content}", file=sys.stderr)
        return ExitStatus.USAGE
    content, problems = load_content(BuildSettings(content=args.content, output=OUTPUT_DIR))
    if content.clinic is None:
        for problem in sorted(problems):
            print(problem, file=sys.stderr)
        print("error: the clinic profile has problems; fix them to read leaflets", file=sys.stderr)
        return ExitStatus.CONTENT
    leaflets = [v for v in content.documents if isinstance(v.document, Intake)]
    intakes = {v.document.id: v.document for v in leaflets}
    orders = {v.document.id: content.strings[v.locale].date_order for v in leaflets}
    declarations = Declarations(intakes, content.instruments, str(content.clinic.website), orders)
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    try:
        return read_leaflets(args.files, declarations, args.format)
    except FhirUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitStatus.USAGE


def _with_command(argv: list[str]) -> list[str]:
    """`build` when no command is named (options alone, or nothing)."""
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        return argv
    return ["build", *argv]


def main(argv: list[str] | None = None) -> int:
    argv = _with_command(sys.argv[1:] if argv is None else argv)
    top = parser()
    if argv[0] == "build" and "email" in argv[1:]:
        top.error("put 'email' first: email --to ADDRESS ID [ID ...]")
    args = top.parse_args(argv)
    run: Callable[[argparse.Namespace], ExitStatus] = args.run
    try:
        return int(run(args))
    except KeyboardInterrupt:
        return ExitStatus.USAGE


def main_entry() -> None:
    sys.exit(main())
