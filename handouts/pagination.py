"""Check stage: how a booklet's or leaflet's content falls onto its pages.

A reader loses the thread when a heading ends a page with its text on the next, when a
page opens with one stray line of the section before, or when a page is mostly blank;
a form is hard to fill in when a question and its "If yes" box sit on different pages,
or a questionnaire is split away from its heading, its answer columns or its total box.
Each rule reads the plain facts of `handouts.typeset.measure`; a page that breaks one
fails the output, at the content field of the block that moved.

Tri-folds have fixed panels, checked in `handouts.checks`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from handouts.catalog import Output
from handouts.checks import CLINIC_SOURCE, Origins, parse_field_path
from handouts.diagnostics import ContentError, Diagnostic, FieldPath, format_field_path
from handouts.reader import SourceFile
from handouts.typeset.measure import Block, Line, Page

LAYOUTS = {"booklet", "leaflet"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "caption"}
HEADING_CLASSES = {"instrument-title"}
MIN_LINES_AFTER_HEADING = 2
MIN_FILLED = 0.40
"""Every page but the last is at least this full (of its text area's height)."""
FILL_EXEMPT = "fill-exempt"
"""`data-page="fill-exempt"` on an element: its page may be short (a print shop's notes)."""
CONTAINERS = {"html", "body", "main", "form"}
"""Blocks that hold the whole flow: going on over a page says nothing about a section."""
PX_PER_INCH = 96
FOOTER_CLEARANCE = 0.5 * PX_PER_INCH
"""The footer's lowest ink at least this far from the paper's bottom edge: most desktop
printers cannot print the last quarter inch or so."""
KEY_POINTS = "key-points"
QUESTIONNAIRE = "field-questionnaire"
FIELD_GROUP = "field-group"
"""A question and its follow-ups (and a crisis line after them): one page."""
MIN_SEARCH_TEXT = 8


@dataclass(frozen=True)
class Problem:
    """One broken rule: the page, what is wrong, and the block whose place is wrong."""

    page: int
    message: str
    block: Block | None = None
    line: Line | None = None
    field: FieldPath | None = None
    """Where to report it when no block moved (the footer: the title that makes it wrap)."""


def _is_heading(block: Block) -> bool:
    return block.tag in HEADING_TAGS or bool(block.classes & HEADING_CLASSES)


def _quote(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 3].rstrip()}...'"


class _Document:
    """The pages of one output with what the rules ask of them: which blocks hold which."""

    def __init__(self, pages: tuple[Page, ...]) -> None:
        self.pages = pages
        self.parent: dict[int, int | None] = {}
        self.on_pages: dict[int, list[int]] = {}
        for page in pages:
            for block in page.blocks:
                self.parent.setdefault(block.key, block.parent)
                self.on_pages.setdefault(block.key, []).append(page.number)

    def inside(self, key: int, ancestor: int) -> bool:
        found: int | None = key
        while found is not None:
            if found == ancestor:
                return True
            found = self.parent.get(found)
        return False

    def within(self, page: Page, ancestor: int) -> list[Block]:
        """The blocks on a page inside the block `ancestor`."""
        return [block for block in page.blocks if block.key != ancestor and self.inside(block.key, ancestor)]

    def descendants(self, page: Page, ancestor: Block, classes: set[str]) -> list[Block]:
        return [block for block in self.within(page, ancestor.key) if block.classes & classes]

    def owner(self, page: Page, line: Line) -> Block | None:
        return page.block(line.blocks[0]) if line.blocks else None


def _stranded_headings(document: _Document) -> Iterator[Problem]:
    """A heading whose section goes on over the page needs 2 lines of that section under it."""
    for page in document.pages[:-1]:
        for heading in page.blocks:
            if not _is_heading(heading) or heading.parent is None:
                continue
            if heading.continues:
                yield Problem(
                    page.number,
                    f"heading {_quote(heading.text)} is split: it goes on at the top of page "
                    f"{page.number + 1}",
                    heading,
                )
                continue
            section = page.block(heading.parent)
            if section is None or not section.continues:
                continue
            after = [
                line
                for line in page.lines
                if section.key in line.blocks
                and heading.key not in line.blocks
                and line.top >= heading.bottom - 1
            ]
            if len(after) < MIN_LINES_AFTER_HEADING:
                lines = "no line" if not after else "1 line"
                yield Problem(
                    page.number,
                    f"heading {_quote(heading.text)} ends the page with {lines} of its text under it; "
                    f"the rest is on page {page.number + 1}",
                    heading,
                )


