"""Check stage: where a booklet puts its medicine safety section. A patient who reads only
the first pages must meet it, so it starts within the first half of the booklet's pages."""

from __future__ import annotations

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from handouts.catalog import PAPER_LABELS, Output
from handouts.diagnostics import ContentError
from handouts.models import Brochure

ROLE_ATTRIBUTE = "data-role"
SAFETY = "safety"


def _holds_role(box: boxes.Box, role: str) -> bool:
    if box.element is not None and box.element.get(ROLE_ATTRIBUTE) == role:
        return True
    return isinstance(box, boxes.ParentBox) and any(_holds_role(child, role) for child in box.children)


def first_page_with(document: Document, role: str) -> int | None:
    """The page (from 1) where the first section with this role starts."""
    for number, page in enumerate(document.pages, start=1):
        if _holds_role(page._page_box, role):
            return number
    return None


def check_safety_early(document: Document, output: Output) -> None:
    brochure = output.document
    if output.layout != "booklet" or not isinstance(brochure, Brochure) or brochure.safety is None:
        return
    name, _ = brochure.safety
    pages = len(document.pages)
    start = first_page_with(document, SAFETY)
    if start is not None and start - 1 < pages / 2:
        return
    paper = PAPER_LABELS[output.paper] + ("" if output.variant == "standard" else f", {output.variant}")
    where = f"starts on page {start} of {pages}" if start else "is not in the booklet"
    message = (
        f"the safety section {where} ({paper}); it must start in the first half of the booklet: "
        "move it up in `sections`"
    )
    raise ContentError([output.source.source.problem(("sections", name), message)])
