"""WCAG contrast of colour pairs, in colour and as a black-and-white laser prints them."""

from __future__ import annotations

from dataclasses import dataclass

BODY_TEXT_MINIMUM = 4.5
LARGE_TEXT_MINIMUM = 3.0
"""WCAG 1.4.3: 4.5:1 for body text, 3:1 for text of 18 pt (14 pt bold) and up."""


def _channels(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    red, green, blue = (_linear(c) for c in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def greyscale(colour: str) -> str:
    """The grey a printer's driver makes of a colour (Rec. 601 luma, as most drivers use)."""
    red, green, blue = _channels(colour)
    grey = round((0.299 * red + 0.587 * green + 0.114 * blue) * 255)
    return f"#{grey:02x}{grey:02x}{grey:02x}"


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class ColourPair:
    """Text of one token drawn on the background of another, as the stylesheets use them."""

    text_token: str
    background_token: str
    minimum: float
    use: str


@dataclass(frozen=True)
class ContrastFailure:
    pair: ColourPair
    text: str
    background: str
    colour_ratio: float
    grey_ratio: float

    def message(self) -> str:
        return (
            f"{self.pair.use}: {self.pair.text_token} {self.text} on {self.pair.background_token} "
            f"{self.background} has contrast {self.colour_ratio:.1f}:1 in colour and "
            f"{self.grey_ratio:.1f}:1 in black and white; needs {self.pair.minimum:g}:1"
        )


def check_pairs(tokens: dict[str, str], pairs: list[ColourPair]) -> list[ContrastFailure]:
    """Every pair whose contrast is too low in colour or after greyscale conversion."""
    failures = []
    for pair in pairs:
        text, background = tokens[pair.text_token], tokens[pair.background_token]
        colour_ratio = contrast_ratio(text, background)
        grey_ratio = contrast_ratio(greyscale(text), greyscale(background))
        if min(colour_ratio, grey_ratio) < pair.minimum:
            failures.append(ContrastFailure(pair, text, background, colour_ratio, grey_ratio))
    return failures
