"""Layout rules a reader notices: wording from the string table, byte-identical rebuilds,
and no WeasyPrint complaint (how content falls onto pages: test_pagination.py)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from handouts.build import BuildSettings, build
from handouts.paths import STYLES_DIR
from handouts.progress import Silent
from tests.support import one_line, page_texts, write

QUIET = {"feedback": Silent()}


def test_rebuild_is_byte_identical_in_another_folder(content: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert build(BuildSettings(content=content, output=first), **QUIET).exit_code == 0
    assert build(BuildSettings(content=content, output=second), **QUIET).exit_code == 0
    for pdf in first.glob("*.pdf"):
        assert pdf.read_bytes() == (second / pdf.name).read_bytes(), pdf.name
    assert (first / "manifest.json").read_bytes() == (second / "manifest.json").read_bytes()


def test_build_logs_no_weasyprint_warning(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        assert build(BuildSettings(content=content, output=tmp_path / "o"), **QUIET).exit_code == 0
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_broken_stylesheet_is_an_internal_error(content: Path, tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES_DIR, styles)
    (styles / "base.css").write_text((styles / "base.css").read_text() + "\np { colour: red; }\n")
    report = build(BuildSettings(content=content, output=tmp_path / "o", styles=styles), **QUIET)
    assert report.exit_code == 2
    assert "styles/base.css" in report.internal_errors[0]
    assert not list((tmp_path / "o").glob("*.pdf"))


SPANISH = """\
language_name: Español
months: [enero, febrero, marzo, abril, mayo, junio, julio, agosto, septiembre, octubre, noviembre, diciembre]
date_format: "{day} de {month} de {year}"
date_order: dmy
brochure: Folleto para pacientes
key_points: Puntos clave
next_step: Qué puede hacer ahora
notes: Notas
get_help_now: Pida ayuda ahora
crisis_intro: Si piensa en hacerse daño, pida ayuda de inmediato.
reach_call: Llame al
reach_text: Envíe un mensaje de texto al
reach_call_or_text: Llame o envíe un mensaje de texto al
reach_chat: Chatee en
emergency: En una emergencia, llame al
sources: Fuentes
references: Referencias
references_in_booklet: "Las referencias completas están en el folleto, o pregúntenos."
pubmed: PubMed
about_this_handout: Sobre este folleto
reviewed: Revisado
next_review: Próxima revisión
reviewed_by: Revisado por
version: Versión
page: Página
page_of: de
contact_us: Contacto
phone: Teléfono
email: Correo
website: Sitio web
hours: Horario
safety_not_for: Quién no debe recibirlo
safety_serious_risks: Riesgos graves
safety_warning_signs: Señales de alarma al salir
safety_what_to_do: "Si tiene alguna de estas señales, no espere:"
safety_call_clinic: Llame a la clínica al
safety_after_hours: Cuando la clínica esté cerrada, llame al
safety_crisis: Si piensa en hacerse daño, llame o envíe un texto al
safety_emergency: En una emergencia, llame al
glossary: Palabras que debe saber
sample_mark: Muestra - no es para pacientes
not_medical_advice: Este folleto da información general.
from_clinic: De
intake_form: Formulario de admisión
how_to_fill: Cómo llenarlo
"yes": Sí
"no": "No"
clinician_reviews_section: Un profesional lee estas respuestas antes de cualquier tratamiento.
clinician_reviews_field: Lo lee un profesional
total_score: Puntaje total
for_clinic_use: uso de la clínica
date_hint: Día / mes / año
safety_heading: "Si ahora piensa en el suicidio o en hacerse daño:"
safety_text: "No espere a su cita."
when_done: Cuando termine
form_read_later: "Quizá no leamos este formulario en unos días. Si necesita ayuda antes, llámenos al"
score: Puntaje
email_subject: "Información de {clinic}: {about}"
email_handouts: "{count} folletos"
email_greeting: Hola,
email_sending_one: "{clinic} le envía este folleto en un archivo PDF."
email_sending_many: "{clinic} le envía estos folletos en archivos PDF."
email_help_one: El folleto también dice dónde pedir ayuda ahora mismo.
email_help_many: Cada folleto también dice dónde pedir ayuda ahora mismo.
email_crisis: "Si está en crisis:"
"""


def test_a_new_language_is_a_string_table_in_the_content_folder(content: Path, tmp_path: Path) -> None:
    write(content / "strings" / "es.yaml", SPANISH)
    alpha = content / "brochures" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("kind: brochure\n", "kind: brochure\nlanguage: es\n"))
    output = tmp_path / "o"
    report = build(BuildSettings(content=content, output=output), **QUIET)
    assert report.exit_code == 0, report.problems + report.internal_errors
    pages = [one_line(text) for text in page_texts(output / "Alpha-Brochure-ES-Letter.pdf")]
    assert "Puntos clave" in pages[0]
    assert f"Página 2 de {len(pages)}" in pages[1]
    assert "Revisado: 1 de noviembre de 2026" in pages[-1]  # the review date is on the back page
    assert "Pida ayuda ahora" in " ".join(pages[-2:])
    assert "Key points" not in " ".join(pages)


def test_language_without_string_table_is_a_content_error(content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("kind: brochure\n", "kind: brochure\nlanguage: fr\n"))
    report = build(BuildSettings(content=content, output=tmp_path / "o"), **QUIET)
    assert report.exit_code == 1
    assert [str(p).split(": ", 1)[1] for p in report.problems] == [
        "language: no string table for 'fr' (have: en, es)"
    ]
