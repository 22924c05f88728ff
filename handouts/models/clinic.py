"""The clinic profile (`clinic.yaml`): who hands the document out, and its branding."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from handouts.models.common import MAX_LIST_ITEMS, HttpsUrl, ShortText, Slug, StrictModel, Text

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

    @model_validator(mode="after")
    def _own_numbers_outside_the_us(self) -> CrisisLine:
        """The defaults are the US's: a clinic elsewhere names its own lines, never a silent 911."""
        missing = [
            name for name in ("service", "call_or_text", "emergency") if name not in self.model_fields_set
        ]
        if self.country != "US" and missing:
            raise ValueError(
                f"outside the US, give the crisis line's {', '.join(missing)} for {self.country} "
                "(the defaults are the US's 988 and 911)"
            )
        return self


class Limits(StrictModel):
    """Bounds the build holds every document to; a clinic may move them."""

    max_pages: int = Field(
        default=32,
        ge=2,
        le=200,
        description="The most pages one PDF may have; a longer one fails with a located message.",
    )


class AfterHours(StrictModel):
    """Who a patient calls about a warning sign when the clinic is closed."""

    phone: Phone
    note: ShortText | None = Field(default=None, description="e.g. 'Ask for the doctor on call.'")


class ReadabilityLimits(StrictModel):
    """The plain-language gate (handouts.readability). A document past its limit fails;
    a section past its limit gets a warning."""

    smog_document: float = Field(
        default=8, ge=4, le=30, description="Highest SMOG grade of an English document."
    )
    smog_section: float = Field(
        default=10, ge=4, le=30, description="SMOG grade above which a section is warned."
    )
    fernandez_huerta_document: float = Field(
        default=70, ge=0, le=100, description="Lowest Fernández-Huerta score of a Spanish document."
    )
    fernandez_huerta_section: float = Field(
        default=60, ge=0, le=100, description="Fernández-Huerta score below which a section is warned."
    )


class Clinic(StrictModel):
    id: Slug = Field(
        description="The clinic's own id, e.g. 'riverside-mind-clinic': every PDF is recorded as built "
        "for it, so two clinics' handouts never mix in one output folder or one email."
    )
    sample: bool = Field(
        default=False,
        description="A sample or unfinished profile: every page says 'Sample - not for patients' "
        "and the build warns. Remove it when every value is the clinic's own.",
    )
    name: ShortText
    address: list[ShortText] = Field(min_length=1, max_length=5, description="Postal address, one line each.")
    phone: Phone
    email: Email
    website: HttpsUrl
    hours: ShortText | None = None
    after_hours: AfterHours | None = Field(
        default=None,
        description="Who to call when the clinic is closed. Needed by brochures about a medicine: "
        "their safety section tells patients to call it about warning signs.",
    )
    costs: list[Text] = Field(
        default_factory=list,
        max_length=MAX_LIST_ITEMS,
        description="Fees and insurance, in the clinic's words; printed after a brochure's `costs` section.",
    )
    readability: ReadabilityLimits = Field(default_factory=ReadabilityLimits)
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
