"""`handouts init DIR` starts a clinic's own content folder; a profile marked as a sample
(the shipped one, and the one init writes) prints "Sample - not for patients" on every
page and warns, so it can never be handed out by mistake."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest

from handouts.cli import main
from handouts.reader import display_path
from tests.support import CLINIC_YAML, page_texts, write

SAMPLE_MARK = "SAMPLE - NOT FOR PATIENTS"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_writes_a_content_folder_that_builds_marked_as_a_sample(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "our-clinic"
    code, out, _ = run(capsys, "init", str(folder))
    assert code == 0
    written = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    assert written == [
        "README.md",
        "brochures/psychodynamic-therapy.yaml",
        "clinic.yaml",
        "intake/psychodynamic-therapy.yaml",
        "schema/brochure.schema.json",
        "schema/clinic.schema.json",
        "schema/intake.schema.json",
        "schema/strings.schema.json",
    ]
    assert f"Next: edit {display_path(folder / 'clinic.yaml')}" in out
    assert "sample: true" in (folder / "clinic.yaml").read_text()

    output = tmp_path / "out"
    code, out, err = run(
        capsys,
        "build",
        "--content",
        str(folder),
        "--output",
        str(output),
        "--only",
        "psychodynamic-therapy-booklet-letter",
    )
    assert code == 0, err
    clinic = display_path(folder / "clinic.yaml")
    assert (
        f"{clinic}:8: sample: this profile is marked as a sample, so every page says 'Sample - not for patients'"
        in err
    )
    pdf = output / "Psychodynamic-Therapy-Brochure-Letter.pdf"
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert all(SAMPLE_MARK in text for text in pages)


def test_init_never_writes_over_a_clinics_files(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "our-clinic"
    (folder / "brochures").mkdir(parents=True)
    code, _, err = run(capsys, "init", str(folder))
    assert code == 2
    assert err == f"error: {folder} already exists and is not an empty folder; name a new one\n"
    assert not (folder / "clinic.yaml").exists()


def test_a_finished_profile_prints_no_sample_mark_and_no_warning(
    capsys, content: Path, tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-trifold-letter"
    )
    assert code == 0
    assert "sample" not in err
    assert all(
        SAMPLE_MARK not in text.upper()
        for text in page_texts(tmp_path / "o" / "Alpha-Brochure-Trifold-Letter.pdf")
    )


@pytest.mark.parametrize("only", ["alpha-trifold-letter", "alpha-booklet-a4-large-print"])
def test_a_sample_profile_marks_every_page_of_every_layout(
    capsys, content: Path, tmp_path: Path, only: str
) -> None:
    write(content / "clinic.yaml", "sample: true\n" + CLINIC_YAML)
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", only)
    assert code == 0, err
    entry = json.loads((tmp_path / "o" / "manifest.json").read_text())["documents"][0]
    reader = pypdf.PdfReader(tmp_path / "o" / entry["path"])
    assert all(SAMPLE_MARK in (page.extract_text() or "") for page in reader.pages)
    assert SAMPLE_MARK not in str(reader.metadata)  # the mark is on the page, not in the title
