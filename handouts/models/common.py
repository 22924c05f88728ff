"""Building blocks shared by every kind of content file."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from handouts.language_tags import language_of
from handouts.models.characters import character_problem
from handouts.models.locale import LocaleTag

# Lists longer than this are hard to take in (CDC Clear Communication Index).
MAX_LIST_ITEMS = 7


class StrictModel(BaseModel):
    """A content model: unknown fields are mistakes, values are never coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _printable(one_line: bool) -> AfterValidator:
    def check(value: str) -> str:
        problem = character_problem(value, one_line)
        if problem:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


TEXT_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]*$"
LINE_PATTERN = r"^[^\n\x00-\x1f\x7f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]*$"
"""What editors that read the JSON Schema check as you type; the build checks more
(handouts.models.characters) and says which character, where."""

Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2000),
    _printable(one_line=False),
    Field(json_schema_extra={"pattern": TEXT_PATTERN}),
]
"""Patient-facing text: plain, nothing invisible that changes what is read. Templates escape it."""

ShortText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=160),
    _printable(one_line=True),
    Field(json_schema_extra={"pattern": LINE_PATTERN}),
]
"""One line: a heading, a name, a label."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
"""Lower-case words joined by hyphens. Ids are slugs, so no id can name a path."""

LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(?:-[A-Z]{2})?$")]

Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(?:\.\d+)?$")]

Pmid = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,8}$")]

HttpsUrl = Annotated[
    str, StringConstraints(pattern=r"^https://[A-Za-z0-9.-]+(?:/[^\s<>\"]*)?$", max_length=500)
]


class Reference(StrictModel):
    """A source behind the document's clinical statements."""

    key: Slug = Field(description="Short name that sections cite in their `sources` list.")
    citation: Text = Field(description="Authors, year, title and journal or issuer.")
    pmid: Pmid | None = Field(default=None, description="PubMed id; the brochure links it to PubMed.")
    url: HttpsUrl | None = Field(default=None, description="Official page, for labels and guidelines.")
    supports: Text | None = Field(default=None, description="What the source is cited for.")

    @model_validator(mode="after")
    def _traceable(self) -> Reference:
        if self.pmid is None and self.url is None:
            raise ValueError("a reference needs a pmid or an https url so a reader can find it")
        return self

    @property
    def link(self) -> str:
        if self.pmid is not None:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        assert self.url is not None
        return self.url


class Review(StrictModel):
    """Who checked the content, and when it must be checked again."""

    last_reviewed: dt.date
    next_review: dt.date
    reviewer_role: ShortText = Field(description="A role, never a person's name, e.g. 'Psychiatrist (MD)'.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Review:
        if self.next_review <= self.last_reviewed:
            raise ValueError("next_review must come after last_reviewed")
        return self


class Entry(StrictModel):
    """A named item: a condition, a format, a thing to expect."""

    name: ShortText
    text: Text
    detail: ShortText | None = Field(
        default=None, description="A short fact shown beside the name, e.g. '16 sessions'."
    )


class Question(StrictModel):
    question: ShortText
    answer: Text
    sources: list[Slug] = Field(default_factory=list)


class Faq(StrictModel):
    heading: ShortText
    items: list[Question] = Field(min_length=1, max_length=MAX_LIST_ITEMS)


class DocumentBase(StrictModel):
    """What every document carries, whatever its kind."""

    @field_validator("locale")
    @classmethod
    def _locale_in_its_language(cls, locale: str | None, info: ValidationInfo) -> str | None:
        language = info.data.get("language")
        if (
            locale is not None
            and language is not None
            and (language_of(locale) != language_of(language) or ("-" in language and language != locale))
        ):
            raise ValueError(f"locale '{locale}' is not in the document's language '{language}'")
        return locale

    kind: Literal["brochure", "intake"]
    id: Slug = Field(description="Stable id; names the output files. Lower-case words and hyphens.")
    topic: Slug = Field(
        description="The therapy this document is about; shared by its brochure and intake leaflet."
    )
    language: LanguageTag = "en"
    locale: LocaleTag | None = Field(
        default=None,
        description="Where this document differs from the clinic's locale, e.g. 'es-US': its language "
        "and country (date order, spelling). Its language must be the document's `language`.",
    )
    translates: Slug | None = Field(
        default=None,
        description="The id of the document this one translates (an edition in another language): "
        "the build checks that both have the same sections, lists, references and version.",
    )
    title: ShortText
    short_title: ShortText | None = Field(
        default=None,
        description="A shorter title for the running footer, which must fit one line with the page "
        "number ('Page 12 of 17'); the title when not given.",
    )
    purpose: Text = Field(
        description="One or two sentences at the top of page one: what this is for and who it is for."
    )
    keywords: list[ShortText] = Field(default_factory=list, max_length=12)
    review: Review
    version: Version
    references: list[Reference] = Field(default_factory=list)
