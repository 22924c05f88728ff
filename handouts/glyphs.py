"""Which characters the bundled fonts can draw, so content never asks for one they cannot.

A character the fonts lack would be drawn by whatever font the machine happens to have,
or not at all: the page would differ from machine to machine, or show an empty box.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from handouts.diagnostics import Diagnostic
from handouts.models.characters import ALLOWED_FORMAT_CHARACTERS, describe
from handouts.reader import SourceFile

FONT_SUFFIXES = (".ttf", ".otf")
BODY_FONT = "atkinson-hyperlegible-"
"""File names of the faces content is printed in. The form fields' font (for what patients
type, in more scripts) never prints content, so it neither widens nor narrows this."""


@cache
def drawable_characters(fonts_dir: Path) -> frozenset[int]:
    """Code points every face of the body font (regular, bold, italic) has a glyph for."""
    from fontTools.ttLib import TTFont

    faces = [
        path
        for path in sorted(fonts_dir.iterdir())
        if path.suffix.lower() in FONT_SUFFIXES and path.name.startswith(BODY_FONT)
    ]
    covered = [set(TTFont(path, lazy=True).getBestCmap()) for path in faces]
    return frozenset(set.intersection(*covered)) if covered else frozenset()


def _needs_a_glyph(character: str) -> bool:
    """Spaces, line breaks and the allowed invisible characters are not drawn."""
    return (
        not character.isspace()
        and character not in ALLOWED_FORMAT_CHARACTERS
        and (unicodedata.category(character)[0] != "C")
    )


def undrawable(source: SourceFile, drawable: frozenset[int]) -> list[Diagnostic]:
    """One located problem per value holding a character the bundled fonts cannot draw."""
    problems = []
    for path, text in source.strings():
        missing = next((c for c in text if ord(c) not in drawable and _needs_a_glyph(c)), None)
        if missing is not None:
            message = (
                f"the bundled font cannot draw '{missing}' ({describe(missing)}); "
                "write it in words or with another character"
            )
            problems.append(source.problem(path, message))
    return problems
