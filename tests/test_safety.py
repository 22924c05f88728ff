"""Content is untrusted text: no markup, template code, CSS or file access gets through."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML

from handouts.build import BuildSettings, build
from handouts.paths import STYLES_DIR, TEMPLATES_DIR
from handouts.typeset.fetcher import AssetFetcher, ResourceRefused
from handouts.typeset.typesetter import strict_weasyprint
from handouts.writer import UnsafeOutputPath, write_atomic
from tests.support import page_texts


@pytest.fixture
def fetcher(content: Path) -> AssetFetcher:
    return AssetFetcher([TEMPLATES_DIR, STYLES_DIR, content])


def test_fetcher_serves_our_own_fonts(fetcher: AssetFetcher) -> None:
    font = STYLES_DIR / "fonts" / "atkinson-hyperlegible-latin-400-normal.ttf"
    response = fetcher.fetch(font.as_uri())
    assert response.read() == font.read_bytes()
    assert response.content_type == "font/ttf"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tracker.png",
        "http://127.0.0.1/x.css",
        "ftp://example.org/x",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
    ],
)
def test_fetcher_refuses_network_and_foreign_files(fetcher: AssetFetcher, url: str) -> None:
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)


def test_fetcher_refuses_traversal_out_of_an_allowed_folder(fetcher: AssetFetcher) -> None:
    sneaky = (STYLES_DIR / "fonts").as_uri() + "/../../../../../etc/passwd"
    with pytest.raises(ResourceRefused):
        fetcher.fetch(sneaky)


def test_fetcher_refuses_a_symlink_pointing_outside(
    fetcher: AssetFetcher, content: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("patient list")
    (content / "innocent.png").symlink_to(secret)
    with pytest.raises(ResourceRefused):
        fetcher.fetch((content / "innocent.png").as_uri())


def test_weasyprint_with_our_fetcher_loads_nothing_from_outside(
    fetcher: AssetFetcher, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.css"
    outside.write_text("body { color: red }")
    html = f'<link rel="stylesheet" href="{outside.as_uri()}"><img src="https://example.org/a.png"><p>x</p>'
    with strict_weasyprint() as collected:
        HTML(string=html, url_fetcher=fetcher, base_url=TEMPLATES_DIR.as_uri() + "/").render()
    assert len(collected.messages) == 2
    assert all("outside the template" in m or "only local asset files" in m for m in collected.messages)


def test_content_cannot_inject_markup_template_code_or_css(content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    hostile = (
        '\'<img src="file:///etc/passwd"><style>body{display:none}</style>'
        "{{ 7 * 7 }} </p><script>alert(1)</script>'"
    )
    alpha.write_text(alpha.read_text().replace("      - It is a talk therapy.", f"      - {hostile}"))
    output = tmp_path / "out"
    report = build(BuildSettings(content=content, output=output))
    assert report.exit_code == 0, report.internal_errors
    text = "".join(" ".join(page_texts(output / "Alpha-Brochure-Letter.pdf")).split())
    assert (
        '<imgsrc="file:///etc/passwd"><style>body{display:none}</style>{{7*7}}</p><script>alert(1)</script>'
        in text
    )
    assert "49" not in text


def test_writer_refuses_names_that_leave_the_output_folder(tmp_path: Path) -> None:
    for name in ("../escape.pdf", "/tmp/escape.pdf", "sub/dir.pdf", ""):
        with pytest.raises(UnsafeOutputPath):
            write_atomic(tmp_path / "out", name, b"%PDF")
    assert not (tmp_path / "escape.pdf").exists()


def test_written_file_appears_whole(tmp_path: Path) -> None:
    target = write_atomic(tmp_path, "a.pdf", b"%PDF-1.7 whole")
    assert target.read_bytes() == b"%PDF-1.7 whole"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
