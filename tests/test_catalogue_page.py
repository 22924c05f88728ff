"""The catalogue page (output/index.html) as a person at the front desk gets it: opened
from disk in a real headless Chromium (Debian's package, installed by
`scripts/bootstrap.sh test`), every link and picture resolves to a file in the output
folder, it lists every handout of the manifest, it is not blank, and it prints.

A screenshot is left beside the output folder (the path is printed) for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pypdfium2
import pytest
from PIL import Image

from handouts.build import BuildSettings, build
from handouts.output_folder import THUMBNAILS_FOLDER
from tests.support import BROCHURE_YAML, write

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (bootstrap.sh test)")


def chromium(*arguments: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
    command = [CHROMIUM, "--headless", *sandbox, "--disable-gpu", "--hide-scrollbars", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


class PageFacts(HTMLParser):
    """What the browser's DOM holds: links, pictures with their alt text, headings, lang."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[tuple[str, str | None]] = []
        self.headings: list[int] = []
        self.lang: str | None = None
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        elif tag == "img":
            self.images.append((str(values.get("src")), values.get("alt")))
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "script":
            self.scripts += 1


def resolved(page: Path, reference: str) -> Path | None:
    """The file a relative reference names, or None for an in-page anchor."""
    parsed = urlparse(reference)
    assert not parsed.scheme and not parsed.netloc, f"not a relative reference: {reference}"
    if not parsed.path:
        return None
    return (page.parent / unquote(parsed.path)).resolve()


def test_the_page_opens_from_disk_and_everything_on_it_resolves(shipped_build: Path) -> None:
    page = shipped_build / "index.html"
    dom = chromium("--dump-dom", page.as_uri()).stdout
    facts = PageFacts()
    facts.feed(dom)
    manifest = json.loads((shipped_build / "manifest.json").read_text())["documents"]

    assert facts.lang == "en" and facts.scripts == 0
    assert facts.headings[0] == 1 and facts.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(facts.headings, facts.headings[1:], strict=False)), facts.headings
    files = [resolved(page, link) for link in facts.links]
    anchors = [link for link, file in zip(facts.links, files, strict=True) if file is None]
    assert all(f'id="{anchor[1:]}"' in dom for anchor in anchors)
    linked = {file.name for file in files if file is not None}
    assert all(file.is_file() for file in files if file is not None)
    assert linked == {entry["path"] for entry in manifest}

    assert len(facts.images) == len(manifest)
    for source, alt in facts.images:
        picture = resolved(page, source)
        assert picture is not None and picture.is_file() and picture.parent.name == THUMBNAILS_FOLDER
        assert alt and alt.startswith("First page of ")
        with Image.open(picture) as image:
            assert image.format == "PNG" and image.width == 240
    for entry in manifest:
        assert entry["sha256"] in dom and entry["path"] in dom


def test_the_page_is_not_blank_on_screen_and_prints(shipped_build: Path) -> None:
    page = shipped_build / "index.html"
    screenshot = shipped_build.parent / "catalogue-screenshot.png"
    chromium("--window-size=1280,1600", f"--screenshot={screenshot}", page.as_uri())
    print(f"catalogue screenshot: {screenshot}")
    with Image.open(screenshot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 100
    darkest = min(sum(colour) for _, colour in colours)
    assert darkest < 3 * 60  # text drawn, not only a pale background

    printed = shipped_build.parent / "catalogue-printed.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={printed}", page.as_uri())
    document = pypdfium2.PdfDocument(printed)
    try:
        text = "".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
    finally:
        document.close()
    assert "Handouts of Riverside Mind Clinic" in text and "Skip to the handouts" not in text
    unwrapped = "".join(text.replace("\ufffe", "-").split())  # pdfium marks a break at a hyphen so
    assert "Psychodynamic-Therapy-Brochure-Letter.pdf" in unwrapped


def test_the_catalogue_follows_the_build(content: Path, tmp_path: Path) -> None:
    """A new topic appears with its thumbnails, and a removed one leaves the page and
    takes its thumbnails with it; the page never names a file the folder lacks."""
    output = tmp_path / "out"
    beta = write(content / "brochures" / "beta.yaml", BROCHURE_YAML.format(id="beta", title="Beta therapy"))
    assert build(BuildSettings(content=content, output=output, jobs=2)).exit_code == 0
    page = (output / "index.html").read_text()
    assert "Beta therapy" in page and "Alpha therapy" in page
    assert len(list((output / THUMBNAILS_FOLDER).glob("Beta-*.png"))) == 10

    beta.unlink()
    report = build(BuildSettings(content=content, output=output, jobs=2))
    assert report.exit_code == 0 and len(report.removed) == 10
    page = (output / "index.html").read_text()
    assert "Beta therapy" not in page and "Alpha therapy" in page
    assert not list((output / THUMBNAILS_FOLDER).glob("Beta-*.png"))
    assert len(list((output / THUMBNAILS_FOLDER).glob("*.png"))) == 10

    (output / "index.html").unlink()
    again = build(BuildSettings(content=content, output=output, jobs=2))
    assert again.built == [] and (output / "index.html").read_text() == page


def test_content_is_escaped_on_the_page(content: Path, tmp_path: Path) -> None:
    brochure = content / "brochures" / "alpha.yaml"
    text = brochure.read_text().replace("title: Alpha therapy", 'title: "Alpha <b>therapy</b>"')
    assert text != brochure.read_text()
    brochure.write_text(text)
    output = tmp_path / "out"
    report = build(BuildSettings(content=content, output=output, jobs=2, only=["alpha-booklet-letter"]))
    assert report.exit_code == 0, report.problems
    page = (output / "index.html").read_text()
    assert "Alpha &lt;b&gt;therapy&lt;/b&gt;" in page and "<b>" not in page
