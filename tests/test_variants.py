"""Print production: print-shop geometry, large print, minimum type sizes, black-and-white
safe brand colours."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2
import pypdfium2.raw as pdfium_raw
import pytest

from handouts.brand import contrast_failures
from handouts.cli import main
from handouts.contrast import contrast_ratio, greyscale
from handouts.models import BrandColours
from handouts.reader import display_path
from tests.support import shipped_strings

BLEED_POINTS = 3 * 72 / 25.4
MIN_TEXT_INSIDE_TRIM_POINTS = 4 * 72 / 25.4
# WeasyPrint's user space is CSS px (0.75 pt), so PDFium reports sizes in px.
PT_PER_PDF_UNIT = 0.75


def entries(output: Path, **wanted: str) -> list[dict]:
    documents = json.loads((output / "manifest.json").read_text())["documents"]
    return [d for d in documents if all(d[key] == value for key, value in wanted.items())]


def text_sizes_in_points(pdf: Path) -> list[float]:
    sizes = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        text = page.get_textpage()
        for index in range(text.count_chars()):
            if text.get_text_range(index, 1).strip():
                sizes.append(pdfium_raw.FPDFText_GetFontSize(text.raw, index) * PT_PER_PDF_UNIT)
    return sizes


def test_print_shop_files_have_bleed_trim_and_crop_marks(shipped_build: Path) -> None:
    print_shop = entries(shipped_build, variant="print-shop")
    assert {e["layout"] for e in print_shop} >= {"booklet"}
    for entry in print_shop:
        for page in pypdf.PdfReader(shipped_build / entry["path"]).pages:
            trim, bleed = page.trimbox, page.bleedbox
            assert float(bleed.left) == pytest.approx(float(trim.left) - BLEED_POINTS, abs=0.1)
            assert float(bleed.bottom) == pytest.approx(float(trim.bottom) - BLEED_POINTS, abs=0.1)
            assert float(bleed.right) == pytest.approx(float(trim.right) + BLEED_POINTS, abs=0.1)
            assert float(bleed.top) == pytest.approx(float(trim.top) + BLEED_POINTS, abs=0.1)
            assert float(page.mediabox.width) >= float(bleed.width)


def test_print_shop_crop_marks_are_not_covered_by_full_bleed_art(shipped_build: Path) -> None:
    """Crop marks sit in the slug outside the bleed, at every corner of every page, even
    where a cover band runs into the bleed: each mark is a dark line along the trim edge."""
    scale = 4
    print_shop = entries(shipped_build, variant="print-shop")
    assert {e["layout"] for e in print_shop} == {"booklet", "trifold"}
    for entry in print_shop:
        document = pypdfium2.PdfDocument(shipped_build / entry["path"])
        for number, page in enumerate(document, start=1):
            image = page.render(scale=scale).to_pil().convert("L")
            width, height = page.get_size()
            edge = 2 * BLEED_POINTS  # the trim, from the sheet's edge
            middle_of_mark = BLEED_POINTS / 2
            beside = 1.5  # points off the mark, across it
            for x, y, across in (
                (middle_of_mark, edge, (0, beside)),
                (edge, middle_of_mark, (beside, 0)),
                (width - middle_of_mark, edge, (0, beside)),
                (width - edge, middle_of_mark, (beside, 0)),
                (middle_of_mark, height - edge, (0, beside)),
                (edge, height - middle_of_mark, (beside, 0)),
                (width - middle_of_mark, height - edge, (0, beside)),
                (width - edge, height - middle_of_mark, (beside, 0)),
            ):
                on_mark = min(
                    image.getpixel((round(x * scale) + dx, round(y * scale) + dy))
                    for dx in (-2, -1, 0, 1, 2)
                    for dy in (-2, -1, 0, 1, 2)
                )
                paper = [
                    image.getpixel(
                        (round((x + sign * across[0]) * scale), round((y + sign * across[1]) * scale))
                    )
                    for sign in (-1, 1)
                ]
                # A black line on white paper, not on a band that runs over it.
                assert on_mark < 40 and paper == [255, 255], (entry["path"], number, x, y, on_mark, paper)


def test_print_shop_text_stays_4mm_inside_the_trim(shipped_build: Path) -> None:
    for entry in entries(shipped_build, variant="print-shop"):
        document = pypdfium2.PdfDocument(shipped_build / entry["path"])
        for number, page in enumerate(document, start=1):
            left, bottom, right, top = page.get_trimbox()
            text = page.get_textpage()
            for index in range(text.count_chars()):
                if not text.get_text_range(index, 1).strip():
                    continue
                x0, y0, x1, y1 = text.get_charbox(index)
                inside = min(x0 - left, y0 - bottom, right - x1, top - y1)
                assert inside >= MIN_TEXT_INSIDE_TRIM_POINTS, f"{entry['path']} page {number}"


def test_print_shop_cover_band_runs_into_the_bleed(shipped_build: Path) -> None:
    entry = entries(shipped_build, variant="print-shop", layout="booklet", paper="letter")[0]
    page = pypdfium2.PdfDocument(shipped_build / entry["path"])[0]
    image = page.render(scale=1, crop=(0, 0, 0, 0)).to_pil().convert("RGB")
    band = image.getpixel((image.width // 2, 30))
    assert band != (255, 255, 255)
    # The sheet is the trim, 3 mm of bleed and 3 mm of slug: the band fills the bleed
    # at the top left corner, and stops where the slug begins.
    slug = round(BLEED_POINTS)
    assert image.getpixel((slug + 1, slug + 1)) == band
    assert image.getpixel((slug - 2, slug + 1)) == image.getpixel((slug + 1, slug - 2)) == (255, 255, 255)


def test_standard_text_is_12pt_or_more(shipped_build: Path) -> None:
    for entry in entries(shipped_build, variant="standard"):
        sizes = text_sizes_in_points(shipped_build / entry["path"])
        assert min(sizes) >= 12 - 0.05, entry["path"]


def test_large_print_text_is_16pt_or_more_and_reflowed(shipped_build: Path) -> None:
    large = entries(shipped_build, variant="large-print")
    assert {(e["kind"], e["layout"]) for e in large} == {("brochure", "booklet"), ("intake", "leaflet")}
    for entry in large:
        sizes = text_sizes_in_points(shipped_build / entry["path"])
        assert min(sizes) >= 16 - 0.05, entry["path"]
        standard = entries(
            shipped_build, variant="standard", topic=entry["topic"], kind=entry["kind"], paper=entry["paper"]
        )
        assert entry["pages"] > standard[0]["pages"], "same content, reflowed onto more pages"


def test_large_print_form_fields_are_larger(shipped_build: Path) -> None:
    def field_height(path: str, name: str) -> float:
        for page in pypdf.PdfReader(shipped_build / path).pages:
            for annotation in page.get("/Annots", []):
                widget = annotation.get_object()
                if widget.get("/T") == name:
                    rect = [float(v) for v in widget["/Rect"]]
                    return abs(rect[3] - rect[1])
        raise AssertionError(name)

    standard = entries(shipped_build, kind="intake", variant="standard", paper="letter")[0]["path"]
    large = entries(shipped_build, kind="intake", variant="large-print", paper="letter")[0]["path"]
    assert field_height(large, "full_name") > field_height(standard, "full_name") * 1.3
    assert field_height(large, "reason") > field_height(standard, "reason") * 1.3


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert greyscale("#ff0000") == "#4c4c4c"


def test_default_brand_passes_in_colour_and_black_and_white() -> None:
    assert contrast_failures(BrandColours()) == []


def test_a_pair_that_only_fails_in_black_and_white_is_caught() -> None:
    failures = contrast_failures(BrandColours(primary="#8046a1", tint="#98f798"))
    assert [(token, f.pair.use) for token, f in failures] == [("primary", "headings in boxes")]
    failure = failures[0][1]
    assert failure.colour_ratio >= 4.5 > failure.grey_ratio
    assert failure.message() == (
        "headings in boxes: primary #8046a1 on tint #98f798 has contrast 4.9:1 in colour "
        "and 4.0:1 in black and white; needs 4.5:1"
    )


def test_build_fails_on_such_a_brand_and_names_the_pair(capsys, content: Path, tmp_path: Path) -> None:
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "brand:\n  primary: '#8046a1'\n  tint: '#98f798'\n")
    code = main(["--content", str(content), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        f"{display_path(clinic)}:11: brand.primary: headings in boxes: primary #8046a1 on tint #98f798 "
        "has contrast 4.9:1 in colour and 4.0:1 in black and white; needs 4.5:1"
    ) in err
    assert not list((tmp_path / "out").glob("*.pdf"))


def _text_fill_colours(pdf: pikepdf.Pdf) -> tuple[Counter[tuple[float, ...]], Counter[str]]:
    """The fill colour of every text-showing operator (as the operands of its colour
    operator), and every colour operator used, over all pages and the forms they draw."""
    shown: Counter[tuple[float, ...]] = Counter()
    operators: Counter[str] = Counter()
    forms = [
        item for item in pdf.objects if isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Form"
    ]
    for item in [*pdf.pages, *forms]:
        instructions = pikepdf.parse_content_stream(item)
        fill: tuple[float, ...] = ()
        saved: list[tuple[float, ...]] = []
        for operands, operator in instructions:
            name = str(operator)
            if name in ("rg", "RG", "k", "K", "g", "G", "sc", "SC", "scn", "SCN", "cs", "CS"):
                operators[name] += 1
            if name in ("rg", "k", "g"):
                fill = tuple(round(float(value), 4) for value in operands)
            elif name == "q":
                saved.append(fill)
            elif name == "Q" and saved:
                fill = saved.pop()
            elif name in ("Tj", "TJ", "'", '"'):
                shown[fill] += 1
    return shown, operators


def test_print_shop_files_are_cmyk_with_text_in_black_k_only(shipped_build: Path) -> None:
    for entry in entries(shipped_build, variant="print-shop"):
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            shown, operators = _text_fill_colours(pdf)
            images = [
                item
                for item in pdf.objects
                if isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image"
            ]
        assert set(operators) <= {"k", "K"}, (entry["path"], operators)
        assert all(str(image.get("/ColorSpace")) in ("/DeviceCMYK", "/DeviceGray") for image in images)
        # Body text is plain black, 100 % K; no text is a four-colour or K-only near-black.
        assert shown.most_common(1)[0][0] == (0, 0, 0, 1), (entry["path"], shown)
        for c, m, y, k in shown:
            assert not (c == m == y == 0 and 0.5 < k < 1), (entry["path"], (c, m, y, k))
            assert not (min(c, m, y) > 0 and k > 0.5), (entry["path"], (c, m, y, k))


def test_standard_files_stay_rgb(shipped_build: Path) -> None:
    """Screens and office printers get sRGB, as the brand colours were chosen."""
    entry = entries(shipped_build, variant="standard", layout="booklet", paper="letter")[0]
    with pikepdf.open(shipped_build / entry["path"]) as pdf:
        _, operators = _text_fill_colours(pdf)
    assert "rg" in operators and "k" not in operators


def test_print_shop_booklets_have_a_multiple_of_4_pages_padded_with_notes(shipped_build: Path) -> None:
    """A saddle-stitched booklet is sheets of 4 pages. Notes pages, blank but for their
    heading, fill up to a multiple of 4 before the back page (help and contact), which
    stays last. The same booklet for screens is not padded."""
    padded = 0
    for entry in entries(shipped_build, variant="print-shop", layout="booklet"):
        texts = [page.extract_text() for page in pypdf.PdfReader(shipped_build / entry["path"]).pages]
        assert len(texts) == entry["pages"] and len(texts) % 4 == 0, (entry["path"], len(texts))
        t = shipped_strings(entry["language"])
        assert t["get_help_now"] in texts[-1] and t["contact_us"] in texts[-1]
        notes = [text for text in texts if t["notes"] in text.split()]
        [standard] = [
            e
            for e in entries(shipped_build, variant="standard", layout="booklet", paper=entry["paper"])
            if (e["topic"], e["language"]) == (entry["topic"], entry["language"])
        ]
        standard_pages = pypdf.PdfReader(shipped_build / standard["path"]).pages
        assert not any(t["notes"] in page.extract_text().split() for page in standard_pages)
        assert len(notes) < 4
        for text in notes:
            # The heading, the sample mark and the running footer: nothing else.
            words = [line for line in text.splitlines() if line.strip()]
            assert len(words) <= 3, (entry["path"], words)
        padded += bool(notes)
    assert padded, "the ketamine A4 booklet (11 pages of content) gets a notes page"
