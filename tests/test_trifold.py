"""The tri-fold brochure, read back from real PDFs: two landscape sheets, panels of the
design widths in the design order, the cover, help and review facts where a reader looks
for them, print-shop bleed, and content that does not fit refused with a located message."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import yaml

from handouts.cli import main
from handouts.models import Brochure
from handouts.panels import PanelMap, PanelMapError, PanelPlan, load_panel_map, place
from handouts.paths import CONTENT_DIR, TEMPLATES_DIR
from handouts.reader import display_path
from tests.support import BROCHURE_YAML, one_line, shipped_source, shipped_strings

PANEL_MAP = TEMPLATES_DIR / "brochure" / "trifold-panels.yaml"
CLINIC = yaml.safe_load((CONTENT_DIR / "clinic.yaml").read_text())
TOPICS = ("psychodynamic-therapy", "psychodynamic-therapy-with-ketamine")
PAPERS = {"letter": "Letter", "a4": "A4"}
LANDSCAPE = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}
PT_PER_MM = 72 / 25.4
EDGE_PAD = 0.375 * 72  # text from every sheet edge: office printers clip at about 0.25 in
FOLD_PAD = 0.25 * 72  # text from each fold
FOLD_CLEAR = 0.125 * 72  # art that stops at a fold stops this far short of it
BLEED = 3 * PT_PER_MM
SLUG = 3 * PT_PER_MM  # outside the bleed, for the crop marks


def _inches(*values: float) -> list[float]:
    return [value * 72 for value in values]


def _mm(*values: float) -> list[float]:
    return [value * PT_PER_MM for value in values]


# Fold lines from the design notes, left to right. The fold-in panel (outside, left) is
# the narrow one; on the inside sheet its back is on the right.
FOLDS = {
    "letter": {"outside": _inches(0, 3.625, 7.3125, 11), "inside": _inches(0, 3.6875, 7.375, 11)},
    "a4": {"outside": _mm(0, 97, 197, 297), "inside": _mm(0, 100, 200, 297)},
}


def manifest(output: Path) -> list[dict]:
    return json.loads((output / "manifest.json").read_text())["documents"]


def trifolds(output: Path, variant: str | None = "standard") -> list[dict]:
    return [e for e in manifest(output) if e["layout"] == "trifold" and variant in (None, e["variant"])]


def source(topic: str) -> dict:
    return yaml.safe_load((CONTENT_DIR / "brochures" / f"{topic}.yaml").read_text())


def chars(pdf: Path, page: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every visible upright character of a page with its box (left, bottom, right, top)
    in points. (A sample profile's mark runs across the sheet at a slant, on purpose.)"""
    text_page = pypdfium2.PdfDocument(pdf)[page].get_textpage()
    found = []
    for index in range(text_page.count_chars()):
        char = text_page.get_text_range(index, 1)
        if char.strip() and pypdfium2.raw.FPDFText_GetCharAngle(text_page.raw, index) == 0:
            found.append((char, text_page.get_charbox(index)))
    return found


def panel_texts(pdf: Path, page: int, folds: list[float]) -> list[str]:
    """The text inside each panel's rectangle, left to right. (PDFium reports a hyphen
    that ends a line as U+0002.)"""
    document = pypdfium2.PdfDocument(pdf)
    text_page = document[page].get_textpage()
    height = document[page].get_height()
    texts = [text_page.get_text_bounded(left, 0, right, height) for left, right in pairwise(folds)]
    return [one_line(text.replace("\x02", "-")) for text in texts]


