"""The output folder stays consistent: a build killed at any step of its write sequence
leaves a manifest that is true of every file it names, the next build finishes the job,
only one build writes at a time, and a folder that cannot be used is one line, exit 2."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handouts.cli import main
from handouts.output_folder import LOCK_FILE
from tests.support import page_texts

PROJECT = Path(__file__).resolve().parent.parent
CHANGED = ["alpha-booklet-letter", "alpha-booklet-a4"]
CHANGED_FILES = ["Alpha-Brochure-A4.pdf", "Alpha-Brochure-Letter.pdf"]

KILLER = """
import os, signal, sys
from pathlib import Path
from handouts.build import BuildSettings, build

content, output, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def checkpoint(step: str) -> None:
    if step == stop_at:
        os.kill(os.getpid(), signal.SIGKILL)

build(BuildSettings(content=content, output=output, only=sys.argv[4:], jobs=1, checkpoint=checkpoint))
"""

WRITE_STEPS = [
    "staged",
    "manifest-without-changes",
    f"replaced {CHANGED_FILES[0]}",
    f"replaced {CHANGED_FILES[1]}",
    "manifest",
    "cache",
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(output: Path) -> list[dict]:
    return json.loads((output / "manifest.json").read_text())["documents"]


def assert_manifest_true(output: Path) -> None:
    """Every file the manifest names is there, with the bytes it says."""
    for entry in manifest(output):
        assert sha256(output / entry["path"]) == entry["sha256"], entry["path"]


def build(capsys, content: Path, output: Path, *args: str) -> tuple[int, str]:
    code = main(["--content", str(content), "--output", str(output), "--jobs", "1", *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("step", WRITE_STEPS)
def test_a_build_killed_at_any_write_step_leaves_a_true_manifest(
    capsys, content: Path, tmp_path: Path, step: str
) -> None:
    output = tmp_path / "out"
    assert build(capsys, content, output)[0] == 0
    alpha = content / "brochures" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("It is a talk therapy.", "It is a talk therapy, now revised."))

    killed = subprocess.run(
        [sys.executable, "-c", KILLER, str(content), str(output), step, *CHANGED],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr
    assert_manifest_true(output)
    listed = {entry["path"] for entry in manifest(output)}
    assert len(listed) >= 8  # the eight outputs this build did not touch are never unlisted

    code, err = build(capsys, content, output)
    assert code == 0, err
    assert_manifest_true(output)
    assert len(manifest(output)) == 10
    assert not [path.name for path in output.iterdir() if path.name.startswith((".staged-", ".partial-"))]
    for name in CHANGED_FILES:
        assert "now revised" in " ".join(" ".join(page_texts(output / name)).split())


def test_a_second_build_into_a_busy_folder_stops_with_one_line(capsys, content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    with (output / LOCK_FILE).open("ab") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, err = build(capsys, content, output)
    assert code == 2
    assert err.splitlines() == [
        f"error: another build is writing into {output}; run this one when it has finished"
    ]
    assert not list(output.glob("*.pdf"))


def test_the_email_command_reads_while_a_build_holds_the_folder(
    capsys, content: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    assert build(capsys, content, output, "--only", "alpha-booklet-letter")[0] == 0
    draft = tmp_path / "draft.eml"
    with (output / LOCK_FILE).open("ab") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        code = main(
            ["email", "--to", "patient@example.org", "--content", str(content), "--output", str(output),
             "--draft", str(draft), "alpha-booklet-letter"]
        )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert draft.is_file()


def test_an_output_that_is_a_file_is_one_line(capsys, content: Path, tmp_path: Path) -> None:
    in_the_way = tmp_path / "out"
    in_the_way.write_text("not a folder")
    code, err = build(capsys, content, in_the_way)
    assert code == 2
    assert err.splitlines() == [
        f"error: output {in_the_way} is a file, not a folder; choose another --output"
    ]
    assert in_the_way.read_text() == "not a folder"


def test_an_output_folder_under_a_file_is_one_line(capsys, content: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    code, err = build(capsys, content, tmp_path / "file" / "out")
    assert code == 2
    assert err.splitlines() == [
        f"error: cannot make output folder {tmp_path / 'file' / 'out'}: Not a directory"
    ]


def test_a_folder_the_build_cannot_write_into_is_one_line(capsys, content: Path, tmp_path: Path) -> None:
    """The lock file cannot be made: here because a folder stands in its place (a
    read-only folder does the same for a user other than root)."""
    output = tmp_path / "out"
    (output / LOCK_FILE).mkdir(parents=True)
    code, err = build(capsys, content, output)
    assert code == 2
    assert err.splitlines() == [f"error: cannot write into output folder {output}: Is a directory"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(capsys, content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    output.chmod(0o555)
    try:
        code, err = build(capsys, content, output)
    finally:
        output.chmod(0o755)
    assert code == 2
    assert err.splitlines() == [f"error: cannot write into output folder {output}: Permission denied"]


def test_a_pdf_name_taken_by_a_folder_is_one_line_and_the_manifest_stays_true(
    capsys, content: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    (output / "Alpha-Brochure-Letter.pdf").mkdir(parents=True)
    code, err = build(capsys, content, output, "--only", "alpha-booklet-letter")
    assert code == 2
    assert err.splitlines() == [f"error: cannot write Alpha-Brochure-Letter.pdf in {output}: Is a directory"]
    assert not [path.name for path in output.iterdir() if path.name.startswith(".staged-")]
    assert_manifest_true(output)
