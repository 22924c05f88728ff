"""Fixes applied to WeasyPrint's PDF objects before it writes them, one per gap.

Each fix names the WeasyPrint behaviour it corrects, and tests/test_pdf_fixes.py checks
both that plain WeasyPrint still has the gap (so a release that closes it is noticed and
the fix removed) and that the fix closes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pydyf
from weasyprint.document import Document

from handouts.typeset.mark_font import ADVANCE, ASCENT, DESCENT, DOT, TICK, UNITS, mark_font


def one_name_per_radio_group(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint names each radio button like its group and lists it among the form's
    top-level fields too, so readers see one field per button ("q.q") instead of one
    group with options, and poppler, rebuilding appearances, asks each button for a
    value of its own, finds none and draws no selection. Kids take their name from the
    group and are reached through it; only the group keeps `T` and its accessible name
    `TU`."""
    kids = set()
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Subtype") == "/Widget" and "Parent" in item:
            item.pop("T", None)
            item.pop("TU", None)
            kids.add(item.reference)
    form = pdf.catalog.get("AcroForm")
    if kids and form is not None:
        form["Fields"] = pydyf.Array(field for field in form["Fields"] if field not in kids)


def _object(pdf: pydyf.PDF, reference: object) -> object:
    """The object a pydyf reference (`b"12 0 R"`) points to; anything else as it is."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return pdf.objects[int(reference.split()[0])]
    return reference


def _struct_elements(pdf: pydyf.PDF) -> Iterator[pydyf.Dictionary]:
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/StructElem":
            yield item


def entries_as_list_items(document: Document, pdf: pydyf.PDF) -> None:
    """A `<div>` that groups a `<dt>` and its `<dd>` (`dl.entries .entry`) becomes a
    `Div` inside the list `L`, and WeasyPrint wraps the term and the description in a
    list item each, but a list holds only list items (ISO 32000-1 Table 336; Matterhorn
    09-005). The group becomes the list item, the term its label and the description
    its body, as Table 336 describes a dictionary list: L > LI > (Lbl, LBody). Only
    element types change; no content moves."""
    for group in _struct_elements(pdf):
        parent = _object(pdf, group.get("P"))
        if group.get("S") != "/Div" or not isinstance(parent, dict) or parent.get("S") != "/L":
            continue
        wrappers = [_object(pdf, kid) for kid in group["K"]]
        if not 1 <= len(wrappers) <= 2 or not all(_wraps_one_body(pdf, item) for item in wrappers):
            continue
        group["S"] = "/LI"
        roles = ["/LBody"] if len(wrappers) == 1 else ["/Lbl", "/LBody"]
        for wrapper, role in zip(wrappers, roles, strict=True):
            wrapper["S"] = role
            _object(pdf, wrapper["K"][0])["S"] = "/Span" if role == "/Lbl" else "/P"


def _wraps_one_body(pdf: pydyf.PDF, item: object) -> bool:
    if not isinstance(item, dict) or item.get("S") != "/LI" or len(item.get("K", ())) != 1:
        return False
    body = _object(pdf, item["K"][0])
    return isinstance(body, dict) and body.get("S") == "/LBody"


def describe_links(document: Document, pdf: pydyf.PDF) -> None:
    """PDF/UA needs a description in every link annotation (`Contents`, Matterhorn
    28-012); WeasyPrint writes the raw target ("ref-steinert-2017", "mailto:...").
    Use the link's `title` when the template gives one, else the words of the link."""
    for page in document.pages:
        for _kind, target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            words = " ".join("".join(box.element.itertext()).split())
            description = " ".join(box.element.get("title", "").split()) or words or target
            annotation["Contents"] = pydyf.String(description)


_BFCHAR = re.compile(rb"<([0-9a-f]+)> <([0-9a-f]+)>")


