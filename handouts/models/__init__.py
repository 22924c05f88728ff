"""Pydantic models of the content files: documents, clinic profile and UI strings."""

from handouts.models.brochure import Brochure, GlossaryTerm
from handouts.models.clinic import AfterHours, BrandColours, Clinic, CrisisLines, ReadabilityLimits
from handouts.models.common import Reference, Review
from handouts.models.instrument import Instrument
from handouts.models.intake import FormSection, Intake
from handouts.models.sections import ROLES, SafetySection, Section
from handouts.models.strings import UiStrings

__all__ = [
    "ROLES",
    "AfterHours",
    "BrandColours",
    "Brochure",
    "Clinic",
    "CrisisLines",
    "FormSection",
    "GlossaryTerm",
    "Instrument",
    "Intake",
    "ReadabilityLimits",
    "Reference",
    "Review",
    "SafetySection",
    "Section",
    "UiStrings",
]
