"""Layout stage: HTML to pages with WeasyPrint, sharing fonts and parsed stylesheets.

One `Typesetter` serves a whole build: it holds the FontConfiguration, the restricted
fetcher and every parsed stylesheet, so each document pays only for its own layout.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pydyf
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from handouts.brand import brand_stylesheet
from handouts.fetcher import AssetFetcher
from handouts.models import BrandColours
from handouts.styles_plan import BRAND_SHEET, stylesheet_names

PRINT_SHOP = "print-shop"
ACCESSIBLE_PDF = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}
"""Files read on screens and sent by email (standard, large print, tri-fold): PDF/UA-1,
which tags the structure, sets DisplayDocTitle and writes XMP metadata with the PDF/UA
identification. Its dates are the content's (`dcterms.created`/`modified`); it adds no
random id, so a rebuild gives the same bytes."""
PRINT_SHOP_PDF = {"pdf_tags": True, "pdf_forms": True}
"""Files for a commercial printer: tagged, no PDF/UA claim; bleed and crop marks come
from the print-shop stylesheet."""


def pdf_options(variant: str) -> dict[str, object]:
    """WeasyPrint options for a variant: every variant but print-shop is PDF/UA-1."""
    return dict(PRINT_SHOP_PDF if variant == PRINT_SHOP else ACCESSIBLE_PDF)


class LayoutWarnings(Exception):
    """WeasyPrint reported a problem (bad CSS, a refused resource): the PDF is not trusted."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def strict_weasyprint() -> Iterator[_Collector]:
    """Collects every WeasyPrint warning and error raised inside the block."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


@dataclass(frozen=True)
class AssetRoots:
    templates: Path
    styles: Path
    content: Path

    def all(self) -> list[Path]:
        return [self.templates, self.styles, self.content]


def _one_name_per_radio_group(document: Document, pdf: pydyf.PDF) -> None:
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


def _entries_as_list_items(document: Document, pdf: pydyf.PDF) -> None:
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


def _describe_links(document: Document, pdf: pydyf.PDF) -> None:
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


def _form_fonts_map_every_drawn_glyph(document: Document, pdf: pydyf.PDF) -> None:
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


def _bleed_box_at_the_art(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint puts the BleedBox at most 10 pt outside the TrimBox, whatever the CSS
    bleed. Print-shop sheets are 3 mm of bleed plus 3 mm of slug for the crop marks, so
    the BleedBox is set where the art ends: 3 mm around the trim."""
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/Page" and "TrimBox" in item:
            left, top, right, bottom = item["TrimBox"]
            margin = ART_BLEED_POINTS
            item["BleedBox"] = pydyf.Array([left - margin, top - margin, right + margin, bottom + margin])


def _finish(document: Document, pdf: pydyf.PDF) -> None:
    """Fixes applied to the PDF objects before WeasyPrint writes them."""
    _bleed_box_at_the_art(document, pdf)
    _one_name_per_radio_group(document, pdf)
    _entries_as_list_items(document, pdf)
    _describe_links(document, pdf)
    _form_fonts_map_every_drawn_glyph(document, pdf)


class Typesetter:
    def __init__(self, roots: AssetRoots, brand: BrandColours) -> None:
        self.roots = roots
        self.fetcher = AssetFetcher(roots.all())
        self.font_config = FontConfiguration()
        self._sheets: dict[str, CSS] = {}
        self._brand = CSS(
            string=brand_stylesheet(brand), url_fetcher=self.fetcher, font_config=self.font_config
        )

    def _sheet(self, name: str) -> CSS:
        """A parsed stylesheet, parsed once per build; any CSS warning is our bug, so fatal."""
        if name not in self._sheets:
            with strict_weasyprint() as collected:
                sheet = CSS(
                    filename=self.roots.styles / name, url_fetcher=self.fetcher, font_config=self.font_config
                )
            if collected.messages:
                raise LayoutWarnings([f"styles/{name}: {message}" for message in collected.messages])
            self._sheets[name] = sheet
        return self._sheets[name]

    def stylesheets(self, layout: str, paper: str, variant: str) -> list[CSS]:
        names = stylesheet_names(self.roots.styles, layout, paper, variant)
        return [self._brand if name == BRAND_SHEET else self._sheet(name) for name in names]

    def typeset(self, html: str, layout: str, paper: str, variant: str) -> Document:
        """Lay out pages; raises LayoutWarnings if WeasyPrint complained about anything."""
        with strict_weasyprint() as collected:
            document = HTML(
                string=html, base_url=self.roots.templates.resolve().as_uri() + "/", url_fetcher=self.fetcher
            ).render(
                stylesheets=self.stylesheets(layout, paper, variant),
                font_config=self.font_config,
                **pdf_options(variant),
            )
        if collected.messages:
            raise LayoutWarnings(collected.messages)
        return document

    @staticmethod
    def pdf_bytes(document: Document, variant: str) -> bytes:
        """The PDF, without a file identifier (`ID`, optional in PDF 1.7 and in PDF/UA-1):
        pydyf derives its second half by serialising and compressing every object a second
        time, a seventh of the time spent writing a PDF when profiled. manifest.json holds
        each file's SHA-256."""
        with strict_weasyprint() as collected:
            data = document.write_pdf(finisher=_finish, **pdf_options(variant))
        if collected.messages:
            raise LayoutWarnings(collected.messages)
        assert data is not None
        return data
