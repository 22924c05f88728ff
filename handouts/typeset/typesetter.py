"""Layout stage: HTML to pages with WeasyPrint, sharing fonts and parsed stylesheets.

One `Typesetter` serves a whole build: it holds the FontConfiguration, the restricted
fetcher and every parsed stylesheet, so each document pays only for its own layout.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from handouts.brand import brand_stylesheet
from handouts.models import BrandColours
from handouts.styles_plan import BRAND_SHEET, stylesheet_names
from handouts.typeset.fetcher import AssetFetcher
from handouts.typeset.pdf_fixes import finish, finish_for_print_shop

PRINT_SHOP = "print-shop"
ACCESSIBLE_PDF = {"pdf_variant": "pdf/ua-1", "pdf_forms": True, "custom_metadata": True}
"""Files read on screens and sent by email (standard, large print, tri-fold): PDF/UA-1,
which tags the structure, sets DisplayDocTitle and writes XMP metadata with the PDF/UA
identification. Its dates are the content's (`dcterms.created`/`modified`); it adds no
random id, so a rebuild gives the same bytes. `custom_metadata` puts the document id and
content version (base.html's `handouts-*` meta) into the Info dictionary."""
PRINT_SHOP_PDF = {"pdf_tags": True, "pdf_forms": True, "custom_metadata": True}
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
            finisher = finish_for_print_shop if variant == PRINT_SHOP else finish
            data = document.write_pdf(finisher=finisher, **pdf_options(variant))
        if collected.messages:
            raise LayoutWarnings(collected.messages)
        assert data is not None
        return data
