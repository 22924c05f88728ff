"""Rendering one output, in this process or in a worker process of any executor.

Each process keeps one HtmlRenderer and one Typesetter (FontConfiguration, fetcher,
parsed stylesheets) for a whole build, so a document pays only for its own layout. A
pool made by the build starts it once per worker (`start`, its initializer); an
executor without initializers (a Dask cluster's) gets it on a worker's first document
of a build (`render_with`), kept while the build lasts. WeasyPrint is imported here, on
first use, never by a build that has nothing to render.

Every render reports what it read (see incremental.py): the templates, the fetched
files, the stylesheets, and the optional stylesheets and panel map it looked for.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.catalog import Output
from handouts.diagnostics import ContentError, Diagnostic
from handouts.incremental import ABSENT, environment_digest, file_digest
from handouts.models import Clinic, Instrument, UiStrings
from handouts.reader import SourceFile
from handouts.styles_plan import BRAND_SHEET, optional_names, stylesheet_names
from handouts.typeset.libraries import open_libraries_by_soname

if TYPE_CHECKING:
    from weasyprint.document import Document

SADDLE_STITCHED_VARIANT = "print-shop"
PAGES_A_SHEET = 4
"""A saddle-stitched booklet is sheets folded in half: 4 pages a sheet."""


@dataclass(frozen=True)
class RenderSetup:
    """What every render of one build shares; sent once to each worker (or with each
    document, to an executor without initializers)."""

    templates: Path
    styles: Path
    content: Path
    clinic: Clinic
    strings: dict[str, UiStrings]
    """By locale."""
    instruments: dict[str, Instrument]
    build_id: str
    """New for each build, so a long-lived worker never reuses an earlier build's parsed
    stylesheets; it never reaches a PDF."""
    clinic_source: SourceFile | None = None
    """Where each clinic value is in clinic.yaml, for messages about blocks made from it."""


@dataclass
class Rendered:
    output_id: str
    data: bytes | None = None
    pages: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    reads: dict[str, str] = field(default_factory=dict)
    """Files read (absolute path -> digest of what was read; ABSENT for one looked for)."""
    instruments: list[str] = field(default_factory=list)
    environment: str = ""
    """The rendering process's code and libraries (see incremental.environment_digest)."""


