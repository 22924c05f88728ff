"""One open Chromium (Debian's `chromium`, driven by Playwright; no browser is ever
downloaded) printing HTML files to PDF, a fixed number of tabs at a time: the yardstick
`make bench` measures our build against.

Needs the `bench` extra (`pip install -e '.[bench]'`, which `make bench` runs) and the
`chromium` Debian package. Chromium makes none of our form fields, running footers,
bleed or PDF/UA tags: the figure is a floor, not the same work.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pikepdf

CHROMIUM_ARGS = ["--allow-file-access-from-files", "--disable-gpu"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing() -> str | None:
    """Why the Chromium figure cannot be made here, or None."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[bench]', or make bench)"
    if chromium_path() is None:
        return "Debian's chromium package is not installed (apt-get install chromium, or make bench)"
    return None


class OpenChromium:
    """A browser started once and kept open; `print_all` is timed, the start is not."""

    def __init__(self) -> None:
        from playwright.async_api import async_playwright

        self.loop = asyncio.new_event_loop()
        args = [*CHROMIUM_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
        start = time.perf_counter()
        self.playwright: Any = self.loop.run_until_complete(async_playwright().start())
        self.browser: Any = self.loop.run_until_complete(
            self.playwright.chromium.launch(executable_path=chromium_path(), args=args)
        )
        self.launch_seconds = time.perf_counter() - start

    def print_all(self, pages: list[Path], tabs: int = 2) -> tuple[float, list[int]]:
        """Wall seconds to print every file, `tabs` at a time, and each PDF's page count."""
        return self.loop.run_until_complete(self._print_all(pages, tabs))

    async def _print_all(self, pages: list[Path], tabs: int) -> tuple[float, list[int]]:
        printed: list[bytes] = [b""] * len(pages)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in range(len(pages)):
            queue.put_nowait(index)

        async def tab() -> None:
            page = await self.browser.new_page()
            while not queue.empty():
                index = queue.get_nowait()
                await page.goto(pages[index].resolve().as_uri(), wait_until="load")
                pdf = await page.pdf(prefer_css_page_size=True, print_background=True)
                printed[index] = pdf
            await page.close()

        start = time.perf_counter()
        await asyncio.gather(*(tab() for _ in range(tabs)))
        seconds = time.perf_counter() - start
        return seconds, [_page_count(pdf) for pdf in printed]

    def close(self) -> None:
        self.loop.run_until_complete(self.browser.close())
        self.loop.run_until_complete(self.playwright.stop())
        self.loop.close()


def _page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)
