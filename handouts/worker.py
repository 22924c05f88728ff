"""Rendering one output, in this process or in a pool worker.

Each process keeps one HtmlRenderer and one Typesetter (FontConfiguration, fetcher,
parsed stylesheets) for its whole life, so a document pays only for its own layout.
WeasyPrint is imported here, on first use, never by a build that has nothing to render.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from handouts.catalog import Output
from handouts.diagnostics import ContentError, Diagnostic
from handouts.models import Clinic, Instrument, UiStrings
from handouts.typeset.libraries import open_libraries_by_soname


@dataclass(frozen=True)
class RenderSetup:
    """What every render of one build shares; sent once to each worker."""

    templates: Path
    styles: Path
    content: Path
    clinic: Clinic
    strings: dict[str, UiStrings]
    instruments: dict[str, Instrument]


@dataclass
class Rendered:
    output_id: str
    data: bytes | None = None
    pages: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    error: str | None = None


class _Renderer:
    def __init__(self, setup: RenderSetup) -> None:
        with open_libraries_by_soname():
            from handouts.typeset.typesetter import AssetRoots, Typesetter
        from handouts.render import HtmlRenderer

        self.setup = setup
        self.html = HtmlRenderer(setup.templates)
        roots = AssetRoots(templates=setup.templates, styles=setup.styles, content=setup.content)
        self.typesetter = Typesetter(roots, setup.clinic.brand)

    def render(self, output: Output) -> Rendered:
        from handouts.checks import check_pages
        from handouts.placement import check_safety_early
        from handouts.typeset.measure import measure
        from handouts.typeset.typesetter import LayoutWarnings

        setup = self.setup
        result = Rendered(output.id)
        try:
            strings = setup.strings[output.document.language]
            html = self.html.render(output, setup.clinic, strings, setup.instruments, setup.content)
            document = self.typesetter.typeset(html, output.layout, output.paper, output.variant)
            pages = measure(document)
            check_pages(pages, output, setup.clinic.limits.max_pages)
            check_safety_early(pages, output)
            result.data = self.typesetter.pdf_bytes(document, output.variant)
            result.pages = len(document.pages)
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


def start(setup: RenderSetup) -> None:
    """Pool initializer (and the serial build's set-up): one renderer per process.

    A failure here (a broken stylesheet) is kept and reported for every output, so the
    pool itself never breaks. What lives for the whole build (modules, fonts, parsed
    stylesheets, content) is then frozen out of the collector's passes."""
    global _renderer, _start_error
    try:
        _renderer = _Renderer(setup)
    except Exception as error:
        _start_error = f"{type(error).__name__}: {error}"
    gc.collect()
    gc.freeze()


def stop() -> None:
    """Release this process's renderer (its fonts) while the interpreter is still whole."""
    global _renderer, _start_error
    _renderer, _start_error = None, None
    gc.unfreeze()


def render(output: Output) -> Rendered:
    if _renderer is None:
        return Rendered(output.id, error=f"{output.id}: {_start_error or 'renderer not started'}")
    with _one_collection_per_document():
        return _renderer.render(output)
