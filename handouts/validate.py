"""Validate stage: raw YAML data to models, with every problem located in its file."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from handouts.allowed import allowed_fields
from handouts.assets import ImageProblem, check_image
from handouts.brand import contrast_failures
from handouts.content_rules import document_rules
from handouts.diagnostics import Diagnostic, FieldPath, format_field_path
from handouts.glyphs import undrawable
from handouts.instrument_versions import ENGLISH, InLanguage, candidates
from handouts.models import Brochure, Clinic, UiStrings
from handouts.models.clinic import CountryCode, CrisisNumber, Email, EmergencyNumber, HexColour, Phone
from handouts.models.common import (
    LINE_PATTERN,
    TEXT_PATTERN,
    DocumentBase,
    HttpsUrl,
    LanguageTag,
    Pmid,
    Slug,
    Version,
)
from handouts.models.instrument import Instrument
from handouts.models.intake import ColumnName, FieldName, FormField, Intake, QuestionnaireInput
from handouts.models.sections import SectionName
from handouts.parity import check_translations
from handouts.reader import ContentTree, SourceFile, display_path, read_yaml

M = TypeVar("M", bound=BaseModel)

DOCUMENT_MODELS: dict[str, type[DocumentBase]] = {"brochure": Brochure, "intake": Intake}


@dataclass(frozen=True)
class ValidDocument:
    document: DocumentBase
    source: SourceFile


@dataclass(frozen=True)
class ValidContent:
    """Everything that passed validation; documents with problems are left out."""

    clinic: Clinic | None
    clinic_source: SourceFile | None
    documents: list[ValidDocument]
    strings: dict[str, UiStrings]
    instruments: dict[str, Instrument]
    warnings: list[Diagnostic] = dataclasses.field(default_factory=list)
    """Built anyway, but the build says so (a hard section, ...)."""


def _has_step(data: Any, part: str | int) -> bool:
    if isinstance(data, dict):
        return part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def _data_path(data: Any, loc: tuple[str | int, ...]) -> FieldPath:
    """Pydantic's error location, keeping only the steps that exist in the YAML data.

    Tagged unions add their tag (e.g. a form field's `type` value) to the location;
    a missing field is named although the data lacks it.
    """
    path: list[str | int] = []
    for part in loc:
        if part == "[key]":  # a mapping's key was wrong: the key's own line tells where
            continue
        if _has_step(data, part):
            data = data[part]
        elif isinstance(data, dict) and isinstance(part, str) and part not in data.values():
            data = None
        else:
            continue
        path.append(part)
    return tuple(path)


def _pattern_hints() -> dict[str, str]:
    """What a clinic should write instead, for each constrained text type, by its pattern."""
    hints = {
        Slug: "use lower-case letters and digits in words joined by hyphens, e.g. 'psychodynamic-therapy'",
        Pmid: "a PubMed id is digits only, e.g. '28541091'",
        HexColour: "write a colour as #rrggbb, e.g. '#1d4f73'",
        HttpsUrl: "write a full https:// address, e.g. 'https://example.org'",
        Version: "write a version as numbers with dots, in quotes, e.g. '1.0'",
        LanguageTag: "write a language tag, e.g. 'en' or 'es-MX'",
        Phone: "write a phone number with digits, spaces, brackets, dots or hyphens",
        Email: "write an email address, e.g. 'care@example.org'",
        FieldName: "write a field name in lower-case letters, digits and underscores, "
        "starting with a letter, e.g. 'first_name' (no spaces)",
        ColumnName: "write a column name in lower-case letters, digits and underscores, "
        "starting with a letter, e.g. 'dose' (no spaces)",
        CountryCode: "write a two-letter country code in capitals, e.g. 'US' or 'GB'",
        CrisisNumber: "write the number to call or text, with digits, e.g. '988'",
        EmergencyNumber: "write the emergency number with digits only, e.g. '911' or '999'",
        SectionName: "name a section in lower-case words joined by underscores, e.g. 'possible_downsides'",
    }
    by_pattern = {metadata.pattern: hint for kind, hint in hints.items() for metadata in kind.__metadata__}
    by_pattern[TEXT_PATTERN] = "remove invisible control and formatting characters"
    by_pattern[LINE_PATTERN] = "write it on one line, without invisible control and formatting characters"
    return by_pattern


PATTERN_HINTS = _pattern_hints()


def _discriminator(error: ErrorDetails) -> str:
    """The field that picks a tagged union's member, e.g. a form field's `type`."""
    return str((error.get("ctx") or {}).get("discriminator", "")).strip("'")


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "union_tag_invalid":
        return f"unknown {_discriminator(error)} '{context['tag']}'; use one of: {context['expected_tags']}"
    if kind == "union_tag_not_found":
        return f"{_discriminator(error)} is missing"
    if kind == "string_pattern_mismatch":
        return PATTERN_HINTS.get(context.get("pattern", ""), "not in the form this field takes")
    if kind.startswith(("date_", "datetime_")):
        return f"{error.get('input')!s} is not a real date; write it as YYYY-MM-DD, e.g. 2027-02-28"
    if kind == "extra_forbidden":
        return "unknown field; check its spelling and indentation"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_type" and isinstance(error.get("input"), int | float | bool):
        return f"expected text, got {error['input']!r}; put the value in quotes"
    return error["msg"].removeprefix("Value error, ")


def diagnostics_from(
    error: ValidationError, source: SourceFile, model: type[BaseModel] | None = None
) -> list[Diagnostic]:
    """Located messages; with the model, an unknown field's message lists the allowed ones."""
    problems = []
    for item in error.errors(include_url=False):
        path = _data_path(source.data, item["loc"])
        if item["type"].startswith("union_tag_"):
            path = (*path, _discriminator(item))
        message = _message(item)
        allowed = allowed_fields(model, item["loc"]) if model and item["type"] == "extra_forbidden" else None
        if allowed:
            message = f"unknown field; allowed here: {', '.join(allowed)}"
        problems.append(source.problem(path, message))
    return problems


def _parse(model: type[M], source: SourceFile) -> tuple[M | None, list[Diagnostic]]:
    try:
        return model.model_validate(source.data), []
    except ValidationError as error:
        return None, diagnostics_from(error, source, model)


def _cited(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    """Every (path, key) of a `sources` list anywhere in a model."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            child = getattr(value, name)
            if name == "sources":
                for index, key in enumerate(child):
                    yield (*path, "sources", index), key
            else:
                yield from _cited(child, (*path, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _cited(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _cited(item, (*path, key))


def check_references(document: DocumentBase, source: SourceFile) -> list[Diagnostic]:
    """Every cited key names a reference, and every reference is cited."""
    problems = []
    keys = [reference.key for reference in document.references]
    used: set[str] = set()
    for path, key in _cited(document, ()):
        used.add(key)
        if key not in keys:
            problems.append(source.problem(path, f"no reference with key '{key}' in references"))
    for index, key in enumerate(keys):
        path = ("references", index, "key")
        if keys.index(key) != index:
            problems.append(source.problem(path, f"duplicate reference key '{key}'"))
        elif key not in used:
            problems.append(source.problem(path, f"reference '{key}' is never cited in a section's sources"))
    return problems


def check_clinic(clinic: Clinic, source: SourceFile, content_root: Path) -> list[Diagnostic]:
    problems = []
    for token, failure in contrast_failures(clinic.brand):
        path = ("brand", token)
        problems.append(source.problem(path, failure.message()))
    if clinic.logo is not None:
        try:
            check_image(content_root / clinic.logo, content_root)
        except ImageProblem as problem:
            problems.append(source.problem(("logo",), f"'{clinic.logo}' {problem}"))
        if clinic.logo_alt is None:
            problems.append(source.problem(("logo_alt",), "a logo needs alternative text for screen readers"))
    return problems


def load_tables(folder: Path, model: type[M]) -> tuple[dict[str, M], list[Diagnostic]]:
    """Every `*.yaml` in `folder` as `model`, by file stem: string tables, instruments."""
    tables: dict[str, M] = {}
    problems: list[Diagnostic] = []
    for path in sorted(folder.glob("*.yaml")):
        source, found = read_yaml(path, display_path(path))
        problems += found
        if source is not None:
            table, found = _parse(model, source)
            problems += found
            if table is not None:
                tables[path.stem] = table
    return tables, problems


def pdf_field_names(field: FormField, instruments: Mapping[str, Instrument]) -> list[str]:
    """The PDF form fields one declared field makes."""
    if isinstance(field, QuestionnaireInput):
        instrument = instruments[field.instrument]
        names = [f"{field.name}_{number}" for number in range(1, len(instrument.items) + 1)]
        if instrument.follow_up is not None:
            names.append(f"{field.name}_difficulty")
        return [*names, f"{field.name}_total"]
    return field.pdf_names()


def check_form(intake: Intake, source: SourceFile, instruments: dict[str, Instrument]) -> list[Diagnostic]:
    """Known instruments, and no two fields that would share a PDF field name."""
    problems = []
    owners: dict[str, FieldPath] = {}
    in_language = InLanguage(instruments, intake.language)
    for path, field in intake.fields():
        if isinstance(field, QuestionnaireInput) and field.instrument not in instruments:
            known = ", ".join(sorted(InLanguage(instruments, ENGLISH)))
            problems.append(
                source.problem(
                    (*path, "instrument"), f"unknown instrument '{field.instrument}' (have: {known})"
                )
            )
            continue
        if isinstance(field, QuestionnaireInput) and field.instrument not in in_language:
            files = " or ".join(f"{stem}.yaml" for stem in candidates(field.instrument, intake.language))
            message = (
                f"no word-for-word '{intake.language}' version of {instruments[field.instrument].name} "
                f"is stored (handouts/instruments/{files}, with its source and credit line); "
                "a leaflet never prints a questionnaire in another language than its own"
            )
            problems.append(source.problem((*path, "instrument"), message))
            continue
        for name in pdf_field_names(field, in_language):
            if name in owners:
                first = format_field_path(owners[name])
                problems.append(
                    source.problem((*path, "name"), f"field name '{name}' is already used by {first}")
                )
                break
            owners[name] = path
    return problems


def _same_ids(documents: list[tuple[DocumentBase, SourceFile]]) -> list[Diagnostic]:
    """Two files that claim one id would overwrite each other's PDFs: both are reported,
    each naming the other, and neither is built, so the last good PDFs stay."""
    owners: dict[str, list[SourceFile]] = {}
    for document, source in documents:
        owners.setdefault(document.id, []).append(source)
    problems = []
    for document_id, sources in owners.items():
        for source in sources if len(sources) > 1 else ():
            others = ", ".join(other.display for other in sources if other is not source)
            message = (
                f"id '{document_id}' is also used by {others}; give each document its own id "
                "(neither is built until then)"
            )
            problems.append(source.problem(("id",), message))
    return problems


def validate(
    tree: ContentTree,
    strings: dict[str, UiStrings],
    instruments: dict[str, Instrument],
    drawable: frozenset[int],
) -> tuple[ValidContent, list[Diagnostic]]:
    """Every file to models and cross-checks; `drawable`: the characters the fonts have."""
    problems: list[Diagnostic] = []
    clinic = None
    if tree.clinic is not None:
        clinic, found = _parse(Clinic, tree.clinic)
        found += undrawable(tree.clinic, drawable)
        if clinic is not None:
            found += check_clinic(clinic, tree.clinic, tree.root)
        problems += found
        if found:
            clinic = None

    warnings: list[Diagnostic] = []
    if clinic is not None and clinic.sample and tree.clinic is not None:
        message = (
            "this profile is marked as a sample, so every page says 'Sample - not for patients'; "
            "delete `sample: true` when every value is the clinic's own"
        )
        warnings.append(tree.clinic.problem(("sample",), message))
    if clinic is not None and clinic.logo and not clinic.logo.lower().endswith(".svg") and tree.clinic:
        message = (
            f"'{clinic.logo}' is a raster image, so print-shop files keep it in RGB while every other "
            "colour is CMYK; give an SVG logo, or ask the print shop to convert it"
        )
        warnings.append(tree.clinic.problem(("logo",), message))
    parsed: list[tuple[DocumentBase, SourceFile]] = []
    failed: set[str] = set()
    for kind, source in tree.documents:
        document, found = _parse(DOCUMENT_MODELS[kind], source)
        found += undrawable(source, drawable)
        if document is not None:
            found += check_references(document, source)
            rules = document_rules(document, source, clinic)
            found += rules.problems
            warnings += rules.warnings
            if isinstance(document, Intake):
                found += check_form(document, source, instruments)
            if document.language not in strings:
                found.append(
                    source.problem(
                        ("language",),
                        f"no string table for '{document.language}' (have: {', '.join(sorted(strings))})",
                    )
                )
            parsed.append((document, source))
        problems += found
        if found:
            failed.add(source.display)
    clashes = _same_ids(parsed)
    problems += clashes
    failed |= {problem.file for problem in clashes}
    mismatches = check_translations(parsed, failed)
    problems += mismatches
    failed |= {problem.file for problem in mismatches}
    documents = [
        ValidDocument(document, source) for document, source in parsed if source.display not in failed
    ]
    return ValidContent(clinic, tree.clinic, documents, strings, instruments, warnings), problems
