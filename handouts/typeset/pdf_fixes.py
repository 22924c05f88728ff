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


def one_name_per_radio_group(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint names each radio button like its group, so readers see one field per
    button ("q.q") instead of one group with options. Kids take their name from the
    group; only the group keeps `T` and its accessible name `TU`."""
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Subtype") == "/Widget" and "Parent" in item:
            item.pop("T", None)
            item.pop("TU", None)


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


FIXES = (
    bleed_box_at_the_art,
    one_name_per_radio_group,
    entries_as_list_items,
    describe_links,
    form_fonts_map_every_drawn_glyph,
)


def finish(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint's `finisher`: every fix, in turn."""
    for fix in FIXES:
        fix(document, pdf)
