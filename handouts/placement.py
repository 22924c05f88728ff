"""Check stage: where a booklet puts its medicine safety section. A patient who reads only
the first pages must meet it, so it starts within the first half of the booklet's pages."""

from __future__ import annotations

from handouts.catalog import Output
from handouts.diagnostics import ContentError
from handouts.models import Brochure
from handouts.typeset.measure import Page

SAFETY = "safety"


def first_page_with(pages: tuple[Page, ...], role: str) -> int | None:
    """The page (from 1) where the first section with this role starts."""
    return next((page.number for page in pages if role in page.roles), None)


def check_safety_early(pages: tuple[Page, ...], output: Output) -> None:
    brochure = output.document
    if output.layout != "booklet" or not isinstance(brochure, Brochure) or brochure.safety is None:
        return
    name, _ = brochure.safety
    count = len(pages)
    start = first_page_with(pages, SAFETY)
    if start is not None and start - 1 < count / 2:
        return
    paper = output.paper_label
    where = f"starts on page {start} of {count}" if start else "is not in the booklet"
    message = (
        f"the safety section {where} ({paper}); it must start in the first half of the booklet: "
        "move it up in `sections`"
    )
    raise ContentError([output.source.source.problem(("sections", name), message)])
