"""Locales apart from languages: a UK clinic built from its own content folder outside the
repository (dates, hints, spelling, crisis lines said as they are reached, A4 only), string
tables layered from a content folder and checked key by key, translated clinic text,
per-topic tri-fold choices, and clinic values located when they make a panel overflow."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
from pathlib import Path

import pypdf
import pytest

from handouts.cli import main
from handouts.dates import numeric_date, read_numeric_date
from handouts.models import Clinic
from handouts.paths import CONTENT_DIR
from handouts.reader import display_path
from tests.support import CLINIC_YAML, one_line, page_texts, write

UK_CLINIC = """\
id: northbank-therapy
name: Northbank Therapy Centre
locale: en-GB
address:
  - 1 Example Road
  - London N1 0AA
phone: 020 7946 0000
email: care@example.org
website: https://example.org
hours: Monday to Friday, 9 am to 5 pm
crisis:
  lines:
    - number: 116 123
      reach: [call]
      service: Samaritans
  emergency: "999"
"""

A4_POINTS = (595, 842)
INTAKE = "psychodynamic-therapy-intake"
BROCHURE = "psychodynamic-therapy"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def build_spanish_beta(capsys, content: Path, output: Path) -> tuple[int, str, str]:
    """A Spanish copy of the test brochure, 'beta', built alone: exit status, out, err."""
    alpha = content / "brochures" / "alpha.yaml"
    write(content / "brochures" / "beta.yaml", alpha.read_text().replace("id: alpha", "id: beta").replace(
        "topic: alpha", "topic: beta").replace("kind: brochure\n", "kind: brochure\nlanguage: es\n"))  # fmt: skip
    return run(capsys, "--content", str(content), "--output", str(output), "--only", "beta-es-booklet-letter")


def words(pdf: Path) -> str:
    return one_line(" ".join(page_texts(pdf)))


@pytest.fixture(scope="module")
def uk_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped psychodynamic brochure and intake leaflet, for a UK clinic whose content
    folder lives outside the repository; returns (content, output)."""
    root = tmp_path_factory.mktemp("uk")
    content = root / "northbank"
    assert not content.resolve().is_relative_to(Path(__file__).resolve().parents[1])
    write(content / "clinic.yaml", UK_CLINIC)
    for folder in ("brochures", "intake"):
        (content / folder).mkdir()
        shutil.copy(CONTENT_DIR / folder / f"{BROCHURE}.yaml", content / folder)
    output = root / "output"
    assert main(["--content", str(content), "--output", str(output), "--jobs", "1"]) == 0
    return content, output


