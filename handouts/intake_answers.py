"""A filled intake leaflet read against its form declaration: every answer with its
question, in form order; each questionnaire scored by the instrument's own points and
severity bands; what was left unanswered; and any answer to a safety item above 0
(PHQ-9 item 9), which comes first.

Nothing here writes anywhere: the answers are a patient's, and go only to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from typing import Any

from handouts.dates import read_numeric_date
from handouts.models.instrument import Instrument
from handouts.models.intake import (
    ChecklistInput,
    ChoiceInput,
    DateInput,
    FormField,
    Intake,
    QuestionnaireInput,
    ScaleInput,
    TableInput,
    YesNoInput,
)

Value = str | bool | int | list[str] | list[dict[str, str]]


@dataclass(frozen=True)
class Answer:
    section: str
    name: str
    """The declared field name (the questionnaire item's PDF field name for instruments)."""
    label: str
    type: str
    value: Value | None
    """None when unanswered."""
    date: str | None = None
    """A date field's answer as YYYY-MM-DD, read in the leaflet's date order; None when
    the answer is not a whole date in that order."""


@dataclass(frozen=True)
class ItemScore:
    number: int
    name: str
    text: str
    score: int | None
    option: str | None


@dataclass(frozen=True)
class Score:
    """One questionnaire's items and total, by the instrument's own points."""

    field: str
    instrument: str
    title: str
    section: str
    items: list[ItemScore]
    total: int
    max_total: int
    band: str | None
    """The instrument's severity band; None when items are missing or it has no bands."""
    difficulty: str | None = None

    @property
    def missing(self) -> list[int]:
        return [item.number for item in self.items if item.score is None]

    @property
    def answered(self) -> bool:
        return any(item.score is not None for item in self.items)


@dataclass(frozen=True)
class Alert:
    """A safety item answered above 0."""

    instrument: str
    item: ItemScore


@dataclass
class Reading:
    document: str
    title: str
    version: str
    answers: list[Answer] = dataclass_field(default_factory=list)
    scores: list[Score] = dataclass_field(default_factory=list)
    alerts: list[Alert] = dataclass_field(default_factory=list)

    @property
    def unanswered(self) -> list[str]:
        """Each unanswered question, as "Section: question"."""
        missing = [f"{a.section}: {a.label}" for a in self.answers if a.value is None]
        for score in self.scores:
            if not score.answered:
                missing.append(f"{score.section}: {score.instrument} (all {len(score.items)} items)")
                continue
            missing += [f"{score.section}: {score.instrument} item {n}" for n in score.missing]
        return missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "title": self.title,
            "version": self.version,
            "alerts": [
                {
                    "instrument": alert.instrument,
                    "item": alert.item.number,
                    "question": alert.item.text,
                    "answer": alert.item.option,
                    "score": alert.item.score,
                }
                for alert in self.alerts
            ],
            "scores": [
                {
                    "field": s.field,
                    "instrument": s.instrument,
                    "total": s.total,
                    "max": s.max_total,
                    "band": s.band,
                    "missing_items": s.missing,
                    "items": [asdict(item) for item in s.items],
                    "difficulty": s.difficulty,
                }
                for s in self.scores
            ],
            "unanswered": self.unanswered,
            "answers": [asdict(answer) for answer in self.answers],
        }


ROW = "row"
"""A table answer's rows: each the filled cells by column name, and its row number under ROW."""


def _table_rows(field: TableInput, values: dict[str, str]) -> list[dict[str, str]]:
    rows = []
    for row in range(1, field.rows + 1):
        cells = {
            column.name: values.get(field.cell_name(row, column), "").strip() for column in field.columns
        }
        if any(cells.values()):
            rows.append({ROW: str(row), **{name: text for name, text in cells.items() if text}})
    return rows


def _value(field: FormField, values: dict[str, str]) -> Value | None:
    """The answer to one declared question, typed; None when unanswered."""
    if isinstance(field, ChecklistInput):
        ticked = [o for n, o in enumerate(field.options, 1) if values.get(f"{field.name}_{n}")]
        return ticked or None
    if isinstance(field, TableInput):
        return _table_rows(field, values) or None
    raw = values.get(field.name, "")
    if not raw.strip():
        return None
    if isinstance(field, YesNoInput):
        return raw == "yes"
    if isinstance(field, ScaleInput):
        return int(raw) if raw.isdigit() else raw
    if isinstance(field, ChoiceInput) and raw not in field.options:
        return raw  # an answer the form does not offer: shown as given, never dropped
    return raw


def score(field: QuestionnaireInput, instrument: Instrument, section: str, values: dict[str, str]) -> Score:
    items = []
    for number in instrument.numbers:
        name = f"{field.name}_{number}"
        raw = values.get(name, "")
        options = {str(option.score): option.label for option in instrument.item_options(number)}
        points = int(raw) if raw in options else None
        items.append(ItemScore(number, name, instrument.item_text(number), points, options.get(raw)))
    total = sum(item.score or 0 for item in items)
    complete = all(item.score is not None for item in items)
    difficulty = values.get(f"{field.name}_difficulty") or None if instrument.follow_up else None
    return Score(
        field=field.name,
        instrument=instrument.name,
        title=instrument.title,
        section=section,
        items=items,
        total=total,
        max_total=instrument.max_total,
        band=instrument.band(total) if complete else None,
        difficulty=difficulty,
    )


def read_answers(
    intake: Intake,
    instruments: Mapping[str, Instrument],
    values: dict[str, str],
    version: str,
    date_order: str,
) -> Reading:
    reading = Reading(intake.id, intake.title, version)
    for section in intake.sections:
        for field in section.fields:
            if isinstance(field, QuestionnaireInput):
                instrument = instruments[field.instrument]
                result = score(field, instrument, section.heading, values)
                reading.scores.append(result)
                reading.alerts += [
                    Alert(instrument.name, item)
                    for item in result.items
                    if item.number in instrument.safety_items and (item.score or 0) > 0
                ]
            else:
                value = _value(field, values)
                date = (
                    read_numeric_date(value, date_order) if isinstance(field, DateInput) and value else None
                )
                iso = date.isoformat() if date else None
                reading.answers.append(
                    Answer(section.heading, field.name, field.label, field.type, value, iso)
                )
    return reading
