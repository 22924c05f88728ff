"""Each PDF fix in handouts/typeset/pdf_fixes.py, twice: plain WeasyPrint still has the
gap (when a release closes it, the first test fails and the fix should go), and the fix
closes it. The checks read WeasyPrint's PDF objects just before they are written."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO

import pydyf
import pytest
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.document import Document

from handouts.paths import STYLES_DIR
from handouts.typeset import pdf_fixes
from handouts.typeset.mark_font import DOT, TICK, mark_font
from handouts.typeset.typesetter import ACCESSIBLE_PDF

Fix = Callable[[Document, pydyf.PDF], None]


def objects(html: str, fixes: tuple[Fix, ...], **options: object) -> tuple[Document, pydyf.PDF]:
    """The document and its PDF objects after `fixes`, as the finisher sees them."""
    seen: dict[str, object] = {}

    def finisher(document: Document, pdf: pydyf.PDF) -> None:
        for fix in fixes:
            fix(document, pdf)
        seen["document"], seen["pdf"] = document, pdf

    HTML(string=html).render(**options).write_pdf(finisher=finisher, **options)
    return seen["document"], seen["pdf"]  # type: ignore[return-value]


def dictionaries(pdf: pydyf.PDF, key: str, value: str) -> list[pydyf.Dictionary]:
    return [item for item in pdf.objects if isinstance(item, pydyf.Dictionary) and item.get(key) == value]


COVERED: set[Fix] = set()


def with_and_without(fix: Fix) -> pytest.MarkDecorator:
    """Runs a test with WeasyPrint alone and with `fix`, and records that `fix` is tested."""
    COVERED.add(fix)
    return pytest.mark.parametrize("fixed", [False, True], ids=["weasyprint-alone", "fixed"])


@with_and_without(pdf_fixes.bleed_box_at_the_art)
def test_bleed_box_reaches_the_art_not_weasyprints_10_pt_cap(fixed: bool) -> None:
    html = "<style>@page { size: 100mm 100mm; bleed: 6mm; marks: crop }</style><p>Art</p>"
    _, pdf = objects(html, (pdf_fixes.bleed_box_at_the_art,) if fixed else (), pdf_tags=True)
    [page] = dictionaries(pdf, "Type", "/Page")
    margin = page["TrimBox"][0] - page["BleedBox"][0]
    assert margin == pytest.approx(pdf_fixes.ART_BLEED_POINTS if fixed else 10.0)


def _colour_operators(pdf: pydyf.PDF) -> list[bytes]:
    return [
        bytes(line) if isinstance(line, bytes) else str(line).encode()
        for item in pdf.objects
        if isinstance(item, pydyf.Stream)
        for line in item.stream
        if re.fullmatch(
            rb"[\d. ]+ (rg|RG|k|K)", bytes(line) if isinstance(line, bytes) else str(line).encode()
        )
    ]


@with_and_without(pdf_fixes.colours_in_cmyk)
def test_print_shop_colours_are_cmyk_and_black_is_k_only(fixed: bool) -> None:
    html = '<html lang="en"><p style="color: #000; border: 2pt solid #1d4f73; background: #808080">Ink</p>'
    _, pdf = objects(html, (pdf_fixes.colours_in_cmyk,) if fixed else (), pdf_tags=True)
    operators = _colour_operators(pdf)
    assert operators
    rgb = [line for line in operators if line.endswith((b"rg", b"RG"))]
    assert bool(rgb) is not fixed
    if fixed:
        assert b"0 0 0 1 k" in operators  # the black text
        assert b"0 0 0 0.498 k" in operators  # the grey background, in K only
        assert b"0.7478 0.313 0 0.549 k" in operators  # #1d4f73 (29, 79, 115), by the stated formula


def test_cmyk_of_black_grey_white_and_a_brand_colour() -> None:
    assert pdf_fixes.cmyk(0, 0, 0) == (0, 0, 0, 1)
    assert pdf_fixes.cmyk(0.5, 0.5, 0.5) == (0, 0, 0, 0.5)
    assert pdf_fixes.cmyk(1, 1, 1) == (0, 0, 0, 0)
    assert pdf_fixes.cmyk(1, 0, 0) == (0, 1, 1, 0)


@with_and_without(pdf_fixes.one_name_per_radio_group)
def test_radio_buttons_are_options_of_one_named_group(fixed: bool) -> None:
    html = '<form><input type="radio" name="q" value="a" title="Q"><input type="radio" name="q" value="b" title="Q"></form>'
    _, pdf = objects(html, (pdf_fixes.one_name_per_radio_group,) if fixed else (), **ACCESSIBLE_PDF)
    kids = [item for item in dictionaries(pdf, "Subtype", "/Widget") if "Parent" in item]
    assert len(kids) == 2
    assert all(("T" in kid) is not fixed for kid in kids)


def test_radio_buttons_are_reached_through_their_group_not_listed_as_fields() -> None:
    """WeasyPrint also lists each button among the form's top-level fields."""
    html = '<form><input type="radio" name="q" value="a" title="Q"><input type="radio" name="q" value="b" title="Q"></form>'
    for fixed in (False, True):
        _, pdf = objects(html, (pdf_fixes.one_name_per_radio_group,) if fixed else (), **ACCESSIBLE_PDF)
        kids = {item.reference for item in dictionaries(pdf, "Subtype", "/Widget") if "Parent" in item}
        listed = set(pdf.catalog["AcroForm"]["Fields"])
        assert bool(kids & listed) is not fixed


BUTTONS = """<form><input type="radio" name="q" value="a" title="Q?" aria-label="Q? A">
<input type="radio" name="q" value="b" title="Q?" aria-label="Q? B" checked>
<input type="checkbox" name="c" title="Tick. One"><input type="checkbox" name="d" title="Tick. Two">
<input type="text" name="t" title="Name"></form>"""