def _lone_lines(document: _Document) -> Iterator[Problem]:
    """A page opening with the last scrap of a section that began on an earlier page, before
    the next heading: one line, one bullet or one sources line."""
    for page in document.pages[1:]:
        first_heading = min(
            (block.top for block in page.blocks if _is_heading(block) and not block.continued),
            default=page.text_area.bottom,
        )
        opening = [line for line in page.lines if line.top < first_heading - 1]
        if not opening:
            continue
        holders = [block for key in opening[0].blocks if (block := page.block(key)) is not None]
        if not any(block.continued and block.tag not in CONTAINERS for block in holders):
            continue
        owners = {line.blocks[0] for line in opening if line.blocks}
        owner = document.owner(page, opening[0])
        item = owner is not None and owner.tag == "li"
        one_part = len(owners) == 1 and owner is not None and (item or "sources" in owner.classes)
        if len(opening) == 1 or one_part:
            what = "one line" if len(opening) == 1 else "one list item" if item else "one part"
            yield Problem(
                page.number,
                f"the page opens with {what}, {_quote(opening[0].text)}, alone: the rest of its "
                f"section is on page {page.number - 1}",
                owner,
                opening[0],
            )


def _fill_exempt(page: Page) -> bool:
    return any(block.attribute("page") == FILL_EXEMPT for block in page.blocks)


def _near_empty_pages(document: _Document) -> Iterator[Problem]:
    pages = document.pages
    for page, following in itertools.pairwise(pages):
        # A notes page may be short, and so may the page before it: the body ends there.
        if page.filled >= MIN_FILLED or _fill_exempt(page) or _fill_exempt(following):
            continue
        first = following.lines[0] if following.lines else None
        moved = document.owner(following, first) if first else None
        yield Problem(
            page.number,
            f"the page is only {round(page.filled * 100)}% filled; what follows starts on page "
            f"{following.number}" + (f" with {_quote(first.text)}" if first and first.text else ""),
            moved,
            first,
        )


def _split_groups(document: _Document) -> Iterator[Problem]:
    """A question and its follow-ups ("If yes, ...") on one page."""
    for page in document.pages:
        for group in page.blocks:
            if FIELD_GROUP in group.classes and group.continues:
                yield Problem(
                    page.number,
                    f"the question {_quote(group.text)} is on page {page.number} and its follow-up "
                    f"on page {page.number + 1}; they must share a page",
                    group,
                )


def _questionnaires(document: _Document) -> Iterator[Problem]:
    """A questionnaire splits only between items: its heading with at least one item, its
    answer header on every page it reaches, its total box with its last item."""
    seen: set[int] = set()
    for page in document.pages:
        for field in page.blocks:
            if QUESTIONNAIRE not in field.classes or field.key in seen:
                continue
            seen.add(field.key)
            yield from _one_questionnaire(document, field)


def _one_questionnaire(document: _Document, field: Block) -> Iterator[Problem]:
    numbers = document.on_pages[field.key]
    item_pages: list[int] = []
    total_page: int | None = None
    for number in numbers:
        page = document.pages[number - 1]
        here = page.block(field.key)
        assert here is not None
        items = [
            block
            for block in document.descendants(page, here, {"item", "instrument-item"})
            if block.tag in {"tr", "div"}
        ]
        for item in items:
            if item.continued or item.continues:
                yield Problem(number, f"questionnaire item {_quote(item.text)} is split over two pages", item)
        if items:
            item_pages.append(number)
        inside = document.within(page, field.key)
        titles = [block for block in inside if _is_heading(block)]
        for title in titles:
            if not title.continued and not any(item.top > title.top for item in items):
                yield Problem(
                    number,
                    f"the questionnaire {_quote(title.text)} starts at the bottom of the page without "
                    f"any of its items; they start on page {number + 1}",
                    title,
                )
        for table in (block for block in inside if block.tag == "table"):
            header = [block for block in document.within(page, table.key) if block.tag == "thead"]
            if table.continued and not header:
                yield Problem(
                    number,
                    f"the questionnaire goes on from page {number - 1} without its answer header",
                    table,
                )
        if document.descendants(page, here, {"total"}):
            total_page = number
    if item_pages and total_page is not None and total_page != item_pages[-1]:
        page = document.pages[total_page - 1]
        total = next(iter(document.descendants(page, page.block(field.key) or field, {"total"})), field)
        yield Problem(
            total_page,
            f"the questionnaire's total box is on page {total_page}, its last item on page {item_pages[-1]}",
            total,
        )


