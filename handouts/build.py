"""The build: read, validate, render, lay out, check, write — each stage in its own module.

Outputs whose inputs have not changed since the last build are skipped (see cache.py);
the rest render in a pool of worker processes (see worker.py). A clinic's scripts can
call `build()` directly; the command line is a thin layer over it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from handouts import review_dates, worker
from handouts.cache import CacheRecord, cache_key, forget_templates, load_cache, save_cache, still_valid
from handouts.catalog import Output, filename_clashes, plan, select
from handouts.diagnostics import Diagnostic
from handouts.fingerprint import build_fingerprint
from handouts.glyphs import drawable_characters
from handouts.models import UiStrings
from handouts.models.instrument import Instrument
from handouts.output_folder import Checkpoint, OutputFolder, OutputFolderError, locked
from handouts.paths import INSTRUMENTS_DIR, STYLES_DIR, TEMPLATES_DIR
from handouts.progress import Feedback, Silent
from handouts.reader import read_content
from handouts.review_dates import ReviewDate, warnings_on
from handouts.status import ExitStatus
from handouts.validate import ValidContent, load_tables, validate
from handouts.writer import ManifestEntry, entry_for, read_manifest


def default_jobs() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True)
class BuildSettings:
    content: Path
    output: Path
    only: list[str] = field(default_factory=list)
    templates: Path = TEMPLATES_DIR
    styles: Path = STYLES_DIR
    jobs: int = field(default_factory=default_jobs)
    force: bool = False
    checkpoint: Checkpoint | None = None
    """Told each step of the write sequence (see output_folder); for tests that stop there."""
    today: dt.date | None = None
    """The day review dates are checked against (default: today); never in a PDF."""


@dataclass
class BuildReport:
    built: list[ManifestEntry] = field(default_factory=list)
    unchanged: list[ManifestEntry] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    """Built anyway: a hard section, a review date passed. They never change the exit status."""
    internal_errors: list[str] = field(default_factory=list)
    unknown_ids: list[str] = field(default_factory=list)
    folder_error: str | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> ExitStatus:
        if self.folder_error or self.internal_errors or (self.unknown_ids and not self.problems):
            return ExitStatus.USAGE
        return ExitStatus.CONTENT if self.problems else ExitStatus.OK


def load_content(settings: BuildSettings) -> tuple[ValidContent, list[Diagnostic]]:
    """Read and validate the whole content folder, collecting every problem."""
    strings, problems = load_tables(settings.templates / "strings", UiStrings)
    instruments, found = load_tables(INSTRUMENTS_DIR, Instrument)
    problems += found
    tree, found = read_content(settings.content)
    problems += found
    content, found = validate(tree, strings, instruments, drawable_characters(settings.styles / "fonts"))
    return content, problems + found


def review_dates_of(content: ValidContent) -> list[ReviewDate]:
    return [
        ReviewDate(
            valid.source.display,
            valid.source.line_of(("review", "next_review")),
            valid.document.review.next_review.isoformat(),
        )
        for valid in content.documents
    ]


def _fields(output: Output) -> dict[str, str]:
    document = output.document
    return {
        "id": output.id,
        "kind": output.kind,
        "title": document.title,
        "topic": document.topic,
        "layout": output.layout,
        "paper": output.paper,
        "variant": output.variant,
        "language": document.language,
    }


def render_all(
    outputs: list[Output], setup: worker.RenderSetup, jobs: int
) -> Iterator[tuple[Output, worker.Rendered]]:
    """Render in this process (one job) or in a pool whose workers live for the whole build."""
    if not outputs:
        return
    if jobs <= 1 or len(outputs) == 1:
        worker.start(setup)
        try:
            for output in outputs:
                yield output, worker.render(output)
        finally:
            worker.stop()
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(outputs)),
        mp_context=get_context("fork"),
        initializer=worker.start,
        initargs=(setup,),
    ) as pool:
        futures = {pool.submit(worker.render, output): output for output in outputs}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _expected_pages(record: CacheRecord | None, output: Output) -> int:
    """The last build's page count, or a guess for a first build."""
    if record is not None:
        return record.entry.pages
    return {"leaflet": 12, "booklet": 8}.get(output.layout, 2) + (4 if output.variant == "large-print" else 0)


def _source_name(output: Output, content_dir: Path) -> str:
    return output.source.source.path.resolve().relative_to(content_dir.resolve()).as_posix()


