"""Validate stage: raw YAML data to models, with every problem located in its file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from handouts.allowed import allowed_fields
from handouts.assets import ImageProblem, check_image
from handouts.brand import contrast_failures
from handouts.catalog import PAPERS, Paper
from handouts.content_rules import document_rules
from handouts.diagnostics import Diagnostic, FieldPath, format_field_path
from handouts.glyphs import undrawable
from handouts.instrument_versions import InLanguage, candidates
from handouts.language_tags import ENGLISH, language_of
from handouts.models import Brochure, Clinic, UiStrings
from handouts.models.clinic import CrisisNumber, Email, EmergencyNumber, HexColour, Phone
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
from handouts.models.locale import LocaleTag, document_locale
from handouts.models.sections import SectionName
from handouts.parity import check_translations
from handouts.reader import ContentTree, SourceFile, display_path, read_yaml

if TYPE_CHECKING:
    from handouts.panels import PanelMap
    from handouts.string_tables import StringTables

M = TypeVar("M", bound=BaseModel)

DOCUMENT_MODELS: dict[str, type[DocumentBase]] = {"brochure": Brochure, "intake": Intake}


@dataclass(frozen=True)
class ValidDocument:
    document: DocumentBase
    source: SourceFile
    locale: str = "en-US"
    """Its own `locale`, else its language in the clinic's country (handouts.models.locale)."""


@dataclass(frozen=True)
class ValidContent:
    """Everything that passed validation; documents with problems are left out."""

    clinic: Clinic | None
    clinic_source: SourceFile | None
    documents: list[ValidDocument]
    strings: dict[str, UiStrings]
    """By locale: `en-US`, `en-GB`."""
    instruments: dict[str, Instrument]
    warnings: list[Diagnostic] = dataclasses.field(default_factory=list)
    """Built anyway, but the build says so (a hard section, ...)."""

    @property
    def papers(self) -> tuple[Paper, ...]:
        """The papers the clinic builds on; every paper while its profile has problems, so
        an output id is still known (nothing is built without a usable profile)."""
        return self.clinic.papers_to_build if self.clinic is not None else PAPERS


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
        LocaleTag: "write a language and a country as a locale tag, e.g. 'en-US', 'en-GB' or 'es-US'",
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
    error: ValidationError,
    source: SourceFile,
    model: type[BaseModel] | None = None,
    owner: Callable[[tuple[str | int, ...]], SourceFile] | None = None,
) -> list[Diagnostic]:
    """Located messages; with the model, an unknown field's message lists the allowed ones.
    `owner` picks the file an error's value came from, when data merged several files."""
    problems = []
    for item in error.errors(include_url=False):
        source = owner(item["loc"]) if owner else source
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


def _own_lines_outside_the_us(clinic: Clinic, source: SourceFile) -> list[Diagnostic]:
    """The crisis defaults are the US's: a clinic elsewhere names its own lines, never a silent 911."""
    if clinic.country == "US":
        return []
    given = clinic.crisis.model_fields_set if "crisis" in clinic.model_fields_set else set()
    missing = [name for name in ("lines", "emergency") if name not in given]
    if not missing:
        return []
    where = ("crisis",) if "crisis" in clinic.model_fields_set else ("locale",)
    message = (
        f"a clinic in {clinic.country} (locale {clinic.locale}) gives its own crisis "
        f"{' and '.join(missing)} (the defaults are the US's 988 and 911)"
    )
    return [source.problem(where, message)]


LIFELINE_COUNTRIES = ("US", "CA")
"""Where 988 reaches a suicide and crisis line."""
NINE_ONE_ONE_COUNTRIES = ("US", "CA", "MX")
"""Where we know 911 is the emergency number; elsewhere it may be, so it is only a warning."""


def _us_lines_copied_elsewhere(clinic: Clinic, source: SourceFile) -> list[Diagnostic]:
    """988 written into the profile of a clinic in another country: the US sample's line
    left in place, which would tell a patient to call or text a number that is not there."""
    return [
        source.problem(
            ("crisis", "lines", index, "number"),
            f"988 is a crisis line in the US and Canada, but the clinic is in {clinic.country} "
            f"(locale {clinic.locale}); give your country's crisis lines",
        )
        for index, line in enumerate(clinic.crisis.lines)
        if line.number == "988" and clinic.country not in LIFELINE_COUNTRIES
    ]