def form_fonts_map_every_drawn_glyph(document: Document, pdf: pydyf.PDF) -> None:
    """A font used in a form field is embedded whole, and WeasyPrint then builds its
    ToUnicode map from the font's cmap alone. Glyphs reached through OpenType features,
    like the tabular figures of list numbers, get no Unicode value: a screen reader
    says nothing for them and PDF/UA fails (Matterhorn 10-001). Add the text WeasyPrint
    recorded for every glyph it drew."""
    drawn: dict[bytes, dict[int, str]] = {}
    for font in document.fonts.values():
        if font.used_in_forms:
            drawn.setdefault(font.name, {}).update(font.to_unicode)
    if not drawn:
        return
    for item in list(pdf.objects):
        if not (isinstance(item, pydyf.Dictionary) and item.get("Type") == "/Font"):
            continue
        glyphs = drawn.get(item.get("BaseFont"))
        cmap = _object(pdf, item.get("ToUnicode"))
        if not glyphs or not isinstance(cmap, pydyf.Stream):
            continue
        lines = [bytes(line) for line in cmap.stream]
        mapped = {int(match[1], 16) for line in lines if (match := _BFCHAR.fullmatch(line))}
        missing = sorted((glyph, text) for glyph, text in glyphs.items() if glyph not in mapped and text)
        if not missing:
            continue
        entries = [f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode() for glyph, text in missing]
        end = lines.index(b"endcmap")
        added = [b"%d beginbfchar" % len(entries[i : i + 100]) for i in range(0, len(entries), 100)]
        batches = [[head, *entries[i * 100 : (i + 1) * 100], b"endbfchar"] for i, head in enumerate(added)]
        cmap.stream[:] = [*lines[:end], *(line for batch in batches for line in batch), *lines[end:]]


ART_BLEED_POINTS = 3 * 72 / 25.4
"""How far print-shop art runs past the trim (styles/variant-print-shop.css, --bleed)."""


