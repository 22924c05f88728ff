"""scripts/compare_pages.py, which decides whether a speed change to the templates keeps
every page the same: it passes identical builds and names each kind of difference."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pikepdf
import pytest
from weasyprint import HTML

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "compare_pages.py"
PAGE = """<!doctype html><html lang="en"><head><title>Form</title></head><body>
<h1>Your details</h1><p>Write your name.</p>
<label>Full name <input type="text" name="full_name" title="Full name"></label>
</body></html>"""

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")


def _compare_pages():
    spec = importlib.util.spec_from_file_location("compare_pages", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    before, after = tmp_path_factory.mktemp("before"), tmp_path_factory.mktemp("after")
    HTML(string=PAGE).write_pdf(before / "form.pdf", pdf_variant="pdf/ua-1", pdf_forms=True)
    return before, after


def test_identical_builds_pass(builds: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    before, after = builds
    shutil.copy(before / "form.pdf", after / "form.pdf")
    assert _compare_pages().main([str(before), str(after)]) == 0
    assert "1 PDFs compared at 150 dpi: 0 different, 1 identical" in capsys.readouterr().out


def test_a_changed_pixel_field_and_tag_are_each_named(builds: tuple[Path, Path]) -> None:
    before, after = builds
    with pikepdf.open(before / "form.pdf") as pdf:
        pdf.pages[0].contents_add(pdf.make_stream(b"q 0 0 1 rg 100 100 2 2 re f Q"))
        pdf.Root.AcroForm.Fields[0].TU = pikepdf.String("Your name")
        kids = pdf.Root.StructTreeRoot.K
        (kids[0] if isinstance(kids, pikepdf.Array) else kids).S = pikepdf.Name("/Part")
        pdf.save(after / "form.pdf")
    problems = _compare_pages().compare(before / "form.pdf", after / "form.pdf")
    assert [problem.split(":")[0] for problem in problems] == [
        "pixels differ at 150 dpi on page(s) 1",
        "form fields",
        "tag tree",
    ]
    assert "'Full name'" in problems[1] and "'Your name'" in problems[1]


def test_a_file_only_one_build_has_is_a_difference(
    builds: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = builds
    shutil.copy(before / "form.pdf", after / "form.pdf")
    shutil.copy(before / "form.pdf", after / "extra.pdf")
    try:
        assert _compare_pages().main([str(before), str(after)]) == 1
    finally:
        (after / "extra.pdf").unlink()
    assert "extra.pdf: DIFFERENT" in capsys.readouterr().out
