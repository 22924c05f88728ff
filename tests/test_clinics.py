"""Clinics never mix: every PDF is recorded as built for one clinic profile; a build
refuses an output folder holding another clinic's handouts unless told to replace them,
and the email command refuses a PDF built for another profile."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from handouts.cli import main
from handouts.reader import display_path
from tests.support import page_texts


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def second_clinic(content: Path, tmp_path: Path) -> Path:
    """The same brochure, handed out by another clinic."""
    other = tmp_path / "northbank"
    shutil.copytree(content, other)
    clinic = other / "clinic.yaml"
    clinic.write_text(
        clinic.read_text()
        .replace("id: test-clinic", "id: northbank")
        .replace("Test Clinic", "Northbank Clinic")
    )
    return other


def manifest(output: Path) -> list[dict]:
    return json.loads((output / "manifest.json").read_text())["documents"]


def test_the_manifest_records_the_clinic_of_every_file(capsys, content: Path, tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-booklet-a4"
    )
    assert code == 0, err
    assert [entry["clinic"] for entry in manifest(tmp_path / "o")] == ["test-clinic"]


def test_a_build_refuses_a_folder_with_another_clinics_handouts(
    capsys, content: Path, second_clinic: Path, tmp_path: Path
) -> None:
    output = tmp_path / "o"
    assert (
        run(capsys, "--content", str(content), "--output", str(output), "--only", "alpha-booklet-a4")[0] == 0
    )
    before = (output / "Alpha-Brochure-A4.pdf").read_bytes()
    code, _, err = run(
        capsys, "--content", str(second_clinic), "--output", str(output), "--only", "alpha-booklet-a4"
    )
    assert code == 2
    assert err.splitlines() == [
        f"error: {output} holds handouts built for clinic 'test-clinic', not 'northbank'; "
        "build into another --output, or add --replace-other-clinic to remove them"
    ]
    assert (output / "Alpha-Brochure-A4.pdf").read_bytes() == before
    assert [entry["clinic"] for entry in manifest(output)] == ["test-clinic"]


def test_replacing_another_clinics_handouts_leaves_only_this_clinics(
    capsys, content: Path, second_clinic: Path, tmp_path: Path
) -> None:
    output = tmp_path / "o"
    both = ["--only", "alpha-booklet-a4", "--only", "alpha-booklet-letter"]
    assert run(capsys, "--content", str(content), "--output", str(output), *both)[0] == 0
    code, _, err = run(
        capsys, "--content", str(second_clinic), "--output", str(output), "--only", "alpha-booklet-a4",
        "--replace-other-clinic",
    )  # fmt: skip
    assert code == 0, err
    assert [(entry["path"], entry["clinic"]) for entry in manifest(output)] == [
        ("Alpha-Brochure-A4.pdf", "northbank")
    ]
    assert not (output / "Alpha-Brochure-Letter.pdf").exists()
    assert "Northbank Clinic" in " ".join(page_texts(output / "Alpha-Brochure-A4.pdf"))


def test_email_refuses_a_pdf_built_for_another_clinic(
    capsys, content: Path, second_clinic: Path, tmp_path: Path
) -> None:
    output = tmp_path / "o"
    assert (
        run(capsys, "--content", str(content), "--output", str(output), "--only", "alpha-booklet-letter")[0]
        == 0
    )
    code, _, err = run(
        capsys, "email", "--to", "patient@example.org", "--content", str(second_clinic), "--output", str(output),
        "--draft", str(tmp_path / "d.eml"), "alpha-booklet-letter",
    )  # fmt: skip
    assert code == 2
    assert err == (
        "error: Alpha-Brochure-Letter.pdf was built for clinic 'test-clinic', not 'northbank'; "
        "build it with this clinic profile first\n"
    )
    assert not (tmp_path / "d.eml").exists()


def test_a_clinic_outside_the_us_names_its_own_crisis_and_emergency_lines(
    capsys, content: Path, tmp_path: Path
) -> None:
    clinic = content / "clinic.yaml"
    clinic.write_text(
        clinic.read_text()
        + "locale: en-GB\ncrisis:\n  lines:\n    - {number: 116 123, reach: [call], service: Samaritans}\n"
    )
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{display_path(clinic)}:11: crisis: a clinic in GB (locale en-GB) gives its own crisis "
        "emergency (the defaults are the US's 988 and 911)"
    )
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.pdf"))
    clinic.write_text(clinic.read_text() + '  emergency: "999"\n')
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-booklet-a4"
    )
    assert code == 0, err
    assert "999" in " ".join(page_texts(tmp_path / "o" / "Alpha-Brochure-A4.pdf"))


def test_the_earlier_crisis_shape_says_what_to_write_now(capsys, content: Path, tmp_path: Path) -> None:
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + 'crisis:\n  country: GB\n  call_or_text: "116 123"\n')
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{display_path(clinic)}:10: crisis: crisis lines are now `lines:` (each with number, "
        "reach: [call, text], service) and `emergency`; the country comes from the profile's "
        "`locale` (e.g. en-GB)"
    )


def test_a_raster_logo_is_flagged_for_print_shop_files(capsys, content: Path, tmp_path: Path) -> None:
    from tests.test_hostile_input import png

    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "logo: logo.png\nlogo_alt: Test Clinic\n")
    (content / "logo.png").write_bytes(png(40, 20))
    code, _, err = run(
        capsys,
        "--content",
        str(content),
        "--output",
        str(tmp_path / "o"),
        "--only",
        "alpha-booklet-a4-print-shop",
    )
    assert code == 0, err
    assert (
        f"{display_path(clinic)}:10: logo: 'logo.png' is a raster image, so print-shop files keep it "
        "in RGB while every other colour is CMYK; give an SVG logo, or ask the print shop to convert it"
    ) in err
