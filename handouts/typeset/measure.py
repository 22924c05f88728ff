"""Laid-out pages as plain facts: where each page's text area and each fixed panel is, the
text and images inside them, the block elements in reading order, and the section roles a
page holds. The check stage reads these facts, never WeasyPrint's boxes.

Positions are CSS pixels from the top left of the page, as WeasyPrint lays them out.
"""

from __future__ import annotations

from collections.abc import Iterator
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


TEXT_KEPT = 80
"""How much of a block's text its facts keep: enough to name it in a message."""
FIELD_TAGS = {"input", "textarea", "select"}
"""Form fields drawn as blocks: each counts as a line of the block that holds it."""


@dataclass(frozen=True)
class Line:
    """A line of text or of form fields, with the blocks that hold it, innermost first."""

    top: float
    bottom: float
    blocks: tuple[int, ...]
    text: str = ""


@dataclass(frozen=True)
class Block:
    """The part of one element's block on one page.

    `key` names the element, the same on every page its block reaches, so a rule can tell
    a block that goes on over a page (`continues`) from one that started on an earlier
    page (`continued`)."""

    key: int
    parent: int | None
    tag: str
    classes: frozenset[str]
    data: tuple[tuple[str, str], ...]
    """The element's `data-*` attributes, names without the prefix."""
    source: str | None
    """The `data-source` of the element or of its nearest ancestor that has one."""
    text: str
    """The first words drawn in it on this page, for messages."""
    top: float
    bottom: float
    lines: int
    continued: bool = False
    continues: bool = False

    def attribute(self, name: str) -> str | None:
        return dict(self.data).get(name)


@dataclass(frozen=True)
class Footer:
    """The running footer drawn in a page's margin."""

    lines: int
    bottom: float
    """The lowest point of its text, from the top of the page."""
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    text_area: Area
    """Text and images in the page's flow (margin boxes such as the running footer left out);
    `lowest` counts drawn things only, since backgrounds may run into the margins."""
    panels: tuple[Area, ...]
    """Fixed panels (elements with `data-panel`); `lowest` counts every box."""
    roles: frozenset[str]
    """The `data-role` values of the elements on the page."""
    width: float = 0
    height: float = 0
    blocks: tuple[Block, ...] = ()
    """The block-level elements in the page's flow, in reading order."""
    lines: tuple[Line, ...] = ()
    """Every line of text or form fields in the page's flow, in reading order."""
    footer: Footer | None = None

    def block(self, key: int) -> Block | None:
        return next((block for block in self.blocks if block.key == key), None)

    @property
    def filled(self) -> float:
        """How much of the text area's height the page's content reaches, from 0 to 1."""
        height = self.text_area.bottom - self.text_area.top
        lowest = max([self.text_area.top, *(line.bottom for line in self.lines)])
        return (lowest - self.text_area.top) / height if height > 0 else 1


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


BLOCK_BOXES = (
    boxes.BlockLevelBox,
    boxes.TableRowGroupBox,
    boxes.TableRowBox,
    boxes.TableCellBox,
    boxes.TableCaptionBox,
)


def _drawn_text(box: boxes.Box) -> Iterator[str]:
    """The words drawn in a box, bullets and list numbers left out."""
    if (box.element_tag or "").endswith("::marker"):
        return
    if isinstance(box, boxes.TextBox):
        yield box.text
    for child in _children(box):
        yield from _drawn_text(child)


def _draws(line: boxes.Box) -> bool:
    """A line with words, an image or a form field on it (not one of white space)."""
    if isinstance(line, boxes.TextBox):
        return bool(line.text.strip())
    if isinstance(line, boxes.ReplacedBox) or line.element_tag in FIELD_TAGS:
        return True
    return any(_draws(child) for child in _children(line))


class _Keys:
    """One number per element, in the order the pages reach it."""

    def __init__(self) -> None:
        self.numbers: dict[object, int] = {}

    def of(self, element: object) -> int:
        return self.numbers.setdefault(element, len(self.numbers))


def _is_block(box: boxes.Box) -> bool:
    tag = box.element_tag or ""
    return isinstance(box, BLOCK_BOXES) and box.element is not None and bool(tag) and "::" not in tag


