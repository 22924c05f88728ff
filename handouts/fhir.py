"""FHIR R4 records of intake leaflets: a `Questionnaire` generated from a leaflet's form
declaration and a `QuestionnaireResponse` of one filled copy, checked by fhir.resources'
R4B models (R4-compatible, pydantic 2). Needs the `fhir` extra: pip install 'handouts[fhir]'.

Questionnaires carry their instrument's LOINC codes (panel on the group, total score on
the total item) as recorded in handouts/instruments/. Item linkIds are the PDF field
names, so an answer is traced back to the box it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handouts.intake_answers import ROW, Answer, Reading, Score
from handouts.models.instrument import Instrument
from handouts.models.intake import (
    ChecklistInput,
    ChoiceInput,
    FormField,
    Intake,
    MultiLineInput,
    QuestionnaireInput,
    ScaleInput,
    TableInput,
    YesNoInput,
)

LOINC = "http://loinc.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


class FhirUnavailable(Exception):
    """fhir.resources is not installed."""


def questionnaire_url(base: str, intake: Intake) -> str:
    return f"{base.rstrip('/')}/fhir/Questionnaire/{intake.id}"


def _loinc(code: str | None) -> list[dict[str, str]] | None:
    return [{"system": LOINC, "code": code}] if code else None


def _instrument_item(field: QuestionnaireInput, instrument: Instrument) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for number in instrument.numbers:
        items.append(
            {
                "linkId": f"{field.name}_{number}",
                "prefix": f"{number}.",
                "text": instrument.item_text(number),
                "type": "choice",
                "answerOption": [
                    {
                        "valueCoding": {
                            "code": str(option.score),
                            "display": option.label,
                            "extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.score}],
                        }
                    }
                    for option in instrument.item_options(number)
                ],
            }
        )
    if instrument.follow_up:
        items.append(
            {
                "linkId": f"{field.name}_difficulty",
                "text": instrument.follow_up.question,
                "type": "choice",
                "answerOption": [{"valueString": option} for option in instrument.follow_up.options],
            }
        )
    total: dict[str, Any] = {
        "linkId": f"{field.name}_total",
        "text": f"{instrument.name} total score",
        "type": "integer",
        "readOnly": True,
    }
    if code := _loinc(instrument.loinc.total if instrument.loinc else None):
        total["code"] = code
    items.append(total)
    if instrument.scoring:
        items.append(
            {
                "linkId": f"{field.name}_severity",
                "text": f"{instrument.name} severity",
                "type": "string",
                "readOnly": True,
            }
        )
    group: dict[str, Any] = {"linkId": field.name, "text": instrument.title, "type": "group", "item": items}
    if code := _loinc(instrument.loinc.panel if instrument.loinc else None):
        group["code"] = code
    return group


def _field_item(field: FormField, instruments: Mapping[str, Instrument]) -> dict[str, Any]:
    if isinstance(field, QuestionnaireInput):
        return _instrument_item(field, instruments[field.instrument])
    item: dict[str, Any] = {"linkId": field.name, "text": field.label}
    if isinstance(field, TableInput):
        item["type"] = "group"
        item["item"] = [
            {
                "linkId": f"{field.name}_r{row}",
                "text": f"{field.row_label} {row}",
                "type": "group",
                "item": [
                    {"linkId": field.cell_name(row, column), "text": column.label, "type": "string"}
                    for column in field.columns
                ],
            }
            for row in range(1, field.rows + 1)
        ]
    elif isinstance(field, YesNoInput):
        item["type"] = "boolean"
    elif isinstance(field, ChoiceInput | ChecklistInput):
        item["type"] = "choice"
        item["answerOption"] = [{"valueString": option} for option in field.options]
        item["repeats"] = isinstance(field, ChecklistInput)
    elif isinstance(field, ScaleInput):
        item["type"] = "choice"
        item["answerOption"] = [{"valueInteger": n} for n in range(field.low, field.high + 1)]
    else:
        item["type"] = "text" if isinstance(field, MultiLineInput) else "string"
    return item


def questionnaire(intake: Intake, instruments: Mapping[str, Instrument], base: str) -> dict[str, Any]:
    """The Questionnaire of a leaflet's form declaration, as FHIR JSON."""
    return {
        "resourceType": "Questionnaire",
        "id": intake.id,
        "url": questionnaire_url(base, intake),
        "version": intake.version,
        "title": intake.title,
        "status": "active",
        "language": intake.language,
        "item": [
            {
                "linkId": f"section-{number}",
                "text": section.heading,
                "type": "group",
                "item": [_field_item(field, instruments) for field in section.fields],
            }
            for number, section in enumerate(intake.sections, 1)
            if section.fields
        ],
    }


