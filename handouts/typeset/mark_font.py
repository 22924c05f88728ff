"""A two-glyph TrueType font for the marks of radio buttons and checkboxes.

A viewer that rebuilds a button's appearance (NeedAppearances) draws its caption, `MK/CA`,
in the font of its `DA`; poppler always looks that font up as `ZaDb` in the form's
resources, where ZapfDingbats' `l` is a dot and `4` a tick. ZapfDingbats itself is not
embedded in any file we may ship (PDF/UA-1 embeds every font), so the form carries this
font under that name instead: the same two marks at the same codes, drawn here, built with
fixed dates so every build gives the same bytes.
"""

from __future__ import annotations

import math
from functools import cache
from io import BytesIO

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

UNITS = 1000
ASCENT, DESCENT = 800, -200
ADVANCE = 1000
DOT, TICK = "l", "4"
"""ZapfDingbats' codes for a filled circle (a71) and a check mark (a20)."""
FIXED_DATE = 3786912000  # 2024-01-01 in seconds since 1904: the font's dates never change


def _dot(pen: TTGlyphPen) -> None:
    centre_x, centre_y, radius = ADVANCE / 2, (ASCENT + DESCENT) / 2, 300
    angles = [2 * math.pi * step / 32 for step in range(32)]
    points = [
        (round(centre_x + radius * math.cos(a)), round(centre_y + radius * math.sin(a))) for a in angles
    ]
    pen.moveTo(points[0])
    for point in points[1:]:
        pen.lineTo(point)
    pen.closePath()


def _tick(pen: TTGlyphPen) -> None:
    for index, point in enumerate([(120, 330), (230, 440), (400, 270), (800, 700), (910, 590), (400, 50)]):
        (pen.moveTo if index == 0 else pen.lineTo)(point)
    pen.closePath()


@cache
def mark_font() -> bytes:
    """The font program: `l` a dot, `4` a tick, both 1000 units wide."""
    builder = FontBuilder(UNITS, isTTF=True)
    order = [".notdef", "dot", "tick"]
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(DOT): "dot", ord(TICK): "tick"})
    glyphs = {}
    for name, draw in ((".notdef", None), ("dot", _dot), ("tick", _tick)):
        pen = TTGlyphPen(None)
        if draw is not None:
            draw(pen)
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (ADVANCE, 0) for name in order})
    builder.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    builder.setupNameTable({"familyName": "Handouts Marks", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT, usWinDescent=-DESCENT)
    builder.setupPost()
    builder.updateHead(created=FIXED_DATE, modified=FIXED_DATE)
    builder.font.recalcTimestamp = False
    output = BytesIO()
    builder.save(output)
    return output.getvalue()
