"""The shipped catalogue, as a reader gets it: text, pages, paper, metadata, fonts, links."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pypdf
import pytest
import yaml

from handouts.models import Brochure
from handouts.paths import CONTENT_DIR
from tests.support import one_line, page_texts, shipped_source, shipped_strings

PAPER_POINTS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
BROCHURES = sorted((CONTENT_DIR / "brochures").glob("*.yaml"))
CLINIC = yaml.safe_load((CONTENT_DIR / "clinic.yaml").read_text())


def manifest(output: Path) -> list[dict]:
    return json.loads((output / "manifest.json").read_text())["documents"]


def test_every_brochure_is_built_on_both_papers(shipped_build: Path) -> None:
    entries = manifest(shipped_build)
    editions = {
        (data["topic"], data.get("language", "en"))
        for data in map(yaml.safe_load, map(Path.read_text, BROCHURES))
    }
    assert len(editions) >= 4  # two topics, each in English and Spanish
    built = {
        (e["topic"], e["language"], e["paper"])
        for e in entries
        if e["kind"] == "brochure" and e["layout"] == "booklet"
    }
    for topic, language in editions:
        assert {(topic, language, "letter"), (topic, language, "a4")} <= built


def test_manifest_describes_each_file(shipped_build: Path) -> None:
    for entry in manifest(shipped_build):
        assert set(entry) == {
            "id",
            "kind",
            "title",
            "topic",
            "layout",
            "paper",
            "variant",
            "language",
            "edition_of",
            "clinic",
            "path",
            "pages",
            "bytes",
            "sha256",
        }
        assert entry["clinic"] == "riverside-mind-clinic"
        pdf = shipped_build / entry["path"]
        data = pdf.read_bytes()
        assert entry["bytes"] == len(data)
        assert re.fullmatch(r"[A-Za-z0-9-]+\.pdf", entry["path"])
        assert len(pypdf.PdfReader(pdf).pages) == entry["pages"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def brochure_entries(output: Path, variant: str | None = "standard") -> list[dict]:
    """Brochure booklets of one variant (None: every variant); tri-folds: test_trifold.py."""
    return [
        e
        for e in manifest(output)
        if e["kind"] == "brochure" and e["layout"] == "booklet" and variant in (None, e["variant"])
    ]


def test_paper_size_and_page_count(shipped_build: Path) -> None:
    for entry in brochure_entries(shipped_build, variant=None):
        reader = pypdf.PdfReader(shipped_build / entry["path"])
        assert len(reader.pages) >= 4, "a booklet has a cover, body pages and a back page"
        for page in reader.pages:
            width, height = float(page.trimbox.width), float(page.trimbox.height)
            assert (width, height) == pytest.approx(PAPER_POINTS[entry["paper"]], abs=0.5)


def test_metadata_title_language_author(shipped_build: Path) -> None:
    for entry in manifest(shipped_build):
        reader = pypdf.PdfReader(shipped_build / entry["path"])
        assert reader.metadata.title == entry["title"]
        assert reader.metadata.author == CLINIC["name"]
        assert reader.trailer["/Root"]["/Lang"] == entry["language"]
        assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])


def test_only_the_bundled_font_is_embedded(shipped_build: Path) -> None:
    for entry in manifest(shipped_build):
        reader = pypdf.PdfReader(shipped_build / entry["path"])
        fonts = {}
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"]
                fonts[str(font["/BaseFont"]).split("+")[-1]] = any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
        assert fonts, "no fonts found"
        # Atkinson Hyperlegible for what is printed; Noto Sans for what a patient types
        # into an intake form's fields, and only there.
        body = {name for name in fonts if name.startswith("Atkinson-Hyperlegible")}
        assert set(fonts) - body == ({"Noto-Sans-Forms"} if entry["kind"] == "intake" else set()), fonts
        assert all(fonts.values()), f"not embedded: {fonts}"


def test_reader_sees_cover_key_points_help_and_contact(shipped_build: Path) -> None:
    for entry in brochure_entries(shipped_build):
        source, t = shipped_source(entry), shipped_strings(entry["language"])
        pages = [one_line(text) for text in page_texts(shipped_build / entry["path"])]
        cover, back = pages[0], pages[-1]
        assert one_line(source["title"]) in cover
        assert CLINIC["name"] in cover
        assert cover.index(one_line(source["purpose"])) < cover.index(t["key_points"])
        assert one_line(source["key_points"][0]) in cover
        # Help ends the body's last page when it has room there (no page is left mostly blank).
        end = " ".join(pages[-2:])
        assert t["get_help_now"] in end and end.index(t["get_help_now"]) > end.find(t["references"])
        assert f"{t['reach_call_or_text']} 988" in end
        assert f"{t['emergency']} 911" in end
        assert CLINIC["phone"] in end and CLINIC["email"] in end
        assert source["review"]["reviewer_role"] in back


def test_references_link_to_pubmed(shipped_build: Path) -> None:
    for entry in brochure_entries(shipped_build):
        source = shipped_source(entry)
        reader = pypdf.PdfReader(shipped_build / entry["path"])
        links = {
            annotation.get_object()["/A"].get("/URI")
            for page in reader.pages
            for annotation in page.get("/Annots", [])
            if "/A" in annotation.get_object()
        }
        for reference in source["references"]:
            if "pmid" in reference:
                assert f"https://pubmed.ncbi.nlm.nih.gov/{reference['pmid']}/" in links
        text = one_line(" ".join(page_texts(shipped_build / entry["path"])))
        assert shipped_strings(entry["language"])["references"] in text


def test_every_section_heading_is_in_the_pdf_in_order(shipped_build: Path) -> None:
    for entry in brochure_entries(shipped_build):
        raw = shipped_source(entry)
        brochure = Brochure.model_validate(raw)
        text = one_line(" ".join(page_texts(shipped_build / entry["path"])))
        positions = [text.index(one_line(section.heading)) for section in brochure.sections.values()]
        assert len(positions) >= 3
        assert positions == sorted(positions)
