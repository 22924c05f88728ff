"""A cover reads: the clinic's band, the title, the category, the purpose, then the logo,
on paper (top to bottom) and for screen readers (the structure tree's order). Keeping
the key points on the cover is tests/test_pagination.py's."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2
import yaml

from handouts.build import BuildSettings, build
from handouts.paths import CONTENT_DIR
from tests.support import shipped_source, write
from tests.test_accessibility import LOGO, accessible, elements, kids, role

CLINIC = yaml.safe_load((CONTENT_DIR / "clinic.yaml").read_text())


def top_of(page: pypdfium2.PdfPage, phrase: str) -> float:
    """The top edge, in points from the bottom of the page, of the phrase's first letter."""
    text = page.get_textpage()
    searcher = text.search(phrase, match_case=True)
    found = searcher.get_next()
    assert found is not None, f"'{phrase}' is not on the cover"
    return text.get_charbox(found[0])[3]


def first_words(text: str, count: int = 4) -> str:
    return " ".join(text.split()[:count])


def test_every_cover_reads_band_title_category_purpose(shipped_build: Path) -> None:
    for entry in accessible(shipped_build):
        if entry["kind"] != "brochure":
            continue
        source = shipped_source(entry)
        pdf = pypdfium2.PdfDocument(shipped_build / entry["path"])
        # The tri-fold's front cover is on its first sheet, as the booklet's is on page 1.
        page = pdf[0]
        band = top_of(page, CLINIC["name"])
        title = top_of(page, first_words(source["title"], 2))
        category = top_of(page, first_words(source["category"]))
        purpose = top_of(page, first_words(source["purpose"]))
        summary = top_of(page, first_words(source["summary"]))
        assert band > title > category > purpose > summary, entry["path"]


def test_the_logo_follows_the_purpose(content: Path, tmp_path: Path) -> None:
    """Screen readers meet the title, the category, the purpose, then the logo's name; the
    logo is no longer in the band (its Figure comes after the H1)."""
    write(content / "logo.svg", LOGO)
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "logo: logo.svg\nlogo_alt: Test Clinic, a blue bar\n")
    output = tmp_path / "o"
    assert build(BuildSettings(content=content, output=output)).exit_code == 0
    for entry in accessible(output):
        if entry["kind"] != "brochure":
            continue
        with pikepdf.open(output / entry["path"]) as pdf:
            h1 = next(e for e in elements(pdf) if role(e) == "/H1")
            cover = [k for k in kids(h1.P) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
            cover = cover[cover.index(h1) :]
            # title, category, purpose, then the paragraph that holds the logo
            assert [role(k) for k in cover[:4]] == ["/H1", "/P", "/P", "/P"], entry["path"]
            assert [role(k) for k in kids(cover[3]) if isinstance(k, pikepdf.Dictionary)] == ["/Figure"]
