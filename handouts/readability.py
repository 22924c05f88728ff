"""Plain-language gate: the reading level of each document's body prose, for any clinic's
content.

Body prose is running text: the purpose, summary and next step, each section's
paragraphs, entry texts and closing paragraphs, and FAQ answers; an intake leaflet's
purpose, instructions and section paragraphs. Headings, names and list items are left
out (the formulas are made for sentences). A word the document defines in its glossary
is shown to the reader with its meaning, so it does not count as a hard word.

English uses SMOG (McLaughlin 1969; the grade most used for health text): a document
above the clinic's limit (default 8) fails, naming its hardest sections, and a section
above the section limit (default 10) is warned. Spanish uses Fernández-Huerta (0 to 100,
higher is easier): below 70 fails, below 60 for a section is warned. A language with no
formula here is warned, never passed silently. Limits: clinic.yaml, `readability`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from textstat.backend import metrics

from handouts.diagnostics import Diagnostic, FieldPath, format_field_path
from handouts.language_tags import ENGLISH, language_of
from handouts.models import ReadabilityLimits
from handouts.models.common import DocumentBase
from handouts.pronunciations import use_in_textstat
from handouts.reader import SourceFile

use_in_textstat()

HARDEST_NAMED = 3
_INITIALISMS = re.compile(r"\b((?:[A-Za-z]\.){2,})")
_TITLES = re.compile(r"\b(Dr|Mr|Mrs|Ms|St|vs|etc|approx|Dra|Sr|Sra|Srta)\.", re.IGNORECASE)


def _without_abbreviation_periods(text: str) -> str:
    """'e.g.', 'U.S.' and 'Dr.' do not end sentences."""
    text = _INITIALISMS.sub(lambda match: match.group(1).replace(".", ""), text)
    return _TITLES.sub(r"\1", text)


def _glossary_pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    longest_first = sorted(terms, key=len, reverse=True)
    words = "|".join(re.escape(term) for term in longest_first)
    return re.compile(rf"\b(?:{words})(?:s|es)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    """A piece of the document scored on its own: a section, the front matter, the FAQ."""

    path: FieldPath
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Formula:
    name: str
    textstat_language: str
    document_limit: float
    section_limit: float
    higher_is_harder: bool

    def score(self, text: str) -> float:
        if self.higher_is_harder:
            return metrics.smog_index(text, self.textstat_language)
        return metrics.fernandez_huerta(text, self.textstat_language)

    def past(self, value: float, limit: float) -> bool:
        return value > limit if self.higher_is_harder else value < limit

    def limit_words(self, limit: float) -> str:
        return f"above {limit:g}" if self.higher_is_harder else f"below {limit:g}"


def formula_for(language: str, limits: ReadabilityLimits) -> Formula | None:
    root = language_of(language)
    if root == ENGLISH:
        return Formula("SMOG grade", "en_US", limits.smog_document, limits.smog_section, True)
    if root == "es":
        return Formula(
            "Fernández-Huerta score",
            "es",
            limits.fernandez_huerta_document,
            limits.fernandez_huerta_section,
            False,
        )
    return None


def _texts(value: Any, names: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for name in names:
        item = getattr(value, name, None)
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list):
            found += [text for text in item if isinstance(text, str)]
    return found


def body_parts(document: DocumentBase) -> Iterator[Part]:
    """The document's body prose, part by part, each with its place in the content file."""
    front = _texts(document, ("purpose", "summary", "next_step", "instructions"))
    yield Part(("purpose",), tuple(front))
    sections = getattr(document, "sections", None)
    items = sections.items() if isinstance(sections, dict) else enumerate(sections or [])
    for key, section in items:
        prose = section.prose() if hasattr(section, "prose") else _texts(section, ("paragraphs",))
        if prose:
            yield Part(("sections", key), tuple(prose))
    faq = getattr(document, "faq", None)
    if faq is not None:
        yield Part(("faq",), tuple(item.answer for item in faq.items))


def _prepared(texts: tuple[str, ...], glossary: re.Pattern[str] | None) -> str:
    text = _without_abbreviation_periods(" ".join(" ".join(t.split()) for t in texts))
    # A defined term stands in as a one-syllable word: the sentence keeps its length.
    return glossary.sub("term", text) if glossary else text


@dataclass(frozen=True)
class Findings:
    problems: list[Diagnostic]
    warnings: list[Diagnostic]


def check_readability(document: DocumentBase, source: SourceFile, limits: ReadabilityLimits) -> Findings:
    """Fails a document whose body prose is too hard to read; warns on its hard sections."""
    formula = formula_for(document.language, limits)
    if formula is None:
        warning = source.problem(
            ("language",),
            f"warning: no readability formula for '{document.language}' (have: English SMOG, "
            "Spanish Fernández-Huerta); its reading level is not checked",
        )
        return Findings([], [warning])
    glossary = _glossary_pattern([item.term for item in getattr(document, "glossary", [])])
    parts = [(part, _prepared(part.texts, glossary)) for part in body_parts(document)]
    scored = [(part, formula.score(text)) for part, text in parts if text]
    warnings = [
        source.problem(
            part.path,
            f"warning: {formula.name} {value:.1f} is {formula.limit_words(formula.section_limit)} for this "
            "section; use shorter sentences and fewer long words, or define medical terms in the glossary",
        )
        for part, value in scored
        if formula.past(value, formula.section_limit)
    ]
    whole = formula.score(" ".join(text for _, text in parts))
    if not formula.past(whole, formula.document_limit):
        return Findings([], warnings)
    hardest = sorted(scored, key=lambda item: item[1], reverse=formula.higher_is_harder)[:HARDEST_NAMED]
    named = ", ".join(f"{format_field_path(part.path)} ({value:.1f})" for part, value in hardest)
    problem = source.problem(
        hardest[0][0].path,
        f"{formula.name} {whole:.1f} of the body prose is {formula.limit_words(formula.document_limit)}; "
        f"hardest: {named}. Use shorter sentences and fewer long words, or define medical terms "
        "in the glossary",
    )
    return Findings([problem], warnings)
