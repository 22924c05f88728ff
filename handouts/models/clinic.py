"""The clinic profile (`clinic.yaml`): who hands the document out, and its branding."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from handouts.models.common import HttpsUrl, ShortText, StrictModel

HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$", to_lower=True)]
"""A colour as #rrggbb. Only this form reaches a stylesheet, so no text can."""

Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9(][0-9 ().-]{5,24}$")]

Email = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$", max_length=254)
]

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
CrisisNumber = Annotated[str, StringConstraints(pattern=r"^[0-9 +-]{2,20}$")]
EmergencyNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,4}$")]

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class BrandColours(StrictModel):
    """Colour tokens a clinic may override. Each is checked for contrast before use."""

    primary: HexColour = Field(default="#1d4f73", description="Headings, cover band (white text on it).")
    tint: HexColour = Field(default="#e8f1f7", description="Background of boxes (body text on it).")
    text: HexColour = Field(default="#1a1a1a", description="Body text.")
    paper: HexColour = Field(default="#ffffff", description="Page background.")


class CrisisLine(StrictModel):
    """Where to get help right now, for the clinic's country. Defaults are for the US."""

    country: CountryCode = "US"
    service: ShortText = "988 Suicide and Crisis Lifeline"
    call_or_text: CrisisNumber = "988"
    emergency: EmergencyNumber = "911"


class Limits(StrictModel):
    """Bounds the build holds every document to; a clinic may move them."""

    max_pages: int = Field(
        default=32,
        ge=2,
        le=200,
        description="The most pages one PDF may have; a longer one fails with a located message.",
    )


class Clinic(StrictModel):
    name: ShortText
    address: list[ShortText] = Field(min_length=1, max_length=5, description="Postal address, one line each.")
    phone: Phone
    email: Email
    website: HttpsUrl
    hours: ShortText | None = None
    logo: str | None = Field(
        default=None, description="Image file inside the content folder, e.g. 'logo.png'."
    )
    logo_alt: ShortText | None = Field(default=None, description="Alternative text for the logo.")
    brand: BrandColours = Field(default_factory=BrandColours)
    crisis: CrisisLine = Field(default_factory=CrisisLine)
    limits: Limits = Field(default_factory=Limits)

    @field_validator("logo")
    @classmethod
    def _logo_is_a_local_image(cls, value: str | None) -> str | None:
        if value is None:
            return None
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or "\\" in value:
            raise ValueError("logo must be a file path inside the content folder")
        if path.suffix.lower() not in LOGO_SUFFIXES:
            raise ValueError(f"logo must be one of {', '.join(LOGO_SUFFIXES)}")
        return value