def _answer_values(answer: Answer) -> list[dict[str, Any]]:
    value = answer.value
    if value is None:
        return []
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    if isinstance(value, list):
        return [{"valueString": str(v)} for v in value]
    return [{"valueString": value}]


def _response_item(answer: Answer, intake: Intake) -> dict[str, Any] | None:
    if answer.value is None:
        return None
    field = next(f for _, f in intake.fields() if f.name == answer.name)
    item: dict[str, Any] = {"linkId": answer.name, "text": answer.label}
    if isinstance(field, TableInput):
        rows = (
            [row for row in answer.value if isinstance(row, dict)] if isinstance(answer.value, list) else []
        )
        item["item"] = [
            {
                "linkId": f"{field.name}_r{row[ROW]}",
                "item": [
                    {
                        "linkId": f"{field.name}_r{row[ROW]}_{column.name}",
                        "text": column.label,
                        "answer": [{"valueString": row[column.name]}],
                    }
                    for column in field.columns
                    if column.name in row
                ],
            }
            for row in rows
        ]
        return item
    item["answer"] = _answer_values(answer)
    return item


def _score_item(score: Score, instruments: Mapping[str, Instrument]) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {
            "linkId": item.name,
            "text": item.text,
            "answer": [{"valueCoding": {"code": str(item.score), "display": item.option}}],
        }
        for item in score.items
        if item.score is not None
    ]
    if score.difficulty:
        items.append({"linkId": f"{score.field}_difficulty", "answer": [{"valueString": score.difficulty}]})
    if score.answered:
        items.append({"linkId": f"{score.field}_total", "answer": [{"valueInteger": score.total}]})
    if score.band:
        items.append({"linkId": f"{score.field}_severity", "answer": [{"valueString": score.band}]})
    return {"linkId": score.field, "text": score.title, "item": items}


def questionnaire_response(
    reading: Reading, intake: Intake, instruments: Mapping[str, Instrument], base: str
) -> dict[str, Any]:
    """The QuestionnaireResponse of one filled copy, as FHIR JSON. Answered items only."""
    by_field: dict[str, dict[str, Any] | None] = {a.name: _response_item(a, intake) for a in reading.answers}
    by_field |= {s.field: _score_item(s, instruments) for s in reading.scores}
    sections = []
    for number, section in enumerate(intake.sections, 1):
        items = [item for f in section.fields if (item := by_field.get(f.name))]
        items = [item for item in items if item.get("answer") or item.get("item")]
        if items:
            sections.append({"linkId": f"section-{number}", "text": section.heading, "item": items})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{questionnaire_url(base, intake)}|{reading.version}",
        "status": "completed",
        "item": sections,
    }


def bundle(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A collection Bundle, each resource checked against the R4B models. Raises
    FhirUnavailable without fhir.resources, pydantic's ValidationError on a bad resource."""
    try:
        from fhir.resources.R4B.bundle import Bundle
    except ImportError:
        raise FhirUnavailable("--format fhir needs fhir.resources: pip install 'handouts[fhir]'") from None
    checked = Bundle.model_validate(
        {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in entries]}
    )
    return checked.model_dump(mode="json", exclude_none=True)
