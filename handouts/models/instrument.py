"""A validated screening questionnaire (PHQ-9, GAD-7): fixed wording that no clinic edits."""

from __future__ import annotations

from pydantic import Field

from handouts.models.common import ShortText, StrictModel, Text


class ResponseOption(StrictModel):
    label: ShortText
    score: int = Field(ge=0, le=10)


class FollowUp(StrictModel):
    question: Text
    options: list[ShortText] = Field(min_length=2)


class Instrument(StrictModel):
    name: ShortText = Field(description="Short name, e.g. 'PHQ-9'.")
    title: ShortText
    stem: Text
    options: list[ResponseOption] = Field(min_length=2)
    items: list[Text] = Field(min_length=1)
    safety_items: list[int] = Field(
        default_factory=list, description="Item numbers (from 1) that ask about self-harm."
    )
    follow_up: FollowUp | None = None
    credit: Text
    source: Text = Field(description="Where the wording was taken from.")
