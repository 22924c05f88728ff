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


class SeverityBand(StrictModel):
    """Totals from `low` to `high` (inclusive) and what the instrument's authors call them."""

    low: int = Field(ge=0)
    high: int = Field(ge=0)
    label: ShortText


class Scoring(StrictModel):
    """How the instrument's own authors band its total. Only from a cited source."""

    bands: list[SeverityBand] = Field(min_length=2)
    source: Text = Field(description="Where the bands come from.")


class Loinc(StrictModel):
    """LOINC codes of the whole instrument (its panel) and of its total score."""

    panel: ShortText
    total: ShortText


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
    scoring: Scoring | None = Field(default=None, description="Severity bands of the total, if any.")
    loinc: Loinc | None = None

    @model_validator(mode="after")
    def _answers_for_every_item(self) -> Instrument:
        own = [item for item in self.items if isinstance(item, Item)]
        if own and self.options:
            raise ValueError("give answers either once in `options` or with each item, not both")
        if not own and len(self.options) < 2:
            raise ValueError("items without answers of their own need at least 2 shared `options`")
        return self

    @model_validator(mode="after")
    def _bands_cover_every_total(self) -> Instrument:
        if self.scoring is None:
            return self
        expected = 0
        for band in self.scoring.bands:
            if band.low != expected or band.high < band.low:
                raise ValueError(f"severity bands must run on from {expected} without gaps or overlaps")
            expected = band.high + 1
        if expected - 1 != self.max_total:
            raise ValueError(f"severity bands must end at the highest total, {self.max_total}")
        return self

    @property
    def max_total(self) -> int:
        return sum(max(option.score for option in self.item_options(n)) for n in self.numbers)

    @property
    def numbers(self) -> range:
        """Item numbers, from 1."""
        return range(1, len(self.items) + 1)

    def band(self, total: int) -> str | None:
        """The severity band of a total, when the instrument has bands."""
        if self.scoring is None:
            return None
        return next(band.label for band in self.scoring.bands if band.low <= total <= band.high)

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
