"""An intake leaflet: a form declared as data. Templates render any form so declared."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from handouts.models.common import (
    MAX_LIST_ITEMS,
    DocumentBase,
    ShortText,
    Slug,
    StrictModel,
    Text,
)

FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,40}$")]
"""The PDF form field's name: lower-case letters, digits and underscores."""

Options = Annotated[list[ShortText], Field(min_length=2, max_length=MAX_LIST_ITEMS)]


class FieldBase(StrictModel):
    name: FieldName
    label: ShortText = Field(description="The question; also the field's name for screen readers.")
    hint: Text | None = Field(default=None, description="Help shown under the label.")
    clinician_reviews: bool = Field(
        default=False, description="A clinician reviews this answer before any treatment."
    )

    def pdf_names(self) -> list[str]:
        """The PDF form fields this question makes."""
        return [self.name]


class TextInput(FieldBase):
    type: Literal["text"]
    size: Literal["full", "half"] = "full"


class MultiLineInput(FieldBase):
    type: Literal["multiline"]
    lines: int = Field(default=4, ge=2, le=12, description="Handwriting lines on paper, about 8 mm each.")


class DateInput(FieldBase):
    type: Literal["date"]


class PhoneInput(FieldBase):
    type: Literal["phone"]


class EmailInput(FieldBase):
    type: Literal["email"]


class SignatureInput(FieldBase):
    type: Literal["signature"]


class YesNoInput(FieldBase):
    type: Literal["yesno"]


class ChoiceInput(FieldBase):
    """Pick one: a radio group."""

    type: Literal["choice"]
    options: Options

    @model_validator(mode="after")
    def _distinct_options(self) -> ChoiceInput:
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must differ from each other")
        return self


class ChecklistInput(FieldBase):
    """Tick any: one checkbox per option."""

    type: Literal["checklist"]
    options: Annotated[list[ShortText], Field(min_length=1, max_length=MAX_LIST_ITEMS)]

    def pdf_names(self) -> list[str]:
        return [f"{self.name}_{number}" for number in range(1, len(self.options) + 1)]


class ScaleInput(FieldBase):
    """A rating from `low` to `high`: a radio group of numbers."""

    type: Literal["scale"]
    low: int = Field(default=0, ge=0, le=1)
    high: int = Field(default=10, ge=3, le=10)
    low_label: ShortText
    high_label: ShortText


class QuestionnaireInput(StrictModel):
    """A validated screening questionnaire, reproduced word for word from handouts/instruments/."""

    type: Literal["questionnaire"]
    name: FieldName
    instrument: Slug = Field(description="A file name in handouts/instruments/ without .yaml, e.g. 'phq-9'.")
    clinician_reviews: bool = False


FormField = Annotated[
    TextInput
    | MultiLineInput
    | DateInput
    | PhoneInput
    | EmailInput
    | SignatureInput
    | YesNoInput
    | ChoiceInput
    | ChecklistInput
    | ScaleInput
    | QuestionnaireInput,
    Field(discriminator="type"),
]

FIELD_TYPES = (
    "text",
    "multiline",
    "date",
    "phone",
    "email",
    "signature",
    "yesno",
    "choice",
    "checklist",
    "scale",
    "questionnaire",
)


ONE_LINE_TYPES = {"text", "date", "phone", "email", "signature", "yesno"}
COMPACT_FIELDS = 4


class FormSection(StrictModel):
    heading: ShortText
    paragraphs: list[Text] = Field(default_factory=list)
    bullets: list[Text] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    fields: list[FormField] = Field(default_factory=list)
    clinician_reviews: bool = Field(
        default=False, description="A clinician reviews every answer here before any treatment."
    )
    sources: list[Slug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_content(self) -> FormSection:
        if not (self.paragraphs or self.bullets or self.fields):
            raise ValueError("a form section needs paragraphs, bullets or fields")
        return self

    @property
    def keep_together(self) -> bool:
        """A few one-line answers (a contact, a signature and date) read as one block."""
        return len(self.fields) <= COMPACT_FIELDS and all(
            field.type in ONE_LINE_TYPES for field in self.fields
        )


class Intake(DocumentBase):
    """An intake leaflet content file (`intake/*.yaml`)."""

    kind: Literal["intake"] = "intake"
    instructions: Text = Field(description="How to fill the form in, on screen or on paper.")
    return_to: Text = Field(description="What to do with the filled form.")
    sections: list[FormSection] = Field(min_length=1)

    def fields(self) -> Iterator[tuple[tuple[str | int, ...], FormField]]:
        """Every field with its path in the content file."""
        for section_index, section in enumerate(self.sections):
            for field_index, field in enumerate(section.fields):
                yield ("sections", section_index, "fields", field_index), field