def bleed_box_at_the_art(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint puts the BleedBox at most 10 pt outside the TrimBox, whatever the CSS
    bleed. Print-shop sheets are 3 mm of bleed plus 3 mm of slug for the crop marks, so
    the BleedBox is set where the art ends: 3 mm around the trim."""
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/Page" and "TrimBox" in item:
            left, top, right, bottom = item["TrimBox"]
            margin = ART_BLEED_POINTS
            item["BleedBox"] = pydyf.Array([left - margin, top - margin, right + margin, bottom + margin])


_RGB_OPERATOR = re.compile(rb"(\S+) (\S+) (\S+) (rg|RG)")


def cmyk(red: float, green: float, blue: float) -> tuple[float, float, float, float]:
    """sRGB to device CMYK by the usual formula without a colour profile:
    K = 1 - max(R, G, B), and C = (1 - R - K) / (1 - K), likewise M from G and Y from B.
    Black and every grey become K only (`0 0 0 1` for black), so text never prints as
    four-colour black; white is no ink at all. A print shop that wants a profile's
    conversion (GRACoL, FOGRA) can still apply one: brand colours come out close to the
    on-screen ones, not matched."""
    black = 1 - max(red, green, blue)
    if black >= 1:
        return (0.0, 0.0, 0.0, 1.0)
    cyan, magenta, yellow = ((1 - value - black) / (1 - black) for value in (red, green, blue))
    return tuple(round(value, 4) for value in (cyan, magenta, yellow, black))  # type: ignore[return-value]


def _cmyk_line(line: object) -> object:
    if not isinstance(line, bytes) or not (match := _RGB_OPERATOR.fullmatch(line)):
        return line
    operator = b"K" if match[4] == b"RG" else b"k"
    values = cmyk(*(float(channel) for channel in match.groups()[:3]))
    return b" ".join([*(f"{value:.4f}".rstrip("0").rstrip(".").encode() for value in values), operator])


def colours_in_cmyk(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint writes every CSS colour as sRGB (`rg`/`RG`); a print shop wants CMYK,
    and black text in K only. (WeasyPrint 70 draws CSS `device-cmyk()` in CMYK, but the
    clinic's brand colours and our tokens are sRGB, and a drawn SVG logo is too.) Every
    `rg`/`RG` in every content stream (pages, SVG drawings, appearances) becomes `k`/`K`
    by `cmyk`. For print-shop files only."""
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item.extra.get("Subtype") != "/Image":
            item.stream[:] = [_cmyk_line(line) for line in item.stream]


RADIO_FLAG = 1 << 15
MARK_FONT = "ZaDb"
"""The name poppler looks a button's mark font up under, whatever its DA says."""


def _button_widgets(pdf: pydyf.PDF) -> Iterator[tuple[pydyf.Dictionary, bool]]:
    """Every radio button and checkbox widget, and whether it is a radio button."""
    for item in list(pdf.objects):
        if not (isinstance(item, pydyf.Dictionary) and item.get("Subtype") == "/Widget"):
            continue
        parent = _object(pdf, item.get("Parent"))
        field = parent if isinstance(parent, dict) else item
        if field.get("FT") == "/Btn" and "AP" in item:
            yield item, bool(int(field.get("Ff", 0)) & RADIO_FLAG)


def _mark_stream(radio: bool, width: float, height: float, colour: tuple[float, ...]) -> pydyf.Stream:
    """A dot in a radio button's circle or a tick in a checkbox, inside the box the
    stylesheet draws around the widget."""
    stream = pydyf.Stream(
        extra={"Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array((0, 0, width, height))},
        compress=True,
    )
    stream.set_color_rgb(*colour)
    side = min(width, height)
    if radio:
        radius, bend = side * 0.3, side * 0.3 * 0.5523
        x, y = width / 2, height / 2
        stream.move_to(x + radius, y)
        stream.curve_to(x + radius, y + bend, x + bend, y + radius, x, y + radius)
        stream.curve_to(x - bend, y + radius, x - radius, y + bend, x - radius, y)
        stream.curve_to(x - radius, y - bend, x - bend, y - radius, x, y - radius)
        stream.curve_to(x + bend, y - radius, x + radius, y - bend, x + radius, y)
        stream.fill()
    else:
        stream.set_color_rgb(*colour, stroke=True)
        stream.set_line_width(side * 0.14)
        stream.set_line_cap(1)
        stream.set_line_join(1)
        stream.move_to(width * 0.2, height * 0.5)
        stream.line_to(width * 0.42, height * 0.26)
        stream.line_to(width * 0.8, height * 0.76)
        stream.stroke()
    return stream


def _mark_font_object(pdf: pydyf.PDF) -> pydyf.Dictionary:
    program = pydyf.Stream([mark_font()], extra={"Length1": len(mark_font())}, compress=True)
    pdf.add_object(program)
    scale = 1000 / UNITS
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": "/HandoutsMarks",
            "Flags": 32,
            "FontBBox": pydyf.Array((0, DESCENT * scale, ADVANCE * scale, ASCENT * scale)),
            "ItalicAngle": 0,
            "Ascent": ASCENT * scale,
            "Descent": DESCENT * scale,
            "CapHeight": ASCENT * scale,
            "StemV": 80,
            "FontFile2": program.reference,
        }
    )
    pdf.add_object(descriptor)
    first, last = sorted((ord(TICK), ord(DOT)))
    font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/TrueType",
            "BaseFont": "/HandoutsMarks",
            "Encoding": "/WinAnsiEncoding",
            "FirstChar": first,
            "LastChar": last,
            "Widths": pydyf.Array([ADVANCE * scale] * (last - first + 1)),
            "FontDescriptor": descriptor.reference,
        }
    )
    pdf.add_object(font)
    return font


def _form_resources_with_mark_font(pdf: pydyf.PDF) -> None:
    """The AcroForm's own DR: WeasyPrint's page resources' fonts, plus the mark font.
    WeasyPrint's DR is the pages' resource dictionary itself, which keeps only what
    pages draw."""
    form = pdf.catalog["AcroForm"]
    resources = _object(pdf, form.get("DR"))
    fonts = _object(pdf, resources.get("Font")) if isinstance(resources, dict) else None
    mark = _mark_font_object(pdf)
    form["DR"] = pydyf.Dictionary({"Font": pydyf.Dictionary({**(fonts or {}), MARK_FONT: mark.reference})})


