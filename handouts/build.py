"""The build: read, validate, render, lay out, check, write — each stage in its own module.

`build()` is the whole of it, for the command line and for a clinic's own scripts alike.
When nothing has changed since the last whole, clean build, it says so at once, without
reading content into models or importing WeasyPrint (see incremental.py). Otherwise
pipeline.py validates, skips unchanged outputs, renders the rest (in worker processes,
see pool.py) and commits them to the output folder.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from handouts import review_dates
from handouts.diagnostics import Diagnostic
from handouts.incremental import Roots, nothing_changed
from handouts.output_folder import Checkpoint, OutputFolderError, interrupts_held, locked
from handouts.paths import STYLES_DIR, TEMPLATES_DIR
from handouts.progress import Feedback, Silent
from handouts.review_dates import warnings_on
from handouts.status import ExitStatus
from handouts.writer import ManifestEntry

if TYPE_CHECKING:
    from handouts.pipeline import Plan

ExecutorFactory = Callable[[], AbstractContextManager[Executor]]
"""Makes an executor (`functools.partial(ProcessPoolExecutor, 8)`), called only when there
is something to render; the build leaves the context it returns when done."""


class ExecutorUnavailable(Exception):
    """An executor factory could not give an executor (no scheduler at that address). One line."""


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
    replace_other_clinic: bool = False
    """Remove handouts another clinic profile built into the output folder (else refuse it)."""
    edited: tuple[Path, ...] = ()
    """Content files just saved (the watcher): their documents' usual outputs render and
    are committed first."""
    hold_folder_to_render: bool = True
    """Hold the output folder from the start, so a second build stops before rendering;
    the watcher holds it only while it writes."""


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
    """The output folder or the executor could not be used: one line."""
    seconds: float = 0.0

    @property
    def exit_code(self) -> ExitStatus:
        if self.folder_error or self.internal_errors or (self.unknown_ids and not self.problems):
            return ExitStatus.USAGE
        return ExitStatus.CONTENT if self.problems else ExitStatus.OK


def _quick_report(settings: BuildSettings) -> BuildReport | None:
    """Nothing changed since the last whole, clean build: its outputs, unchanged, with its
    content warnings and the review dates checked again today. None when that cannot be said."""
    if settings.force or settings.only:
        return None
    cache = nothing_changed(Roots(settings.content, settings.templates, settings.styles), settings.output)
    if cache is None:
        return None
    today = settings.today or review_dates.today()
    entries = sorted((record.entry for record in cache.records.values()), key=lambda entry: entry.id)
    return BuildReport(unchanged=entries, warnings=sorted(cache.warnings + warnings_on(cache.reviews, today)))


def _render_then_commit(plan: Plan, feedback: Feedback, report: BuildReport) -> None:
    """The edited documents' usual outputs rendered and committed first, then the rest;
    the folder held only while committing, and a commit never cut short by Ctrl-C."""
    settings = plan.settings
    todo = plan.start(feedback, report)
    first = set(plan.first_outputs(todo))
    if first and len(todo) > len(first):
        plan.render([output for output in todo if output.id in first], feedback, report)
        with interrupts_held(), locked(settings.output, settings.checkpoint) as folder:
            plan.commit(folder, report, final=False)
        todo = [output for output in todo if output.id not in first]
    plan.render(todo, feedback, report)
    with interrupts_held(), locked(settings.output, settings.checkpoint) as folder:
        plan.commit(folder, report, final=True)


def build(
    settings: BuildSettings,
    feedback: Feedback | None = None,
    executor: Executor | ExecutorFactory | None = None,
) -> BuildReport:
    """Build the content folder into the output folder.

    `executor`: where documents render. None: a pool of `settings.jobs` forked worker
    processes (one job: this process). Otherwise any process-based
    `concurrent.futures.Executor` (yours to shut down), or a factory for one, such as a
    Dask cluster's (`distributed.Client(address).get_executor()`)."""
    started = time.monotonic()
    report = _quick_report(settings)
    if report is not None:
        report.seconds = time.monotonic() - started
        return report
    from handouts.pipeline import prepare

    report = BuildReport()
    plan = prepare(settings, executor, report)
    if plan is not None:
        try:
            if settings.hold_folder_to_render:
                with locked(settings.output, settings.checkpoint) as folder:
                    plan.render_and_commit(folder, feedback or Silent(), report)
            else:
                _render_then_commit(plan, feedback or Silent(), report)
        except (OutputFolderError, ExecutorUnavailable) as error:
            report.folder_error = str(error)
    report.seconds = time.monotonic() - started
    return report
