"""Translation parity: an edition in another language (`translates: ID`) says what its
original says, so the build compares their shapes. Prose is not compared (it is in another
language); what a translation must keep is: the sections in order with their roles, how
many items each list holds, which references each part cites, the references themselves
(PMIDs and addresses), the content version, and values that are not words for a reader
(a diagram's icons, a form's field names and types). Every difference is a located
problem in the translation, which is then not built."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from handouts.diagnostics import Diagnostic, FieldPath
from handouts.models.common import DocumentBase, Entry, Reference
from handouts.reader import SourceFile

OWN_WORDING = frozenset(
    {"id", "language", "translates", "title", "short_title", "keywords", "glossary", "review"}
)
"""Top-level fields each edition words or dates for its own readers: not compared."""

SAME_VALUE = frozenset(
    {"kind", "topic", "version", "medicine", "role", "icon", "type", "instrument", "prefill", "low",
     "high", "lines", "rows", "size", "clinician_reviews", "follow_up", "crisis_line"}
)  # fmt: skip
"""Fields a translation keeps exactly as the original has them."""

Found = Iterator[tuple[FieldPath, str]]


@dataclass(frozen=True)
class Edition:
    """One side of the comparison: a document and the file it came from."""

    document: DocumentBase
    source: SourceFile

    def where(self, path: FieldPath) -> str:
        """`brochures/x.yaml:42`: where the original has the value, for the translation's messages."""
        return f"{self.source.display}:{self.source.line_of(path)}"


def _compare(original: Any, translation: Any, path: FieldPath, theirs: Edition) -> Found:
    if isinstance(original, BaseModel) and isinstance(translation, BaseModel):
        yield from _models(original, translation, path, theirs)
    elif isinstance(original, dict) and isinstance(translation, dict):
        yield from _sections(original, translation, path, theirs)
    elif isinstance(original, list) and isinstance(translation, list):
        if len(original) != len(translation):
            yield (
                path,
                f"has {len(translation)} item(s); the original has {len(original)} ({theirs.where(path)})",
            )
        for index, (left, right) in enumerate(zip(original, translation, strict=False)):
            yield from _compare(left, right, (*path, index), theirs)
    elif (original is None) != (translation is None):
        state = "is missing" if translation is None else "is not in the original"
        yield path, f"{state} ({theirs.where(path)})"


def _models(original: BaseModel, translation: BaseModel, path: FieldPath, theirs: Edition) -> Found:
    # An entry's name is words for a reader; any other `name` (a form field's) is not.
    fixed = SAME_VALUE if isinstance(original, Entry) else SAME_VALUE | {"name"}
    for name in type(original).model_fields:
        left, right, here = getattr(original, name), getattr(translation, name), (*path, name)
        if not path and name in OWN_WORDING:
            continue
        if name == "sources" and left != right:
            cited = ", ".join(right) or "nothing"
            wanted = ", ".join(left) or "nothing"
            yield here, f"cites {cited}; the original cites {wanted} ({theirs.where(here)})"
        elif name in fixed and left != right:
            yield here, f"is {right!r}; the original has {left!r} ({theirs.where(here)})"
        elif name == "references":
            yield from _references(left, right, here, theirs)
        elif name not in fixed and name != "sources":
            yield from _compare(left, right, here, theirs)


def _references(
    original: list[Reference], translation: list[Reference], path: FieldPath, theirs: Edition
) -> Found:
    keys = [reference.key for reference in original]
    mine = {reference.key for reference in translation}
    for index, key in enumerate(keys):
        if key not in mine:
            yield path, f"reference '{key}' of the original is missing ({theirs.where((*path, index))})"
    for index, reference in enumerate(translation):
        if reference.key not in keys:
            yield (*path, index, "key"), f"reference '{reference.key}' is not in the original"
            continue
        at = keys.index(reference.key)
        for field in ("pmid", "url"):
            left, right = getattr(original[at], field), getattr(reference, field)
            if left != right:
                here = (*path, index, field)
                yield here, f"is {right!r}; the original has {left!r} ({theirs.where((*path, at, field))})"


def _sections(
    original: dict[str, Any], translation: dict[str, Any], path: FieldPath, theirs: Edition
) -> Found:
    for name in original:
        if name not in translation:
            yield path, f"section '{name}' of the original is missing ({theirs.where((*path, name))})"
    for name in translation:
        if name not in original:
            yield (*path, name), "this section is not in the original"
    shared = [name for name in translation if name in original]
    expected = [name for name in original if name in translation]
    for name, wanted in zip(shared, expected, strict=True):
        if name != wanted:
            yield (
                (*path, name),
                (
                    f"comes where the original has '{wanted}' ({theirs.where((*path, wanted))}); "
                    "keep the original's order"
                ),
            )
            break
    for name in shared:
        yield from _compare(original[name], translation[name], (*path, name), theirs)


def parity_problems(original: Edition, translation: Edition) -> list[Diagnostic]:
    """Every way `translation` differs in shape from `original`, located in the translation."""
    problems = []
    if original.document.language == translation.document.language:
        message = f"is the original's language ({original.where(('language',))}); a translation has its own"
        problems.append(translation.source.problem(("language",), message))
    for path, message in _compare(original.document, translation.document, (), original):
        problems.append(translation.source.problem(path, message))
    return problems


def check_translations(parsed: list[tuple[DocumentBase, SourceFile]], failed: set[str]) -> list[Diagnostic]:
    """Every translation against its original; `failed`: files with problems of their own."""
    by_id = {document.id: Edition(document, source) for document, source in parsed}
    problems = []
    for document, source in parsed:
        if document.translates is None:
            continue
        original = by_id.get(document.translates)
        if original is None:
            message = f"no document with id '{document.translates}' to compare this translation with"
        elif original.document.translates is not None:
            message = f"'{document.translates}' is itself a translation; name the original it translates"
        elif original.source.display in failed:
            message = (
                f"the original '{document.translates}' ({original.source.display}) has problems; "
                "fix them first, so the two can be compared"
            )
        else:
            problems += parity_problems(original, Edition(document, source))
            continue
        problems.append(source.problem(("translates",), message))
    return problems