def _content_files_with_problems(problems: list[Diagnostic], content_dir: Path) -> set[str]:
    root = content_dir.resolve()
    paths = (Path(problem.file).resolve() for problem in problems)
    return {path.relative_to(root).as_posix() for path in paths if path.is_relative_to(root)}


def _stale(records: dict[str, CacheRecord], planned: set[str], failed_files: set[str]) -> list[str]:
    """Outputs no longer made (a removed topic, a renamed id): their records go now, their
    files when the build commits. Outputs of a content file that failed this time stay, so
    nothing good is lost."""
    removed = []
    for output_id, record in sorted(records.items()):
        if output_id in planned or record.source in failed_files:
            continue
        del records[output_id]
        removed.append(record.entry.path)
    return removed


def build(settings: BuildSettings, feedback: Feedback | None = None) -> BuildReport:
    started = time.monotonic()
    feedback = feedback or Silent()
    report = BuildReport()
    content, report.problems = load_content(settings)
    reviews = review_dates_of(content)
    report.warnings = sorted(content.warnings + warnings_on(reviews, settings.today or review_dates.today()))
    outputs = plan(content.documents)
    clashes = filename_clashes(outputs)
    if clashes:
        report.problems += clashes
        clashing = {problem.file for problem in clashes}
        outputs = [output for output in outputs if output.source.source.display not in clashing]
    if settings.only:
        outputs, report.unknown_ids = select(outputs, settings.only)
        if report.unknown_ids:
            return report
    if content.clinic is None:
        return report

    # Taken before anything is rendered, so an edit made during the build is seen next time;
    # only a whole build may vouch for every output.
    fingerprint = None
    if not settings.only:
        fingerprint = build_fingerprint(settings.content, settings.templates, settings.styles)
    try:
        with locked(settings.output, settings.checkpoint) as folder:
            _render_and_commit(settings, content, reviews, outputs, fingerprint, folder, feedback, report)
    except OutputFolderError as error:
        report.folder_error = str(error)
    report.seconds = time.monotonic() - started
    return report


def _render_and_commit(
    settings: BuildSettings,
    content: ValidContent,
    reviews: list[ReviewDate],
    outputs: list[Output],
    fingerprint: str | None,
    folder: OutputFolder,
    feedback: Feedback,
    report: BuildReport,
) -> None:
    assert content.clinic is not None
    records = load_cache(settings.output)
    forget_templates()
    logo = settings.content / content.clinic.logo if content.clinic.logo else None
    keys = {o.id: cache_key(o, settings.content, settings.templates, settings.styles, logo) for o in outputs}
    feedback.start(len(outputs))
    todo = []
    for output in outputs:
        record = records.get(output.id)
        if not settings.force and still_valid(record, keys[output.id], settings.output):
            report.unchanged.append(record.entry)
            feedback.step("unchanged", output.filename)
        else:
            todo.append(output)
    # Longest first, so no worker is left with a long document at the end.
    todo.sort(key=lambda output: _expected_pages(records.get(output.id), output), reverse=True)

    setup = worker.RenderSetup(
        settings.templates,
        settings.styles,
        settings.content,
        content.clinic,
        content.strings,
        content.instruments,
    )
    for output, rendered in render_all(todo, setup, settings.jobs):
        if rendered.data is None:
            report.problems += rendered.problems
            report.internal_errors += [rendered.error] if rendered.error else []
            report.failed.append(output.id)
            feedback.step("failed", output.filename)
            continue
        folder.stage(output.filename, rendered.data)
        entry = entry_for(_fields(output), output.filename, rendered.data, rendered.pages)
        records[output.id] = CacheRecord(keys[output.id], _source_name(output, settings.content), entry)
        report.built.append(entry)
        feedback.step("built", output.filename)

    if not settings.only:
        failed_files = {_source_name(o, settings.content) for o in outputs if o.id in report.failed}
        failed_files |= _content_files_with_problems(report.problems, settings.content)
        report.removed = _stale(records, {o.id for o in outputs}, failed_files)
    before = read_manifest(settings.output)
    after = {entry.id: entry for entry in report.built + report.unchanged}
    for entry_id, entry in before.items():
        if (
            entry_id not in after
            and entry.path not in report.removed
            and (settings.output / entry.path).is_file()
        ):
            after[entry_id] = entry
    complete = not (report.exit_code or report.failed)
    folder.commit(
        before,
        after,
        report.removed,
        lambda: save_cache(
            settings.output, records, fingerprint if complete else None, content.warnings, reviews
        ),
    )