class _Renderer:
    def __init__(self, setup: RenderSetup) -> None:
        for folder in (setup.templates, setup.styles, setup.content):
            if not folder.is_dir():
                raise FileNotFoundError(
                    f"folder {folder} is not on this machine; every worker needs the templates, "
                    "styles and content folders at the same paths as the machine that builds"
                )
        with open_libraries_by_soname():
            from handouts.reads import ReadLog, RecordingFetcher, RecordingLoader
            from handouts.typeset.typesetter import AssetRoots, Typesetter
        from handouts.render import HtmlRenderer

        self.setup = setup
        self.log = ReadLog()
        self.html = HtmlRenderer(setup.templates)
        assert self.html.environment.loader is not None
        self.html.environment.loader = RecordingLoader(self.html.environment.loader, self.log)
        roots = AssetRoots(templates=setup.templates, styles=setup.styles, content=setup.content)
        self.typesetter = Typesetter(roots, setup.clinic.brand)
        # Every stylesheet parsed and every document laid out from here on fetches through it.
        self.typesetter.fetcher = RecordingFetcher(self.typesetter.fetcher, self.log)
        self.read_once: dict[str, dict[str, str]] = {}
        """What the files read once for this process's life (stylesheets, the fonts they
        load, panel maps) read, by stylesheet name or panel map path."""

    def _stylesheet_reads(self, output: Output) -> dict[str, str]:
        """The stylesheets of this output, each parsed once for the process's life, and
        the files (fonts) fetched while parsing them; the optional ones that do not exist."""
        styles, layout, paper, variant = self.setup.styles, output.layout, output.paper, output.variant
        names = [name for name in stylesheet_names(styles, layout, paper, variant) if name != BRAND_SHEET]
        fresh = [name for name in names if name not in self.read_once]
        if fresh:
            digests = {str(styles / name): file_digest(styles / name) for name in fresh}  # before parsing
            with self.log.capture() as fetched:
                self.typesetter.stylesheets(layout, paper, variant)
            for name in fresh:
                self.read_once[name] = {str(styles / name): digests[str(styles / name)], **fetched}
        reads = {path: digest for name in names for path, digest in self.read_once[name].items()}
        for name in optional_names(layout, paper, variant):
            if name not in names:
                reads[str(styles / name)] = ABSENT
        return reads

    def _panel_map_reads(self, output: Output) -> dict[str, str]:
        path = self.html.panel_map_file(output.kind, output.layout)
        if str(path) not in self.read_once:
            self.read_once[str(path)] = {str(path): file_digest(path)}  # before the first render reads it
        return self.read_once[str(path)]

    def clinic(self, output: Output) -> Clinic:
        """The clinic profile in the words of the output's locale."""
        return self.setup.clinic.localised(output.source.locale)

    def _padded_for_saddle_stitching(
        self, output: Output, document: Document, strings: UiStrings, instruments: Mapping[str, Instrument]
    ) -> Document:
        """A print shop folds and staples a booklet from sheets of 4 pages: its booklet
        gets notes pages before the back page up to a multiple of 4. Adding them can push
        the back page onto a page of its own, so lay out again until the count is right."""
        if output.layout != "booklet" or output.variant != SADDLE_STITCHED_VARIANT:
            return document
        notes = 0
        while len(document.pages) % PAGES_A_SHEET and notes < 2 * PAGES_A_SHEET:
            notes += PAGES_A_SHEET - len(document.pages) % PAGES_A_SHEET
            html = self.html.render(
                output, self.clinic(output), strings, instruments, self.setup.content, notes_pages=notes
            )
            document = self.typesetter.typeset(html, output.layout, output.paper, output.variant)
        return document

    def render(self, output: Output) -> Rendered:
        from handouts.checks import check_pages
        from handouts.pagination import check_pagination
        from handouts.placement import check_safety_early
        from handouts.reads import RecordingMapping
        from handouts.typeset.measure import measure
        from handouts.typeset.typesetter import LayoutWarnings

        setup = self.setup
        result = Rendered(output.id, environment=environment_digest())
        try:
            reads = self._stylesheet_reads(output) | self._panel_map_reads(output)
            with self.log.capture() as rendered_reads:
                strings = setup.strings[output.source.locale]
                instruments = RecordingMapping(setup.instruments, self.log)
                html = self.html.render(output, self.clinic(output), strings, instruments, setup.content)
                document = self.typesetter.typeset(html, output.layout, output.paper, output.variant)
                document = self._padded_for_saddle_stitching(output, document, strings, instruments)
                pages = measure(document)
                check_pages(pages, output, setup.clinic.limits.max_pages, setup.clinic_source)
                check_pagination(pages, output, setup.clinic_source)
                check_safety_early(pages, output)
                result.data = self.typesetter.pdf_bytes(document, output.variant)
                result.pages = len(document.pages)
            result.reads = reads | rendered_reads
            result.instruments = sorted(self.log.instruments)
        except ContentError as error:
            result.problems = error.diagnostics
        except LayoutWarnings as error:
            result.error = f"{output.id}: WeasyPrint: {error}"
        except Exception as error:  # one broken document must not stop the others
            result.error = f"{output.id}: {type(error).__name__}: {error}"
        return result


@contextmanager
def _one_collection_per_document() -> Iterator[None]:
    """WeasyPrint makes and drops hundreds of thousands of objects a document, and the
    cyclic garbage collector's passes over them cost a tenth of the render. Reference
    counting frees nearly all of them; one pass over the youngest generation, which holds
    everything made since the collector was switched off, frees the cycles among the rest."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


_renderer: _Renderer | None = None
_start_error: str | None = None
_build_id: str | None = None
_one_at_a_time = threading.Lock()
"""An executor may run several tasks in threads of one process; a renderer is not
shared between threads, so they take turns."""


def start(setup: RenderSetup) -> None:
    """Pool initializer (and the serial build's set-up): one renderer per process.

    A failure here (a broken stylesheet) is kept and reported for every output, so the
    pool itself never breaks. What lives for the whole build (modules, fonts, parsed
    stylesheets, content) is then frozen out of the collector's passes."""
    global _renderer, _start_error, _build_id
    _build_id = setup.build_id
    try:
        _renderer = _Renderer(setup)
    except Exception as error:
        _start_error = f"{type(error).__name__}: {error}"
    gc.collect()
    gc.freeze()


def stop() -> None:
    """Release this process's renderer (its fonts) while the interpreter is still whole."""
    global _renderer, _start_error, _build_id
    _renderer, _start_error, _build_id = None, None, None
    gc.unfreeze()


def render(output: Output) -> Rendered:
    if _renderer is None:
        return Rendered(output.id, error=f"{output.id}: {_start_error or 'renderer not started'}")
    with _one_collection_per_document():
        return _renderer.render(output)


def render_with(setup: RenderSetup, output: Output) -> Rendered:
    """A task for an executor without initializers: the process's renderer for this
    build, made on its first document and kept until another build's arrives."""
    with _one_at_a_time:
        if _build_id != setup.build_id:
            stop()
            start(setup)
        return render(output)
