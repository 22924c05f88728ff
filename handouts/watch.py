"""`handouts watch`: build, then rebuild on every save, with warm worker processes.

The workers live as long as the watcher, each keeping its renderer (fonts, parsed
stylesheets) while nothing it keeps has changed (pipeline.renderer_key), so an edit pays
only for its own documents' layout. Each rebuild is an ordinary incremental build: what
an output read when it was last built (incremental.py) decides whether the saved file
touches it, the saved document's usual output is rendered and committed first, and the
output folder is held only while it is written (never while rendering), with Ctrl-C
waiting for a commit to finish. A content mistake is reported like a build's and the
last good PDFs stay; the watcher goes on.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

from handouts.build import BuildReport, BuildSettings, build
from handouts.progress import Feedback
from handouts.reader import DOCUMENT_FOLDERS

WAKE_MS = 500
"""How often the watch wakes without a change (to notice `stop`)."""


def _warm_worker() -> None:
    """A worker ignores Ctrl-C (the watcher stops it) and imports WeasyPrint at once, so
    the first edit does not pay for it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from handouts.typeset.libraries import open_libraries_by_soname

    with open_libraries_by_soname():
        import handouts.reads
        import handouts.typeset.typesetter  # noqa: F401


class _Inputs(DefaultFilter):
    """Files a build reads: not the output folder (it may sit inside a watched one), not
    editors' swap and backup files (DefaultFilter), not hidden files."""

    def __init__(self, output: Path) -> None:
        super().__init__()
        self.output = output.resolve()

    def __call__(self, change: Change, path: str) -> bool:
        resolved = Path(path).resolve()
        return (
            super().__call__(change, path)
            and not resolved.is_relative_to(self.output)
            and not Path(path).name.startswith(".")
        )


class Watcher:
    """Warm workers and the builds they serve; a context manager that stops them."""

    def __init__(self, settings: BuildSettings, feedback: Feedback) -> None:
        self.settings = replace(settings, hold_folder_to_render=False)
        self.feedback = feedback
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.settings.jobs, mp_context=get_context("fork"), initializer=_warm_worker
        )

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def folders(self) -> list[Path]:
        """What is watched: the content folder, the templates (with the string tables) and
        the styles."""
        return [self.settings.content, self.settings.templates, self.settings.styles]

    def edited_documents(self, paths: Iterable[Path]) -> tuple[Path, ...]:
        content = self.settings.content.resolve()
        folders = {content / folder for folder in DOCUMENT_FOLDERS}
        return tuple(
            sorted(
                path
                for path in (p.resolve() for p in paths)
                if path.parent in folders and path.suffix == ".yaml"
            )
        )

    def rebuild(self, changed: Iterable[Path] = ()) -> BuildReport:
        """An incremental build on the warm workers; `changed`: the files just saved."""
        settings = replace(self.settings, edited=self.edited_documents(changed))
        report = self._build(settings)
        if any(BrokenProcessPool.__name__ in error for error in report.internal_errors):
            self.pool.shutdown(wait=False, cancel_futures=True)  # a worker died: start afresh
            self.pool = self._new_pool()
            report = self._build(settings)
        return report

    def _build(self, settings: BuildSettings) -> BuildReport:
        """A build whose unexpected failure (a file gone while read) is reported, and the
        watcher goes on; the folder is as the build's commit steps left it."""
        try:
            return build(settings, self.feedback, self.pool)
        except Exception as error:
            return BuildReport(internal_errors=[f"{type(error).__name__}: {error}"])

    def run(
        self,
        told: Callable[[BuildReport], object],
        ready: Callable[[], None] = lambda: None,
        stop: threading.Event | None = None,
    ) -> None:
        """Build, then rebuild after each batch of saves until Ctrl-C or `stop`. Each
        build's report goes to `told`; `ready` is called whenever it waits for saves."""
        started = False
        # The first build runs once the watch is set up (its first, empty, yield), so a
        # save made during it is seen; later empty yields only let `stop` be noticed.
        for changes in watch(
            *self.folders(),
            watch_filter=_Inputs(self.settings.output),
            stop_event=stop,
            raise_interrupt=True,
            rust_timeout=WAKE_MS,
            yield_on_timeout=True,
        ):
            if changes or not started:
                started = True
                told(self.rebuild(Path(path) for _, path in changes))
                ready()
