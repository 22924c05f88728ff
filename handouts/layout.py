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

import pydyf
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from handouts.brand import brand_stylesheet
from handouts.fetcher import AssetFetcher
from handouts.models import BrandColours

BRAND_SHEET = "<clinic brand colours>"
PDF_OPTIONS = {"pdf_tags": True, "pdf_forms": True}


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
        """Shared sheets, then paper, layout and variant ones; later sheets refine earlier ones.

        Optional refinements (`booklet-a4.css`, `variant-large-print.css`,
        `booklet-print-shop.css`) are used when the file exists.
        """
        names = ["fonts.css", "tokens.css", BRAND_SHEET, "base.css", f"page-{paper}.css", f"{layout}.css"]
        optional = [f"{layout}-{paper}.css", f"variant-{variant}.css", f"{layout}-{variant}.css"]
        names += [name for name in optional if (self.roots.styles / name).is_file()]
        return [self._brand if name == BRAND_SHEET else self._sheet(name) for name in names]

    def typeset(self, html: str, layout: str, paper: str, variant: str) -> Document:
        """Lay out pages; raises LayoutWarnings if WeasyPrint complained about anything."""
        with strict_weasyprint() as collected:
            document = HTML(
                string=html, base_url=self.roots.templates.resolve().as_uri() + "/", url_fetcher=self.fetcher
            ).render(
                stylesheets=self.stylesheets(layout, paper, variant),
                font_config=self.font_config,
                **PDF_OPTIONS,
            )
        if collected.messages:
            raise LayoutWarnings(collected.messages)
        return document

    @staticmethod
    def pdf_bytes(document: Document, identifier: bytes) -> bytes:
        with strict_weasyprint() as collected:
            data = document.write_pdf(
                pdf_identifier=identifier, finisher=_one_name_per_radio_group, **PDF_OPTIONS
            )
        if collected.messages:
            raise LayoutWarnings(collected.messages)
        assert data is not None
        return data