def _key_points(document: _Document, layout: str, variant: str) -> Iterator[Problem]:
    """A booklet's key points whole on the cover; in large print, whole on the cover or on
    the page after it."""
    if layout != "booklet":
        return
    large = variant == "large-print"
    allowed = {1, 2} if large else {1}
    for page in document.pages:
        for block in page.blocks:
            if KEY_POINTS not in block.classes:
                continue
            if page.number not in allowed or block.continues:
                where = "the cover or the page after it (page 1 or 2)" if large else "the cover (page 1)"
                yield Problem(
                    page.number,
                    f"the key points must be whole on {where}; they are on page "
                    f"{page.number}" + (" and the next" if block.continues else ""),
                    block,
                    field=("key_points",),
                )
            return


def _footer(document: _Document) -> Iterator[Problem]:
    """The running footer: one line, its lowest ink half an inch above the paper's edge."""
    for page in document.pages:
        footer = page.footer
        if footer is None:
            continue
        if footer.lines > 1:
            yield Problem(
                page.number,
                f"the running footer takes {footer.lines} lines ({_quote(footer.text, 60)}); "
                "give the document a shorter `short_title`",
                field=("short_title",),
            )
            return
        if page.height - footer.bottom < FOOTER_CLEARANCE - 0.01:
            inches = (page.height - footer.bottom) / PX_PER_INCH
            yield Problem(
                page.number,
                f"the running footer is {inches:.2f} in from the paper's edge; it needs 0.5 in "
                "(a style problem: the layout's bottom margin)",
            )
            return


def problems(pages: tuple[Page, ...], layout: str, variant: str) -> list[Problem]:
    """Every pagination rule the pages of an output break; none for layouts with fixed panels."""
    if layout not in LAYOUTS:
        return []
    document = _Document(pages)
    found = [
        *_stranded_headings(document),
        *_lone_lines(document),
        *_near_empty_pages(document),
        *_split_groups(document),
        *_questionnaires(document),
        *_key_points(document, layout, variant),
        *_footer(document),
    ]
    return sorted(found, key=lambda problem: problem.page)


def _located(origins: Origins, problem: Problem, where: str) -> Diagnostic:
    """At the field the rule names, else at the value the misplaced block came from (the
    `data-source` the template put on it: the content file's, or the clinic profile's)."""
    message = f"{where} page {problem.page}: {problem.message}"
    source = origins.document
    if problem.field is not None:
        return Diagnostic(
            source.display, source.line_of(problem.field), format_field_path(problem.field), message
        )
    block_source = problem.block.source if problem.block is not None else None
    if block_source and block_source.startswith(CLINIC_SOURCE) and origins.clinic is not None:
        return origins.at(block_source, where, f"page {problem.page}: {problem.message}", "")
    if not block_source or block_source.startswith(CLINIC_SOURCE):
        return Diagnostic(source.display, 1, "", message)
    path = parse_field_path(block_source)
    return Diagnostic(source.display, source.line_of(path), format_field_path(path), message)


def check_pagination(pages: tuple[Page, ...], output: Output, clinic: SourceFile | None = None) -> None:
    """Fails the output, with a located message for each page that breaks a rule."""
    found = problems(pages, output.layout, output.variant)
    if not found:
        return
    if output.document.short_title is None:  # the footer shows the title
        found = [
            Problem(problem.page, problem.message, problem.block, problem.line, ("title",))
            if problem.field == ("short_title",)
            else problem
            for problem in found
        ]
    paper = output.paper_label
    where = f"{output.layout} ({paper})"
    origins = Origins(output.source.source, clinic)
    raise ContentError([_located(origins, problem, where) for problem in found])
