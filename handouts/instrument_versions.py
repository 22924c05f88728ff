"""Which stored file holds a questionnaire in a leaflet's language.

`handouts/instruments/phq-9.yaml` is the English wording; a version in another language is a
file of its own beside it, named by the language: `phq-9.es.yaml` (any Spanish) or
`phq-9.es-US.yaml` (Spanish for the United States, used before `phq-9.es`). It holds the
official translation word for word, with its `source` and `credit` line, like the English
file. Adding one needs no code: a leaflet in that language then prints it. A leaflet in a
language with no stored version is refused by the build, so an English questionnaire is
never printed in a leaflet in another language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from handouts.language_tags import ENGLISH, language_of

V = TypeVar("V")


def candidates(instrument: str, language: str) -> list[str]:
    """File stems that may hold `instrument` in `language`, most specific first."""
    primary = language_of(language)
    if primary == ENGLISH:
        return [instrument]
    return list(dict.fromkeys([f"{instrument}.{language}", f"{instrument}.{primary}"]))


def stored_version(instruments: Mapping[str, V], instrument: str, language: str) -> str | None:
    """The file stem holding `instrument` in `language`, or None when none is stored."""
    return next((stem for stem in candidates(instrument, language) if stem in instruments), None)


class InLanguage(Mapping[str, V]):
    """The instruments as a leaflet in one language names them: `phq-9` gives the stored
    version in that language. Lookups go through to `stored` by file stem, so a mapping
    that notes what a render read notes the file really used."""

    def __init__(self, stored: Mapping[str, V], language: str) -> None:
        self.stored = stored
        self.language = language

    def __getitem__(self, instrument: str) -> V:
        stem = stored_version(self.stored, instrument, self.language)
        if stem is None:
            raise KeyError(f"no stored version of {instrument} in '{self.language}'")
        return self.stored[stem]

    def __iter__(self) -> Iterator[str]:
        return (name for name in self.stored if "." not in name and name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, instrument: object) -> bool:
        return (
            isinstance(instrument, str) and stored_version(self.stored, instrument, self.language) is not None
        )
