"""An intake leaflet: a form declared as data. Templates render any form so declared."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, StringConstraints, model_validator

from handouts.diagnostics import format_field_path
from handouts.models.common import (
    MAX_LIST_ITEMS,
    DocumentBase,
    ShortText,
    Slug,
    StrictModel,
    Text,
)

PrefillKey = Literal["name", "birth_date", "appointment", "clinician"]
"""What `handouts personalise` may write into a field before the form is sent: the option of
the same name (`--name`, `--birth-date`, `--appointment`, `--clinician`)."""

FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,40}$")]
"""The PDF form field's name: lower-case letters, digits and underscores."""

ColumnName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,20}$")]

Options = Annotated[list[ShortText], Field(min_length=2, max_length=MAX_LIST_ITEMS)]


class Placed(StrictModel):
    """A field that knows where it stands in its content file (`sections[2].fields[0]`), for
    the `data-source` attribute the templates put on it."""

    _source: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        return self._source


class FieldBase(Placed):
    name: FieldName
    label: ShortText = Field(description="The question; also the field's name for screen readers.")
    hint: Text | None = Field(default=None, description="Help shown under the label.")
    clinician_reviews: bool = Field(
        default=False, description="A clinician reviews this answer before any treatment."
    )
    follow_up: bool = Field(
        default=False,
        description="Follows up the question before it ('If yes, ...'): kept on the same page as it.",
    )
    crisis_line: bool = Field(
        default=False,
        description=(
            "Print the clinic's crisis line after this question and its follow-ups "
            "(questions about self-harm)."
        ),
    )

    def pdf_names(self) -> list[str]:
        """The PDF form fields this question makes."""
        return [self.name]


class PrefilledBase(FieldBase):
    """A one-line answer the clinic may fill in for the patient with `handouts personalise`."""

    prefill: PrefillKey | None = Field(
        default=None,
        description="Filled by `handouts personalise`: --name, --birth-date, --appointment, --clinician.",
    )


class TextInput(PrefilledBase):
    type: Literal["text"]
    size: Literal["full", "half"] = "full"


class MultiLineInput(FieldBase):
    type: Literal["multiline"]
    lines: int = Field(default=4, ge=2, le=12, description="Handwriting lines on paper, about 8 mm each.")


class DateInput(PrefilledBase):
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


class TableColumn(StrictModel):
    name: ColumnName = Field(description="Ends each cell's PDF field name: medicines_r1_dose.")
    label: ShortText = Field(description="The column header.")


class TableInput(FieldBase):
    """A grid to write in: every cell is a text field named NAME_rROW_COLUMN, whose name for
    screen readers gives the question, the row and the column."""

    type: Literal["table"]
    columns: list[TableColumn] = Field(min_length=2, max_length=5)
    rows: int = Field(default=6, ge=1, le=12, description="Rows to fill in, each about 10 mm tall on paper.")
    row_label: ShortText = Field(
        description="What one row holds, numbered for screen readers: 'Medicine' gives 'Medicine 1'."
    )

    @model_validator(mode="after")
    def _distinct_columns(self) -> TableInput:
        if len({column.name for column in self.columns}) != len(self.columns):
            raise ValueError("column names must differ from each other")
        return self

    def cell_name(self, row: int, column: TableColumn) -> str:
        return f"{self.name}_r{row}_{column.name}"

    def cell_title(self, row: int, column: TableColumn) -> str:
        return f"{self.label} {self.row_label} {row}: {column.label}"

    def pdf_names(self) -> list[str]:
        return [self.cell_name(row, column) for row in range(1, self.rows + 1) for column in self.columns]


class QuestionnaireInput(Placed):
    """A validated screening questionnaire, reproduced word for word from handouts/instruments/."""

    type: Literal["questionnaire"]
    name: FieldName
    instrument: Slug = Field(description="A file name in handouts/instruments/ without .yaml, e.g. 'phq-9'.")
    clinician_reviews: bool = False
    follow_up: bool = False
    crisis_line: bool = False


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
    | TableInput
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
    "table",
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

    @model_validator(mode="after")
    def _first_field_follows_nothing(self) -> FormSection:
        if self.fields and self.fields[0].follow_up:
            raise ValueError("the first question of a section has no question before it to follow up")
        return self

    @property
    def field_groups(self) -> list[list[FormField]]:
        """The fields in runs that stay on one page: a question and its follow-ups."""
        groups: list[list[FormField]] = []
        for field in self.fields:
            if field.follow_up and groups:
                groups[-1].append(field)
            else:
                groups.append([field])
        return groups

    @property
    def keep_together(self) -> bool:
        """A few one-line answers (a contact, a signature and date) read as one block."""
        return len(self.fields) <= COMPACT_FIELDS and all(
            field.type in ONE_LINE_TYPES for field in self.fields
        )


def prefilled(field: FormField) -> PrefillKey | None:
    return field.prefill if isinstance(field, PrefilledBase) else None


class Intake(DocumentBase):
    """An intake leaflet content file (`intake/*.yaml`)."""

    kind: Literal["intake"] = "intake"
    instructions: Text = Field(description="How to fill the form in, on screen or on paper.")
    return_to: Text = Field(description="What to do with the filled form.")
    sections: list[FormSection] = Field(min_length=1)

    @model_validator(mode="after")
    def _fields_know_their_place(self) -> Intake:
        for path, field in self.fields():
            field._source = format_field_path(path)
        return self

    @model_validator(mode="after")
    def _one_field_a_prefill(self) -> Intake:
        keys = [key for _, field in self.fields() if (key := prefilled(field))]
        if repeated := sorted({key for key in keys if keys.count(key) > 1}):
            raise ValueError(f"prefill '{repeated[0]}' is given to more than one field; give it to one")
        return self

    def prefill_fields(self) -> dict[PrefillKey, str]:
        """The PDF field each prefill key fills."""
        return {key: field.name for _, field in self.fields() if (key := prefilled(field))}

    def fields(self) -> Iterator[tuple[tuple[str | int, ...], FormField]]:
        """Every field with its path in the content file."""
        for section_index, section in enumerate(self.sections):
            for field_index, field in enumerate(section.fields):
                yield ("sections", section_index, "fields", field_index), field
