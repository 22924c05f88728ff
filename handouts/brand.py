"""A clinic's colour tokens: their contrast check and the stylesheet that applies them."""

from __future__ import annotations

import tinycss2

from handouts.contrast import BODY_TEXT_MINIMUM, ColourPair, ContrastFailure, check_pairs
from handouts.models.clinic import BrandColours

# How styles/*.css combine the tokens. Keep in step with the stylesheets' use of var(--…).
COLOUR_PAIRS = [
    ColourPair("text", "paper", BODY_TEXT_MINIMUM, "body text"),
    ColourPair("text", "tint", BODY_TEXT_MINIMUM, "text in boxes"),
    ColourPair("primary", "paper", BODY_TEXT_MINIMUM, "headings and links"),
    ColourPair("primary", "tint", BODY_TEXT_MINIMUM, "headings in boxes"),
    ColourPair("paper", "primary", BODY_TEXT_MINIMUM, "cover band text"),
]


def contrast_failures(brand: BrandColours) -> list[tuple[str, ContrastFailure]]:
    """Failures with the token to blame: the text colour, unless it is the default body text."""
    failures = check_pairs(brand.model_dump(), COLOUR_PAIRS)
    return [(f.pair.text_token if f.pair.text_token != "paper" else "primary", f) for f in failures]


def _hash_token(colour: str) -> str:
    """Serialise a colour only if it parses as one CSS hash token, so no text can slip through."""
    token = tinycss2.parse_one_component_value(colour)
    if not isinstance(token, tinycss2.ast.HashToken) or len(token.value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tinycss2.serialize([token])


def brand_stylesheet(brand: BrandColours) -> str:
    """`:root` custom properties overriding styles/tokens.css."""
    declarations = "".join(
        f"--colour-{name}:{_hash_token(value)};" for name, value in brand.model_dump().items()
    )
    return f":root{{{declarations}}}"
