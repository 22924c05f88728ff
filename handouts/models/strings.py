"""Fixed wording of the templates: one full table per language (`templates/strings/en.yaml`),
the differences of a country (`en-GB.yaml`), and a content folder's own (`strings/`)."""

from __future__ import annotations

from string import Formatter
from typing import Literal

from pydantic import Field, ValidationInfo, create_model, field_validator

from handouts.models.common import ShortText, StrictModel, Text

PLACEHOLDERS: dict[str, frozenset[str]] = {
    "date_format": frozenset({"day", "month", "year"}),
    "email_subject": frozenset({"clinic", "about"}),
    "email_handouts": frozenset({"count"}),
    "email_sending_one": frozenset({"clinic"}),
    "email_sending_many": frozenset({"clinic"}),
}
"""Wording with `{name}` slots the code fills: each must use exactly these."""


class UiStrings(StrictModel):
    language_name: ShortText
    months: list[ShortText] = Field(min_length=12, max_length=12)
    date_format: ShortText = Field(description="Uses {day}, {month} and {year}.")
    date_order: Literal["mdy", "dmy", "ymd"] = Field(
        description="The order of a date written in numbers, as `date_hint` asks for it: "
        "what `handouts personalise` writes and `handouts read` reads."
    )
    brochure: ShortText
    key_points: ShortText
    next_step: ShortText
    notes: ShortText = Field(description="Heading of a print-shop booklet's notes page.")
    get_help_now: ShortText
    crisis_intro: Text
    reach_call: ShortText = Field(description="Before a crisis line's number it takes calls only.")
    reach_text: ShortText = Field(description="Before a crisis line's number it takes texts only.")
    reach_call_or_text: ShortText = Field(description="Before a number that takes calls and texts.")
    reach_chat: ShortText = Field(description="Before a crisis line's chat address.")
    emergency: ShortText
    sources: ShortText
    references: ShortText
    references_in_booklet: Text = Field(
        description="On the tri-fold, above its references, which print only their addresses."
    )
    pubmed: ShortText
    about_this_handout: ShortText
    reviewed: ShortText
    next_review: ShortText
    reviewed_by: ShortText
    version: ShortText
    page: ShortText
    page_of: ShortText
    contact_us: ShortText
    phone: ShortText
    email: ShortText
    website: ShortText
    hours: ShortText
    safety_not_for: ShortText
    safety_serious_risks: ShortText
    safety_warning_signs: ShortText
    safety_what_to_do: ShortText
    safety_call_clinic: ShortText
    safety_after_hours: ShortText
    safety_crisis: ShortText
    safety_emergency: ShortText
    glossary: ShortText
    sample_mark: ShortText = Field(description="Printed on every page when the clinic profile is a sample.")
    not_medical_advice: Text
    from_clinic: ShortText
    intake_form: ShortText
    how_to_fill: ShortText
    yes: ShortText
    no: ShortText
    clinician_reviews_section: Text
    clinician_reviews_field: ShortText
    total_score: ShortText
    for_clinic_use: ShortText
    date_hint: ShortText
    safety_heading: ShortText
    safety_text: Text
    when_done: ShortText
    form_read_later: Text = Field(description="Followed by the clinic's phone number.")
    score: ShortText
    email_subject: ShortText = Field(description="Uses {clinic} and {about} (a title, or email_handouts).")
    email_handouts: ShortText = Field(description="Uses {count}: '3 handouts'.")
    email_greeting: ShortText
    email_sending_one: Text = Field(description="Uses {clinic}.")
    email_sending_many: Text = Field(description="Uses {clinic}.")
    email_help_one: Text
    email_help_many: Text
    email_crisis: ShortText = Field(description="Followed by each crisis line, then the emergency number.")

    @field_validator(*PLACEHOLDERS)
    @classmethod
    def _fills_its_slots(cls, value: str, info: ValidationInfo) -> str:
        wanted = PLACEHOLDERS[str(info.field_name)]
        try:
            used = {name for _, name, _, _ in Formatter().parse(value) if name is not None}
        except ValueError:
            used = {"{"}
        if used != wanted:
            slots = ", ".join(f"{{{name}}}" for name in sorted(wanted))
            raise ValueError(f"use exactly {slots} (and no other braces)")
        return value


StringOverrides = create_model(
    "StringOverrides",
    __base__=StrictModel,
    __doc__="A content folder's own wording (`strings/en.yaml`, `strings/en-GB.yaml`): any keys "
    "of the shipped table, each overriding it.",
    **{
        name: (field.annotation | None, Field(default=None, description=field.description))
        for name, field in UiStrings.model_fields.items()
    },
)
"""For editors' JSON Schema only: the build checks the merged table (handouts.string_tables)."""