def _flow(page_box: boxes.Box, keys: _Keys) -> tuple[list[dict], list[Line]]:
    """The blocks (as keyword arguments of `Block`, without page-spanning facts) and lines
    of a page's flow, in reading order."""
    blocks: dict[int, dict] = {}
    lines: list[Line] = []

    def visit(box: boxes.Box, owners: tuple[int, ...], source: str | None) -> None:
        here = owners
        if _is_block(box):
            element = box.element
            source = element.get(SOURCE_ATTRIBUTE) or source
            key = keys.of(element)
            top, bottom = box.border_box_y(), box.border_box_y() + box.border_height()
            if key in blocks:  # an anonymous wrapper and its table share one element
                found = blocks[key]
                found["top"], found["bottom"] = min(found["top"], top), max(found["bottom"], bottom)
            else:
                blocks[key] = {
                    "key": key,
                    "parent": owners[0] if owners else None,
                    "tag": box.element_tag,
                    "classes": frozenset((element.get("class") or "").split()),
                    "data": tuple(
                        (name[5:], value) for name, value in element.items() if name.startswith("data-")
                    ),
                    "source": source,
                    "text": "",
                    "top": top,
                    "bottom": bottom,
                    "lines": 0,
                }
                here = (key, *owners)
            if box.element_tag in FIELD_TAGS:
                lines.append(Line(top, bottom, here))
                return
        if (box.element_tag or "").endswith("::marker"):
            return  # a bullet is part of its item's first line
        if isinstance(box, boxes.LineBox):
            if _draws(box):
                top = box.position_y
                lines.append(Line(top, top + box.height, here, " ".join("".join(_drawn_text(box)).split())))
            return
        for child in _children(box):
            visit(child, here, source)

    visit(page_box, (), None)
    for line in lines:
        for key in line.blocks:
            found = blocks[key]
            found["lines"] += 1
            if len(found["text"]) < TEXT_KEPT and line.text:
                found["text"] = f"{found['text']} {line.text}".strip()[:TEXT_KEPT]
    return list(blocks.values()), lines


def _footer(page_box: boxes.Box) -> Footer | None:
    """The running footer, wherever the layout's margin boxes put it."""
    for margin in page_box.children:
        if not isinstance(margin, boxes.MarginBox):
            continue
        found: list[boxes.Box] = []
        pending: list[boxes.Box] = [margin]
        while pending:
            box = pending.pop()
            classes = (box.element.get("class") or "").split() if box.element is not None else []
            if "running-footer" in classes and isinstance(box, boxes.BlockBox):
                found.append(box)
                continue
            if isinstance(box, boxes.ParentBox):
                pending += box.children
        for footer in found:
            runs = sorted(_text_runs(footer), key=lambda run: run.top)
            rows: list[Run] = []
            for run in runs:  # runs side by side (a float beside the title) share a line
                if not rows or run.top >= rows[-1].bottom - 1:
                    rows.append(run)
            text = " ".join(" ".join(_drawn_text(footer)).split())
            return Footer(len(rows), max((run.bottom for run in runs), default=0), text)
    return None


def _text_runs(box: boxes.Box) -> Iterator[Run]:
    if isinstance(box, boxes.TextBox) and box.text.strip():
        yield _run(box, None)
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _text_runs(child)


def measure(document: Document) -> tuple[Page, ...]:
    """The facts of every page of a laid-out document."""
    keys = _Keys()
    laid_out = []
    for page in document.pages:
        page_box = page._page_box
        laid_out.append((page, page_box, *_flow(page_box, keys)))
    pages_of: dict[int, list[int]] = {}
    for number, (_, _, found, _) in enumerate(laid_out, start=1):
        for block in found:
            pages_of.setdefault(block["key"], []).append(number)
    pages = []
    for number, (page, page_box, found, lines) in enumerate(laid_out, start=1):
        flow = [box for box, _ in _walk(page_box, None)]
        pages.append(
            Page(
                number=number,
                text_area=_area(page_box, str(number), number, drawn_only=True),
                panels=tuple(_panels(page_box, number)),
                roles=frozenset(
                    role for b in flow if b.element is not None and (role := b.element.get(ROLE_ATTRIBUTE))
                ),
                width=page.width,
                height=page.height,
                blocks=tuple(
                    Block(
                        **block,
                        continued=pages_of[block["key"]][0] < number,
                        continues=pages_of[block["key"]][-1] > number,
                    )
                    for block in found
                ),
                lines=tuple(lines),
                footer=_footer(page_box),
            )
        )
    return tuple(pages)
