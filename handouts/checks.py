"""Check stage: what must be true of laid-out pages before they may be written."""

from __future__ import annotations

import math
from dataclasses import dataclass

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from handouts.catalog import PAPER_LABELS, Output
from handouts.diagnostics import ContentError, Diagnostic, format_field_path
from handouts.reader import SourceFile

MIN_PAGES = {"booklet": 2, "leaflet": 1}
EXACT_PAGES = {"trifold": 2}
"""Fixed layouts: a tri-fold is one sheet printed on both sides, never a third page."""
PANEL_ATTRIBUTE = "data-panel"
"""Marks a fixed panel in a layout's HTML; its value names the panel in messages."""
PX_PER_MM = 96 / 25.4
HEADINGS = {"h1", "h2", "h3", "h4"}


class StrandedHeading(Exception):
    """A heading ended a page with its text on the next: a style bug, not a content one."""


@dataclass(frozen=True)
class PanelOverflow:
    """How far a panel's content runs past the panel's content box, in CSS px, and the
    words that do, in reading order: below the panel, then beside it."""

    panel: str
    page: int
    taller: float
    wider: float
    below: tuple[str, ...] = ()
    beside: tuple[str, ...] = ()


def _children(box: boxes.Box) -> list[boxes.Box]:
    """A box's children as laid out, absolutely positioned ones unwrapped from their
    placeholders; a page's margin boxes (its running footer) are not part of its flow."""
    if not isinstance(box, boxes.ParentBox):
        return []
    found = [child._box if isinstance(child, AbsolutePlaceholder) else child for child in box.children]
    return [child for child in found if not isinstance(child, boxes.MarginBox)]


def _is_block_element(box: boxes.Box) -> bool:
    return isinstance(box, boxes.BlockBox) and bool(box.element_tag)


def _descendants(box: boxes.Box) -> list[boxes.Box]:
    found: list[boxes.Box] = []
    for child in _children(box):
        found.append(child)
        found += _descendants(child)
    return found


def stranded_headings(document: Document) -> list[int]:
    """Numbers of the pages (from 1) whose last block is a heading."""
    stranded = []
    for number, page in enumerate(document.pages[:-1], start=1):
        tags = [box.element_tag for box in _descendants(page._page_box) if _is_block_element(box)]
        if tags and tags[-1] in HEADINGS:
            stranded.append(number)
    return stranded


def _overflow(panel: boxes.Box, name: str, page: int, text_only: bool = False) -> PanelOverflow:
    """Content of a fixed panel that runs past its padding: every box below its bottom,
    and text or images beyond its right side (a word too long for the panel). Backgrounds
    may run out sideways on purpose (a cover band into the bleed); text may not. With
    `text_only`, only text and images count below the bottom too (a page's flow)."""
    bottom = panel.content_box_y() + panel.height
    right = panel.content_box_x() + panel.width
    lowest, widest = bottom, right
    below: list[str] = []
    beside: list[str] = []
    for box in _descendants(panel):
        drawn = isinstance(box, boxes.TextBox | boxes.ReplacedBox)
        box_bottom = box.border_box_y() + box.border_height()
        if drawn or not text_only:
            lowest = max(lowest, box_bottom)
        if drawn:
            box_right = box.border_box_x() + box.border_width()
            widest = max(widest, box_right)
        if isinstance(box, boxes.TextBox):
            if box_bottom > bottom + 0.01:
                below.append(box.text)
            if box_right > right + 0.01:
                beside.append(box.text)
    return PanelOverflow(name, page, lowest - bottom, widest - right, tuple(below), tuple(beside))


def panel_overflows(document: Document) -> list[PanelOverflow]:
    """Every fixed panel (an element with `data-panel`) whose content does not fit it."""
    overflows: list[PanelOverflow] = []

    def visit(box: boxes.Box, page: int) -> None:
        name = box.element.get(PANEL_ATTRIBUTE) if box.element is not None else None
        if name is not None and isinstance(box, boxes.BlockContainerBox):
            found = _overflow(box, name, page)
            if found.taller > 0.01 or found.wider > 0.01:
                overflows.append(found)
            return
        for child in _children(box):
            visit(child, page)

    for number, page in enumerate(document.pages, start=1):
        visit(page._page_box, number)
    return overflows


def page_overflows(document: Document) -> list[PanelOverflow]:
    """Text or images outside a page's text area: a word too long for a line, a table too
    wide, a block too tall to break. Named by page number."""
    overflows = []
    for number, page in enumerate(document.pages, start=1):
        found = _overflow(page._page_box, str(number), number, text_only=True)
        if found.taller > 0.01 or found.wider > 0.01:
            overflows.append(found)
    return overflows


def _mm(px: float) -> int:
    """Whole millimetres, rounded up: a sliver that does not fit still does not fit."""
    return max(1, math.ceil(px / PX_PER_MM - 1e-6))


MIN_SEARCH_TEXT = 8
"""Shorter bits of a line ("1.", "or") could be found in the wrong value."""


def _located(source: SourceFile, texts: tuple[str, ...], panel: str, message: str, here: str) -> Diagnostic:
    """At the content value the overflowing words come from, when they are the content
    file's own words; else at the top of the file (words from the clinic profile or the
    strings table, a panel of fixed blocks)."""
    for text in texts:
        if len(text.strip()) < MIN_SEARCH_TEXT:
            continue
        path = source.path_of_text(text)
        if path is not None:
            field = format_field_path(path)
            return Diagnostic(source.display, source.line_of(path), field, f"{panel}: {message}; {here}")
    return Diagnostic(source.display, 1, panel, message)


def _paper(output: Output) -> str:
    paper = PAPER_LABELS[output.paper]
    return paper if output.variant == "standard" else f"{paper}, {output.variant}"


def _overflow_problems(
    source: SourceFile, overflow: PanelOverflow, area: str, noun: str, paper: str
) -> list[Diagnostic]:
    """`area` names where it happened (`trifold panel 'fold-in'`), `noun` what was too small."""
    problems = []
    if overflow.taller > 0.01:
        message = f"content is {_mm(overflow.taller)} mm taller than the {noun} ({paper})"
        problems.append(_located(source, overflow.below, area, message, f"it runs out of the {noun} here"))
    if overflow.wider > 0.01:
        message = f"content is {_mm(overflow.wider)} mm wider than the {noun} ({paper})"
        problems.append(_located(source, overflow.beside, area, message, f"a word too long for the {noun}"))
    return problems


def check_pages(document: Document, output: Output, max_pages: int) -> None:
    """What must hold before a PDF is written: a page count within the layout's bounds
    and the clinic's limit, every word on its page, every fixed panel holding its content.
    What fails is the content file's problem, located; a stranded heading is a style bug."""
    source = output.source.source
    paper = _paper(output)
    count = len(document.pages)
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
    for overflow in panel_overflows(document):
        area = f"{output.layout} panel '{overflow.panel}'"
        problems += _overflow_problems(source, overflow, area, "panel", paper)
    if exact is None:
        for overflow in page_overflows(document):
            area = f"{output.layout} page {overflow.panel}"
            problems += _overflow_problems(source, overflow, area, "page", paper)
    if problems:
        raise ContentError(problems)
    stranded = stranded_headings(document)
    if stranded:
        raise StrandedHeading(f"heading stranded at the bottom of page(s) {', '.join(map(str, stranded))}")
