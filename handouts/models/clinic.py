"""The clinic profile (`clinic.yaml`): who hands the document out, and its branding."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from handouts.catalog import Paper
from handouts.diagnostics import FieldPath
from handouts.language_tags import language_of
from handouts.models.common import (
    MAX_LIST_ITEMS,
    HttpsUrl,
    LanguageTag,
    ShortText,
    Slug,
    StrictModel,
    Text,
)
from handouts.models.locale import LocaleTag, country_of, default_papers

HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$", to_lower=True)]
"""A colour as #rrggbb. Only this form reaches a stylesheet, so no text can."""

Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9(][0-9 ().-]{5,24}$")]

Email = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$", max_length=254)
]

CrisisNumber = Annotated[str, StringConstraints(pattern=r"^[0-9 +-]{2,20}$")]
EmergencyNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,4}$")]

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class BrandColours(StrictModel):
    """Colour tokens a clinic may override. Each is checked for contrast before use."""

    primary: HexColour = Field(default="#1d4f73", description="Headings, cover band (white text on it).")
    tint: HexColour = Field(default="#e8f1f7", description="Background of boxes (body text on it).")
    text: HexColour = Field(default="#1a1a1a", description="Body text.")
    paper: HexColour = Field(default="#ffffff", description="Page background.")


Translated = ShortText | dict[LanguageTag, ShortText]
"""Words a patient reads: the same in every language, or one per language tag
(`{en: ..., es: ...}`; a locale tag such as `en-GB` is looked up before its language)."""

TranslatedParagraphs = list[Text] | dict[LanguageTag, list[Text]]

Reach = Literal["call", "text", "chat"]


def in_language(value: Any, locale: str) -> Any:
    """A translated value in one locale's words; None when it has none for that language."""
    if isinstance(value, dict):
        return value.get(locale, value.get(language_of(locale)))
    return value


class CrisisContact(StrictModel):
    """One crisis line: its number, how it is reached, and its service's name."""

    number: CrisisNumber | None = Field(default=None, description="What to call or text, e.g. '988'.")
    reach: list[Reach] = Field(
        min_length=1,
        max_length=3,
        description="How the line is reached: call, text, chat. The wording follows it: "
        "'Call or text 988' only when it takes both.",
    )
    service: Translated = Field(
        description="The service's name, e.g. 'Samaritans'; per language if it has one."
    )
    chat: HttpsUrl | None = Field(default=None, description="Where to chat, when `reach` has chat.")

    @model_validator(mode="after")
    def _says_how_to_reach_it(self) -> CrisisContact:
        if len(set(self.reach)) != len(self.reach):
            raise ValueError("reach names each way once: call, text, chat")
        if ("call" in self.reach or "text" in self.reach) and self.number is None:
            raise ValueError("a line to call or text needs its `number`")
        if "chat" in self.reach and self.chat is None:
            raise ValueError("a line reached by chat needs its `chat` web address")
        return self

    @property
    def voice(self) -> str:
        """How the number is used: `call`, `text`, `call_or_text`, or '' (chat only)."""
        ways = [way for way in ("call", "text") if way in self.reach]
        return "_or_".join(ways)


US_LIFELINE = CrisisContact(number="988", reach=["call", "text"], service="988 Suicide and Crisis Lifeline")


