"""The intake forms as pdf.js (the viewer in Firefox and many web apps) reads them: every
field with its name, and every widget with alternative text a screen reader can say, each
radio button its question and its own option. pdfjs-dist comes from tests/js/package.json
(`npm ci` in scripts/bootstrap.sh test); only a machine without node skips."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

SCRIPT = Path(__file__).parent / "js" / "widgets.mjs"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def read_with_pdfjs(pdf: Path) -> dict:
    done = subprocess.run(["node", str(SCRIPT), str(pdf)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def intake_files(output: Path) -> list[Path]:
    return sorted(output.glob("*-Intake-Form-*.pdf"))


def test_pdfjs_lists_every_field_and_names_every_widget(shipped_build: Path) -> None:
    files = intake_files(shipped_build)
    assert len(files) == 8
    for pdf in files:
        seen = read_with_pdfjs(pdf)
        fields = pypdf.PdfReader(pdf).get_fields()
        assert set(seen["fields"]) == set(fields), pdf.name
        unnamed = [widget for widget in seen["widgets"] if not widget["alternativeText"].strip()]
        assert not unnamed, (pdf.name, unnamed[:3])
        for name in {widget["field"] for widget in seen["widgets"] if widget["radio"]}:
            options = [widget["alternativeText"] for widget in seen["widgets"] if widget["field"] == name]
            question = str(fields[name]["/TU"])
            assert all(text.startswith(question) and len(text) > len(question) for text in options), options
            assert len(set(options)) == len(options), options


def test_a_radio_option_says_its_question_and_its_label(shipped_build: Path) -> None:
    seen = read_with_pdfjs(shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf")
    texts = {widget["alternativeText"] for widget in seen["widgets"]}
    assert "How should we contact you? Text message" in texts
    assert "1. Little interest or pleasure in doing things: Several days" in texts
    assert "May we send you regular email? No" in texts