def test_a_uk_clinic_builds_a4_only_with_unchanged_file_names(uk_build: tuple[Path, Path]) -> None:
    _, output = uk_build
    written = sorted(path.name for path in output.glob("*.pdf"))
    assert written == [
        "Psychodynamic-Therapy-Brochure-A4.pdf",
        "Psychodynamic-Therapy-Brochure-Large-Print-A4.pdf",
        "Psychodynamic-Therapy-Brochure-Print-Shop-A4.pdf",
        "Psychodynamic-Therapy-Brochure-Trifold-A4.pdf",
        "Psychodynamic-Therapy-Brochure-Trifold-Print-Shop-A4.pdf",
        "Psychodynamic-Therapy-Intake-Form-A4.pdf",
        "Psychodynamic-Therapy-Intake-Form-Large-Print-A4.pdf",
    ]
    manifest = json.loads((output / "manifest.json").read_text())["documents"]
    assert {entry["paper"] for entry in manifest} == {"a4"}
    assert {entry["clinic"] for entry in manifest} == {"northbank-therapy"}
    page = pypdf.PdfReader(output / "Psychodynamic-Therapy-Brochure-A4.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS


def test_a_uk_clinic_gets_uk_dates_hints_and_its_own_crisis_lines(uk_build: tuple[Path, Path]) -> None:
    _, output = uk_build
    booklet = words(output / "Psychodynamic-Therapy-Brochure-A4.pdf")
    assert "Reviewed: 1 November 2026." in booklet
    assert "November 1, 2026" not in booklet
    assert "Call 116 123 (Samaritans)" in booklet
    assert "In an emergency, call 999" in booklet
    # (The shipped topic's own words still say "call or text 988" once: a UK clinic edits that.)
    assert "911" not in booklet and "Suicide and Crisis Lifeline" not in booklet
    assert "text 116" not in booklet.lower() and "Call or text" not in booklet
    trifold = words(output / "Psychodynamic-Therapy-Brochure-Trifold-A4.pdf")
    assert "Call 116 123 (Samaritans)" in trifold and "Call or text" not in trifold
    leaflet = words(output / "Psychodynamic-Therapy-Intake-Form-A4.pdf")
    assert "Day / month / year" in leaflet and "Month / day / year" not in leaflet
    assert "call us on 020 7946 0000." in leaflet  # UK wording from en-GB.yaml
    assert "Call 116 123 (Samaritans). In an emergency, call 999." in leaflet
    assert "Call or text" not in leaflet


def test_personalise_and_read_follow_the_leaflets_date_order(
    capsys, uk_build: tuple[Path, Path], tmp_path: Path
) -> None:
    content, output = uk_build
    private = tmp_path / "private"
    code, out, err = run(
        capsys, "personalise", INTAKE, "--content", str(content), "--output", str(output),
        "--private", str(private), "--paper", "a4", "--name", "Ada Lovelace", "--birth-date", "1979-03-14",
    )  # fmt: skip
    assert code == 0, err
    copy = Path(out.strip().removeprefix("wrote "))
    fields = pypdf.PdfReader(copy).get_fields() or {}
    assert fields["date_of_birth"]["/V"] == "14/03/1979"
    code, out, err = run(capsys, "read", "--content", str(content), str(copy))
    assert code == 0, err
    assert "14/03/1979 (read as 1979-03-14, year-month-day)" in out


def test_the_email_draft_says_the_uk_lines_as_they_are_reached(
    capsys, uk_build: tuple[Path, Path], tmp_path: Path
) -> None:
    content, output = uk_build
    draft = tmp_path / "draft.eml"
    code, _, err = run(
        capsys, "email", "--to", "patient@example.org", "--content", str(content), "--output", str(output),
        "--draft", str(draft), BROCHURE,
    )  # fmt: skip
    assert code == 0, err
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "If you are in crisis: Call 116 123 (Samaritans). In an emergency, call 999." in body
    assert "text" not in body.lower().replace("context", "")
    assert "Psychodynamic-Therapy-Brochure-A4.pdf" in body


def test_default_papers_follow_the_country_and_the_profile_may_name_them() -> None:
    base = {"id": "c", "name": "C", "address": ["1 Road"], "phone": "555 0100", "email": "a@b.org"}
    base["website"] = "https://example.org"
    papers = {
        locale: Clinic.model_validate({**base, "locale": locale}).papers_to_build
        for locale in ("en-US", "en-CA", "es-MX", "en-GB", "es-ES")
    }
    assert papers == {
        "en-US": ("letter",), "en-CA": ("letter",), "es-MX": ("letter",), "en-GB": ("a4",), "es-ES": ("a4",)
    }  # fmt: skip
    assert Clinic.model_validate({**base, "papers": ["a4", "letter"]}).papers_to_build == ("a4", "letter")
    assert Clinic.model_validate({**base, "locale": "en-GB"}).country == "GB"


def test_numeric_dates_in_each_order() -> None:
    import datetime as dt

    day = dt.date(2026, 11, 1)
    assert [numeric_date(day, order) for order in ("mdy", "dmy", "ymd")] == [
        "11/01/2026", "01/11/2026", "2026/11/01"
    ]  # fmt: skip
    assert read_numeric_date("01/11/2026", "dmy") == day
    assert read_numeric_date("1.11.2026", "dmy") == day
    assert read_numeric_date("11/01/2026", "mdy") == day
    assert read_numeric_date("13/13/2026", "dmy") is None
    assert read_numeric_date("1/11/26", "dmy") is None  # which century? asked again, never guessed
    assert read_numeric_date("soon", "dmy") is None


def test_a_bad_locale_is_located(capsys, content: Path, tmp_path: Path) -> None:
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "locale: en_GB\n")
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{display_path(clinic)}:10: locale: write a language and a country as a locale tag, "
        "e.g. 'en-US', 'en-GB' or 'es-US'"
    )


def test_a_documents_locale_must_be_in_its_language(capsys, content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("kind: brochure\n", "kind: brochure\nlocale: es-US\n"))
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    assert f"{display_path(alpha)}:2: locale: locale 'es-US' is not in the document's language 'en'" in err


def test_a_document_may_take_another_locale_than_its_clinic(content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("kind: brochure\n", "kind: brochure\nlocale: en-GB\n"))
    assert (
        main(["--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-booklet-letter"])
        == 0
    )
    text = words(tmp_path / "o" / "Alpha-Brochure-Letter.pdf")
    assert "Reviewed: 1 November 2026." in text


