"""The final HTML of every output, as the build hands it to WeasyPrint, saved for other
renderers to print (`make bench`'s naive loop and Chromium).

It renders the catalogue once in this process, as a build worker does, and keeps what
`Typesetter.typeset` is given: for a print shop's booklet, the last HTML, padded with
its notes pages. Each output gets `ID.html` (for `weasyprint` with `--base-url` and its
`--stylesheet`s) and `ID.standalone.html`, the same with a `<base>` and a `<link>` to
each stylesheet in its head, for a browser.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts import worker
from handouts.brand import brand_stylesheet
from handouts.build import BuildSettings
from handouts.catalog import Output, plan
from handouts.paths import CONTENT_DIR, STYLES_DIR, TEMPLATES_DIR
from handouts.pipeline import load_content
from handouts.styles_plan import BRAND_SHEET, stylesheet_names
from handouts.typeset.libraries import open_libraries_by_soname


@dataclass(frozen=True)
class FinalHtml:
    output: Output
    html: Path
    standalone: Path
    stylesheets: list[Path]
    pages: int
    """Pages of our PDF of it."""


@contextmanager
def _typeset_html() -> Iterator[list[str]]:
    """Every HTML the typesetter is given inside the block, in order."""
    with open_libraries_by_soname():
        from handouts.typeset.typesetter import Typesetter
    given: list[str] = []
    original = Typesetter.typeset

    def typeset(self: Any, html_text: str, *args: Any, **kwargs: Any) -> Any:
        given.append(html_text)
        return original(self, html_text, *args, **kwargs)

    Typesetter.typeset = typeset  # type: ignore[method-assign]
    try:
        yield given
    finally:
        Typesetter.typeset = original  # type: ignore[method-assign]


def render_setup(build_output: Path) -> tuple[worker.RenderSetup, list[Output]]:
    content, problems = load_content(BuildSettings(content=CONTENT_DIR, output=build_output))
    if problems or content.clinic is None:
        raise SystemExit("content has problems: run the build first")
    setup = worker.RenderSetup(
        TEMPLATES_DIR, STYLES_DIR, CONTENT_DIR, content.clinic, content.strings, content.instruments,
        build_id=uuid.uuid4().hex,
    )  # fmt: skip
    return setup, plan(content.documents, content.papers)


def save_final_html(setup: worker.RenderSetup, outputs: list[Output], folder: Path) -> list[FinalHtml]:
    """Renders each output in this process (the worker must be started) and saves its HTML."""
    brand = folder / "brand.css"
    brand.write_text(brand_stylesheet(setup.clinic.brand))
    saved = []
    with _typeset_html() as given:
        for output in outputs:
            rendered = worker.render(output)
            if rendered.data is None:
                raise SystemExit(rendered.error or f"{output.id}: content problems")
            names = stylesheet_names(STYLES_DIR, output.layout, output.paper, output.variant)
            sheets = [brand if name == BRAND_SHEET else STYLES_DIR / name for name in names]
            page = folder / f"{output.id}.html"
            page.write_text(given[-1])
            standalone = folder / f"{output.id}.standalone.html"
            standalone.write_text(_with_base_and_links(given[-1], sheets))
            saved.append(FinalHtml(output, page, standalone, sheets, rendered.pages))
    return saved


def _with_base_and_links(text: str, sheets: list[Path]) -> str:
    head = text.index("<head>") + len("<head>")
    base = f'<base href="{html.escape(TEMPLATES_DIR.resolve().as_uri())}/">'
    links = "".join(f'<link rel="stylesheet" href="{html.escape(s.resolve().as_uri())}">' for s in sheets)
    return text[:head] + base + links + text[head:]
