"""Fast batch builds: unchanged documents are skipped, changed inputs rebuild exactly
what uses them, a worker pool gives the same bytes as one process, and a document that
fails inside a worker is reported with its location while the others build."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handouts.build import BuildReport, BuildSettings, build
from handouts.paths import STYLES_DIR, TEMPLATES_DIR
from handouts.reader import display_path
from tests.support import BROCHURE_YAML, write

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def two_topics(content: Path) -> Path:
    write(content / "brochures" / "beta.yaml", BROCHURE_YAML.format(id="beta", title="Beta therapy"))
    return content


def run(content: Path, output: Path, **options: object) -> BuildReport:
    report = build(BuildSettings(content=content, output=output, **{"jobs": 2, **options}))
    assert report.exit_code == 0, (report.problems, report.internal_errors)
    return report


def topics(entries: list) -> set[str]:
    return {entry.topic for entry in entries}


def manifest_ids(output: Path) -> list[str]:
    return [d["id"] for d in json.loads((output / "manifest.json").read_text())["documents"]]


def test_nothing_changed_rebuilds_nothing(two_topics: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    first = run(two_topics, output)
    assert len(first.built) == 20 and not first.unchanged
    before = {p.name: p.read_bytes() for p in output.glob("*.pdf")}
    second = run(two_topics, output)
    assert second.built == [] and len(second.unchanged) == 20
    assert {p.name: p.read_bytes() for p in output.glob("*.pdf")} == before
    assert manifest_ids(output) == sorted(e.id for e in first.built)


def test_force_rebuilds_everything(two_topics: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    run(two_topics, output)
    assert len(run(two_topics, output, force=True).built) == 20


def test_editing_one_topic_rebuilds_only_its_documents(two_topics: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    run(two_topics, output)
    alpha = two_topics / "brochures" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text().replace("It is a talk therapy.", "It is a talk therapy with a therapist.")
    )
    report = run(two_topics, output)
    assert topics(report.built) == {"alpha"} and len(report.built) == 10
    assert topics(report.unchanged) == {"beta"} and len(report.unchanged) == 10


def test_editing_a_shared_template_rebuilds_every_document_that_uses_it(
    two_topics: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    output = tmp_path / "out"
    run(two_topics, output, templates=templates)
    base = templates / "base.html"
    base.write_text(base.read_text() + "{# touched #}\n")
    assert len(run(two_topics, output, templates=templates).built) == 20


def test_a_stylesheet_rebuilds_only_the_layouts_that_use_it(two_topics: Path, tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES_DIR, styles)
    output = tmp_path / "out"
    run(two_topics, output, styles=styles)
    trifold = styles / "trifold.css"
    trifold.write_text(trifold.read_text() + "\n/* touched */\n")
    report = run(two_topics, output, styles=styles)
    assert {e.layout for e in report.built} == {"trifold"} and len(report.built) == 8
    assert {e.layout for e in report.unchanged} == {"booklet"}


def test_a_removed_topic_leaves_the_output_folder_and_the_manifest(two_topics: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    run(two_topics, output)
    assert list(output.glob("Beta-*.pdf"))
    (two_topics / "brochures" / "beta.yaml").unlink()
    report = run(two_topics, output)
    assert len(report.removed) == 10
    assert not list(output.glob("Beta-*.pdf"))
    assert not [i for i in manifest_ids(output) if i.startswith("beta-")]
    assert len(manifest_ids(output)) == 10


def test_a_topic_with_content_errors_keeps_its_last_good_files(two_topics: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    run(two_topics, output)
    beta = two_topics / "brochures" / "beta.yaml"
    beta.write_text(beta.read_text().replace("title: Beta therapy", "title:"))
    report = build(BuildSettings(content=two_topics, output=output, jobs=2))
    assert report.exit_code == 1 and report.removed == []
    assert len(list(output.glob("Beta-*.pdf"))) == 10
    assert len(manifest_ids(output)) == 20


def test_a_worker_pool_writes_the_same_bytes_as_one_process(two_topics: Path, tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(BuildSettings(content=two_topics, output=serial, jobs=1))
    build(BuildSettings(content=two_topics, output=parallel, jobs=2))
    names = sorted(p.name for p in serial.glob("*.pdf"))
    assert names == sorted(p.name for p in parallel.glob("*.pdf")) and len(names) == 20
    for name in [*names, "manifest.json"]:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


def test_a_document_failing_inside_a_worker_is_located_and_the_others_build(
    content: Path, tmp_path: Path
) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    word = "Psychodynamicpsychotherapyfortherapistsandpatientsalike"
    alpha.write_text(alpha.read_text().replace("It is a talk therapy.", f"It is a talk therapy. {word}."))
    output = tmp_path / "out"
    report = build(BuildSettings(content=content, output=output, jobs=2))
    assert report.exit_code == 1
    messages = sorted(str(problem) for problem in report.problems)
    assert len(messages) == 4 and len(report.failed) == 4
    line = alpha.read_text().splitlines().index(f"      - It is a talk therapy. {word}.") + 1
    where = f"{display_path(alpha)}:{line}: sections.what_it_is.paragraphs[0]: trifold panel 'inside-left': "
    assert all(m.startswith(where) and m.endswith("a word too long for the panel") for m in messages), (
        messages
    )
    assert sorted(p.name for p in output.glob("*.pdf")) == sorted(
        f"Alpha-Brochure{variant}-{paper}.pdf"
        for variant in ("", "-Large-Print", "-Print-Shop")
        for paper in ("A4", "Letter")
    )


def _weasyprint_imported_by_cli(*args: str) -> tuple[int, bool, str]:
    script = (
        "import sys\nfrom handouts.cli import main\n"
        f"code = main({list(args)!r})\nprint('WEASYPRINT', 'weasyprint' in sys.modules, code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT, check=True
    )
    marker = done.stdout.strip().splitlines()[-1].split()
    return int(marker[2]), marker[1] == "True", done.stdout


def test_a_no_change_rebuild_does_no_layout_and_does_not_import_weasyprint(
    content: Path, tmp_path: Path
) -> None:
    args = ["--content", str(content), "--output", str(tmp_path / "out"), "--jobs", "2"]
    code, imported, _ = _weasyprint_imported_by_cli(*args)
    assert code == 0
    code, imported, stdout = _weasyprint_imported_by_cli(*args)
    assert (code, imported) == (0, False)
    assert "0 built, 10 unchanged, 0 failed, 0 removed" in stdout
    # The same holds when the quick check cannot answer (a partial build): the cache does.
    only = [*args, "--only", "alpha-booklet-letter"]
    code, imported, stdout = _weasyprint_imported_by_cli(*only)
    assert (code, imported) == (0, False)
    assert "0 built, 1 unchanged" in stdout


def test_progress_is_plain_lines_when_not_a_terminal(content: Path, tmp_path: Path) -> None:
    args = ["--content", str(content), "--output", str(tmp_path / "out"), "--only", "alpha-booklet-letter"]
    _, _, stdout = _weasyprint_imported_by_cli(*args)
    lines = stdout.splitlines()
    assert lines[0] == "[1/1] built Alpha-Brochure-Letter.pdf"
    assert lines[1].startswith("1 built, 0 unchanged, 0 failed, 0 removed in ")


def test_a_build_in_this_process_leaves_the_garbage_collector_as_it_was(
    content: Path, tmp_path: Path
) -> None:
    """A one-job build runs in the caller's process, which switches collection off during
    each document and freezes what lives for the build: both are undone at the end."""
    report = build(
        BuildSettings(content=content, output=tmp_path / "out", only=["alpha-booklet-letter"], jobs=1)
    )
    assert len(report.built) == 1
    assert gc.isenabled() and gc.get_freeze_count() == 0


def cached_inputs(output: Path) -> dict[str, dict[str, str]]:
    outputs = json.loads((output / ".handouts-cache.json").read_text())["outputs"]
    return {output_id: record["inputs"] for output_id, record in outputs.items()}


def test_each_output_records_the_files_it_read(two_topics: Path, tmp_path: Path) -> None:
    """Recorded, not re-derived: the templates Jinja loaded, the fonts the stylesheets
    fetched (each worker loads them once, yet every output records them), the optional
    stylesheets looked for and not found, and the same record from one process or two."""
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    run(two_topics, serial, jobs=1)
    run(two_topics, parallel)
    inputs = cached_inputs(parallel)
    assert inputs == cached_inputs(serial)
    fonts = {f"styles:fonts/{p.name}" for p in (STYLES_DIR / "fonts").glob("*.ttf")}
    assert len(fonts) == 5 and all(fonts <= set(read) for read in inputs.values())
    booklet, trifold = inputs["alpha-booklet-letter"], inputs["beta-trifold-a4-print-shop"]
    assert {k for k in booklet if k.startswith("templates:") and k.endswith(".html")} == {
        "templates:base.html",
        "templates:brochure/booklet.html",
        "templates:partials/blocks.html",
    }
    assert (
        "templates:brochure/trifold-panels.yaml" in trifold and "templates:brochure/trifold.html" in trifold
    )
    assert booklet["styles:booklet-letter.css"] == "absent"
    assert "content:brochures/alpha.yaml" in booklet and "content:brochures/beta.yaml" not in booklet


def test_a_template_one_layout_loads_rebuilds_that_layout_only(two_topics: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    output = tmp_path / "out"
    run(two_topics, output, templates=templates)
    trifold = templates / "brochure" / "trifold.html"
    trifold.write_text(trifold.read_text() + "{# touched #}\n")
    report = run(two_topics, output, templates=templates)
    assert {e.layout for e in report.built} == {"trifold"} and len(report.built) == 8
    assert len(report.unchanged) == 12


def test_a_new_optional_stylesheet_rebuilds_the_outputs_that_use_it(two_topics: Path, tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES_DIR, styles)
    output = tmp_path / "out"
    run(two_topics, output, styles=styles)
    (styles / "booklet-a4.css").write_text("/* A4 booklets only */\n")
    report = run(two_topics, output, styles=styles)
    assert sorted(e.id for e in report.built) == [
        f"{topic}-booklet-a4{variant}"
        for topic in ("alpha", "beta")
        for variant in ("", "-large-print", "-print-shop")
    ]


def test_a_changed_logo_rebuilds_every_output(content: Path, tmp_path: Path) -> None:
    logo = content / "logo.svg"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#1d4f73"/></svg>\n'
    logo.write_text(svg)
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "logo: logo.svg\nlogo_alt: Test Clinic, a blue bar\n")
    output = tmp_path / "out"
    run(content, output)
    assert all("content:logo.svg" in read for read in cached_inputs(output).values())
    logo.write_text(svg.replace("#1d4f73", "#16405e"))
    assert len(run(content, output).built) == 10


QUICK_SCRIPT = """
import sys
from pathlib import Path
from handouts.build import BuildSettings, build
report = build(BuildSettings(content=Path(sys.argv[1]), output=Path(sys.argv[2]), jobs=1))
heavy = sorted({name.split(".")[0] for name in sys.modules if name.split(".")[0] in ("weasyprint", "pydantic")})
print(len(report.built), len(report.unchanged), report.exit_code, heavy)
"""


def test_a_script_calling_build_gets_the_no_change_quick_path(content: Path, tmp_path: Path) -> None:
    """Also when the manifest's order (by topic, kind, then edition) is not its ids' order:
    a Spanish edition's ids sort among the original's."""
    alpha = content / "brochures" / "alpha.yaml"
    spanish = alpha.read_text().replace("id: alpha", "id: alpha-es").replace("kind: brochure\n", "kind: brochure\nlanguage: es\ntranslates: alpha\n")  # fmt: skip
    (content / "brochures" / "alpha-es.yaml").write_text(spanish)
    output = tmp_path / "out"
    script = [sys.executable, "-c", QUICK_SCRIPT, str(content), str(output)]
    first = subprocess.run(script, capture_output=True, text=True, cwd=PROJECT, check=True)
    assert first.stdout.split("\n")[0] == "20 0 0 ['pydantic', 'weasyprint']", first.stdout + first.stderr
    manifest = json.loads((output / "manifest.json").read_text())["documents"]
    ids = [entry["id"] for entry in manifest]
    assert ids != sorted(ids)
    again = subprocess.run(script, capture_output=True, text=True, cwd=PROJECT, check=True)
    assert again.stdout.split("\n")[0] == "0 20 0 []"