def _emptied(pdf: pydyf.PDF, reference: object) -> None:
    """WeasyPrint's own appearance stream, now unused, becomes an empty dictionary that
    costs a few bytes in the object stream (pydyf cannot drop an object)."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        number = int(reference.split()[0])
        placeholder = pydyf.Dictionary()
        placeholder.number = number
        pdf.objects[number] = placeholder


def buttons_drawn_in_every_viewer(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint gives each radio button and checkbox one appearance, its checked
    state, drawn anew for every widget, and no DA. With NeedAppearances set, poppler
    (pdftoppm, Evince, printing through CUPS) rebuilds every appearance and, with no DA
    and no font for the mark, draws none: selected buttons print blank. Without an Off
    appearance pdfium builds its own, border and all. Each widget gets appearances
    shared by every widget of its kind, size and colour: on (a dot or a tick) and Off
    (nothing: the page draws the circle or box), as normal and down appearances; AS set
    to its state; and for viewers that rebuild, a DA naming the mark font and the mark
    as caption (MK/CA), with that font embedded in the form's resources. Every button
    then has its appearances and blank text fields need none, so the form no longer asks
    viewers to rebuild them all (NeedAppearances false): a viewer that rebuilds redraws a
    radio button from its group's value, which some filling tools write as a string
    (pypdf 7 with auto_regenerate), and shows no selection."""
    shared: dict[tuple[object, ...], tuple[bytes, bytes]] = {}
    widgets = list(_button_widgets(pdf))
    if not widgets:
        return
    for widget, radio in widgets:
        [(state, drawn)] = widget["AP"]["N"].items()
        left, top, right, bottom = widget["Rect"]
        width, height = round(abs(right - left), 3), round(abs(top - bottom), 3)
        colour = tuple(round(float(value), 4) for value in widget["MK"]["BC"])
        key = (radio, width, height, colour)
        if key not in shared:
            mark = _mark_stream(radio, width, height, colour)
            blank = pydyf.Stream(
                extra={"Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array((0, 0, width, height))}
            )
            pdf.add_object(mark)
            pdf.add_object(blank)
            shared[key] = (mark.reference, blank.reference)
        mark_reference, blank_reference = shared[key]
        _emptied(pdf, drawn)
        states = pydyf.Dictionary({state: mark_reference, "Off": blank_reference})
        widget["AP"] = pydyf.Dictionary({"N": states, "D": states})
        widget["AS"] = widget.get("AS", "/Off")
        red, green, blue = colour
        widget["DA"] = pydyf.String(f"/{MARK_FONT} 0 Tf {red} {green} {blue} rg")
        widget["MK"]["CA"] = pydyf.String(DOT if radio else TICK)
    _form_resources_with_mark_font(pdf)
    pdf.catalog["AcroForm"]["NeedAppearances"] = "false"


def name_each_button(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint names a field after its label or `title` only, and a radio button's
    widget, an option of its group, gets no name of its own: a screen reader reading
    widgets (pdf.js) says "radio button" and no more. Each widget whose input has an
    `aria-label` ("Do you smoke? Yes") gets it as its own TU, and every Form structure
    element gets its widget's name (or its field's) as Alt, so tagged readers hear it too."""
    for page in document.pages:
        for box in page._page_box.descendants():
            widget = getattr(box, "widget_annotation", None)
            label = box.element.get("aria-label") if widget is not None and box.element is not None else None
            if label:
                widget["TU"] = pydyf.String(" ".join(label.split()))
    for element in _struct_elements(pdf):
        if element.get("S") != "/Form" or len(element.get("K", ())) != 1:
            continue
        reference = _object(pdf, element["K"][0])
        widget = _object(pdf, reference.get("Obj")) if isinstance(reference, dict) else None
        if not isinstance(widget, dict):
            continue
        field = _object(pdf, widget.get("Parent")) if "TU" not in widget else widget
        if isinstance(field, dict) and "TU" in field:
            element["Alt"] = field["TU"]


FIXES = (
    one_name_per_radio_group,
    name_each_button,
    buttons_drawn_in_every_viewer,
    entries_as_list_items,
    describe_links,
    form_fonts_map_every_drawn_glyph,
)


PRINT_SHOP_FIXES = (bleed_box_at_the_art, colours_in_cmyk)
"""Run after FIXES on print-shop files only (colours_in_cmyk sees the buttons' marks)."""


def finish(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint's `finisher` for every file but the print shop's: every fix, in turn."""
    for fix in FIXES:
        fix(document, pdf)


def finish_for_print_shop(document: Document, pdf: pydyf.PDF) -> None:
    """The `finisher` for print-shop files: every fix, then the print shop's."""
    for fix in (*FIXES, *PRINT_SHOP_FIXES):
        fix(document, pdf)
