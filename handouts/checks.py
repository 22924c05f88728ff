"""Check stage: what must be true of laid-out pages before they may be written."""

from __future__ import annotations

import math
from dataclasses import dataclass

from handouts.catalog import Output
from handouts.diagnostics import ContentError, Diagnostic, FieldPath, format_field_path
from handouts.reader import SourceFile
from handouts.typeset.measure import Area, Page, Run

MIN_PAGES = {"booklet": 2, "leaflet": 1}
EXACT_PAGES = {"trifold": 2}
"""Fixed layouts: a tri-fold is one sheet printed on both sides, never a third page."""
PX_PER_MM = 96 / 25.4
TOLERANCE = 0.01


@dataclass(frozen=True)
class Overflow:
    """How far an area's content runs past it, in CSS px, and the runs that do, in reading
    order: below the area, then beside it."""

    area: Area
    taller: float
    wider: float
    below: tuple[Run, ...] = ()
    beside: tuple[Run, ...] = ()


def overflow(area: Area) -> Overflow | None:
    """Content that runs past an area: below its bottom, or text and images beyond its
    right side (a word too long for the line). Backgrounds may run out sideways on purpose
    (a cover band into the bleed); text may not."""
    widest = max([area.right, *(run.right for run in area.runs)])
    taller, wider = area.lowest - area.bottom, widest - area.right
    if taller <= TOLERANCE and wider <= TOLERANCE:
        return None
    below = tuple(run for run in area.runs if run.text and run.bottom > area.bottom + TOLERANCE)
    beside = tuple(run for run in area.runs if run.text and run.right > area.right + TOLERANCE)
    return Overflow(area, taller, wider, below, beside)


def panel_overflows(pages: tuple[Page, ...]) -> list[Overflow]:
    """Every fixed panel whose content does not fit it."""
    return [found for page in pages for panel in page.panels if (found := overflow(panel))]


def page_overflows(pages: tuple[Page, ...]) -> list[Overflow]:
    """Text or images outside a page's text area: a word too long for a line, a table too
    wide, a block too tall to break. Named by page number."""
    return [found for page in pages if (found := overflow(page.text_area))]


def _mm(px: float) -> int:
    """Whole millimetres, rounded up: a sliver that does not fit still does not fit."""
    return max(1, math.ceil(px / PX_PER_MM - 1e-6))


def parse_field_path(text: str) -> FieldPath:
    """`sections.goals.paragraphs[1]` as `("sections", "goals", "paragraphs", 1)`."""
    path: list[str | int] = []
    for part in text.split("."):
        name, *indexes = part.split("[")
        path += [name, *(int(index.rstrip("]")) for index in indexes)]
    return tuple(path)


CLINIC_SOURCE = "clinic:"
"""A `data-source` naming a value of the clinic profile (`clinic:crisis.lines[0]`) rather
than of the document's content file."""


@dataclass(frozen=True)
class Origins:
    """The files an output's words came from: its content file, and the clinic profile for
    the blocks the templates mark `clinic:` (crisis lines, costs, hours, logo)."""

    document: SourceFile
    clinic: SourceFile | None = None

    def at(self, source: str | None, area: str, message: str, here: str) -> Diagnostic:
        """At the value a block came from; at the top of the content file for words that are
        no file's own (the string table, a panel of fixed blocks)."""
        document = self.document
        here = f"; {here}" if here else ""
        if source and source.startswith(CLINIC_SOURCE) and self.clinic is not None:
            path = parse_field_path(source.removeprefix(CLINIC_SOURCE))
            text = f"{area} of {document.display}: {message}{here}"
            return Diagnostic(self.clinic.display, self.clinic.line_of(path), format_field_path(path), text)
        if not source or source.startswith(CLINIC_SOURCE):
            return Diagnostic(document.display, 1, area, message)
        path = parse_field_path(source)
        return Diagnostic(
            document.display, document.line_of(path), format_field_path(path), f"{area}: {message}{here}"
        )


