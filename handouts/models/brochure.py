"""A patient brochure about one therapy: sections under free names, each with a role from
a small vocabulary (handouts.models.sections), laid out in the order the file gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from handouts.models.common import MAX_LIST_ITEMS, DocumentBase, Faq, ShortText, Slug, StrictModel, Text
from handouts.models.sections import DOWNSIDES, ROLES, SAFETY, AnySection, SafetySection, SectionName
from handouts.models.trifold import Block

MIN_SECTIONS = 3


class GlossaryTerm(StrictModel):
    """A word the reader may not know, and its meaning in plain words. The booklet prints
    the glossary, so the readability check does not count a term defined here as hard."""

    term: ShortText
    meaning: Text


class Brochure(DocumentBase):
    """A brochure content file (`brochures/*.yaml`)."""

    kind: Literal["brochure"] = "brochure"
    therapy: ShortText = Field(description="The therapy's name, e.g. 'Psychodynamic therapy'.")
    category: ShortText = Field(description="One line saying what kind of therapy it is.")
    medicine: bool = Field(
        description="Whether the treatment involves a medicine. A brochure about a medicine needs "
        "a section with role `safety`, early in the booklet and on the tri-fold."
    )
    summary: Text = Field(description="The main message, in two or three sentences.")
    key_points: list[Text] = Field(min_length=3, max_length=MAX_LIST_ITEMS, description="The short version.")
    next_step: Text = Field(description="What the reader can do now: the call to action.")
    sections: dict[SectionName, AnySection] = Field(
        description="The body, in reading order. Name each section in lower-case words joined by "
        "underscores, and give it a `role`: " + ", ".join(ROLES) + ". Every brochure needs a "
        "`downsides` section; a brochure about a medicine needs one `safety` section."
    )
    faq: Faq | None = None
    glossary: list[GlossaryTerm] = Field(
        default_factory=list, max_length=12, description="Words to know, printed in the booklet."
    )
    trifold: dict[Slug, list[Block]] | None = Field(
        default=None,
        description="This topic's own tri-fold choices: a panel's name (front-cover, fold-in, "
        "back-cover, inside-left, inside-middle, inside-right) and its blocks, top to bottom, "
        "e.g. `inside-middle: [{role: sessions, entries: 2}, evidence]`. Panels not named keep "
        "the defaults of templates/brochure/trifold-panels.yaml.",
    )

    @field_validator("trifold")
    @classmethod
    def _panels_not_empty(cls, trifold: dict[str, list[Block]] | None) -> dict[str, list[Block]] | None:
        for name, blocks in (trifold or {}).items():
            if not blocks:
                raise ValueError(f"panel '{name}' needs at least one block")
        return trifold

    @field_validator("sections")
    @classmethod
    def _required_parts(cls, sections: dict[str, AnySection], info: ValidationInfo) -> dict[str, AnySection]:
        roles = [section.role for section in sections.values()]
        missing = []
        if len(sections) < MIN_SECTIONS:
            missing.append(f"a brochure needs at least {MIN_SECTIONS} sections")
        if DOWNSIDES not in roles:
            missing.append(
                f"a brochure needs a section with role '{DOWNSIDES}': possible downsides, "
                "and what to do if it is not helping"
            )
        if info.data.get("medicine") and SAFETY not in roles:
            missing.append(
                f"a brochure about a medicine (medicine: true) needs a section with role '{SAFETY}': "
                "not_for, serious_risks and warning_signs"
            )
        if roles.count(SAFETY) > 1:
            missing.append(f"a brochure has one section with role '{SAFETY}', found {roles.count(SAFETY)}")
        if missing:
            raise ValueError("; ".join(missing))
        return sections

    def with_role(self, role: str) -> Iterator[tuple[str, AnySection]]:
        """The sections that have this role, in reading order, with their names."""
        return ((name, section) for name, section in self.sections.items() if section.role == role)

    @property
    def safety(self) -> tuple[str, SafetySection] | None:
        for name, section in self.with_role(SAFETY):
            assert isinstance(section, SafetySection)
            return name, section
        return None