def test_a_content_folders_strings_override_and_its_country_layer(content: Path, tmp_path: Path) -> None:
    write(content / "strings" / "en.yaml", "key_points: The main points\n")
    write(content / "strings" / "en-US.yaml", 'get_help_now: "Help, right now"\n')
    output = tmp_path / "o"
    assert main(["--content", str(content), "--output", str(output), "--only", "alpha-booklet-letter"]) == 0
    text = words(output / "Alpha-Brochure-Letter.pdf")
    assert "The main points" in text and "Key points" not in text
    assert "Help, right now" in text and "Get help now" not in text
    assert "Reviewed: November 1, 2026." in text  # the rest is the shipped table's
    # An edited table is an input of what it made: the next build renders again.
    write(content / "strings" / "en.yaml", "key_points: What to remember\n")
    assert main(["--content", str(content), "--output", str(output), "--only", "alpha-booklet-letter"]) == 0
    assert "What to remember" in words(output / "Alpha-Brochure-Letter.pdf")


def test_a_bad_strings_key_or_value_is_located_in_its_file(capsys, content: Path, tmp_path: Path) -> None:
    strings = write(
        content / "strings" / "en.yaml",
        "key_points: The main points\nkey_pointz: Typo\nmonths: January\nemail_subject: About {title}\n",
    )
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    lines = err.splitlines()
    shown = display_path(strings)
    assert (
        f"{shown}:2: key_pointz: unknown key; a string table has the keys of templates/strings/en.yaml"
        in lines
    )
    # Type mistakes are found once the keys are right.
    write(strings, "months: January\nemail_subject: About {title}\n")
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    lines = err.splitlines()
    assert f"{shown}:1: months: Input should be a valid list" in lines
    assert f"{shown}:2: email_subject: use exactly {{about}}, {{clinic}} (and no other braces)" in lines
    assert any(
        line.endswith("language: the string table for 'en-US' has problems (reported at its file)")
        for line in lines
    )
    assert not list((tmp_path / "o").glob("*.pdf"))


def test_translated_clinic_text_is_used_and_a_missing_language_is_located(
    capsys, content: Path, tmp_path: Path
) -> None:
    from tests.test_layout import SPANISH

    write(content / "strings" / "es.yaml", SPANISH)
    clinic = content / "clinic.yaml"
    clinic.write_text(
        clinic.read_text()
        + "hours:\n  en: Monday to Friday\n  es: De lunes a viernes\n"
        + 'crisis:\n  lines:\n    - number: "988"\n      reach: [call, text]\n      service:\n'
        + "        en: 988 Suicide and Crisis Lifeline\n        es: Línea 988 de Prevención del Suicidio y Crisis\n"
    )
    output = tmp_path / "o"
    code, _, err = build_spanish_beta(capsys, content, output)
    assert code == 0, err
    spanish = words(output / "Beta-Brochure-ES-Letter.pdf")
    assert "De lunes a viernes" in spanish and "Monday to Friday" not in spanish
    assert (
        "Llame o envíe un mensaje de texto al 988 (Línea 988 de Prevención del Suicidio y Crisis)" in spanish
    )
    # A value given per language without the document's language fails that document, at the value.
    clinic.write_text(clinic.read_text().replace("  es: De lunes a viernes\n", ""))
    code, _, err = run(capsys, "--content", str(content), "--output", str(output))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{display_path(clinic)}:10: hours: given per language, but not in 'es', which "
        f"{display_path(content / 'brochures' / 'beta.yaml')} is in"
    )
    assert (output / "Alpha-Brochure-Letter.pdf").is_file()  # the English brochure still builds


