"""Intake leaflets as a patient and a clinic get them: real form fields, exact screening
questionnaires, guidance beside PHQ-9 item 9, small files, located form mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest
import yaml

from handouts.cli import main
from handouts.paths import CONTENT_DIR
from handouts.reader import display_path
from tests.support import one_line, page_texts, write

INTAKES = sorted((CONTENT_DIR / "intake").glob("*.yaml"))
MAX_BYTES = 150 * 1024

# The published wording (Pfizer's PHQ-9 and GAD-7, English), kept here independently of
# handouts/instruments/ so an edit there fails this test.
PHQ9_STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
PHQ9_ITEMS = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety "
    "or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]
GAD7_STEM = "Over the last 2 weeks, how often have you been bothered by the following problems?"
GAD7_ITEMS = [
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid, as if something awful might happen",
]
OPTIONS = ["Not at all", "Several days", "More than half the days", "Nearly every day"]
CREDIT = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an "
    "educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute."
)


def intake_entries(output: Path) -> list[dict]:
    documents = json.loads((output / "manifest.json").read_text())["documents"]
    return [d for d in documents if d["kind"] == "intake"]


def fields_of(pdf: Path) -> dict:
    return pypdf.PdfReader(pdf).get_fields()


def test_both_leaflets_are_built_on_letter_and_a4(shipped_build: Path) -> None:
    entries = intake_entries(shipped_build)
    topics = {yaml.safe_load(path.read_text())["topic"] for path in INTAKES}
    assert topics == {"psychodynamic-therapy", "psychodynamic-therapy-with-ketamine"}
    assert {(e["topic"], e["paper"]) for e in entries} == {(t, p) for t in topics for p in ("letter", "a4")}
    assert all(e["layout"] == "leaflet" for e in entries)
    assert {e["path"] for e in entries} >= {
        "Psychodynamic-Therapy-Intake-Form-Letter.pdf",
        "Psychodynamic-Therapy-With-Ketamine-Intake-Form-A4.pdf",
    }


def test_each_leaflet_is_150_kb_or_less(shipped_build: Path) -> None:
    for entry in intake_entries(shipped_build):
        assert (shipped_build / entry["path"]).stat().st_size <= MAX_BYTES, entry["path"]


def test_every_declared_field_is_a_real_form_field(shipped_build: Path) -> None:
    for entry in intake_entries(shipped_build):
        source = yaml.safe_load((CONTENT_DIR / "intake" / f"{entry['topic']}.yaml").read_text())
        fields = fields_of(shipped_build / entry["path"])
        expected: dict[str, str] = {}
        for section in source["sections"]:
            for field in section.get("fields", []):
                kind, name = field["type"], field["name"]
                if kind == "checklist":
                    expected |= {f"{name}_{n}": "/Btn" for n in range(1, len(field["options"]) + 1)}
                elif kind == "questionnaire":
                    count = 9 if field["instrument"] == "phq-9" else 7
                    expected |= {f"{name}_{n}": "/Btn" for n in range(1, count + 1)}
                    expected[f"{name}_total"] = "/Tx"
                    if field["instrument"] == "phq-9":
                        expected[f"{name}_difficulty"] = "/Btn"
                elif kind in ("yesno", "choice", "scale"):
                    expected[name] = "/Btn"
                else:
                    expected[name] = "/Tx"
        assert {name: field.get("/FT") for name, field in fields.items()} == expected


def test_radio_groups_have_their_options_and_the_question_as_name(shipped_build: Path) -> None:
    pdf = shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf"
    fields = fields_of(pdf)
    for number, item in enumerate(PHQ9_ITEMS, start=1):
        group = fields[f"phq9_{number}"]
        assert group["/Ff"] & (1 << 15), "radio flag"
        assert list(group["/Opt"]) == ["0", "1", "2", "3"]
        assert group["/TU"] == f"{number}. {item}"
    assert list(fields["email_consent"]["/Opt"]) == ["yes", "no"]
    assert list(fields["contact_method"]["/Opt"]) == ["Phone call", "Text message", "Email", "Letter"]
    # One field per group: the buttons are kids of the group, not fields of their own.
    assert not [name for name in fields if "." in name]


def test_text_fields_are_named_by_their_labels(shipped_build: Path) -> None:
    fields = fields_of(shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf")
    assert fields["full_name"]["/TU"] == "Full name"
    assert fields["reason"]["/TU"] == "In your own words, what brings you to therapy now?"
    assert fields["reason"]["/Ff"] & (1 << 12), "multi-line"
    assert (
        fields["reflection_1"]["/TU"]
        == "Tick any that are true for you. I am looking to better understand myself."
    )


def test_tab_order_follows_the_form(shipped_build: Path) -> None:
    reader = pypdf.PdfReader(shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf")
    order: list[str] = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            name = widget.get("/T") or widget["/Parent"].get_object()["/T"]
            if name not in order:
                order.append(name)
    assert order == list(fields_of(shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf"))
    assert order.index("full_name") < order.index("phq9_1") < order.index("phq9_9") < order.index("signature")


def test_checkboxes_print_their_mark(shipped_build: Path) -> None:
    reader = pypdf.PdfReader(shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf")
    checkboxes = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if str(annotation.get_object().get("/T", "")).startswith("reflection_")
    ]
    assert len(checkboxes) == 5
    for box in checkboxes:
        assert box["/F"] & 4, "print flag"
        assert "/on" in box["/AP"]["/N"], "an appearance for the ticked state"


def test_blank_form_has_room_to_write_by_hand(shipped_build: Path) -> None:
    """About 8 mm a line: one line for short answers, `lines` x 8 mm for long ones."""
    millimetre = 72 / 25.4
    reader = pypdf.PdfReader(shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf")
    heights = {}
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            if "/T" in widget:
                rect = [float(v) for v in widget["/Rect"]]
                heights[widget["/T"]] = abs(rect[3] - rect[1]) / millimetre
    assert heights["full_name"] == pytest.approx(8, abs=0.5)
    assert heights["reason"] == pytest.approx(6 * 8, abs=1)
    assert heights["signature"] >= 10


def test_filled_form_reads_back(shipped_build: Path, tmp_path: Path) -> None:
    source = shipped_build / "Psychodynamic-Therapy-With-Ketamine-Intake-Form-Letter.pdf"
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    values = {
        "full_name": "Sample Patient",
        "ride_name": "Sample Driver",
        "phq9_9": "/1",
        "seizures": "/1",
        "consent_2": "/on",
        "integration_hopes": "Making sense of old patterns.",
    }
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    fields = fields_of(filled)
    assert {name: fields[name]["/V"] for name in values} == values


def test_questionnaires_are_word_for_word(shipped_build: Path) -> None:
    for entry in intake_entries(shipped_build):
        text = one_line(" ".join(page_texts(shipped_build / entry["path"])))
        assert PHQ9_STEM in text and GAD7_STEM in text
        for number, item in enumerate(PHQ9_ITEMS, start=1):
            assert f"{number}. {item}" in text, item
        for number, item in enumerate(GAD7_ITEMS, start=1):
            assert f"{number}. {item}" in text, item
        for option in OPTIONS:
            assert option in text
        assert text.count(CREDIT) == 2


def test_item_9_guidance_is_on_the_same_page_as_item_9(shipped_build: Path) -> None:
    for entry in intake_entries(shipped_build):
        pages = [one_line(text) for text in page_texts(shipped_build / entry["path"])]
        item_page = next(i for i, text in enumerate(pages) if f"9. {PHQ9_ITEMS[8]}" in text)
        guidance = pages[item_page]
        assert "Have you had thoughts like these? Do not wait for your appointment." in guidance
        assert "Call or text 988" in guidance and "call 911" in guidance
        assert guidance.index(PHQ9_ITEMS[8]) < guidance.index("Have you had thoughts like these?")


def test_ketamine_leaflet_says_what_a_clinician_reviews(shipped_build: Path) -> None:
    pdf = shipped_build / "Psychodynamic-Therapy-With-Ketamine-Intake-Form-Letter.pdf"
    text = one_line(" ".join(page_texts(pdf)))
    assert text.count("Read by a clinician before treatment") >= 4
    for phrase in (
        "Do you have high blood pressure?",
        "Have you ever had psychosis or mania?",
        "Have you ever had a seizure?",
        "Are you pregnant, trying to get pregnant, or breastfeeding?",
        "Lamotrigine",
        "Name of the adult who will take you home",
        "What do you hope integration sessions will help you with?",
        "except esketamine nasal spray",
        "I can stop treatment at any time",
    ):
        assert phrase in text, phrase


# --- form mistakes are located content errors -------------------------------------------

INTAKE_YAML = """\
kind: intake
id: beta-intake
topic: beta
title: Beta intake
purpose: This form helps us get to know you.
instructions: Fill it in on screen or on paper.
return_to: Bring it to your first visit.
review: {last_reviewed: 2026-11-01, next_review: 2027-11-01, reviewer_role: Psychiatrist (MD)}
version: "1.0"
sections:
  - heading: About you
    fields:
      - {type: text, name: full_name, label: Full name}
      - type: choice
        name: contact
        label: How should we contact you?
        options: [Phone, Email]
