"""Fixed wording of the templates, one table per language (`templates/strings/LANG.yaml`)."""

from __future__ import annotations

from pydantic import Field

from handouts.models.common import ShortText, StrictModel, Text


class UiStrings(StrictModel):
    language_name: ShortText
    months: list[ShortText] = Field(min_length=12, max_length=12)
    date_format: ShortText = Field(description="Uses {day}, {month} and {year}.")
    brochure: ShortText
    key_points: ShortText
    next_step: ShortText
    notes: ShortText = Field(description="Heading of a print-shop booklet's notes page.")
    get_help_now: ShortText
    crisis_intro: Text
    call_or_text: ShortText
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
    or_call_or_text: ShortText = Field(description="Followed by the crisis line's number.")
    score: ShortText
