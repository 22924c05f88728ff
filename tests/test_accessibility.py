"""Accessible, clean and small PDFs, read back by tools that are not WeasyPrint.

Every standard and large-print PDF claims PDF/UA-1. The `page` validator
(PyPI `page-validation`, a Rust implementation of the veraPDF PDF/UA-1 rules) checks
the machine-checkable Matterhorn Protocol failure conditions; pikepdf reads the
structure tree, the metadata and every object back for the checks a validator does
not make (headings in order, table header cells, link descriptions, no machine paths).
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
import yaml
from page import ValidationProfile, validate_pdf, validate_pdf_bytes

from handouts.build import BuildSettings, build
from handouts.paths import CONTENT_DIR
from handouts.typeset.typesetter import pdf_options
from tests.support import shipped_source, write

ACCESSIBLE_VARIANTS = ("standard", "large-print")
PRINT_SHOP = "print-shop"
SIZE_BUDGET = 150_000  # bytes, for every file a patient may get by email
INTAKE_SIZE_BUDGET = 200_000  # issue 17: intake leaflets, with their many form fields
BLEED = 3 / 25.4 * 72  # 3 mm in points
CLINIC = yaml.safe_load((CONTENT_DIR / "clinic.yaml").read_text())
XMP = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def manifest(output: Path) -> list[dict]:
    return json.loads((output / "manifest.json").read_text())["documents"]


def accessible(output: Path) -> list[dict]:
    entries = [e for e in manifest(output) if e["variant"] in ACCESSIBLE_VARIANTS]
    assert entries
    return entries


def source_of(entry: dict) -> dict:
    """The content file a manifest entry was built from."""
    return shipped_source(entry)


def kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Structure elements reachable from the root, depth first, in reading order."""
    stack = list(reversed(kids(pdf.Root.StructTreeRoot)))
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary) and "/S" in item:
            yield item
            stack.extend(reversed(kids(item)))


def role(element: pikepdf.Dictionary) -> str:
    """The structure type (`/H1`), or `/OBJR` / `/MCR` for references to content."""
    return str(element.get("/S", element.get("/Type")))


def annotations(pdf: pikepdf.Pdf, subtype: str) -> list[pikepdf.Dictionary]:
    return [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == subtype]