"""


def build_with_intake(capsys, content: Path, tmp_path: Path, text: str) -> tuple[int, str, Path]:
    intake = write(content / "intake" / "beta.yaml", text)
    code = main(["--content", str(content), "--output", str(tmp_path / "out")])
    return code, capsys.readouterr().err, intake


def test_a_valid_small_form_builds(capsys, content: Path, tmp_path: Path) -> None:
    code, err, _ = build_with_intake(capsys, content, tmp_path, INTAKE_YAML)
    assert code == 0, err
    fields = fields_of(tmp_path / "out" / "Beta-Intake-Form-Letter.pdf")
    assert set(fields) == {"full_name", "contact"}


def test_unknown_field_type_is_located(capsys, content: Path, tmp_path: Path) -> None:
    text = INTAKE_YAML.replace("{type: text, name: full_name", "{type: slider, name: full_name")
    code, err, intake = build_with_intake(capsys, content, tmp_path, text)
    assert code == 1
    assert err.startswith(
        f"{display_path(intake)}:13: sections[0].fields[0].type: unknown type 'slider'; use one of: "
    )
    assert "'text', 'multiline', 'date'" in err
    assert (tmp_path / "out" / "Alpha-Brochure-Letter.pdf").is_file(), "the other documents still build"


def test_duplicate_field_name_is_located(capsys, content: Path, tmp_path: Path) -> None:
    text = INTAKE_YAML.replace("name: contact", "name: full_name")
    code, err, intake = build_with_intake(capsys, content, tmp_path, text)
    assert code == 1
    assert (
        f"{display_path(intake)}:15: sections[0].fields[1].name: field name 'full_name' is already used by sections[0].fields[0]"
        in err
    )


def test_radio_question_without_options_is_located(capsys, content: Path, tmp_path: Path) -> None:
    text = INTAKE_YAML.replace("        options: [Phone, Email]\n", "")
    code, err, intake = build_with_intake(capsys, content, tmp_path, text)
    assert code == 1
    assert f"{display_path(intake)}:14: sections[0].fields[1].options: required field is missing" in err


def test_radio_question_with_one_option_is_located(capsys, content: Path, tmp_path: Path) -> None:
    text = INTAKE_YAML.replace("options: [Phone, Email]", "options: [Phone]")
    code, err, intake = build_with_intake(capsys, content, tmp_path, text)
    assert code == 1
    assert (
        f"{display_path(intake)}:17: sections[0].fields[1].options: List should have at least 2 items" in err
    )


def test_unknown_instrument_is_located(capsys, content: Path, tmp_path: Path) -> None:
    text = INTAKE_YAML + "      - {type: questionnaire, name: scr, instrument: phq-8}\n"
    code, err, intake = build_with_intake(capsys, content, tmp_path, text)
    assert code == 1
    assert (
        f"{display_path(intake)}:18: sections[0].fields[2].instrument: unknown instrument 'phq-8' (have: gad-7, phq-9)"
        in err
    )


def test_bare_yes_no_option_is_caught(capsys, content: Path, tmp_path: Path) -> None:
    text = INTAKE_YAML.replace("options: [Phone, Email]", "options: [Yes, No]")
    code, err, intake = build_with_intake(capsys, content, tmp_path, text)
    assert code == 1
    assert (
        f"{display_path(intake)}:17: sections[0].fields[1].options[0]: expected text, got True; put the value in quotes"
        in err
    )


@pytest.mark.parametrize("path", INTAKES, ids=[p.stem for p in INTAKES])
def test_shipped_intake_has_no_hard_coded_question_in_templates(path: Path) -> None:
    """Every question comes from content: no label of a shipped form appears in a template."""
    templates = " ".join(p.read_text() for p in (CONTENT_DIR.parent.parent / "templates").rglob("*.html"))
    source = yaml.safe_load(path.read_text())
    labels = [f["label"] for s in source["sections"] for f in s.get("fields", []) if "label" in f]
    assert labels
    assert not [label for label in labels if label in templates]