def title_runs(pdf: Path) -> tuple[str, list[float]]:
    """The text set in the largest size on page 1, and where each run of it starts."""
    runs: list[tuple[float, str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        matrix = pypdf.mult(tm, cm)
        if text.strip() and matrix[1] == 0:  # upright: a sample profile's slanted mark is not a title
            runs.append((round(size * (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5, 2), text, matrix[4]))

    pypdf.PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    largest = max(size for size, _, _ in runs)
    return " ".join(text for size, text, _ in runs if size == largest), [
        x for size, _, x in runs if size == largest
    ]


def shipped_trifold(output: Path, topic: str, paper: str) -> Path:
    """A topic's English tri-fold (the Spanish edition's text: test_editions.py)."""
    [entry] = [e for e in trifolds(output) if (e["topic"], e["paper"], e["language"]) == (topic, paper, "en")]
    return output / entry["path"]


def test_every_topic_has_a_trifold_on_both_papers_in_two_variants(shipped_build: Path) -> None:
    built = {(e["topic"], e["paper"], e["variant"]) for e in trifolds(shipped_build, variant=None)}
    assert built == {
        (topic, paper, variant)
        for topic in TOPICS
        for paper in PAPERS
        for variant in ("standard", "print-shop")
    }
    names = {e["path"] for e in trifolds(shipped_build, variant=None)}
    assert "Psychodynamic-Therapy-Brochure-Trifold-Letter.pdf" in names
    assert "Psychodynamic-Therapy-With-Ketamine-Brochure-Trifold-Print-Shop-A4.pdf" in names


def test_two_landscape_sheets(shipped_build: Path) -> None:
    for entry in trifolds(shipped_build, variant=None):
        reader = pypdf.PdfReader(shipped_build / entry["path"])
        assert len(reader.pages) == entry["pages"] == 2, entry["path"]
        for page in reader.pages:
            size = (float(page.trimbox.width), float(page.trimbox.height))
            assert size == pytest.approx(LANDSCAPE[entry["paper"]], abs=0.05), entry["path"]


@pytest.mark.parametrize("paper", PAPERS)
def test_outside_sheet_fold_in_back_cover_front_cover(shipped_build: Path, paper: str) -> None:
    for topic in TOPICS:
        raw = source(topic)
        pdf = shipped_trifold(shipped_build, topic, paper)
        fold_in, back_cover, front_cover = panel_texts(pdf, 0, FOLDS[paper]["outside"])
        # Front cover, on the right: what it is, for whom, from whom.
        for phrase in (raw["title"], raw["purpose"], raw["category"], CLINIC["name"]):
            assert one_line(phrase) in front_cover, (pdf.name, phrase)
        # The title, the largest text of the sheet, is wholly on the right.
        title, lefts = title_runs(pdf)
        assert one_line(title) == one_line(raw["title"])
        assert min(lefts) > FOLDS[paper]["outside"][2], pdf.name
        # Fold-in panel, on the left: a medicine's safety section, else the short version.
        if raw["medicine"]:
            assert "Who should not have it" in fold_in and "Warning signs after you leave" in fold_in
        else:
            assert "Key points" in fold_in
            # (a hyphen that ends a line is not extracted: compare without hyphens)
            assert all(
                one_line(point).replace("-", "") in fold_in.replace("-", "") for point in raw["key_points"]
            )
        # Back cover, in the middle: help now and how to reach the clinic.
        for phrase in ("Get help now", "Call or text 988", "call 911", CLINIC["phone"], CLINIC["email"]):
            assert phrase in back_cover, (pdf.name, phrase)
        assert "Page 1 of" not in " ".join([fold_in, back_cover, front_cover]), "no running footer"


@pytest.mark.parametrize("paper", PAPERS)
def test_inside_sheet_holds_the_sections_the_panel_map_places(shipped_build: Path, paper: str) -> None:
    panel_map = load_panel_map(PANEL_MAP)
    for topic in TOPICS:
        raw = source(topic)
        brochure = Brochure.model_validate(raw)
        pdf = shipped_trifold(shipped_build, topic, paper)
        texts = dict(
            zip(("left", "middle", "right"), panel_texts(pdf, 1, FOLDS[paper]["inside"]), strict=True)
        )
        plan = place(panel_map, brochure)
        inside = [panel for panel in plan.panels if panel.sheet == "inside"]
        assert sum(len(panel.blocks) for panel in inside) >= 4, "a full inside spread"
        for panel in inside:
            assert panel.blocks, f"{topic}: panel {panel.name} is empty"
            for block in panel.blocks:
                if block.section is not None:
                    assert one_line(block.section.heading) in texts[panel.position], (pdf.name, block.name)
        assert one_line(raw["sections"]["what_it_is"]["heading"]) in texts["left"]
        # The review facts, in small print, close the first inside panel.
        for phrase in (
            "Reviewed by: Psychiatrist (MD).",
            "Reviewed: November 1, 2026.",
            "Next review: November 1, 2027.",
            f"Version {raw['version']}.",
        ):
            assert phrase in texts["left"], (pdf.name, phrase)
        assert "References" in texts["right"]
    # What each shipped topic most needs on its inside spread.
    ketamine = panel_texts(shipped_trifold(shipped_build, TOPICS[1], paper), 1, FOLDS[paper]["inside"])
    assert "What happens on a treatment day?" in ketamine[1]
    assert "Plan for someone to drive you home." in ketamine[1]
    assert "References" in ketamine[2]
    # The psychodynamic brochure's next step sends the reader to "Is it right for me?".
    psychodynamic = panel_texts(shipped_trifold(shipped_build, TOPICS[0], paper), 1, FOLDS[paper]["inside"])
    assert "What can it help with?" in psychodynamic[2]


@pytest.mark.parametrize("paper", PAPERS)
def test_text_keeps_to_its_panel_and_the_panels_have_the_design_widths(
    shipped_build: Path, paper: str
) -> None:
    """Every character sits inside one panel's print margins: 0.375 in from every sheet
    edge (office printers clip at about 0.25 in), 0.25 in from each fold. Headings start
    at the left margin of their panel, so where the middle and right panels' text begins
    shows where the folds are: a narrow panel on the wrong side would move it by 1/16 in."""
    for topic in TOPICS:
        pdf = shipped_trifold(shipped_build, topic, paper)
        for page, sheet in enumerate(("outside", "inside")):
            folds = FOLDS[paper][sheet]
            lefts: dict[int, float] = {}
            for char, (left, _, right, _) in chars(pdf, page):
                panel = next(i for i, (a, b) in enumerate(pairwise(folds)) if a <= (left + right) / 2 < b)
                a, b = folds[panel], folds[panel + 1]
                left_pad = EDGE_PAD if panel == 0 else FOLD_PAD
                right_pad = EDGE_PAD if panel == 2 else FOLD_PAD
                assert a + left_pad - 1 <= left and right <= b - right_pad + 1, (pdf.name, sheet, char)
                lefts[panel] = min(lefts.get(panel, b), left)
            for panel in (1, 2):
                assert lefts[panel] == pytest.approx(folds[panel] + FOLD_PAD, abs=2), (
                    pdf.name,
                    sheet,
                    panel,
                )


def text_sizes(pdf: Path) -> set[float]:
    """The size in points of every run of text, as printed (font size times text and
    page scale)."""
    sizes: set[float] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            matrix = pypdf.mult(tm, cm)
            sizes.add(round(size * (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5, 2))

    for page in pypdf.PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_no_text_below_12_pt(shipped_build: Path) -> None:
    for entry in trifolds(shipped_build):
        sizes = text_sizes(shipped_build / entry["path"])
        assert min(sizes) >= 12, (entry["path"], sorted(sizes))


def _struct_types(node: object) -> list[str]:
    """Structure element types in document order."""
    node = node.get_object()
    types = [str(node["/S"])] if "/S" in node else []
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and kid.get("/Type", "/StructElem") == "/StructElem" and "/S" in kid:
            types += _struct_types(kid)
    return types


def test_screen_readers_meet_the_front_cover_first(shipped_build: Path) -> None:
    """On paper the front cover is on the right; in the tags it comes first, then the
    fold-in panel (key points), then the back cover."""
    for entry in trifolds(shipped_build):
        reader = pypdf.PdfReader(shipped_build / entry["path"])
        headings = [
            t for t in _struct_types(reader.trailer["/Root"]["/StructTreeRoot"]) if t in {"/H1", "/H2"}
        ]
        assert headings[0] == "/H1", (entry["path"], headings)
        assert headings.count("/H1") == 1
        text = one_line(reader.pages[0].extract_text())
        raw, t = shipped_source(entry), shipped_strings(entry["language"])
        first_inside = t["safety_not_for"] if raw["medicine"] else t["key_points"]
        assert text.index(one_line(raw["title"])) < text.index(first_inside) < text.index(t["get_help_now"])


def test_print_shop_bleed_crop_box_and_text_inside_the_trim(shipped_build: Path) -> None:
    for entry in trifolds(shipped_build, variant="print-shop"):
        pdf = shipped_build / entry["path"]
        reader = pypdf.PdfReader(pdf)
        for page in reader.pages:
            trim, bleed = page.trimbox, page.bleedbox
            assert (float(trim.width), float(trim.height)) == pytest.approx(
                LANDSCAPE[entry["paper"]], abs=0.05
            )
            for side in ("left", "bottom"):
                assert float(getattr(trim, side)) - float(getattr(bleed, side)) == pytest.approx(
                    BLEED, abs=0.05
                )
            for side in ("right", "top"):
                assert float(getattr(bleed, side)) - float(getattr(trim, side)) == pytest.approx(
                    BLEED, abs=0.05
                )
        for number, page in enumerate(reader.pages):
            left, bottom, right, top = (float(v) for v in page.trimbox)
            for char, (x0, y0, x1, y1) in chars(pdf, number):
                inside = min(x0 - left, y0 - bottom, right - x1, top - y1)
                assert inside >= EDGE_PAD, (pdf.name, number + 1, char, inside / 72)


def test_print_shop_fold_marks_in_the_slug_at_each_fold(shipped_build: Path) -> None:
    """A short dark line above and below each fold, in the slug beyond the bleed (where
    the crop marks are), and none in the standard file, which has no slug."""
    scale = 4
    for entry in trifolds(shipped_build, variant="print-shop"):
        document = pypdfium2.PdfDocument(shipped_build / entry["path"])
        for number, sheet in enumerate(("outside", "inside")):
            page = document[number]
            image = page.render(scale=scale).to_pil().convert("L")
            height = page.get_height()
            for fold in FOLDS[entry["paper"]][sheet][1:3]:
                x = BLEED + SLUG + fold
                for y in (SLUG / 2, height - SLUG / 2):
                    on_mark = min(
                        image.getpixel((round(x * scale) + dx, round(y * scale))) for dx in (-2, -1, 0, 1, 2)
                    )
                    beside = [
                        image.getpixel((round((x + sign * 2) * scale), round(y * scale))) for sign in (-1, 1)
                    ]
                    assert on_mark < 80 and beside == [255, 255], (
                        entry["path"],
                        sheet,
                        fold,
                        y,
                        on_mark,
                        beside,
                    )
                # Nothing of the mark inside the bleed, where it could show on the trimmed sheet.
                assert image.getpixel((round(x * scale), round((SLUG + BLEED / 2) * scale))) == 255


def _pixel(pdf: Path, x: float, y_from_top: float) -> tuple[int, int, int]:
    """The colour at a point of page 1, in points from the media box's top left."""
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil().convert("RGB")
    return image.getpixel((round(x * 2), round(y_from_top * 2)))


def test_print_shop_cover_band_runs_into_the_bleed(shipped_build: Path) -> None:
    primary = tuple(int(CLINIC["brand"]["primary"][i : i + 2], 16) for i in (1, 3, 5))
    paper_colour = (255, 255, 255)
    for paper in PAPERS:
        width = LANDSCAPE[paper][0]
        [shop] = [
            e
            for e in trifolds(shipped_build, variant="print-shop")
            if (e["topic"], e["paper"], e["language"]) == (TOPICS[0], paper, "en")
        ]
        shop_pdf = shipped_build / shop["path"]
        trim = BLEED + SLUG  # the trim's top left, from the sheet's
        # The print-shop file is CMYK, which a viewer turns back into screen colours its own
        # way: the band is close to the brand colour, and the same colour everywhere.
        band = _pixel(shop_pdf, trim + width - 60, trim + 30)
        assert all(abs(a - b) <= 24 for a, b in zip(band, primary, strict=True)), (band, primary)
        # Top edge of the front cover, in the bleed: the band's colour; in the slug beyond
        # it, where the crop marks are, paper.
        assert _pixel(shop_pdf, trim + width - 60, SLUG + 1.5) == band
        assert _pixel(shop_pdf, trim + width - 60, SLUG - 1.5) == paper_colour
        assert _pixel(shop_pdf, trim + width + BLEED - 1.5, trim + 30) == band
        # Short of the fold between back and front cover, so a fold that drifts shows no
        # sliver of it on the back cover; and right at the trim's right edge.
        fold = trim + FOLDS[paper]["outside"][2]
        assert _pixel(shop_pdf, fold + 1, trim + 30) == paper_colour
        assert _pixel(shop_pdf, fold + FOLD_CLEAR - 1.5, trim + 30) == paper_colour
        assert _pixel(shop_pdf, fold + FOLD_CLEAR + 1.5, trim + 30) == band
        assert _pixel(shop_pdf, trim + width - 1, trim + 30) == band
        # The standard file keeps the band inside the print margins: office printers.
        standard = shipped_trifold(shipped_build, TOPICS[0], paper)
        assert _pixel(standard, width - 60, 1.5) == paper_colour
        assert _pixel(standard, width - 60, EDGE_PAD + 10) == primary


# Content that does not fit: located, the rest still built.

LONG_PARAGRAPH = " ".join(
    ["You talk about what is on your mind, and your therapist listens and asks about it."] * 6
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_content_too_tall_for_its_panel_fails_that_document_only(
    capsys: pytest.CaptureFixture[str], shipped_content_copy: Path, tmp_path: Path
) -> None:
    brochure = shipped_content_copy / "brochures" / "psychodynamic-therapy.yaml"
    # Its Spanish edition would fail too, no longer matching it (test_editions.py).
    (shipped_content_copy / "brochures" / "psychodynamic-therapy-es.yaml").unlink()
    text = brochure.read_text()
    heading = '  sessions:\n    role: sessions\n    heading: "How long and how often are sessions?"\n'
    assert heading in text
    longer = "    paragraphs:\n" + f'      - "{LONG_PARAGRAPH}"\n' * 3
    brochure.write_text(text.replace(heading, heading + longer))
    output = tmp_path / "out"
    only = [
        "psychodynamic-therapy-trifold-letter",
        "psychodynamic-therapy-trifold-a4-print-shop",
        "psychodynamic-therapy-booklet-letter",
        "psychodynamic-therapy-with-ketamine-trifold-letter",
    ]
    code, _, err = run(
        capsys,
        "--content",
        str(shipped_content_copy),
        "--output",
        str(output),
        *(f"--only={i}" for i in only),
    )
    assert code == 1
    # Located where the panel's content runs out of it: a value of this section or of one
    # placed after it on the same panel.
    located = (
        re.escape(display_path(brochure))
        + r":(\d+): (sections\.[\w.\[\]]+): "
        + re.escape("trifold panel 'inside-middle': content is ")
    )
    here = re.escape("; it runs out of the panel here")
    lines = err.splitlines()
    letter = [
        line
        for line in lines
        if re.fullmatch(located + r"(\d+) mm taller than the panel \(Letter\)" + here, line)
    ]
    a4 = [
        line
        for line in lines
        if re.fullmatch(located + r"(\d+) mm taller than the panel \(A4, print-shop\)" + here, line)
    ]
    assert len(letter) == 1 and len(a4) == 1, err
    line, field = re.match(located, letter[0]).groups()
    source_lines = brochure.read_text().splitlines()
    assert int(line) > source_lines.index("  sessions:")
    assert (
        source_lines[int(line) - 1].strip().startswith(("- ", field.rsplit(".", 1)[-1].split("[")[0] + ":"))
    )
    # Three long paragraphs at 12 pt in a 3.7 in panel: well over 100 mm that does not fit.
    assert 100 <= int(re.search(r"is (\d+) mm", letter[0]).group(1)) <= 250
    assert "2 content problem(s)" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in output.glob("*.pdf")) == [
        "Psychodynamic-Therapy-Brochure-Letter.pdf",
        "Psychodynamic-Therapy-With-Ketamine-Brochure-Trifold-Letter.pdf",
    ]
    assert "2 built" in err


def test_a_word_too_long_for_its_panel_is_reported_too(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    word = "Psychodynamicpsychotherapyfortherapistsandpatientsalike"
    alpha.write_text(alpha.read_text().replace("It is a talk therapy.", f"It is a talk therapy. {word}."))
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-trifold-letter"
    )
    assert code == 1
    line = alpha.read_text().splitlines().index(f"      - It is a talk therapy. {word}.") + 1
    assert re.search(
        re.escape(
            f"{display_path(alpha)}:{line}: sections.what_it_is.paragraphs[0]: "
            "trifold panel 'inside-left': content is "
        )
        + r"\d+ mm wider than the panel \(Letter\); a word too long for the panel$",
        err,
        re.MULTILINE,
    ), err
    assert not list((tmp_path / "o").glob("*.pdf"))


def test_a_new_topic_gets_a_trifold_without_new_code(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    """The small test brochure has what_it_is, goals, evidence and downsides: the panel
    map's fallbacks fill the inside spread, and the cited source comes with them."""
    output = tmp_path / "o"
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(output), "--only", "alpha-trifold-a4"
    )
    assert code == 0, err
    pdf = output / "Alpha-Brochure-Trifold-A4.pdf"
    assert len(pypdf.PdfReader(pdf).pages) == 2
    left, middle, right = panel_texts(pdf, 1, FOLDS["a4"]["inside"])
    assert "What is it?" in left
    assert "What are the goals?" in middle and "Does it work?" in middle
    assert "References" in right and "pubmed.ncbi.nlm.nih.gov/28541091/" in right


# The panel map: declared once, checked when read, placed per brochure.


def brochure(**changes: object) -> Brochure:
    raw = yaml.safe_load(BROCHURE_YAML.format(id="alpha", title="Alpha therapy"))
    raw["sections"].update(changes)
    return Brochure.model_validate(raw)


def panel_map(**blocks: list) -> PanelMap:
    """A map with the cover on the front cover and the given blocks on inside panels
    `left`, `middle`, `right`; the other outside panels hold only what a map must place."""
    panels = [
        {"name": "front-cover", "sheet": "outside", "position": "right", "blocks": ["cover"]},
        {"name": "fold-in", "sheet": "outside", "position": "left", "blocks": ["get_help"]},
        {"name": "back-cover", "sheet": "outside", "position": "middle", "blocks": ["review_facts"]},
    ]
    for position in ("left", "middle", "right"):
        panels.append(
            {
                "name": position,
                "sheet": "inside",
                "position": position,
                "blocks": blocks.get(position, ["faq"]),
            }
        )
    return PanelMap.model_validate({"panels": panels})


def inside(plan: PanelPlan) -> list[list[str]]:
    return [[block.name for block in panel.blocks] for panel in plan.panels if panel.sheet == "inside"]


def test_first_of_takes_the_first_block_the_brochure_has_and_no_earlier_panel_placed() -> None:
    helps = {"role": "helps_with", "heading": "What can it help with?", "paragraphs": ["Low mood."]}
    chosen = panel_map(
        left=[{"first_of": ["helps_with", "goals"]}],
        middle=[{"first_of": ["helps_with", "goals"]}],
        right=["treatment_day", "what_it_is"],
    )
    assert inside(place(chosen, brochure(helps_with=helps))) == [["helps_with"], ["goals"], ["what_it_is"]]
    # Without helps_with, goals goes first, and the middle panel has nothing left to show.
    assert inside(place(chosen, brochure())) == [["goals"], [], ["what_it_is"]]


def test_an_excerpt_shows_the_first_items_and_keeps_the_sources() -> None:
    section = {
        "role": "helps_with",
        "heading": "What can it help with?",
        "paragraphs": ["One.", "Two."],
        "entries": [{"name": f"E{n}", "text": "Text."} for n in range(5)],
        "sources": ["steinert-2017"],
    }
    excerpt = {"role": "helps_with", "paragraphs": 1, "entries": 2}
    plan = place(panel_map(left=[excerpt, "references"]), brochure(helps_with=section))
    [block, references] = next(panel for panel in plan.panels if panel.name == "left").blocks
    assert block.section.heading == "What can it help with?"
    assert block.section.paragraphs == ["One."]
    assert [entry.name for entry in block.section.entries] == ["E0", "E1"]
    assert block.section.sources == ["steinert-2017"]
    assert references.name == "references"
    assert [reference.key for reference in plan.references] == ["steinert-2017"]
    # A cut that leaves nothing under the heading skips the section.
    nothing = {"role": "helps_with", "paragraphs": 0, "entries": 0}
    assert inside(place(panel_map(left=[nothing, "what_it_is"]), brochure(helps_with=section)))[0] == [
        "what_it_is"
    ]


def test_references_list_only_what_the_panels_cite_and_go_when_nothing_is() -> None:
    plan = place(panel_map(left=["what_it_is", "references"]), brochure())  # evidence is not placed
    assert plan.references == ()
    assert inside(plan)[0] == ["what_it_is"]
    plan = place(panel_map(left=["evidence", "references"]), brochure())
    assert [reference.key for reference in plan.references] == ["steinert-2017"]
    assert inside(plan)[0] == ["evidence", "references"]


SHIPPED_MAP = PANEL_MAP.read_text()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("blocks: [cover, summary, next_step]", "blocks: [cover, summery, next_step]"),
            ":{line}: panels[0].blocks[1]: unknown block 'summery'; fixed blocks: cover, summary,",
        ),
        (
            ("blocks: [cover, summary, next_step]", "blocks: [{role: cover}]"),
            ":{line}: panels[0].blocks[0].role: 'cover' is not a section role; roles: what_it_is, helps_with,",
        ),
        (
            ("blocks: [cover, summary, next_step]", "blocks: [{block: goals, entries: 2}]"),
            ":{line}: panels[0].blocks[0]: paragraphs, entries, bullets, closing, not_for, serious_risks, "
            "warning_signs cut a section",
        ),
        (
            ("blocks: [cover, summary, next_step]", "blocks: [summary, cover]"),
            ":1: the front cover (outside sheet, right) must start with the cover block",
        ),
        (
            ("position: middle\n    blocks: [get_help", "position: left\n    blocks: [get_help"),
            ":1: the outside sheet needs one panel at the left, found 2",
        ),
        (
            ("[get_help, {role: downsides, entries: 1, closing: 0}, contact]", "[contact]"),
            ":1: the panel map must place get_help",
        ),
        (
            ("- review_facts\n", ""),
            ":1: the panel map must place about or review_facts",
        ),
    ],
)
def test_a_wrong_panel_map_is_reported_with_its_line(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    assert SHIPPED_MAP.count(change[0]) == 1
    path = tmp_path / "trifold-panels.yaml"
    path.write_text(SHIPPED_MAP.replace(*change))
    message = message.format(line=SHIPPED_MAP[: SHIPPED_MAP.index(change[0])].count("\n") + 1)
    with pytest.raises(PanelMapError) as raised:
        load_panel_map(path)
    assert str(raised.value).startswith(display_path(path) + message), str(raised.value)


def test_the_shipped_panel_map_has_six_panels_one_per_place() -> None:
    panels = load_panel_map(PANEL_MAP).panels
    assert [(p.name, p.sheet, p.position) for p in panels] == [
        ("front-cover", "outside", "right"),
        ("fold-in", "outside", "left"),
        ("back-cover", "outside", "middle"),
        ("inside-left", "inside", "left"),
        ("inside-middle", "inside", "middle"),
        ("inside-right", "inside", "right"),
    ]
