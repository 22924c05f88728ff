"""`handouts read FILLED.pdf ...`: filled intake leaflets read back against their form
declarations, printed as text, JSON or FHIR. A PDF that is not one of our leaflets, or
whose version the content folder does not declare, is refused with one line; the others
are still read. Prints to stdout only: nothing is written to disk or logged.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.instrument_versions import InLanguage
from handouts.intake_answers import ROW, Answer, Reading, read_answers
from handouts.leaflet_pdf import NotALeaflet, read_leaflet
from handouts.models.instrument import Instrument
from handouts.models.intake import Intake, TableInput
from handouts.status import ExitStatus
from handouts.validate import pdf_field_names

FORMATS = ("text", "json", "fhir")
MAX_PDF_BYTES = 20 * 1024 * 1024


class Refused(Exception):
    """This file cannot be read as one of our leaflets; the message says why."""


@dataclass(frozen=True)
class Declarations:
    """The intake leaflets a content folder declares, with what reading them needs."""

    intakes: dict[str, Intake]
    instruments: dict[str, Instrument]
    website: str
    date_orders: dict[str, str]
    """Each leaflet's date order (its string table's `date_order`), by document id."""

    def instruments_for(self, intake: Intake) -> Mapping[str, Instrument]:
        """The questionnaires as the leaflet printed them, in its language."""
        return InLanguage(self.instruments, intake.language)


def _declared_fields(intake: Intake, instruments: Mapping[str, Instrument]) -> set[str]:
    return {name for _, field in intake.fields() for name in pdf_field_names(field, instruments)}


def read_one(path: Path, declarations: Declarations) -> tuple[Reading, Intake]:
    """Raises Refused."""
    try:
        if path.stat().st_size > MAX_PDF_BYTES:
            raise Refused(f"{path}: larger than {MAX_PDF_BYTES // 2**20} MB, not one of our leaflets")
        data = path.read_bytes()
    except OSError as error:
        raise Refused(f"{path}: cannot read it ({error.strerror})") from None
    try:
        leaflet = read_leaflet(data)
    except NotALeaflet as error:
        raise Refused(f"{path}: {error}") from None
    intake = declarations.intakes.get(leaflet.document)
    if intake is None:
        raise Refused(
            f"{path}: leaflet '{leaflet.document}' is not declared in the content folder; "
            "give --content the folder it was built from"
        )
    if leaflet.version != intake.version:
        raise Refused(
            f"{path}: this is version {leaflet.version} of '{leaflet.document}', but the content "
            f"declares version {intake.version}; read it with --content pointing at a content "
            f"folder that declares version {leaflet.version}"
        )
    missing = _declared_fields(intake, declarations.instruments_for(intake)) - leaflet.values.keys()
    if missing:
        raise Refused(
            f"{path}: its form fields differ from version {intake.version} of '{intake.id}' "
            f"(it lacks {', '.join(sorted(missing)[:3])}); was the content changed without a new version?"
        )
    order = declarations.date_orders[intake.id]
    instruments = declarations.instruments_for(intake)
    return read_answers(intake, instruments, leaflet.values, leaflet.version, order), intake


def alert_lines(reading: Reading) -> list[str]:
    lines = []
    for alert in reading.alerts:
        bar = "!" * 72
        lines += [
            bar,
            f"!!  SAFETY ALERT: {alert.instrument} item {alert.item.number} was answered "
            f'"{alert.item.option}" (score {alert.item.score}).',
            f'!!  Item {alert.item.number}: "{alert.item.text}"',
            "!!  A clinician must review this answer before anything else on this form.",
            bar,
        ]
    return lines


def _shown(answer: Answer, intake: Intake) -> list[str]:
    value = answer.value
    if value is None:
        return [f"  {answer.label}: (no answer)"]
    if isinstance(value, bool):
        return [f"  {answer.label}: {'Yes' if value else 'No'}"]
    if answer.type == "table":
        field = next(f for _, f in intake.fields() if f.name == answer.name)
        assert isinstance(field, TableInput)
        lines = [f"  {answer.label}"]
        for row in value if isinstance(value, list) else []:
            assert isinstance(row, dict)
            cells = "; ".join(f"{c.label}: {row[c.name]}" for c in field.columns if c.name in row)
            lines.append(f"    {field.row_label} {row[ROW]}: {cells}")
        return lines
    if isinstance(value, list):
        return [f"  {answer.label}", *(f"    [x] {v}" for v in value)]
    if answer.date is not None:
        return [f"  {answer.label}: {value} (read as {answer.date}, year-month-day)"]
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    first, *rest = text.split("\n")
    return [f"  {answer.label}: {first}", *(f"    {line}" for line in rest)]


def as_text(path: Path, reading: Reading, intake: Intake) -> str:
    lines = alert_lines(reading)
    lines += [f"{reading.title} ({reading.document}, version {reading.version}): {path}", "", "Scores"]
    for s in reading.scores:
        if not s.answered:
            lines.append(f"  {s.instrument}: not answered")
            continue
        band = f" - {s.band}" if s.band else ""
        if s.missing:
            band = f" (not banded: item{'s' if len(s.missing) > 1 else ''} "
            band += f"{', '.join(map(str, s.missing))} unanswered)"
        lines.append(f"  {s.instrument}: {s.total} of {s.max_total}{band}")
    unanswered = reading.unanswered
    lines += ["", f"Unanswered ({len(unanswered)})", *(f"  - {u}" for u in unanswered)]
    lines += ["", "Answers"]
    section = None
    by_field = {a.name: a for a in reading.answers} | {s.field: s for s in reading.scores}
    for part in intake.sections:
        for field in part.fields:
            if section != part.heading:
                section = part.heading
                lines += ["", f"{section}"]
            entry = by_field[field.name]
            if isinstance(entry, Answer):
                lines += _shown(entry, intake)
                continue
            lines.append(f"  {entry.title}")
            for item in entry.items:
                answer = f"{item.option} ({item.score})" if item.score is not None else "(no answer)"
                lines.append(f"    {item.number}. {item.text}: {answer}")
            if entry.difficulty:
                lines.append(f"    Difficulty: {entry.difficulty}")
    return "\n".join(lines) + "\n"


def _fhir(readings: list[tuple[Reading, Intake]], declarations: Declarations) -> dict[str, Any]:
    from handouts.fhir import bundle, questionnaire, questionnaire_response

    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _, intake in readings:
        if intake.id not in seen:
            seen.add(intake.id)
            entries.append(questionnaire(intake, declarations.instruments_for(intake), declarations.website))
    for reading, intake in readings:
        entries.append(
            questionnaire_response(
                reading, intake, declarations.instruments_for(intake), declarations.website
            )
        )
    return bundle(entries)


def read_leaflets(paths: list[Path], declarations: Declarations, form: str) -> ExitStatus:
    """Print every readable file's answers; refusals on stderr. Exit status: SAFETY_ANSWER
    when any file has a safety item answered above 0 (whatever else happened), else USAGE
    when any file was refused, else OK."""
    readings: list[tuple[Path, Reading, Intake]] = []
    refused = False
    for path in paths:
        try:
            readings.append((path, *read_one(path, declarations)))
        except Refused as error:
            print(f"error: {error}", file=sys.stderr)
            refused = True
    if form == "text":
        print("\n".join(as_text(path, reading, intake) for path, reading, intake in readings), end="")
    elif form == "json":
        leaflets = [{"file": str(path), **reading.as_dict()} for path, reading, _ in readings]
        print(json.dumps({"leaflets": leaflets}, indent=2, ensure_ascii=False))
    elif readings:
        print(json.dumps(_fhir([(r, i) for _, r, i in readings], declarations), indent=2, ensure_ascii=False))
    if any(reading.alerts for _, reading, _ in readings):
        for path, reading, _ in readings:
            for alert in reading.alerts:
                print(
                    f"SAFETY ALERT in {path}: {alert.instrument} item {alert.item.number} answered above 0",
                    file=sys.stderr,
                )
        return ExitStatus.SAFETY_ANSWER
    return ExitStatus.USAGE if refused else ExitStatus.OK
