"""A validated screening questionnaire (PHQ-9, GAD-7, AUDIT-C): fixed wording that no clinic
edits. Either every item shares one set of answers (a grid, PHQ-9) or each item has its own
(AUDIT-C)."""

from __future__ import annotations

from pydantic import Field, model_validator

from handouts.models.common import ShortText, StrictModel, Text


class ResponseOption(StrictModel):
    label: ShortText
    score: int = Field(ge=0, le=10)


class Item(StrictModel):
    """An item with answers of its own."""

    text: Text
    options: list[ResponseOption] = Field(min_length=2)


class FollowUp(StrictModel):
    question: Text
    options: list[ShortText] = Field(min_length=2)


class Instrument(StrictModel):
    name: ShortText = Field(description="Short name, e.g. 'PHQ-9'.")
    title: ShortText
    stem: Text | None = Field(default=None, description="The question every item answers, if any.")
    options: list[ResponseOption] = Field(
        default_factory=list, description="Answers shared by every item (a grid)."
    )
    items: list[Text] | list[Item] = Field(min_length=1)
    safety_items: list[int] = Field(
        default_factory=list, description="Item numbers (from 1) that ask about self-harm."
    )
    follow_up: FollowUp | None = None
    credit: Text
    source: Text = Field(description="Where the wording was taken from.")

    @model_validator(mode="after")
    def _answers_for_every_item(self) -> Instrument:
        own = [item for item in self.items if isinstance(item, Item)]
        if own and self.options:
            raise ValueError("give answers either once in `options` or with each item, not both")
        if not own and len(self.options) < 2:
            raise ValueError("items without answers of their own need at least 2 shared `options`")
        return self

    @property
    def is_grid(self) -> bool:
        """Every item answers from the same options: laid out as one table."""
        return bool(self.options)

    def item_text(self, number: int) -> str:
        item = self.items[number - 1]
        return item.text if isinstance(item, Item) else item

    def item_options(self, number: int) -> list[ResponseOption]:
        item = self.items[number - 1]
        return item.options if isinstance(item, Item) else self.options
