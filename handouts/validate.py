"""Validate stage: raw YAML data to models, with every problem located in its file."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from handouts.allowed import allowed_fields
from handouts.brand import contrast_failures
from handouts.content_rules import document_rules
from handouts.diagnostics import Diagnostic, FieldPath, format_field_path
from handouts.models import Brochure, Clinic, UiStrings
from handouts.models.clinic import Email, HexColour, Phone
from handouts.models.common import DocumentBase, HttpsUrl, LanguageTag, Pmid, Slug, Version
from handouts.models.instrument import Instrument
from handouts.models.intake import FormField, Intake, QuestionnaireInput
from handouts.models.sections import SectionName
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
        SectionName: "name a section in lower-case words joined by underscores, e.g. 'possible_downsides'",
    }
    return {metadata.pattern: hint for kind, hint in hints.items() for metadata in kind.__metadata__}


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
        pattern = context.get("pattern", "")
        if pattern in PATTERN_HINTS:
            return PATTERN_HINTS[pattern]
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
        logo = content_root / clinic.logo
        if not logo.is_file():
            problems.append(source.problem(("logo",), f"no file '{clinic.logo}' in the content folder"))
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


def pdf_field_names(field: FormField, instruments: dict[str, Instrument]) -> list[str]:
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
    for path, field in intake.fields():
        if isinstance(field, QuestionnaireInput) and field.instrument not in instruments:
            known = ", ".join(sorted(instruments))
            problems.append(
                source.problem(
                    (*path, "instrument"), f"unknown instrument '{field.instrument}' (have: {known})"
                )
            )
            continue
        for name in pdf_field_names(field, instruments):
            if name in owners:
                first = format_field_path(owners[name])
                problems.append(
                    source.problem((*path, "name"), f"field name '{name}' is already used by {first}")
                )
                break
            owners[name] = path
    return problems


def validate(
    tree: ContentTree, strings: dict[str, UiStrings], instruments: dict[str, Instrument]
) -> tuple[ValidContent, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    clinic = None
    if tree.clinic is not None:
        clinic, found = _parse(Clinic, tree.clinic)
        problems += found
        if clinic is not None:
            found = check_clinic(clinic, tree.clinic, tree.root)
            problems += found
            if found:
                clinic = None

    documents: list[ValidDocument] = []
    warnings: list[Diagnostic] = []
    ids: dict[str, str] = {}
    for kind, source in tree.documents:
        document, found = _parse(DOCUMENT_MODELS[kind], source)
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
            if document.id in ids:
                found.append(
                    source.problem(("id",), f"id '{document.id}' is already used by {ids[document.id]}")
                )
            else:
                ids[document.id] = source.display
        problems += found
        if document is not None and not found:
            documents.append(ValidDocument(document, source))
    return ValidContent(clinic, tree.clinic, documents, strings, instruments, warnings), problems
