"""A patient brochure about one therapy: the sections of a clinic's therapy page and a
patient article, each optional, always laid out in the order declared here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field, ModelWrapValidatorHandler, PrivateAttr, model_validator

from handouts.models.common import (
    MAX_LIST_ITEMS,
    DocumentBase,
    Faq,
    Section,
    ShortText,
    StrictModel,
    Text,
)


class BrochureSections(StrictModel):
    """The body of a brochure, in the order the content file gives. Layouts with fixed
    panels refer to sections by name."""

    what_it_is: Section | None = None
    helps_with: Section | None = Field(default=None, description="Conditions it helps with, and why.")
    what_you_explore: Section | None = Field(
        default=None, description="Emotions, patterns, defenses, free association."
    )
    therapy_relationship: Section | None = Field(
        default=None, description="The therapy relationship and transference."
    )
    goals: Section | None = None
    ketamine_pairing: Section | None = Field(
        default=None, description="How the therapy pairs with ketamine treatment."
    )
    ketamine_journey: Section | None = Field(
        default=None, description="Before, during and after ketamine sessions."
    )
    treatment_day: Section | None = Field(
        default=None, description="Basics for the day of a ketamine session."
    )
    what_to_expect: Section | None = None
    formats: Section | None = Field(default=None, description="Formats and how long each lasts.")
    sessions: Section | None = Field(default=None, description="Session length and how often.")
    evidence: Section | None = None
    questions_to_ask_yourself: Section | None = None
    finding_a_therapist: Section | None = None

    _order: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _keep_file_order(
        cls, data: Any, handler: ModelWrapValidatorHandler[BrochureSections]
    ) -> BrochureSections:
        sections = handler(data)
        if isinstance(data, dict):
            sections._order = tuple(name for name in data if name in cls.model_fields)
        return sections

    def present(self) -> Iterator[tuple[str, Section]]:
        """The sections this brochure has, in reading order, with their names."""
        for name in self._order or tuple(type(self).model_fields):
            section = getattr(self, name)
            if section is not None:
                yield name, section

    @model_validator(mode="after")
    def _enough_to_say(self) -> BrochureSections:
        if sum(1 for _ in self.present()) < 3:
            raise ValueError("a brochure needs at least 3 sections")
        return self


class Brochure(DocumentBase):
    """A brochure content file (`brochures/*.yaml`)."""

    kind: Literal["brochure"] = "brochure"
    therapy: ShortText = Field(description="The therapy's name, e.g. 'Psychodynamic therapy'.")
    category: ShortText = Field(description="One line saying what kind of therapy it is.")
    summary: Text = Field(description="The main message, in two or three sentences.")
    key_points: list[Text] = Field(min_length=3, max_length=MAX_LIST_ITEMS, description="The short version.")
    next_step: Text = Field(description="What the reader can do now: the call to action.")
    sections: BrochureSections
    faq: Faq | None = None
