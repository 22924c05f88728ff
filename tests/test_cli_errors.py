"""Content mistakes: located messages, exit codes, and the other documents still built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handouts.cli import main
from handouts.reader import display_path
from tests.support import BROCHURE_YAML, write


def booklets(name: str) -> list[str]:
    """The file names of one brochure's booklets: every variant on both papers."""
    variants = ["", "-Large-Print", "-Print-Shop", "-Trifold", "-Trifold-Print-Shop"]
    return sorted(
        f"{name}-Brochure{variant}-{paper}.pdf" for variant in variants for paper in ("A4", "Letter")
    )


def visible(folder: Path) -> list[str]:
    """What a clinic sees in the output folder (the build's cache file is hidden)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def build(capsys: pytest.CaptureFixture[str], content: Path, output: Path) -> tuple[int, str, str]:
    return run(capsys, "--content", str(content), "--output", str(output))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_valid_content_builds_and_exits_0(capsys, content: Path, tmp_path: Path) -> None:
    code, out, err = build(capsys, content, tmp_path / "out")
    assert code == 0, err
    assert visible(tmp_path / "out") == [*booklets("Alpha"), "index.html", "manifest.json", "thumbnails"]
    assert "10 built" in out


def test_unknown_field_is_reported_with_file_line_and_field(capsys, content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    replace_in(
        alpha,
        "  goals:\n    role: goals\n    heading: What are the goals?\n",
        "  goals:\n    role: goals\n    heading: What are the goals?\n    colour: red\n",
    )
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    assert (
        f"{display_path(alpha)}:29: sections.goals.colour: unknown field; allowed here: heading, paragraphs, "
        "entries, bullets, closing, diagram, sources, role" in err.splitlines()
    )
    assert "Traceback" not in err


def test_missing_field_and_bad_pmid_are_all_reported_at_once(capsys, content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    replace_in(alpha, "summary: Test therapy helps you talk about your feelings.\n", "")
    replace_in(alpha, 'pmid: "28541091"', 'pmid: "PMID 28541091"')
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    lines = err.splitlines()
    shown = display_path(alpha)
    assert f"{shown}:1: summary: required field is missing" in lines
    assert f"{shown}:44: references[0].pmid: a PubMed id is digits only, e.g. '28541091'" in lines


def test_number_where_text_is_expected_suggests_quotes(capsys, content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    replace_in(alpha, 'version: "1.0"', "version: 1.0")
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    assert f"{display_path(alpha)}:19: version: expected text, got 1.0; put the value in quotes" in err


def test_yaml_syntax_error_is_located(capsys, content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    replace_in(alpha, "  - You meet once a week.\n", "  - You meet: [once a week\n")
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    assert err.startswith(f"{display_path(alpha)}:")
    assert "YAML syntax" in err.splitlines()[0]


def test_duplicate_key_is_an_error(capsys, content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    replace_in(alpha, "therapy: Test therapy\n", "therapy: Test therapy\ntherapy: Other therapy\n")
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    assert f"{display_path(alpha)}:6: therapy: duplicate key; first given on line 5" in err


def test_citation_of_unknown_reference_and_unused_reference(capsys, content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    replace_in(alpha, "sources: [steinert-2017]", "sources: [steinert-2018]")
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    shown = display_path(alpha)
    assert (
        f"{shown}:36: sections.evidence.sources[0]: no reference with key 'steinert-2018' in references"
        in err
    )
    assert (
        f"{shown}:43: references[0].key: reference 'steinert-2017' is never cited in a section's sources"
        in err
    )


def test_one_bad_file_does_not_stop_the_others(capsys, content: Path, tmp_path: Path) -> None:
    write(content / "brochures" / "beta.yaml", BROCHURE_YAML.format(id="beta", title="Beta therapy"))
    replace_in(content / "brochures" / "alpha.yaml", "title: Alpha therapy", "title:")
    output = tmp_path / "out"
    code, _, err = build(capsys, content, output)
    assert code == 1
    assert "alpha.yaml:4: title: Input should be a valid string" in err
    assert visible(output) == [*booklets("Beta"), "index.html", "manifest.json", "thumbnails"]


def test_an_id_cannot_name_a_path(capsys, content: Path, tmp_path: Path) -> None:
    replace_in(content / "brochures" / "alpha.yaml", "id: alpha", "id: ../../escape")
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    assert (
        "alpha.yaml:2: id: use lower-case letters and digits in words joined by hyphens, e.g. 'psychodynamic-therapy'"
        in err
    )
    assert not list(tmp_path.rglob("*.pdf"))


def test_brand_colour_with_poor_contrast_is_named(capsys, content: Path, tmp_path: Path) -> None:
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "brand:\n  primary: '#8fb3d9'\n")
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    assert (
        f"{display_path(clinic)}:11: brand.primary: headings and links: primary #8fb3d9 on paper #ffffff has contrast"
        in err
    )
    assert "needs 4.5:1" in err


def test_missing_logo_file(capsys, content: Path, tmp_path: Path) -> None:
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "logo: logo.png\nlogo_alt: Test Clinic logo\n")
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    assert f"{display_path(clinic)}:10: logo: 'logo.png' is not in the content folder" in err


def test_stray_yaml_file_is_reported(capsys, content: Path, tmp_path: Path) -> None:
    stray = write(content / "notes.yaml", "a: 1\n")
    code, _, err = build(capsys, content, tmp_path / "out")
    assert code == 1
    assert f"{display_path(stray)}: not a known content file; put documents in one of: brochures/" in err


def test_failed_rebuild_keeps_the_previous_good_file_whole(capsys, content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    assert build(capsys, content, output)[0] == 0
    before = (output / "Alpha-Brochure-Letter.pdf").read_bytes()
    replace_in(content / "brochures" / "alpha.yaml", 'version: "1.0"', "version: one")
    assert build(capsys, content, output)[0] == 1
    assert (output / "Alpha-Brochure-Letter.pdf").read_bytes() == before
    assert not [p for p in output.iterdir() if p.name.startswith(".partial")]


def test_only_builds_the_named_document_or_output(capsys, content: Path, tmp_path: Path) -> None:
    write(content / "brochures" / "beta.yaml", BROCHURE_YAML.format(id="beta", title="Beta therapy"))
    output = tmp_path / "out"
    code, _, _ = run(capsys, "--content", str(content), "--output", str(output), "--only", "beta-booklet-a4")
    assert code == 0
    assert sorted(p.name for p in output.glob("*.pdf")) == ["Beta-Brochure-A4.pdf"]
    code, _, _ = run(capsys, "--content", str(content), "--output", str(output), "--only", "alpha")
    assert code == 0
    assert sorted(p.name for p in output.glob("*.pdf")) == sorted(
        [*booklets("Alpha"), "Beta-Brochure-A4.pdf"]
    )
    ids = [d["id"] for d in json.loads((output / "manifest.json").read_text())["documents"]]
    assert ids == [
        "alpha-booklet-a4",
        "alpha-booklet-a4-large-print",
        "alpha-booklet-a4-print-shop",
        "alpha-booklet-letter",
        "alpha-booklet-letter-large-print",
        "alpha-booklet-letter-print-shop",
        "alpha-trifold-a4",
        "alpha-trifold-a4-print-shop",
        "alpha-trifold-letter",
        "alpha-trifold-letter-print-shop",
        "beta-booklet-a4",
    ]


def test_only_with_unknown_id_is_a_usage_error(capsys, content: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "gamma")
    assert code == 2
    assert "error: no document or output with id 'gamma'" in err


def test_help_lists_the_commands_and_each_command_has_its_own(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    top = capsys.readouterr().out
    for command in ("build", "schema", "email", "init"):
        assert f"    {command} " in top
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--help"])
    assert exit_info.value.code == 0
    assert "--content DIR" in capsys.readouterr().out


def test_options_alone_mean_build(capsys, content: Path, tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-booklet-a4"
    )
    assert code == 0
    assert "1 built" in out
    code, out, _ = run(
        capsys,
        "build",
        "--content",
        str(content),
        "--output",
        str(tmp_path / "o"),
        "--only",
        "alpha-booklet-a4",
    )
    assert code == 0
    assert "1 unchanged" in out


def test_missing_content_folder(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--content", str(tmp_path / "nowhere"), "--output", str(tmp_path / "o"))
    assert code == 2
    assert "content folder not found" in err
