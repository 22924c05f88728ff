"""Locales: a language and a country (`en-GB`), apart from the language of the words.

The language says which string table and readability formula a document gets; the
country (the locale's region) says which date order and spelling the fixed wording
takes (`templates/strings/en-GB.yaml`), and which paper a clinic prints on by default.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from handouts.catalog import Paper

LocaleTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[A-Z]{2}$")]
"""A BCP 47 tag of a language and a country: `en-US`, `en-GB`, `es-US`, `es-ES`."""

LETTER_COUNTRIES = frozenset({"US", "CA", "MX"})
"""Where offices print on US Letter; everywhere else A4."""


def country_of(locale: str) -> str:
    """`en-GB` -> `GB`."""
    return locale.split("-")[1]


def default_papers(country: str) -> tuple[Paper, ...]:
    return ("letter",) if country in LETTER_COUNTRIES else ("a4",)


def document_locale(language: str, locale: str | None, clinic_country: str) -> str:
    """A document's locale: its own `locale`, its language if that names a country
    (`es-MX`), else its language in the clinic's country."""
    if locale:
        return locale
    if "-" in language:
        return language
    return f"{language}-{clinic_country}"
