"""Check stage: what must be true of laid-out pages before they may be written."""

from __future__ import annotations

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from handouts.catalog import Output
from handouts.diagnostics import ContentError, Diagnostic

MIN_PAGES = {"booklet": 2, "leaflet": 1}
HEADINGS = {"h1", "h2", "h3", "h4"}


class StrandedHeading(Exception):
    """A heading ended a page with its text on the next: a style bug, not a content one."""


def _flow_tags(page_box: boxes.Box) -> list[str]:
    """Tags of the block-level elements in a page's flow, in order, margin boxes left out."""
    tags: list[str] = []

    def visit(box: boxes.Box) -> None:
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, boxes.BlockBox) and box.element_tag:
            tags.append(box.element_tag)
        if isinstance(box, boxes.ParentBox):
            for child in box.children:
                visit(child)

    visit(page_box)
    return tags


def stranded_headings(document: Document) -> list[int]:
    """Numbers of the pages (from 1) whose last block is a heading."""
    stranded = []
    for number, page in enumerate(document.pages[:-1], start=1):
        tags = _flow_tags(page._page_box)
        if tags and tags[-1] in HEADINGS:
            stranded.append(number)
    return stranded


def check_pages(document: Document, output: Output) -> None:
    minimum = MIN_PAGES.get(output.layout, 1)
    if len(document.pages) < minimum:
        source = output.source.source
        raise ContentError(
            [
                Diagnostic(
                    source.display,
                    1,
                    "",
                    f"{output.layout} needs at least {minimum} pages, got {len(document.pages)}",
                )
            ]
        )
    stranded = stranded_headings(document)
    if stranded:
        raise StrandedHeading(f"heading stranded at the bottom of page(s) {', '.join(map(str, stranded))}")