class CrisisLines(StrictModel):
    """Where to get help right now, for the clinic's country (its `locale`). The defaults
    are the US's; a clinic elsewhere must give its own (the build refuses a silent 911)."""

    lines: list[CrisisContact] = Field(default_factory=lambda: [US_LIFELINE], min_length=1, max_length=3)
    emergency: EmergencyNumber = Field(default="911", description="The emergency number, called.")

    @model_validator(mode="before")
    @classmethod
    def _earlier_shape(cls, data: Any) -> Any:
        if isinstance(data, dict) and {"country", "call_or_text", "service"} & set(data):
            raise ValueError(
                "crisis lines are now `lines:` (each with number, reach: [call, text], service) and "
                "`emergency`; the country comes from the profile's `locale` (e.g. en-GB)"
            )
        return data


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
    note: Translated | None = Field(default=None, description="e.g. 'Ask for the doctor on call.'")


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
    locale: LocaleTag = Field(
        default="en-US",
        description="The clinic's language and country, e.g. 'en-GB': date order, spelling, default "
        "papers, and whose crisis lines apply. A document may give its own `locale`.",
    )
    papers: list[Paper] | None = Field(
        default=None,
        min_length=1,
        max_length=2,
        description="Papers to build: letter, a4. By default Letter in the US, Canada and Mexico, "
        "A4 elsewhere.",
    )
    address: list[ShortText] = Field(min_length=1, max_length=5, description="Postal address, one line each.")
    phone: Phone
    email: Email
    website: HttpsUrl
    hours: Translated | None = None
    after_hours: AfterHours | None = Field(
        default=None,
        description="Who to call when the clinic is closed. Needed by brochures about a medicine: "
        "their safety section tells patients to call it about warning signs.",
    )
    costs: TranslatedParagraphs = Field(
        default_factory=list,
        max_length=MAX_LIST_ITEMS,
        description="Fees and insurance, in the clinic's words; printed after a brochure's `costs` section.",
    )
    readability: ReadabilityLimits = Field(default_factory=ReadabilityLimits)
    logo: str | None = Field(
        default=None, description="Image file inside the content folder, e.g. 'logo.png'."
    )
    logo_alt: Translated | None = Field(default=None, description="Alternative text for the logo.")
    brand: BrandColours = Field(default_factory=BrandColours)
    crisis: CrisisLines = Field(default_factory=CrisisLines)
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

    @field_validator("papers")
    @classmethod
    def _each_paper_once(cls, value: list[Paper] | None) -> list[Paper] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("name each paper once")
        return value

    @property
    def country(self) -> str:
        """The one source of the clinic's country: its locale's region."""
        return country_of(self.locale)

    @property
    def papers_to_build(self) -> tuple[Paper, ...]:
        return tuple(self.papers) if self.papers else default_papers(self.country)

    def translated(self) -> list[tuple[FieldPath, Any]]:
        """Every value a patient reads that may be given per language, with its path."""
        values: list[tuple[FieldPath, Any]] = [
            (("hours",), self.hours),
            (("costs",), self.costs),
            (("logo_alt",), self.logo_alt),
        ]
        if self.after_hours is not None:
            values.append((("after_hours", "note"), self.after_hours.note))
        values += [
            (("crisis", "lines", i, "service"), line.service) for i, line in enumerate(self.crisis.lines)
        ]
        return values

    def prose_in_one_language(self) -> list[FieldPath]:
        """Sentences a patient reads (hours, costs, the after-hours note) given plain, not
        per language: a document in another language prints them as written."""
        prose = {("hours",), ("costs",), ("after_hours", "note")}
        return [
            path
            for path, value in self.translated()
            if path in prose and value is not None and value != [] and not isinstance(value, dict)
        ]

    def untranslated(self, locale: str) -> list[FieldPath]:
        """Values given per language that have no words for this locale's language."""
        return [
            path
            for path, value in self.translated()
            if value is not None and in_language(value, locale) is None
        ]

    def localised(self, locale: str) -> Clinic:
        """This profile with every translated value in one locale's words (see `untranslated`)."""
        after_hours = self.after_hours
        if after_hours is not None:
            after_hours = after_hours.model_copy(update={"note": in_language(after_hours.note, locale)})
        lines = [
            line.model_copy(update={"service": in_language(line.service, locale)})
            for line in self.crisis.lines
        ]
        return self.model_copy(
            update={
                "hours": in_language(self.hours, locale),
                "costs": in_language(self.costs, locale) or [],
                "logo_alt": in_language(self.logo_alt, locale),
                "after_hours": after_hours,
                "crisis": self.crisis.model_copy(update={"lines": lines}),
            }
        )