def tagged_annotations(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """Annotation object -> the role of the structure element that holds it."""
    held = {}
    for element in elements(pdf):
        for kid in kids(element):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                held[kid.Obj.objgen] = role(element)
    return held


# --- PDF/UA-1, checked by an independent validator -------------------------------------


def test_every_accessible_pdf_passes_the_pdf_ua_1_validator(shipped_build: Path) -> None:
    failures = {}
    for entry in accessible(shipped_build):
        report = validate_pdf(shipped_build / entry["path"], profile=ValidationProfile.PDF_UA_1)
        assert report.rules.total >= 100, "the validator ran only part of the PDF/UA-1 rules"
        if not report.is_compliant:
            failures[entry["path"]] = sorted({f"{f.rule_id}: {f.message}" for f in report.failures})
    assert failures == {}


def mutated(pdf_path: Path, change) -> bytes:
    with pikepdf.open(pdf_path) as pdf:
        change(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def _drop_display_doc_title(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.ViewerPreferences["/DisplayDocTitle"]


def _drop_link_descriptions(pdf: pikepdf.Pdf) -> None:
    for link in annotations(pdf, "/Link"):
        del link["/Contents"]


def _drop_language(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Lang"]


def _drop_xmp_metadata(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Metadata"]


def _skip_a_heading_level(pdf: pikepdf.Pdf) -> None:
    next(e for e in elements(pdf) if role(e) == "/H2").S = pikepdf.Name("/H4")


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (_drop_display_doc_title, "PDFUA1-VIEWER-PREFERENCES-001"),
        (_drop_link_descriptions, "PDFUA1-LINK-CONTENTS-001"),
        (_skip_a_heading_level, "PDFUA1-HEADING-NESTING-001"),
        (_drop_language, "PDFUA1-TEXT-LANGUAGE-001"),
        (_drop_xmp_metadata, "PDFUA1-ID-SCHEMA-001"),
    ],
)
def test_the_validator_catches_a_broken_copy(shipped_build: Path, change, rule: str) -> None:
    """The validator is not a rubber stamp: one defect in a good file is reported by name."""
    entry = next(e for e in accessible(shipped_build) if e["kind"] == "brochure")
    report = validate_pdf_bytes(mutated(shipped_build / entry["path"], change), profile="ua1")
    assert rule in {failure.rule_id for failure in report.failures}


def test_pdf_options_follow_the_variant() -> None:
    for variant in (*ACCESSIBLE_VARIANTS, "some-new-variant"):
        assert pdf_options(variant)["pdf_variant"] == "pdf/ua-1"
        assert pdf_options(variant)["pdf_forms"] is True
    assert "pdf_variant" not in pdf_options(PRINT_SHOP)
    assert pdf_options(PRINT_SHOP)["pdf_tags"] is True


def test_print_shop_files_keep_their_bleed(shipped_build: Path) -> None:
    entries = [e for e in manifest(shipped_build) if e["variant"] == PRINT_SHOP]
    assert entries
    for entry in entries:
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            for page in pdf.pages:
                media = [float(v) for v in page.MediaBox]
                trim = [float(v) for v in page.TrimBox]
                bleed = [float(v) for v in page.BleedBox]
                assert trim[0] - bleed[0] == pytest.approx(BLEED, abs=0.5), entry["path"]
                assert bleed[2] - trim[2] == pytest.approx(BLEED, abs=0.5), entry["path"]
                # Outside the bleed, as much again of slug for the crop marks.
                assert trim[0] - media[0] == pytest.approx(2 * BLEED, abs=0.5), entry["path"]
                assert media[2] - trim[2] == pytest.approx(2 * BLEED, abs=0.5), entry["path"]


# --- The structure tree, read back ------------------------------------------------------


def test_headings_start_at_h1_and_skip_no_level(shipped_build: Path) -> None:
    for entry in accessible(shipped_build):
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            levels = [int(role(e)[2:]) for e in elements(pdf) if re.fullmatch(r"/H[1-6]", role(e))]
        assert levels[0] == 1, entry["path"]
        assert levels.count(1) == 1, f"{entry['path']}: one H1, the title"
        assert levels.count(2) >= 3, entry["path"]
        steps = list(itertools.pairwise(levels))
        assert all(after <= before + 1 for before, after in steps), f"{entry['path']}: {levels}"


def test_structure_tree_has_document_lists_and_paragraphs(shipped_build: Path) -> None:
    for entry in accessible(shipped_build):
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            assert pdf.Root.MarkInfo.Marked is True
            tree = list(elements(pdf))
            roles = {role(e) for e in tree}
            assert {"/Document", "/H1", "/H2", "/P", "/L", "/LI", "/LBody"} <= roles, entry["path"]
            for element in tree:
                inside = [role(kid) for kid in kids(element) if isinstance(kid, pikepdf.Dictionary)]
                inside = [r for r in inside if r not in ("/OBJR", "/MCR")]
                if role(element) == "/L":
                    assert set(inside) <= {"/LI", "/L", "/Caption"}, entry["path"]
                if role(element) == "/LI":
                    assert set(inside) <= {"/Lbl", "/LBody"}, entry["path"]


def test_brochure_entries_are_list_items_with_a_label_and_a_body(shipped_build: Path) -> None:
    """`dl.entries`: each name and its text are one list item, L > LI > (Lbl, LBody)."""
    for entry in accessible(shipped_build):
        if entry["kind"] != "brochure":
            continue
        source = source_of(entry)
        names = [e["name"] for s in source["sections"].values() for e in s.get("entries", [])]
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            pairs = [
                [role(kid) for kid in kids(e)]
                for e in elements(pdf)
                if role(e) == "/LI" and len(kids(e)) == 2 and role(kids(e)[1]) == "/LBody"
            ]
        # a booklet has every entry; other layouts may cut a section short
        wanted = len(names) if entry["layout"] == "booklet" else 1
        assert pairs.count(["/Lbl", "/LBody"]) >= wanted > 0, entry["path"]


def test_tables_have_header_cells_that_data_cells_point_to(shipped_build: Path) -> None:
    for entry in accessible(shipped_build):
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            tree = list(elements(pdf))
            tables = [e for e in tree if role(e) == "/Table"]
            assert tables, f"{entry['path']}: the contact table is a table"
            header_ids = {str(e.ID) for e in tree if role(e) == "/TH"}
            assert header_ids, entry["path"]
            for cell in (e for e in tree if role(e) == "/TD"):
                headers = {str(h) for h in cell.A.get("/Headers", [])}
                assert headers <= header_ids, entry["path"]
            if entry["kind"] == "intake":
                assert any("/THead" in {role(k) for k in kids(t)} for t in tables), entry["path"]


def test_every_link_is_tagged_and_described(shipped_build: Path) -> None:
    for entry in accessible(shipped_build):
        sources = [" ".join(r["citation"].split()) for r in source_of(entry).get("references", [])]
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            held = tagged_annotations(pdf)
            for link in annotations(pdf, "/Link"):
                assert held.get(link.objgen) == "/Link", entry["path"]
                description = str(link.get("/Contents", ""))
                target = str(link.A.URI) if "/A" in link else str(link.get("/Dest", ""))
                assert description.strip(), entry["path"]
                assert description != target, f"{entry['path']}: link described by its raw target"
                assert not description.startswith(("ref-", "mailto:")), entry["path"]
                if "/Dest" in link:  # a citation: "[2] Author et al. Journal ..."
                    assert re.match(r"\[\d+\] ", description), description
                    assert description.split("] ", 1)[1] in sources, description


def test_every_form_field_is_tagged_and_named(shipped_build: Path) -> None:
    for entry in accessible(shipped_build):
        if entry["kind"] != "intake":
            continue
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            widgets = annotations(pdf, "/Widget")
            held = tagged_annotations(pdf)
            assert len(widgets) > 20, entry["path"]
            for widget in widgets:
                assert held.get(widget.objgen) == "/Form", entry["path"]
                field = widget.Parent if "/Parent" in widget else widget
                assert str(field.get("/TU", "")).strip(), f"{entry['path']}: field {field.get('/T')}"
            assert all(page.get("/Tabs") == "/S" for page in pdf.pages if "/Annots" in page)


def unicode_map(font: pikepdf.Dictionary) -> dict[int, str]:
    cmap = font.ToUnicode.read_bytes().decode("ascii")
    return {
        int(code, 16): bytes.fromhex(text).decode("utf-16-be")
        for code, text in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", cmap)
    }


def test_every_character_drawn_has_a_unicode_value(shipped_build: Path) -> None:
    """A font used by form fields is embedded whole; the tabular figures of list
    numbers drawn with it still map to text, so "1." is read, not skipped."""
    for entry in accessible(shipped_build):
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                fonts = {name: unicode_map(font) for name, font in page.Resources.Font.items()}
                font, missing = None, set()
                for operands, operator in pikepdf.parse_content_stream(page, "Tf TJ Tj"):
                    if str(operator) == "Tf":
                        font = fonts[str(operands[0])]
                        continue
                    strings = operands[0] if str(operator) == "TJ" else operands
                    for string in (bytes(s) for s in strings if isinstance(s, pikepdf.String)):
                        codes = {int.from_bytes(string[i : i + 2], "big") for i in range(0, len(string), 2)}
                        missing |= {code for code in codes if not font.get(code, "").strip("\x00")}
                assert not missing, f"{entry['path']} page {number}: glyphs {sorted(missing)} have no text"


LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">
<rect width="120" height="40" fill="#1d4f73"/></svg>
"""


def test_a_logo_is_a_figure_with_its_alternative_text(content: Path, tmp_path: Path) -> None:
    """Also: a document without keywords takes its topic as keywords (`alpha` has none)."""
    write(content / "logo.svg", LOGO)
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "logo: logo.svg\nlogo_alt: Test Clinic, a blue bar\n")
    output = tmp_path / "o"
    assert build(BuildSettings(content=content, output=output)).exit_code == 0
    for entry in accessible(output):
        pdf_path = output / entry["path"]
        with pikepdf.open(pdf_path) as pdf:
            figures = [e for e in elements(pdf) if role(e) == "/Figure"]
            assert figures, entry["path"]
            assert {str(figure.Alt) for figure in figures} == {"Test Clinic, a blue bar"}
            assert str(pdf.docinfo.Keywords) == "alpha"
        report = validate_pdf(pdf_path, profile=ValidationProfile.PDF_UA_1)
        assert report.is_compliant, sorted({f.rule_id for f in report.failures})


# --- Metadata -----------------------------------------------------------------------------


def xmp(pdf: pikepdf.Pdf) -> ET.Element:
    return ET.fromstring(pdf.Root.Metadata.read_bytes())


def test_metadata_title_author_subject_keywords_language(shipped_build: Path) -> None:
    for entry in accessible(shipped_build):
        source = source_of(entry)
        purpose = " ".join(source["purpose"].split())
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            info = pdf.docinfo
            assert str(info.Title) == entry["title"] == source["title"]
            assert str(info.Author) == CLINIC["name"]
            assert " ".join(str(info.Subject).split()) == purpose
            assert str(info.Keywords) == ", ".join(source["keywords"])
            assert str(pdf.Root.Lang) == entry["language"]
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            metadata = xmp(pdf)
        assert metadata.find(".//rdf:Description[@pdfuaid:part='1']", XMP) is not None
        assert metadata.findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=XMP) == entry["title"]
        assert [li.text for li in metadata.iterfind(".//dc:creator/rdf:Seq/rdf:li", XMP)] == [CLINIC["name"]]
        assert metadata.findtext(".//pdf:Keywords", namespaces=XMP) == ", ".join(source["keywords"])


def every_object(pdf_path: Path) -> bytes:
    """The file's raw bytes, then every object decoded (object streams, compressed
    streams), except embedded font programs, which are binary glyph data."""
    parts = [pdf_path.read_bytes()]
    with pikepdf.open(pdf_path) as pdf:
        fonts = set()
        for item in pdf.objects:
            if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/FontDescriptor":
                fonts |= {item[k].objgen for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in item}
        parts.append(pdf.trailer.unparse())
        for item in pdf.objects:
            if isinstance(item, pikepdf.Stream):
                parts.append(item.stream_dict.unparse())
                if item.objgen not in fonts:
                    parts.append(item.read_bytes())
            elif isinstance(item, pikepdf.Object):
                parts.append(item.unparse())
    return b"\n".join(parts)


def test_no_machine_path_user_name_or_build_date_anywhere(shipped_build: Path) -> None:
    content_dates = set()
    for path in CONTENT_DIR.glob("*/*.yaml"):
        review = yaml.safe_load(path.read_text()).get("review", {})
        content_dates |= {review[k] for k in ("last_reviewed", "next_review") if k in review}
    assert content_dates
    today = dt.date.today()
    forbidden = [b"/tmp/", b"/work/", b"/root/", b"/home/", b"file://", str(shipped_build).encode()]
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        user = ""
    if len(user) >= 3:  # shorter names turn up in any text
        forbidden.append(user.encode())
    if today not in content_dates:
        forbidden += [today.strftime("D:%Y%m%d").encode(), today.isoformat().encode()]
    for entry in manifest(shipped_build):
        data = every_object(shipped_build / entry["path"])
        assert [needle for needle in forbidden if needle in data] == [], entry["path"]
        pdf_dates = {
            dt.datetime.strptime(d.decode(), "%Y%m%d").date() for d in re.findall(rb"D:(\d{8})", data)
        }
        iso_dates = {dt.date.fromisoformat(d.decode()) for d in re.findall(rb"\b(\d{4}-\d\d-\d\d)\b", data)}
        assert pdf_dates | iso_dates <= content_dates, entry["path"]


def test_author_is_the_clinic_and_producer_names_no_person(shipped_build: Path) -> None:
    for entry in manifest(shipped_build):
        with pikepdf.open(shipped_build / entry["path"]) as pdf:
            info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        assert info["/Author"] == CLINIC["name"]
        assert set(info) <= {"/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer"} | {
            "/CreationDate",
            "/ModDate",
            "/handoutsdocument",
            "/handoutsversion",
        }
        # Which document and content version: `handouts read` matches a filled leaflet by these.
        assert entry["id"].startswith(info["/handoutsdocument"])
        assert re.fullmatch(r"\d+\.\d+(\.\d+)?", info["/handoutsversion"])
        assert info["/Creator"] == "handouts"
        assert info["/Producer"].startswith("WeasyPrint ")


# --- Size ----------------------------------------------------------------------------------


def test_every_file_but_print_shop_is_within_its_size_budget(shipped_build: Path) -> None:
    checked = 0
    for entry in manifest(shipped_build):
        if entry["variant"] == PRINT_SHOP:
            continue
        size = (shipped_build / entry["path"]).stat().st_size
        assert size == entry["bytes"]
        budget = INTAKE_SIZE_BUDGET if entry["kind"] == "intake" else SIZE_BUDGET
        assert size <= budget, f"{entry['path']}: {size} bytes"
        checked += 1
    assert checked >= 8