def test_a_topic_chooses_its_own_trifold_panels(capsys, content: Path, tmp_path: Path) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    text = alpha.read_text()
    alpha.write_text(text + "trifold:\n  inside-right:\n    - {role: goals, bullets: 1}\n    - references\n")
    output = tmp_path / "o"
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(output), "--only", "alpha-trifold-a4"
    )
    assert code == 0, err
    inside = page_texts(output / "Alpha-Brochure-Trifold-A4.pdf")[1]
    assert "What are the goals?" in inside
    line = text.count("\n") + 2

    def first_problem(trifold: str) -> str:
        alpha.write_text(text + trifold)
        code, _, err = run(capsys, "--content", str(content), "--output", str(output))
        assert code == 1
        return err.splitlines()[0]

    assert first_problem("trifold:\n  insde-right: [references]\n") == (
        f"{display_path(alpha)}:{line}: trifold.insde-right: the tri-fold has no panel 'insde-right'; panels: "
        "front-cover, fold-in, back-cover, inside-left, inside-middle, inside-right"
    )
    assert first_problem("trifold:\n  inside-left: [summary]\n") == (
        f"{display_path(alpha)}:{line - 1}: trifold: the panel map must place what_it_is, about or review_facts "
        "(the panels this file does not choose keep the defaults)"
    )
    assert f"{display_path(alpha)}:{line}: trifold.inside-left[0].entriez: unknown field" in first_problem(
        "trifold:\n  inside-left: [{role: goals, entriez: 1}]\n"
    )


def test_a_clinic_value_that_overflows_a_panel_is_located_in_clinic_yaml(
    capsys, content: Path, tmp_path: Path
) -> None:
    service = (
        "A long name for a crisis service that answers every day and every night, with people who listen"
    )
    clinic = content / "clinic.yaml"
    lines = "".join(
        f'    - number: "98{n}"\n      reach: [call, text]\n      service: {service}\n' for n in range(3)
    )
    clinic.write_text(clinic.read_text() + f'crisis:\n  lines:\n{lines}  emergency: "911"\n')
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-trifold-letter"
    )
    assert code == 1
    alpha = display_path(content / "brochures" / "alpha.yaml")
    [problem] = [line for line in err.splitlines() if "taller than the panel" in line]
    assert problem.startswith(
        f"{display_path(clinic)}:12: crisis.lines[0]: trifold panel 'back-cover' of {alpha}: content is "
    )
    assert "the tallest of clinic.yaml's values on this panel: crisis.lines[0] " in problem
    assert not problem.startswith(f"{alpha}:1:")
    # The same topic with the profile's usual crisis line fits.
    clinic.write_text(CLINIC_YAML)
    assert (
        main(["--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-trifold-letter"])
        == 0
    )


def test_the_shipped_sample_carries_spanish_for_what_a_patient_reads() -> None:
    from handouts.reader import read_yaml

    source, _ = read_yaml(CONTENT_DIR / "clinic.yaml")
    assert source is not None
    clinic = Clinic.model_validate(source.data)
    assert clinic.untranslated("es-US") == []
    spanish = clinic.localised("es-US")
    assert spanish.hours == "lunes a viernes, 8 a. m. a 6 p. m."
    assert spanish.crisis.lines[0].service == "Línea 988 de Prevención del Suicidio y Crisis"
    assert clinic.papers_to_build == ("letter", "a4")


def test_each_line_is_worded_as_it_is_reached() -> None:
    from handouts.email_draft import crisis_line
    from handouts.models import UiStrings
    from handouts.models.clinic import CrisisContact
    from handouts.paths import TEMPLATES_DIR
    from handouts.reader import read_yaml

    source, _ = read_yaml(TEMPLATES_DIR / "strings" / "en.yaml")
    assert source is not None
    t = UiStrings.model_validate(source.data)

    def worded(**line: object) -> str:
        return crisis_line(CrisisContact.model_validate({"service": "Line", **line}), t)

    assert worded(number="988", reach=["call", "text"]) == "Call or text 988 (Line)."
    assert worded(number="116 123", reach=["call"]) == "Call 116 123 (Line)."
    assert worded(number="85258", reach=["text"]) == "Text 85258 (Line)."
    assert worded(number="988", reach=["call", "chat"], chat="https://example.org/chat") == (
        "Call 988 (Line). Chat online at https://example.org/chat."
    )
    assert worded(reach=["chat"], chat="https://example.org/chat") == (
        "Chat online at https://example.org/chat (Line)."
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{reach: [call], service: Line}", "crisis.lines[0]: a line to call or text needs its `number`"),
        ('{number: "988", reach: [chat], service: Line}', "crisis.lines[0]: a line reached by chat needs its `chat` web address"),
        ('{number: "988", reach: [call, call], service: Line}', "crisis.lines[0]: reach names each way once: call, text, chat"),
        ('{number: "988", reach: [phone], service: Line}', "crisis.lines[0].reach[0]: Input should be 'call', 'text' or 'chat'"),
    ],
)  # fmt: skip
def test_a_line_that_cannot_be_reached_as_it_says_is_located(
    capsys, content: Path, tmp_path: Path, line: str, message: str
) -> None:
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + f"crisis:\n  lines:\n    - {line}\n")
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    assert err.splitlines()[0] == f"{display_path(clinic)}:12: {message}"


