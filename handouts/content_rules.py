"""Rules a document must meet beyond its own file's shape, checked in the validate stage:
what it needs from the clinic profile, and plain language (handouts.readability)."""

from __future__ import annotations

import re

from handouts.diagnostics import Diagnostic
from handouts.models import Brochure, Clinic, ReadabilityLimits
from handouts.models.common import DocumentBase
from handouts.readability import Findings, check_readability
from handouts.reader import SourceFile


def _needs_from_clinic(document: DocumentBase, source: SourceFile, clinic: Clinic) -> list[Diagnostic]:
    if isinstance(document, Brochure) and document.medicine and clinic.after_hours is None:
        return [
            source.problem(
                ("medicine",),
                "a brochure about a medicine tells patients who to call about warning signs when the "
                "clinic is closed: add `after_hours` (phone, optional note) to clinic.yaml",
            )
        ]
    return []


US_LINES = re.compile(r"(?<!\d)(?<!\d\.)(911|988)(?!\.?\d)")
"""The US's emergency and crisis numbers, as a document's own words may name them."""
NOT_WORDS = ("id", "topic", "references", "version")
"""Values a reader does not read as advice (ids, citations)."""


def _us_numbers_elsewhere(source: SourceFile, clinic: Clinic) -> list[Diagnostic]:
    """A document's own words that name the US's 911 or 988 for a clinic in another
    country: the clinic's lines print from its profile, but the topic's text does not."""
    if clinic.country == "US":
        return []
    own = [
        (path, found.group(1))
        for path, text in source.strings()
        if path[0] not in NOT_WORDS and "sources" not in path and (found := US_LINES.search(text))
    ]
    return [
        source.problem(
            path,
            f"warning: names the US's {number}, but the clinic is in {clinic.country} "
            f"(emergency {clinic.crisis.emergency}); say it as the clinic's lines, or leave the number out",
        )
        for path, number in own
    ]


def document_rules(document: DocumentBase, source: SourceFile, clinic: Clinic | None) -> Findings:
    """Problems (the document is not built) and warnings (it is, and the build says so)."""
    problems = _needs_from_clinic(document, source, clinic) if clinic is not None else []
    elsewhere = _us_numbers_elsewhere(source, clinic) if clinic is not None else []
    limits = clinic.readability if clinic is not None else ReadabilityLimits()
    readability = check_readability(document, source, limits)
    return Findings(problems + readability.problems, readability.warnings + elsewhere)
