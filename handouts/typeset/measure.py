"""Laid-out pages as plain facts: where each page's text area and each fixed panel is, the
text and images inside them, the block elements in reading order, and the section roles a
page holds. The check stage reads these facts, never WeasyPrint's boxes.

Positions are CSS pixels from the top left of the page, as WeasyPrint lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

PANEL_ATTRIBUTE = "data-panel"
"""Marks a fixed panel in a layout's HTML; its value names the panel in messages."""
ROLE_ATTRIBUTE = "data-role"
SOURCE_ATTRIBUTE = "data-source"
"""Where the text of an element came from: `FIELD.PATH` in the document's content file."""


@dataclass(frozen=True)
class Run:
    """A piece of drawn text (or an image: empty `text`) and the content field it came from."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    source: str | None = None


@dataclass(frozen=True)
class Area:
    """A rectangle content must stay inside (a page's text area, a panel's content box),
    what is drawn in it, and the lowest point any of its boxes reaches."""

    name: str
    page: int
    left: float
    top: float
    right: float
    bottom: float
    runs: tuple[Run, ...]
    lowest: float


@dataclass(frozen=True)
class Page:
    number: int
    text_area: Area
    """Text and images in the page's flow (margin boxes such as the running footer left out);
    `lowest` counts drawn things only, since backgrounds may run into the margins."""
    panels: tuple[Area, ...]
    """Fixed panels (elements with `data-panel`); `lowest` counts every box."""
    block_tags: tuple[str, ...]
    """Tags of the block-level elements in the page's flow, in reading order."""
    roles: frozenset[str]
    """The `data-role` values of the elements on the page."""


def _children(box: boxes.Box) -> list[boxes.Box]:
    """A box's children as laid out, absolutely positioned ones unwrapped from their
    placeholders; a page's margin boxes are not part of its flow."""
    if not isinstance(box, boxes.ParentBox):
        return []
    found = [child._box if isinstance(child, AbsolutePlaceholder) else child for child in box.children]
    return [child for child in found if not isinstance(child, boxes.MarginBox)]


def _walk(box: boxes.Box, source: str | None) -> list[tuple[boxes.Box, str | None]]:
    """Every descendant with the `data-source` of its nearest element that has one."""
    found = []
    for child in _children(box):
        element = child.element
        own = element.get(SOURCE_ATTRIBUTE) if element is not None and child.element_tag else None
        here = own or source
        found.append((child, here))
        found += _walk(child, here)
    return found


def _run(box: boxes.Box, source: str | None) -> Run:
    left, top = box.border_box_x(), box.border_box_y()
    text = box.text if isinstance(box, boxes.TextBox) else ""
    return Run(text, left, top, left + box.border_width(), top + box.border_height(), source)


def _area(box: boxes.Box, name: str, page: int, drawn_only: bool) -> Area:
    left, top = box.content_box_x(), box.content_box_y()
    inside = _walk(box, None)
    runs = tuple(
        _run(child, source)
        for child, source in inside
        if isinstance(child, boxes.TextBox | boxes.ReplacedBox)
    )
    bottoms = (
        [run.bottom for run in runs]
        if drawn_only
        else [c.border_box_y() + c.border_height() for c, _ in inside]
    )
    bottom = top + box.height
    return Area(name, page, left, top, left + box.width, bottom, runs, max([bottom, *bottoms]))


def _panels(page_box: boxes.Box, number: int) -> list[Area]:
    found = []
    pending = [page_box]
    while pending:
        box = pending.pop(0)
        name = box.element.get(PANEL_ATTRIBUTE) if box.element is not None else None
        if name is not None and isinstance(box, boxes.BlockContainerBox):
            found.append(_area(box, name, number, drawn_only=False))
        else:
            pending[:0] = _children(box)
    return found


def measure(document: Document) -> tuple[Page, ...]:
    """The facts of every page of a laid-out document."""
    pages = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        flow = [box for box, _ in _walk(page_box, None)]
        pages.append(
            Page(
                number=number,
                text_area=_area(page_box, str(number), number, drawn_only=True),
                panels=tuple(_panels(page_box, number)),
                block_tags=tuple(
                    b.element_tag for b in flow if isinstance(b, boxes.BlockBox) and b.element_tag
                ),
                roles=frozenset(
                    role for b in flow if b.element is not None and (role := b.element.get(ROLE_ATTRIBUTE))
                ),
            )
        )
    return tuple(pages)
