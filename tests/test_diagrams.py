"""Diagrams a patient can act on: steps from content, read in order, named by their
caption in the structure tree, with bundled icons that are clean, licensed decoration."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
import yaml
from page import ValidationProfile, validate_pdf

from handouts.assets import check_image
from handouts.build import BuildSettings, build
from handouts.models.diagram import ICON_NAMES
from handouts.paths import CONTENT_DIR
from tests.support import BROCHURE_YAML, one_line, page_texts, write
from tests.test_accessibility import accessible, elements, kids, role, unicode_map

STYLES = Path(__file__).resolve().parent.parent / "styles"
BROCHURES = sorted((CONTENT_DIR / "brochures").glob("*.yaml"))


def diagrams(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text())
    return [section["diagram"] for section in data["sections"].values() if "diagram" in section]


def edition(path: Path) -> tuple[str, str]:
    """The topic and language of a brochure file: which outputs it made."""
    data = yaml.safe_load(path.read_text())
    return data["topic"], data.get("language", "en")


def booklets(output: Path, path: Path) -> list[dict]:
    found = [
        e
        for e in accessible(output)
        if (e["topic"], e["language"]) == edition(path) and e["layout"] == "booklet"
    ]
    assert {e["variant"] for e in found} == {"standard", "large-print"}
    return found


@pytest.mark.parametrize("path", BROCHURES, ids=lambda path: path.stem)
def test_every_shipped_brochure_has_a_diagram(path: Path) -> None:
    assert diagrams(path), f"{path.name} has no diagram"


def test_steps_read_in_order_in_every_booklet(shipped_build: Path) -> None:
    for path in BROCHURES:
        for entry in booklets(shipped_build, path):
            text = one_line(" ".join(page_texts(shipped_build / entry["path"])))
            for diagram in diagrams(path):
                at = text.index(diagram["caption"])
                for number, step in enumerate(diagram["steps"], start=1):
                    for phrase in (f"{number}. {step['label']}", step["text"]):
                        found = text.find(phrase, at)
                        assert found > at, f"{entry['path']}: '{phrase}' not after step {number - 1}"
                        at = found


def marked_texts(page: pikepdf.Page) -> dict[int, str]:
    """The text drawn inside each marked-content sequence (MCID) of a page."""
    fonts = {name: unicode_map(font) for name, font in page.Resources.Font.items()}
    texts: dict[int, str] = {}
    open_ids: list[int | None] = []
    font: dict[int, str] = {}
    for operands, operator in pikepdf.parse_content_stream(page, "BDC BMC EMC Tf TJ Tj"):
        name = str(operator)
        if name == "BDC":
            properties = operands[1]
            open_ids.append(int(properties.MCID) if isinstance(properties, pikepdf.Dictionary) else None)
        elif name == "BMC":
            open_ids.append(None)
        elif name == "EMC":
            open_ids.pop()
        elif name == "Tf":
            font = fonts[str(operands[0])]
        elif open_ids and open_ids[-1] is not None:
            strings = operands[0] if name == "TJ" else operands
            for string in (bytes(s) for s in strings if isinstance(s, pikepdf.String)):
                codes = (int.from_bytes(string[i : i + 2], "big") for i in range(0, len(string), 2))
                texts[open_ids[-1]] = texts.get(open_ids[-1], "") + "".join(font.get(c, "") for c in codes)
    return texts


def element_text(element: pikepdf.Dictionary, texts: dict[tuple[int, int], dict[int, str]]) -> str:
    """The text of a structure element and its descendants, from the marked content."""
    parts = []
    for kid in kids(element):
        if isinstance(kid, int):
            parts.append(texts[element.Pg.objgen].get(kid, ""))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            parts.append(element_text(kid, texts))
    return " ".join(part for part in parts if part)


def test_a_diagram_is_a_list_named_by_its_caption_in_the_structure_tree(shipped_build: Path) -> None:
    """Screen readers get the caption (the diagram's accessible name), then the steps as a
    list of as many items; the icons are artifacts, never an unnamed Figure."""
    for path in BROCHURES:
        for entry in booklets(shipped_build, path):
            with pikepdf.open(shipped_build / entry["path"]) as pdf:
                texts = {page.obj.objgen: marked_texts(page) for page in pdf.pages}
                tree = list(elements(pdf))
                assert not [e for e in tree if role(e) == "/Figure"], "icons must be decoration"
                captions = [e for e in tree if role(e) == "/Caption"]
                for diagram in diagrams(path):
                    caption = next(
                        c for c in captions if one_line(element_text(c, texts)) == diagram["caption"]
                    )
                    siblings = [k for k in kids(caption.P) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
                    assert [role(k) for k in siblings] == ["/Caption", "/L"], entry["path"]
                    # A diagram that goes on over a page (large print) is one list a page.
                    after = tree[tree.index(caption) :]
                    items = [e for e in after if role(e) == "/LI"][: len(diagram["steps"])]
                    assert all(role(item.P) == "/L" and role(item.P.P) == "/NonStruct" for item in items)
                    said = [one_line(element_text(item, texts)) for item in items]
                    expected = [f"{n}. {s['label']} {s['text']}" for n, s in enumerate(diagram["steps"], 1)]
                    assert said == expected, entry["path"]
            report = validate_pdf(shipped_build / entry["path"], profile=ValidationProfile.PDF_UA_1)
            assert report.is_compliant, sorted({f.rule_id for f in report.failures})


def test_the_tri_fold_leaves_the_diagram_to_the_booklet(shipped_build: Path) -> None:
    for path in BROCHURES:
        trifold = next(
            e
            for e in accessible(shipped_build)
            if (e["topic"], e["language"]) == edition(path) and e["layout"] == "trifold"
        )
        text = one_line(" ".join(page_texts(shipped_build / trifold["path"])))
        assert all(diagram["caption"] not in text for diagram in diagrams(path))


@pytest.mark.parametrize("icon", ICON_NAMES)
def test_every_bundled_icon_is_a_clean_svg_with_its_rule(icon: str) -> None:
    svg = STYLES / "icons" / f"{icon}.svg"
    check_image(svg, STYLES / "icons")  # no scripts, no references to other files
    assert 'stroke="currentColor"' in svg.read_text()  # drawn black: the same in black and white
    rule = re.escape(f'.step-icon-{icon} {{ background-image: url("icons/{icon}.svg"); }}')
    assert re.search(rule, (STYLES / "base.css").read_text())


def test_the_icon_set_is_bundled_with_its_licence() -> None:
    licence = (STYLES / "icons" / "LICENSE-lucide.txt").read_text()
    assert licence.startswith("ISC License")
    assert {path.stem for path in (STYLES / "icons").glob("*.svg")} == set(ICON_NAMES)


DIAGRAM = """\
    diagram:
      caption: The steps
      steps:
        - {icon: car, label: First, text: You do this first.}
        - {icon: teleporter, label: Second, text: Then you do this.}
"""


def test_an_unknown_icon_is_a_located_error(content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    heading = "    heading: What can go wrong?\n"
    assert heading in BROCHURE_YAML
    write(alpha, alpha.read_text().replace(heading, heading + DIAGRAM))
    report = build(BuildSettings(content=content, output=tmp_path / "o"))
    assert report.exit_code == 1
    line = (
        alpha.read_text()
        .splitlines()
        .index("        - {icon: teleporter, label: Second, text: Then you do this.}")
    )
    messages = [str(problem) for problem in report.problems]
    assert any(
        message.startswith(f"{alpha}:{line + 1}: sections.downsides.diagram.steps[1].icon: ")
        or f"alpha.yaml:{line + 1}: sections.downsides.diagram.steps[1].icon: " in message
        for message in messages
    ), messages