def test_every_table_in_the_content_folder_is_checked_even_unused(
    capsys, content: Path, tmp_path: Path
) -> None:
    unused = write(content / "strings" / "fr-CA.yaml", "cle_inconnue: Bonjour\n")
    misnamed = write(content / "strings" / "english.yaml", "key_points: Main points\n")
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{display_path(misnamed)}:1: name a string table by a language (en.yaml) or a locale (en-GB.yaml)",
        f"{display_path(unused)}:1: cle_inconnue: unknown key; a string table has the keys of templates/strings/en.yaml",
    ]
    assert (tmp_path / "o" / "Alpha-Brochure-Letter.pdf").is_file()  # the documents themselves still build


def test_a_topics_own_us_numbers_are_flagged_for_a_clinic_elsewhere(
    capsys, content: Path, tmp_path: Path
) -> None:
    write(content / "clinic.yaml", UK_CLINIC)
    alpha = content / "brochures" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("next_step: Ask", "next_step: In an emergency, call 911. Ask"))
    output = tmp_path / "o"
    code, out, err = run(
        capsys, "--content", str(content), "--output", str(output), "--only", "alpha-booklet-a4"
    )
    assert code == 0, err  # a warning: the number may be meant
    line = (
        alpha.read_text().splitlines().index(next(x for x in alpha.read_text().splitlines() if "911" in x))
        + 1
    )
    assert (
        f"{display_path(alpha)}:{line}: next_step: warning: names the US's 911, but the clinic is in GB "
        "(emergency 999); say it as the clinic's lines, or leave the number out"
    ) in (out + err).splitlines()


def test_the_us_lines_left_in_a_profile_elsewhere_are_refused_or_flagged(
    capsys, content: Path, tmp_path: Path
) -> None:
    """A UK clinic that changed its locale but kept the US sample's lines: 988 is refused
    at the line (it reaches no one there), 911 is a warning (some countries use it)."""
    clinic = content / "clinic.yaml"
    us_lines = UK_CLINIC.replace(
        "    - number: 116 123\n      reach: [call]\n      service: Samaritans\n",
        '    - number: "988"\n      reach: [call, text]\n      service: 988 Suicide and Crisis Lifeline\n',
    ).replace('emergency: "999"', 'emergency: "911"')
    write(clinic, us_lines)
    output = tmp_path / "o"
    code, _, err = run(capsys, "--content", str(content), "--output", str(output))
    assert code == 1
    line = us_lines.splitlines().index('    - number: "988"') + 1
    assert err.splitlines()[0] == (
        f"{display_path(clinic)}:{line}: crisis.lines[0].number: 988 is a crisis line in the US and "
        "Canada, but the clinic is in GB (locale en-GB); give your country's crisis lines"
    )
    assert not list(output.glob("*.pdf"))

    write(clinic, UK_CLINIC.replace('emergency: "999"', 'emergency: "911"'))
    code, out, err = run(
        capsys, "--content", str(content), "--output", str(output), "--only", "alpha-booklet-a4"
    )
    assert code == 0, err
    line = UK_CLINIC.splitlines().index('  emergency: "999"') + 1
    assert (
        f"{display_path(clinic)}:{line}: crisis.emergency: 911 is the emergency number in the US, Canada "
        "and Mexico, and the clinic is in GB (locale en-GB); check that patients there reach help on it"
    ) in (out + err).splitlines()
    assert "In an emergency, call 911" in words(output / "Alpha-Brochure-A4.pdf")


def test_clinic_sentences_in_one_language_are_flagged_for_a_document_in_another(
    capsys, content: Path, tmp_path: Path
) -> None:
    """A Spanish edition with the clinic's hours written only in English still builds, but
    the build says, at the value, that it prints them as written."""
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "hours: Monday to Friday\n")
    output = tmp_path / "o"
    code, out, err = build_spanish_beta(capsys, content, output)
    assert code == 0, err
    line = clinic.read_text().splitlines().index("hours: Monday to Friday") + 1
    beta = display_path(content / "brochures" / "beta.yaml")
    assert (
        f"{display_path(clinic)}:{line}: hours: given in one language only, so {beta} (in 'es') prints "
        "it as written; give it per language (en: ..., es: ...)"
    ) in (out + err).splitlines()
    assert "Monday to Friday" in words(output / "Beta-Brochure-ES-Letter.pdf")
