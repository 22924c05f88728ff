"""Characters that would make what a patient reads differ from what the editor typed.

Direction controls (a right-to-left override turns "01" into "10" on the page) and other
invisible format characters are refused, as are control characters and code points with
no meaning. Joiners, non-breaking spaces and soft hyphens are allowed: scripts and
hyphenation need them.
"""

from __future__ import annotations

import unicodedata

DIRECTION_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_FORMAT_CHARACTERS = frozenset("\u00ad\u200c\u200d")
"""Soft hyphen, zero-width non-joiner and joiner."""
MEANINGLESS_CATEGORIES = {
    "Co": "a private-use character",
    "Cs": "a broken character",
    "Cn": "an unassigned code point",
}


def describe(character: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" {name}" if name else "")


def character_problem(text: str, one_line: bool) -> str | None:
    """Why `text` cannot be printed as typed, naming the first bad character and where it is."""
    for index, character in enumerate(text, start=1):
        where = f"at character {index}"
        if character == "\n" and not one_line:
            continue
        if character in "\n\r\u2028\u2029":
            return f"must be one line; remove the line break {where}"
        if character in DIRECTION_CONTROLS:
            return (
                f"invisible direction control ({describe(character)}) {where}: it can change the order "
                "in which a patient reads the words or digits; delete it"
            )
        category = unicodedata.category(character)
        if category == "Cc" and character != "\t":
            return f"control character ({describe(character)}) {where}; delete it"
        if category == "Cf" and character not in ALLOWED_FORMAT_CHARACTERS:
            return f"invisible formatting character ({describe(character)}) {where}; delete it"
        if category in MEANINGLESS_CATEGORIES:
            return f"{MEANINGLESS_CATEGORIES[category]} ({describe(character)}) {where}; delete it"
    return None