def emergency_warnings(clinic: Clinic, source: SourceFile) -> list[Diagnostic]:
    if clinic.crisis.emergency != "911" or clinic.country in NINE_ONE_ONE_COUNTRIES:
        return []
    message = (
        f"911 is the emergency number in the US, Canada and Mexico, and the clinic is in "
        f"{clinic.country} (locale {clinic.locale}); check that patients there reach help on it"
    )
    return [source.problem(("crisis", "emergency"), message)]


def check_clinic(clinic: Clinic, source: SourceFile, content_root: Path) -> list[Diagnostic]:
    problems = _own_lines_outside_the_us(clinic, source) + _us_lines_copied_elsewhere(clinic, source)
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


def _locale_problems(
    document: DocumentBase,
    source: SourceFile,
    locale: str,
    clinic: tuple[Clinic, SourceFile] | None,
    tables: StringTables,
) -> list[Diagnostic]:
    """The document's locale has a string table, and the clinic's words for its language."""
    problems = []
    if tables.table(locale) is None:
        languages = tables.languages()
        if language_of(document.language) not in languages:
            message = f"no string table for '{document.language}' (have: {', '.join(languages)})"
        else:
            message = f"the string table for '{locale}' has problems (reported at its file)"
        problems.append(source.problem(("locale" if document.locale else "language",), message))
    profile, profile_source = clinic if clinic is not None else (None, None)
    for path in profile.untranslated(locale) if profile and profile_source else ():
        message = f"given per language, but not in '{document.language}', which {source.display} is in"
        problems.append(profile_source.problem(path, message))
    return problems


def _clinic_prose_in_another_language(
    clinic: Clinic, source: SourceFile, documents: list[ValidDocument]
) -> list[Diagnostic]:
    """A clinic sentence given in one language, printed as written in a document of another."""
    own = language_of(clinic.locale)
    elsewhere = {}
    for valid in documents:
        elsewhere.setdefault(language_of(valid.locale), valid.source.display)
    elsewhere.pop(own, None)
    return [
        source.problem(
            path,
            f"given in one language only, so {display} (in '{language}') prints it as written; "
            f"give it per language ({own}: ..., {language}: ...)",
        )
        for language, display in sorted(elsewhere.items())
        for path in clinic.prose_in_one_language()
    ]


def validate(
    tree: ContentTree,
    tables: StringTables,
    instruments: dict[str, Instrument],
    drawable: frozenset[int],
    trifold: PanelMap | None = None,
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
    if clinic is not None and tree.clinic is not None:
        warnings += emergency_warnings(clinic, tree.clinic)
    if clinic is not None and clinic.logo and not clinic.logo.lower().endswith(".svg") and tree.clinic:
        message = (
            f"'{clinic.logo}' is a raster image, so print-shop files keep it in RGB while every other "
            "colour is CMYK; give an SVG logo, or ask the print shop to convert it"
        )
        warnings.append(tree.clinic.problem(("logo",), message))
    parsed: list[tuple[DocumentBase, SourceFile]] = []
    locales: dict[str, str] = {}
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
            if isinstance(document, Brochure) and trifold is not None:
                from handouts.panels import trifold_problems  # panels reads maps with this module's help

                found += trifold_problems(document, source, trifold)
            country = clinic.country if clinic is not None else "US"
            locale = document_locale(document.language, document.locale, country)
            profile = (clinic, tree.clinic) if clinic is not None and tree.clinic is not None else None
            found += _locale_problems(document, source, locale, profile, tables)
            locales[source.display] = locale
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
        ValidDocument(document, source, locales[source.display])
        for document, source in parsed
        if source.display not in failed
    ]
    if clinic is not None and tree.clinic is not None:
        warnings += _clinic_prose_in_another_language(clinic, tree.clinic, documents)
    tables.check_content_folder()
    problems += sorted(tables.problems)
    content = ValidContent(clinic, tree.clinic, documents, dict(tables.tables), instruments, warnings)
    return content, problems
