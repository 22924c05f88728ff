"""Pydantic models of the content files: documents, clinic profile and UI strings."""

from handouts.models.brochure import Brochure, BrochureSections
from handouts.models.clinic import BrandColours, Clinic, CrisisLine
from handouts.models.common import Reference, Review, Section
from handouts.models.instrument import Instrument
from handouts.models.intake import FormSection, Intake
from handouts.models.strings import UiStrings

__all__ = [
    "BrandColours",
    "Brochure",
    "BrochureSections",
    "Clinic",
    "CrisisLine",
    "FormSection",
    "Instrument",
    "Intake",
    "Reference",
    "Review",
    "Section",
    "UiStrings",
]