def clinic_shares(runs: tuple[Run, ...]) -> dict[str, float]:
    """How tall each clinic-profile value stands in an area (CSS px), by its `data-source`."""
    extents: dict[str, tuple[float, float]] = {}
    for run in runs:
        if run.source and run.source.startswith(CLINIC_SOURCE):
            top, bottom = extents.get(run.source, (run.top, run.bottom))
            extents[run.source] = (min(top, run.top), max(bottom, run.bottom))
    return {source: bottom - top for source, (top, bottom) in extents.items()}


def _clinic_cause(origins: Origins, overflow: Overflow, area: str, message: str) -> Diagnostic | None:
    """A panel that would fit without the clinic profile's values on it (a logo, crisis
    lines, long hours) is reported at the tallest of them in clinic.yaml, naming them all:
    the topic's own words are not what changed."""
    shares = clinic_shares(overflow.area.runs)
    if origins.clinic is None or not shares or overflow.taller > sum(shares.values()) + TOLERANCE:
        return None
    tallest_first = sorted(shares.items(), key=lambda item: (-round(item[1], 1), item[0]))
    named = ", ".join(
        f"{source.removeprefix(CLINIC_SOURCE)} {_mm(height)} mm" for source, height in tallest_first[:3]
    )
    here = (
        f"the tallest of clinic.yaml's values on this panel: {named}; shorten them, or choose "
        "shorter blocks for this panel under `trifold:` in the topic's file"
    )
    return origins.at(tallest_first[0][0], area, message, here)


def _source_of(runs: tuple[Run, ...]) -> str | None:
    """The `data-source` of the first of these runs that has one."""
    return next((run.source for run in runs if run.source), None)


def _located(origins: Origins, runs: tuple[Run, ...], area: str, message: str, here: str) -> Diagnostic:
    """At the value the overflowing words come from: the content file's or the clinic profile's."""
    return origins.at(_source_of(runs), area, message, here)


def _overflow_problems(
    source: Origins, overflow: Overflow, area: str, noun: str, paper: str
) -> list[Diagnostic]:
    """`area` names where it happened (`trifold panel 'fold-in'`), `noun` what was too small."""
    problems = []
    if overflow.taller > TOLERANCE:
        message = f"content is {_mm(overflow.taller)} mm taller than the {noun} ({paper})"
        cause = _clinic_cause(source, overflow, area, message) if noun == "panel" else None
        problems.append(
            cause or _located(source, overflow.below, area, message, f"it runs out of the {noun} here")
        )
    if overflow.wider > TOLERANCE:
        message = f"content is {_mm(overflow.wider)} mm wider than the {noun} ({paper})"
        problems.append(_located(source, overflow.beside, area, message, f"a word too long for the {noun}"))
    return problems


def check_pages(
    pages: tuple[Page, ...], output: Output, max_pages: int, clinic: SourceFile | None = None
) -> None:
    """What must hold before a PDF is written: a page count within the layout's bounds
    and the clinic's limit, every word on its page, every fixed panel holding its content.
    What fails is the content file's problem, located. How content falls onto the pages is
    checked after this, in handouts.pagination."""
    source = output.source.source
    paper = output.paper_label
    count = len(pages)
    problems = []
    minimum = MIN_PAGES.get(output.layout, 1)
    exact = EXACT_PAGES.get(output.layout)
    if count < minimum:
        problems.append(
            Diagnostic(source.display, 1, "", f"{output.layout} needs at least {minimum} pages, got {count}")
        )
    if exact is not None and count != exact:
        message = f"{output.layout} must have exactly {exact} pages, got {count} ({paper})"
        problems.append(Diagnostic(source.display, 1, "", message))
    if count > max_pages:
        message = (
            f"{output.layout} has {count} pages ({paper}); the limit is {max_pages} "
            "(a clinic can raise it with limits.max_pages in clinic.yaml)"
        )
        problems.append(Diagnostic(source.display, 1, "", message))
    origins = Origins(source, clinic)
    for overflow in panel_overflows(pages):
        area = f"{output.layout} panel '{overflow.area.name}'"
        problems += _overflow_problems(origins, overflow, area, "panel", paper)
    if exact is None:
        for overflow in page_overflows(pages):
            area = f"{output.layout} page {overflow.area.name}"
            problems += _overflow_problems(origins, overflow, area, "page", paper)
    if problems:
        raise ContentError(problems)
