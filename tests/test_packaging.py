"""Installed as a clinic installs it: a wheel in a fresh virtual environment, used from an
empty folder, builds the sample catalogue with the templates, styles, fonts, string
tables and instruments it carries."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; the libraries it depends on
    are lent from this environment (a path, not a copy), so the test needs no network."""
    root = tmp_path_factory.mktemp("packaging")
    wheels = root / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            ".",
        ],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("handouts-*.whl")
    environment = root / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "lent-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    return environment


def test_the_wheel_carries_its_templates_styles_fonts_strings_and_instruments(installed: Path) -> None:
    found = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "from handouts import paths; print(paths.TEMPLATES_DIR); print(paths.STYLES_DIR); print(paths.PACKAGE_DIR)"],
        check=True, capture_output=True, text=True, cwd=installed,
    ).stdout.split()  # fmt: skip
    templates, styles, package = map(Path, found)
    assert package.is_relative_to(installed)
    assert templates == package / "templates" and styles == package / "styles"
    assert (templates / "strings" / "en.yaml").is_file()
    assert (templates / "brochure" / "trifold-panels.yaml").is_file()
    assert list((styles / "fonts").glob("*.ttf"))
    assert (package / "instruments" / "phq-9.yaml").is_file()


def test_handouts_builds_the_sample_catalogue_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(installed / "bin" / "handouts"), "--jobs", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    documents = json.loads((tmp_path / "output" / "manifest.json").read_text())["documents"]
    assert len(documents) == len(list((tmp_path / "output").glob("*.pdf"))) >= 28
    assert {entry["kind"] for entry in documents} == {"brochure", "intake"}
