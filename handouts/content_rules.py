"""Rules a document must meet beyond its own file's shape, checked in the validate stage:
what it needs from the clinic profile, and plain language (handouts.readability)."""

from __future__ import annotations

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


def document_rules(document: DocumentBase, source: SourceFile, clinic: Clinic | None) -> Findings:
    """Problems (the document is not built) and warnings (it is, and the build says so)."""
    problems = _needs_from_clinic(document, source, clinic) if clinic is not None else []
    limits = clinic.readability if clinic is not None else ReadabilityLimits()
    readability = check_readability(document, source, limits)
    return Findings(problems + readability.problems, readability.warnings)
