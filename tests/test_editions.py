"""Editions in other languages: a Spanish brochure built from a clinic's own content folder
(outside the repository), its file names and manifest grouping, the translation parity
check's located errors, and questionnaires only in the leaflet's own language."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pikepdf
import pytest

from handouts import pipeline
from handouts.build import BuildReport, BuildSettings, build
from handouts.paths import CONTENT_DIR, INSTRUMENTS_DIR, PACKAGE_DIR
from handouts.progress import Silent
from handouts.reader import display_path
from tests.support import one_line, page_texts, write

ENGLISH = "psychodynamic-therapy"
SPANISH = "psychodynamic-therapy-es"


def _build(content: Path, output: Path) -> BuildReport:
    return build(BuildSettings(content=content, output=output, jobs=1), feedback=Silent())


def _messages(report: BuildReport) -> list[str]:
    return [str(problem) for problem in report.problems]


@pytest.fixture
def clinic_folder(tmp_path: Path) -> Path:
    """A clinic's own folder, outside the repository: the shipped clinic, one brochure and
    its Spanish translation."""
    root = tmp_path / "our-clinic"
    assert not root.resolve().is_relative_to(PACKAGE_DIR.parent.resolve())
    (root / "brochures").mkdir(parents=True)
    shutil.copy(CONTENT_DIR / "clinic.yaml", root / "clinic.yaml")
    for name in (ENGLISH, SPANISH):
        shutil.copy(CONTENT_DIR / "brochures" / f"{name}.yaml", root / "brochures" / f"{name}.yaml")
    return root


def _line(path: Path, text: str) -> int:
    """The line number (from 1) of the first line that is `text` once stripped."""
    return next(
        number for number, line in enumerate(path.read_text().splitlines(), 1) if line.strip() == text
    )


def test_spanish_edition_is_built_from_a_clinic_folder(clinic_folder: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    report = _build(clinic_folder, output)
    assert report.exit_code == 0, _messages(report) + report.internal_errors

    names = {pdf.name for pdf in output.glob("*.pdf")}
    assert {
        "Psychodynamic-Therapy-Brochure-Letter.pdf",  # English names stay as they were
        "Psychodynamic-Therapy-Brochure-Trifold-A4.pdf",
        "Psychodynamic-Therapy-Brochure-ES-Letter.pdf",
        "Psychodynamic-Therapy-Brochure-ES-Large-Print-A4.pdf",
        "Psychodynamic-Therapy-Brochure-ES-Trifold-Letter.pdf",
        "Psychodynamic-Therapy-Brochure-ES-Trifold-Print-Shop-A4.pdf",
    } <= names
    assert len(names) == 20

    pages = [one_line(text) for text in page_texts(output / "Psychodynamic-Therapy-Brochure-ES-Letter.pdf")]
    text = " ".join(pages)
    assert "Terapia psicodinámica" in pages[0] and "Lo más importante" in pages[0]
    for heading in (
        "¿Qué es la terapia psicodinámica?",
        "¿Funciona?",
        "¿Cuánto cuesta?",
        "Preguntas comunes",
    ):
        assert heading in text, heading
    assert f"Página 2 de {len(pages)}" in pages[1]
    assert "Revisado: 1 de noviembre de 2026" in text
    assert "Próxima revisión: 1 de noviembre de 2027" in text
    assert "Llame o mande un texto al" in text
    assert "Key points" not in text and "November" not in text
    with pikepdf.open(output / "Psychodynamic-Therapy-Brochure-ES-Letter.pdf") as pdf:
        assert str(pdf.Root.Lang) == "es"

    trifold = " ".join(
        one_line(t) for t in page_texts(output / "Psychodynamic-Therapy-Brochure-ES-Trifold-Letter.pdf")
    )
    assert "Pida ayuda ahora" in trifold and "¿Qué puede salir mal" in trifold

    documents = json.loads((output / "manifest.json").read_text())["documents"]
    spanish = [entry for entry in documents if entry["language"] == "es"]
    assert len(spanish) == 10
    assert {entry["edition_of"] for entry in documents} == {ENGLISH}
    assert {entry["topic"] for entry in documents} == {ENGLISH}
    assert all(entry["id"].startswith(f"{SPANISH}-") for entry in spanish)
    # The editions of one topic sit together: the English outputs, then the Spanish ones.
    assert [entry["language"] for entry in documents] == ["en"] * 10 + ["es"] * 10


def _shown(path: Path) -> str:
    return display_path(path)


def _spanish(clinic_folder: Path) -> Path:
    return clinic_folder / "brochures" / f"{SPANISH}.yaml"


def _assert_only_the_translation_failed(report: BuildReport, output: Path) -> None:
    assert report.exit_code == 1
    assert (output / "Psychodynamic-Therapy-Brochure-Letter.pdf").is_file()
    assert not list(output.glob("*-ES-*.pdf"))


def test_a_missing_section_is_a_located_parity_error(clinic_folder: Path, tmp_path: Path) -> None:
    spanish = _spanish(clinic_folder)
    text = spanish.read_text()
    start, end = text.index("  costs:\n"), text.index("\nfaq:")
    spanish.write_text(text[:start] + text[end + 1 :])
    original = clinic_folder / "brochures" / f"{ENGLISH}.yaml"

    report = _build(clinic_folder, tmp_path / "out")
    _assert_only_the_translation_failed(report, tmp_path / "out")
    assert _messages(report) == [
        f"{_shown(spanish)}:{_line(spanish, 'sections:')}: sections: section 'costs' of the original is "
        f"missing ({_shown(original)}:{_line(original, 'costs:')})"
    ]


def test_a_missing_reference_is_a_located_parity_error(clinic_folder: Path, tmp_path: Path) -> None:
    spanish = _spanish(clinic_folder)
    text = spanish.read_text()
    start = text.index("  - key: ketalar-label\n")
    text = text[:start].rstrip("\n") + "\n"
    spanish.write_text(
        text.replace("      - spravato-label\n      - ketalar-label\n", "      - spravato-label\n")
    )
    original = clinic_folder / "brochures" / f"{ENGLISH}.yaml"

    report = _build(clinic_folder, tmp_path / "out")
    _assert_only_the_translation_failed(report, tmp_path / "out")
    messages = _messages(report)
    references = _line(spanish, "references:")
    assert (
        f"{_shown(spanish)}:{references}: references: reference 'ketalar-label' of the original is missing ("
        in "\n".join(messages)
    )
    assert any(
        message.startswith(f"{_shown(spanish)}:")
        and ": sections.ketamine_pairing.sources: cites spravato-label; the original cites "
        f"spravato-label, ketalar-label ({_shown(original)}:"
        in message
        for message in messages
    ), messages


def test_a_different_version_or_pmid_is_a_located_parity_error(clinic_folder: Path, tmp_path: Path) -> None:
    spanish = _spanish(clinic_folder)
    text = (
        spanish.read_text()
        .replace('version: "2.0"', 'version: "2.1"')
        .replace('pmid: "26043322"', 'pmid: "26043323"')
    )
    spanish.write_text(text)
    original = clinic_folder / "brochures" / f"{ENGLISH}.yaml"

    report = _build(clinic_folder, tmp_path / "out")
    _assert_only_the_translation_failed(report, tmp_path / "out")
    ours = _line(spanish, 'version: "2.1"'), _line(spanish, 'pmid: "26043323"')
    theirs = _line(original, 'version: "2.0"'), _line(original, 'pmid: "26043322"')
    assert _messages(report) == [
        f"{_shown(spanish)}:{ours[0]}: version: is '2.1'; the original has '2.0' ({_shown(original)}:{theirs[0]})",
        f"{_shown(spanish)}:{ours[1]}: references[1].pmid: is '26043323'; the original has '26043322' "
        f"({_shown(original)}:{theirs[1]})",
    ]


def test_fewer_key_points_or_faq_entries_are_located_parity_errors(
    clinic_folder: Path, tmp_path: Path
) -> None:
    spanish = _spanish(clinic_folder)
    text = spanish.read_text()
    last_point = next(line for line in text.splitlines() if line.startswith('  - "Se puede combinar'))
    start = text.index('    - question: "¿Tiene que durar años?"')
    end = text.index('    - question: "¿Cómo se combina')
    spanish.write_text(text.replace(last_point + "\n", "")[: start - len(last_point) - 1] + text[end:])

    report = _build(clinic_folder, tmp_path / "out")
    _assert_only_the_translation_failed(report, tmp_path / "out")
    messages = [message.split(": ", 1)[1] for message in _messages(report)]
    assert any(m.startswith("key_points: has 5 item(s); the original has 6 (") for m in messages), messages
    assert any(m.startswith("faq.items: has 3 item(s); the original has 4 (") for m in messages), messages


def test_a_translation_of_an_unknown_document_is_located(clinic_folder: Path, tmp_path: Path) -> None:
    spanish = _spanish(clinic_folder)
    spanish.write_text(
        spanish.read_text().replace(f"translates: {ENGLISH}\n", "translates: no-such-brochure\n")
    )
    report = _build(clinic_folder, tmp_path / "out")
    _assert_only_the_translation_failed(report, tmp_path / "out")
    assert _messages(report) == [
        f"{_shown(spanish)}:{_line(spanish, 'translates: no-such-brochure')}: translates: "
        "no document with id 'no-such-brochure' to compare this translation with"
    ]


SPANISH_INTAKE = """\
kind: intake
id: start-es
topic: start
language: es
title: Antes de empezar
purpose: Este formulario nos ayuda a conocerle antes de su primera sesión.
instructions: Conteste lo que pueda.
return_to: Tráiganos el formulario.
review:
  last_reviewed: 2026-11-01
  next_review: 2027-11-01
  reviewer_role: Psiquiatra (MD)