@with_and_without(pdf_fixes.buttons_drawn_in_every_viewer)
def test_each_button_has_shared_on_and_off_appearances_and_a_mark_to_rebuild(fixed: bool) -> None:
    fixes = (pdf_fixes.one_name_per_radio_group,) + (
        (pdf_fixes.buttons_drawn_in_every_viewer,) if fixed else ()
    )
    _, pdf = objects(BUTTONS, fixes, **ACCESSIBLE_PDF)
    buttons = [item for item in dictionaries(pdf, "Subtype", "/Widget") if "AS" in item]
    assert len(buttons) == 4
    states = [set(button["AP"]["N"]) for button in buttons]
    assert all(("Off" in state) is fixed for state in states)
    assert all(("DA" in button and "CA" in button["MK"]) is fixed for button in buttons)
    assert [str(button["AS"]) for button in buttons] == ["/Off", "/1", "/Off", "/Off"]
    drawings = {button["AP"]["N"][key] for button in buttons for key in button["AP"]["N"] if key != "Off"}
    # One mark per kind and size, shared (two radio buttons, two checkboxes), or one per widget.
    assert len(drawings) == (2 if fixed else 4)
    form = pdf.catalog["AcroForm"]
    assert (form["NeedAppearances"] == "false") is fixed
    resources = form["DR"] if fixed else pdf.objects[int(form["DR"].split()[0])]
    fonts = resources.get("Font", {})
    fonts = pdf.objects[int(fonts.split()[0])] if isinstance(fonts, bytes) else fonts
    assert (pdf_fixes.MARK_FONT in fonts) is fixed


@with_and_without(pdf_fixes.name_each_button)
def test_each_radio_button_is_named_by_its_question_and_option(fixed: bool) -> None:
    fixes = (pdf_fixes.one_name_per_radio_group,) + ((pdf_fixes.name_each_button,) if fixed else ())
    _, pdf = objects(BUTTONS, fixes, **ACCESSIBLE_PDF)
    kids = [item for item in dictionaries(pdf, "Subtype", "/Widget") if "Parent" in item]
    assert [kid.get("TU") and kid["TU"].string for kid in kids] == (
        ["Q? A", "Q? B"] if fixed else [None, None]
    )
    alts = [item.get("Alt") and item["Alt"].string for item in dictionaries(pdf, "S", "/Form")]
    assert alts == (["Q? A", "Q? B", "Tick. One", "Tick. Two", "Name"] if fixed else [None] * 5)


def test_the_mark_font_is_the_same_bytes_every_time() -> None:
    font = TTFont(BytesIO(mark_font()))
    assert set(font.getBestCmap()) == {ord(DOT), ord(TICK)}
    mark_font.cache_clear()
    assert mark_font() == font.reader.file.getvalue()


@with_and_without(pdf_fixes.entries_as_list_items)
def test_a_list_of_entries_holds_only_list_items(fixed: bool) -> None:
    html = '<dl class="entries"><div class="entry"><dt>Name</dt><dd>Text</dd></div></dl>'
    _, pdf = objects(html, (pdf_fixes.entries_as_list_items,) if fixed else (), **ACCESSIBLE_PDF)
    roles = [item["S"] for item in dictionaries(pdf, "Type", "/StructElem")]
    assert roles[:3] == (["/Document", "/L", "/LI"] if fixed else ["/Document", "/L", "/Div"])
    assert ("/Lbl" in roles) is fixed


@with_and_without(pdf_fixes.describe_links)
def test_a_link_is_described_by_its_words_not_its_address(fixed: bool) -> None:
    html = '<p><a href="https://example.org/x">the example page</a></p>'
    _, pdf = objects(html, (pdf_fixes.describe_links,) if fixed else (), **ACCESSIBLE_PDF)
    [link] = dictionaries(pdf, "Subtype", "/Link")
    assert link["Contents"].string == ("the example page" if fixed else "https://example.org/x")


_BFCHAR = re.compile(rb"<([0-9a-f]+)> <([0-9a-f]+)>")


@with_and_without(pdf_fixes.form_fonts_map_every_drawn_glyph)
def test_every_glyph_of_a_form_font_has_its_text(fixed: bool) -> None:
    """Tabular figures (list numbers) in a font that a form field also uses: WeasyPrint
    alone leaves those glyphs out of the font's ToUnicode map."""
    font = (STYLES_DIR / "fonts" / "atkinson-hyperlegible-latin-400-normal.ttf").as_uri()
    html = f"""<style>@font-face {{ font-family: A; src: url({font}); }}
    body {{ font-family: A; font-variant-numeric: tabular-nums; }}</style>
    <ol><li>one</li><li>two</li></ol><form><input type="text" name="n" value="12" title="N"></form>"""
    document, pdf = objects(
        html, (pdf_fixes.form_fonts_map_every_drawn_glyph,) if fixed else (), **ACCESSIBLE_PDF
    )
    drawn = {glyph for font in document.fonts.values() if font.used_in_forms for glyph in font.to_unicode}
    mapped = set()
    for item in dictionaries(pdf, "Type", "/Font"):
        cmap = item.get("ToUnicode")
        if isinstance(cmap, bytes):
            cmap = pdf.objects[int(cmap.split()[0])]
        if isinstance(cmap, pydyf.Stream):
            mapped |= {int(match[1], 16) for line in cmap.stream if (match := _BFCHAR.fullmatch(bytes(line)))}
    assert drawn
    assert (drawn <= mapped) is fixed


def test_every_fix_the_finisher_applies_is_tested_here() -> None:
    assert {*pdf_fixes.FIXES, *pdf_fixes.PRINT_SHOP_FIXES} == COVERED
