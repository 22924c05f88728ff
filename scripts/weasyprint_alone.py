"""WeasyPrint alone on the final HTML of every output, for `make bench`: the least time
any build of these pages with WeasyPrint could take, whatever our engine does around it.

Each document is rendered and written with the stylesheets and PDF options the build
gives it (tags, forms, PDF/UA), by processes that keep one FontConfiguration and every
parsed stylesheet, as the build's workers do; no page checks, PDF fixes, notes pages,
manifest or validation.
"""

from __future__ import annotations

import gc
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from final_html import FinalHtml

from handouts.paths import TEMPLATES_DIR
from handouts.typeset.typesetter import pdf_options

_fonts: Any = None
_sheets: dict[Path, Any] = {}


def render_alone(final: FinalHtml) -> float:
    """CPU seconds of rendering and writing one document in this process."""
    global _fonts
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    start = time.process_time()
    if _fonts is None:
        _fonts = FontConfiguration()
    for sheet in final.stylesheets:
        if sheet not in _sheets:
            _sheets[sheet] = CSS(filename=str(sheet), font_config=_fonts)
    options = pdf_options(final.output.variant)
    document = HTML(filename=str(final.html), base_url=TEMPLATES_DIR.as_uri() + "/").render(
        stylesheets=[_sheets[sheet] for sheet in final.stylesheets], font_config=_fonts, **options
    )
    document.write_pdf(**options)
    del document
    gc.collect()
    return time.process_time() - start


def _warm(saved: list[FinalHtml]) -> None:
    """Every stylesheet parsed and the fonts loaded, before anything is timed."""
    for final in {tuple(final.stylesheets): final for final in saved}.values():
        render_alone(final)


class AlonePool:
    """`processes` forked processes, warm, rendering the documents longest first."""

    def __init__(self, saved: list[FinalHtml], processes: int) -> None:
        self.saved = sorted(saved, key=lambda final: -final.pages)
        self.pool = get_context("fork").Pool(processes, initializer=_warm, initargs=(saved,))
        self.pool.map(time.sleep, [0] * processes)  # every process started and warm

    def seconds(self) -> float:
        """Wall seconds to render and write every document."""
        start = time.perf_counter()
        for _ in self.pool.imap_unordered(render_alone, self.saved, chunksize=1):
            pass
        return time.perf_counter() - start

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