version: "1.0"
sections:
  - heading: Cómo se ha sentido
    fields:
      - {type: text, name: nombre, label: Su nombre}
      - {type: questionnaire, name: phq9, instrument: phq-9}
"""


def test_a_spanish_intake_naming_phq9_is_refused_with_a_located_message(
    content: Path, tmp_path: Path
) -> None:
    intake = write(content / "intake" / "start-es.yaml", SPANISH_INTAKE)
    report = _build(content, tmp_path / "out")
    assert report.exit_code == 1
    line = _line(intake, "- {type: questionnaire, name: phq9, instrument: phq-9}")
    assert _messages(report) == [
        f"{_shown(intake)}:{line}: sections[0].fields[1].instrument: no word-for-word 'es' version of PHQ-9 is "
        "stored (handouts/instruments/phq-9.es.yaml, with its source and credit line); a leaflet never "
        "prints a questionnaire in another language than its own"
    ]
    assert not list((tmp_path / "out").glob("Start*.pdf"))
    assert (tmp_path / "out" / "Alpha-Brochure-Letter.pdf").is_file()


def test_a_stored_language_version_is_used_without_code(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version added as a file beside the English one is printed; the wording here is a
    test stand-in, not a translation."""
    instruments = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS_DIR, instruments)
    english = (instruments / "phq-9.yaml").read_text()
    stand_in = english.replace("Little interest or pleasure in doing things", "PRUEBA primer punto")
    stand_in = stand_in.replace("Not at all", "PRUEBA Nunca")
    (instruments / "phq-9.es.yaml").write_text(stand_in)
    monkeypatch.setattr(pipeline, "INSTRUMENTS_DIR", instruments)
    write(content / "intake" / "start-es.yaml", SPANISH_INTAKE)

    report = _build(content, tmp_path / "out")
    assert report.exit_code == 0, _messages(report) + report.internal_errors
    text = " ".join(one_line(t) for t in page_texts(tmp_path / "out" / "Start-Intake-Form-ES-Letter.pdf"))
    assert "PRUEBA primer punto" in text and "PRUEBA Nunca" in text
    assert "Little interest" not in text and "Not at all" not in text
