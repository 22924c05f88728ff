"""Render stage: a validated document to HTML, through our own Jinja2 templates only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from handouts.catalog import Output
from handouts.instrument_versions import InLanguage
from handouts.models import Clinic, Reference, UiStrings
from handouts.models.instrument import Instrument
from handouts.panels import PanelMap, load_panel_map, place


def _long_date(value: dt.date, strings: UiStrings) -> str:
    return strings.date_format.format(day=value.day, month=strings.months[value.month - 1], year=value.year)


def _as_value_and_text(values: Iterable[str]) -> list[tuple[str, str]]:
    """Options whose export value is their own text."""
    return [(value, value) for value in values]


_BETWEEN_LINES_OF_TAGS = re.compile(r">\s*\n\s*<")
"""The templates put tags on lines of their own. A line break between two tags becomes a
text node that WeasyPrint parses and boxes before it drops it as white space between
blocks; the templates write every space that shows between inline elements on one line."""


def make_environment(templates_dir: Path) -> Environment:
    """Autoescaped and strict: content is text, never markup, and a missing value is an error."""
    environment = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["long_date"] = _long_date
    environment.filters["zip_self"] = _as_value_and_text
    return environment


class ReferenceIndex:
    """Numbers the references in the order the document lists them."""

    def __init__(self, references: list[Reference]) -> None:
        self.numbered = list(enumerate(references, start=1))
        self._number = {reference.key: number for number, reference in self.numbered}

    def cite(self, keys: list[str]) -> list[tuple[int, Reference]]:
        return sorted((self._number[key], self.numbered[self._number[key] - 1][1]) for key in set(keys))


class HtmlRenderer:
    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir
        self.environment = make_environment(templates_dir)
        self._panel_maps: dict[Path, PanelMap | None] = {}

    def panel_map_file(self, kind: str, layout: str) -> Path:
        """Where a fixed-panel layout's map is, if the layout has one."""
        return self.templates_dir / kind / f"{layout}-panels.yaml"

    def panel_map(self, kind: str, layout: str) -> PanelMap | None:
        """A fixed-panel layout's map (`templates/<kind>/<layout>-panels.yaml`), read once."""
        path = self.panel_map_file(kind, layout)
        if path not in self._panel_maps:
            self._panel_maps[path] = load_panel_map(path) if path.is_file() else None
        return self._panel_maps[path]

    def render(
        self,
        output: Output,
        clinic: Clinic,
        strings: UiStrings,
        instruments: Mapping[str, Instrument],
        content_root: Path,
        notes_pages: int = 0,
    ) -> str:
        """The HTML of one output; `notes_pages` blank pages headed "Notes" go before a
        booklet's back page (a print shop's booklet pads to a multiple of 4 pages)."""
        document = output.document
        template = self.environment.get_template(f"{output.kind}/{output.layout}.html")
        context: dict[str, Any] = {
            "doc": document,
            "clinic": clinic,
            "t": strings,
            "output": output,
            "refs": ReferenceIndex(document.references),
            "instruments": InLanguage(instruments, document.language),
            "notes_pages": notes_pages,
            "logo_url": (content_root / clinic.logo).resolve().as_uri() if clinic.logo else None,
        }
        panel_map = self.panel_map(output.kind, output.layout)
        if panel_map is not None:
            panel_plan = place(panel_map, document)
            context["panels"] = panel_plan.panels
            context["refs"] = ReferenceIndex(list(panel_plan.references))
        return _BETWEEN_LINES_OF_TAGS.sub("><", template.render(context))
