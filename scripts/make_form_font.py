"""Makes styles/fonts/noto-sans-forms-400-normal.ttf, the font of the form fields.

Noto Sans (SIL Open Font License 1.1) comes from the @fontsource/noto-sans package as one
file per script. This joins the Latin, Latin Extended, Vietnamese, Greek and Cyrillic files
(glyphs of one family, so equal names are equal glyphs) and keeps only the characters a
patient may type in a form: WeasyPrint embeds a form field's font whole, so every glyph
counts against the leaflets' size budget. Viewers lay out field text without OpenType
features, so the layout tables go too.

    npm pack @fontsource/noto-sans && tar xzf fontsource-noto-sans-*.tgz
    .venv/bin/python scripts/make_form_font.py package/files styles/fonts/noto-sans-forms-400-normal.ttf
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SUBSETS = ("latin", "latin-ext", "vietnamese", "greek", "cyrillic")
RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B
    (0x0300, 0x0323),  # combining accents Vietnamese and Greek names use
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x0400, 0x04FF),  # Cyrillic
    (0x1EA0, 0x1EF9),  # Vietnamese letters of Latin Extended Additional
    (0x2010, 0x2027),  # dashes, quotation marks, ellipsis
    (0x20AB, 0x20AC),  # dong and euro signs
)


def joined(files: Path) -> TTFont:
    fonts = [TTFont(files / f"noto-sans-{name}-400-normal.woff") for name in SUBSETS]
    base = fonts[0]
    base.flavor = None
    order = list(base.getGlyphOrder())
    cmap = base.getBestCmap()
    for other in fonts[1:]:
        for name in other.getGlyphOrder():
            if name not in base["glyf"].glyphs:
                base["glyf"][name] = other["glyf"][name]
                base["hmtx"][name] = other["hmtx"][name]
                order.append(name)
        for code, name in other.getBestCmap().items():
            cmap.setdefault(code, name)
    base.setGlyphOrder(order)
    base["glyf"].setGlyphOrder(order)
    for table in base["cmap"].tables:
        if table.isUnicode():
            table.cmap = {code: name for code, name in cmap.items() if table.format == 12 or code <= 0xFFFF}
    return base


def main(files: Path, target: Path) -> None:
    font = joined(files)
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "STAT", "gasp"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for low, high in RANGES for code in range(low, high + 1)])
    subsetter.subset(font)
    font["post"].formatType = 3.0  # no glyph names: they would only add bytes
    font.save(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
