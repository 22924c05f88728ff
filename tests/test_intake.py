"""Intake leaflets as a patient and a clinic get them: real form fields, tables to write in,
exact screening questionnaires, guidance beside PHQ-9 item 9, small files, located form
mistakes."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pikepdf
import pypdf
import pytest
import textstat
import yaml

from handouts.cli import main
from handouts.paths import CONTENT_DIR
from handouts.reader import display_path
from tests.support import one_line, page_texts, write
from tests.test_accessibility import kids, role

INTAKES = sorted((CONTENT_DIR / "intake").glob("*.yaml"))
MAX_BYTES = 200 * 1024  # issue 17: intake leaflets may be up to 200 KB

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
# AUDIT-C in its US wording, as the U.S. Department of Veterans Affairs publishes it
# (https://hepatitis.va.gov/alcohol/treatment/audit-c.asp; see /work/notes/research-audit-c.md):
# each item with its own answers and their points.
AUDIT_C_TITLE = "Alcohol Use Disorders Identification Test - Consumption (AUDIT-C)"
AUDIT_C = [
    (
        "How often did you have a drink containing alcohol in the past year?",
        [
            "Never",
            "Monthly or less",
            "2 to 4 times per month",
            "2 to 3 times per week",
            "4 or more times per week",
        ],
    ),
    (
        "On days in the past year when you drank alcohol how many drinks did you typically drink?",
        ["0, 1, or 2", "3 or 4", "5 or 6", "7 - 9", "10 or more"],
    ),
    (
        "How often did you have 6 or more (for men) or 4 or more (for women and everyone 65 and older) "
        "drinks on an occasion in the past year?",
        ["Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily"],
    ),
]
AUDIT_C_CREDIT = (
    "AUDIT-C as published by the U.S. Department of Veterans Affairs. A short form of the Alcohol Use "
    "Disorders Identification Test (AUDIT) of the World Health Organization. In the public domain."
)
INSTRUMENT_ITEMS = {"phq-9": 9, "gad-7": 7, "audit-c": 3}
KETAMINE_LETTER = "Psychodynamic-Therapy-With-Ketamine-Intake-Form-Letter.pdf"
PSYCHODYNAMIC_LETTER = "Psychodynamic-Therapy-Intake-Form-Letter.pdf"
# One heading for both places the crisis line is printed: beside PHQ-9 item 9 (thoughts in
# the last 2 weeks) and after "Have you ever tried to end your life?" (the past).
CRISIS_HEADING = "If you are thinking about suicide or hurting yourself now:"


def intake_entries(output: Path) -> list[dict]:
    documents = json.loads((output / "manifest.json").read_text())["documents"]
    return [d for d in documents if d["kind"] == "intake"]


def fields_of(pdf: Path) -> dict:
    return pypdf.PdfReader(pdf).get_fields()


def output_files(output: Path, letter: str) -> list[Path]:
    """A Letter standard file's four outputs: standard and large print, Letter and A4."""
    stem = letter.removesuffix("-Letter.pdf")
    names = [f"{stem}-{paper}.pdf" for paper in ("Letter", "A4")]
    names += [f"{stem.replace('-Form', '-Form-Large-Print')}-{paper}.pdf" for paper in ("Letter", "A4")]
    return [output / name for name in names]


def field_pages(pdf: Path) -> dict[str, set[int]]:
    """Each form field's name and the pages (from 1) its widgets are on."""
    pages: dict[str, set[int]] = {}
    for number, page in enumerate(pypdf.PdfReader(pdf).pages, start=1):
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            name = widget.get("/T") or widget["/Parent"].get_object()["/T"]
            pages.setdefault(str(name), set()).add(number)
    return pages


def descendants(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """Structure elements under `element`, depth first, in reading order."""
    found = []
    for kid in kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(kid)
            found += descendants(kid)
    return found


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


def test_each_leaflet_is_200_kb_or_less(shipped_build: Path) -> None:
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
                elif kind == "table":
                    columns = [column["name"] for column in field["columns"]]
                    cells = [f"{name}_r{r}_{c}" for r in range(1, field["rows"] + 1) for c in columns]
                    expected |= dict.fromkeys(cells, "/Tx")
                elif kind == "questionnaire":
                    count = INSTRUMENT_ITEMS[field["instrument"]]
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
    # No "Letter": the form asks for no postal address.
    assert list(fields["contact_method"]["/Opt"]) == ["Phone call", "Text message", "Email"]
    # One field per group: the buttons are kids of the group, not fields of their own.
    assert not [name for name in fields if "." in name]


def test_text_fields_are_named_by_their_labels(shipped_build: Path) -> None:
    fields = fields_of(shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf")
    assert fields["full_name"]["/TU"] == "Full name"
    assert fields["reason"]["/TU"] == "In your own words, what brings you to therapy now?"
    assert fields["reason"]["/Ff"] & (1 << 12), "multi-line"
    assert (
        fields["reflection_1"]["/TU"] == "Tick any that are true for you. I want to understand myself better."
    )


def test_every_question_is_named_word_for_word_even_where_it_wraps(shipped_build: Path) -> None:
    """A screen reader says the question as written: a label that wraps on paper (more often
    in large print) keeps the space at the line break."""
    for entry in intake_entries(shipped_build):
        source = yaml.safe_load((CONTENT_DIR / "intake" / f"{entry['topic']}.yaml").read_text())
        fields = fields_of(shipped_build / entry["path"])
        named = {
            field["name"]: field["label"]
            for section in source["sections"]
            for field in section.get("fields", [])
            if field["type"] not in ("checklist", "table", "questionnaire")
        }
        assert {name: fields[name]["/TU"] for name in named} == named, entry["path"]


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
    source = shipped_build / KETAMINE_LETTER
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    values = {
        "full_name": "Sample Patient",
        "ride_name": "Sample Driver",
        "phq9_9": "/1",
        "audit_c_2": "/3",
        "seizures": "/1",
        "consent_talk_1": "/on",
        "integration_hopes": "Making sense of old patterns.",
        "goals": "Fewer arguments at home.",
        "session_state": "Sample State",
        "heart_attack_when": "Never",
        "high_blood_pressure": "/2",
        "medicines_r1_name": "Sertraline",
        "medicines_r1_dose": "50 mg",
        "medicines_r1_how_often": "Once a day",
        "medicines_r8_prescriber": "Sample Prescriber",
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
        assert f"{CRISIS_HEADING} Do not wait for your appointment." in guidance
        assert "Call or text 988" in guidance and "call 911" in guidance
        assert guidance.index(PHQ9_ITEMS[8]) < guidance.index(CRISIS_HEADING)


def test_ketamine_leaflet_says_what_a_clinician_reviews(shipped_build: Path) -> None:
    pdf = shipped_build / KETAMINE_LETTER
    text = one_line(" ".join(page_texts(pdf)))
    assert text.count("Read by a clinician before treatment") >= 8
    for phrase in (
        "Do you have any allergies?",
        "Have you ever had bleeding in the brain, an aneurysm or an AVM?",
        "An aneurysm is a bulge in a blood vessel, in the brain, chest, belly or elsewhere.",
        "Do you have high blood pressure?",
        "If yes, do you take medicine for it?",
        "If yes, is it under control now?",
        "Your last blood pressure reading",
        "Have you had a heart attack?",
        "If yes, when was your last heart attack?",
        "Do you have another heart problem, such as heart failure, a valve problem or an irregular heartbeat?",
        "Have you had a stroke or a mini-stroke (TIA)?",
        "If yes, when was your last stroke or TIA?",
        "To medicines (including ketamine or anesthesia), foods, latex or anything else.",
        "cirrhosis (scarring of the liver)",
        "COPD (a long-term lung disease)",
        "needing to pee often or suddenly, or blood in your pee?",
        "Do you have liver problems",
        "Do you have breathing problems",
        "Do you have sleep apnea?",
        "Do you have bladder problems",
        "Your height",
        "Your weight",
        "Have you ever stayed in a hospital for your mental health?",
        "Have you ever had psychosis or mania, or been told you have bipolar disorder or schizophrenia?",
        "Have you ever tried to end your life?",
        "If yes, how many times, and when was the last time?",
        "Which antidepressants have you taken, now or in the past?",
        "the highest dose if you know it, about how long you took it",
        "Have you had ECT (electroconvulsive therapy)?",
        "Have you had TMS (transcranial magnetic stimulation)?",
        "Have you had ketamine or esketamine (Spravato) before?",
        "If yes, tell us about your ketamine treatment.",
        "If you had ECT or TMS, when was it?",
        "A stimulant, such as Adderall, Vyvanse, Ritalin or modafinil (Provigil)",
        "A sedative or sleeping pill, such as Ativan, Xanax, Klonopin or Ambien",
        "An opioid, such as oxycodone, hydrocodone, tramadol, methadone or buprenorphine",
        "An MAOI antidepressant, such as Nardil, Parnate or the Emsam patch",
        "Lamotrigine",
        "Have you ever had a problem with alcohol or drugs, or had treatment for it?",
        "Cannabis (marijuana)",
        "or other medicines not prescribed for you, or more than prescribed",
        "or anything else",
        "Are you pregnant, or planning to get pregnant?",
        "Are you breastfeeding?",
        "Have you ever had a seizure?",
        "What do you hope integration sessions will help you with?",
        "You can stop treatment at any time.",
    ):
        assert phrase in text, phrase


@pytest.mark.parametrize("pdf", [KETAMINE_LETTER, PSYCHODYNAMIC_LETTER])
def test_both_leaflets_ask_what_the_issue_lists_for_both(shipped_build: Path, pdf: str) -> None:
    fields = fields_of(shipped_build / pdf)
    text = one_line(" ".join(page_texts(shipped_build / pdf)))
    for name in ("voicemail_consent", "text_consent", "email_consent", "emergency_may_know_1", "privacy_1"):
        assert name in fields, name
    assert fields["privacy_1"]["/TU"].endswith("I was given this clinic's privacy notice.")
    assert "If we call them, what may we tell them?" in text
    # The acknowledgment points to the informed-consent talk; nothing on the form is a
    # tick-box consent to treatment.
    assert "This form is not your consent to" in text
    assert "you decide after that talk" in text.lower()
    assert fields["consent_talk_1"]["/TU"].endswith("and that I decide after that talk.")
    assert not [
        name for name in fields if name.startswith("consent_") and not name.startswith("consent_talk")
    ]


def test_pregnancy_and_breastfeeding_can_be_answered_does_not_apply(shipped_build: Path) -> None:
    fields = fields_of(shipped_build / KETAMINE_LETTER)
    assert list(fields["pregnancy"]["/Opt"]) == ["Yes", "No", "Not sure", "Does not apply to me"]
    assert list(fields["breastfeeding"]["/Opt"]) == ["Yes", "No", "Does not apply to me"]


def test_questions_many_people_cannot_answer_for_sure_offer_not_sure(shipped_build: Path) -> None:
    fields = fields_of(shipped_build / KETAMINE_LETTER)
    for name in ("high_blood_pressure", "psychosis_or_mania"):
        assert list(fields[name]["/Opt"]) == ["Yes", "No", "Not sure"], name


def test_psychodynamic_leaflet_asks_about_life_goals_and_practical_matters(shipped_build: Path) -> None:
    pdf = shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf"
    text = one_line(" ".join(page_texts(pdf)))
    for phrase in (
        "what brings you to therapy now?",
        "Who are the important people in your life now?",
        "Tell us about the family you grew up in.",
        "This question is optional.",
        "tell us about a loss, or losses, that still affect you. (Optional)",
        "Have you had therapy or counseling before?",
        "What would you like to be different when therapy ends?",
        "When can you come to sessions?",
        "By video (telehealth)",
        "How do you plan to pay?",
        "Do you have questions about fees or insurance?",
    ):
        assert phrase in text, phrase


# The psychodynamic items both leaflets ask, declared the same way in both files: the
# ketamine pairing is psychodynamic therapy too (review of the intake leaflets, item 3).
SHARED_QUESTIONS = [
    "important_people",
    "lives_with",
    "losses",
    "goals",
    "prior_therapy",
    "suicide_attempt",
    "suicide_attempt_when",
    "prescriber_name",
    "prescriber_phone",
    "availability",
    "session_place",
    "session_state",
    "payment",
    "insurance_plan",
    "fees_questions",
    "privacy",
]


def declared_fields(path: Path) -> dict[str, dict]:
    source = yaml.safe_load(path.read_text())
    return {field["name"]: field for section in source["sections"] for field in section.get("fields", [])}


def test_ketamine_leaflet_asks_the_psychodynamic_questions_the_same_way() -> None:
    psychodynamic = declared_fields(CONTENT_DIR / "intake" / "psychodynamic-therapy.yaml")
    ketamine = declared_fields(CONTENT_DIR / "intake" / "psychodynamic-therapy-with-ketamine.yaml")
    for name in SHARED_QUESTIONS:
        assert ketamine[name] == psychodynamic[name], name


def test_ketamine_leaflet_pdf_has_the_psychodynamic_questions(shipped_build: Path) -> None:
    fields = fields_of(shipped_build / KETAMINE_LETTER)
    text = one_line(" ".join(page_texts(shipped_build / KETAMINE_LETTER)))
    for name, label in [
        ("important_people", "Who are the important people in your life now?"),
        ("lives_with", "Who lives with you?"),
        ("losses", "If you want to, tell us about a loss, or losses, that still affect you. (Optional)"),
        ("goals", "What would you like to be different when therapy ends?"),
        ("session_state", "If by video, which state will you usually be in?"),
        ("insurance_plan", "If with insurance, the name of your plan"),
        ("fees_questions", "Do you have questions about fees or insurance?"),
    ]:
        assert fields[name]["/TU"] == label
        assert label in text, label
    assert list(fields["session_place"]["/Opt"]) == ["In person", "By video (telehealth)", "Either is fine"]
    assert list(fields["payment"]["/Opt"]) == [
        "With my health insurance",
        "I will pay myself",
        "Not sure yet",
    ]
    assert [fields[f"availability_{n}"]["/TU"].rsplit("you. ", 1)[1] for n in range(1, 5)] == [
        "Weekday mornings",
        "Weekday afternoons",
        "Weekday evenings",
        "Weekends",
    ]
    assert "This question is optional." in text
    assert "Ketamine sessions take place at the clinic, where staff watch you." in text
    assert "Therapy sessions can be in person or by video." in text


def test_psychodynamic_leaflet_asks_about_safety_and_what_would_suit(shipped_build: Path) -> None:
    fields = fields_of(shipped_build / PSYCHODYNAMIC_LETTER)
    text = one_line(" ".join(page_texts(shipped_build / PSYCHODYNAMIC_LETTER)))
    assert list(fields["suicide_attempt"]["/Opt"]) == ["yes", "no"]
    assert list(fields["substance_problems"]["/Opt"]) == ["Yes", "No", "Not sure"]
    assert fields["substance_problems"]["/TU"] == "Do alcohol or drugs cause problems for you?"
    assert "We ask everyone these questions." in text
    assert list(fields["preferred_style"]["/Opt"]) == [
        "More structured, with a plan and homework",
        "More open-ended, talking about what comes up",
        "Not sure",
    ]
    assert "Every other week" in list(fields["preferred_frequency"]["/Opt"])
    assert "About you and this kind of therapy" in text
    assert [
        fields[f"reflection_{n}"]["/TU"].removeprefix("Tick any that are true for you. ") for n in range(1, 6)
    ] == [
        "I want to understand myself better.",
        "I keep falling into the same patterns, even when I want to change.",
        "Close relationships are hard for me.",
        "I find it hard to know what I feel.",
        "I make choices that work against me.",
    ]


@pytest.mark.parametrize("letter", [KETAMINE_LETTER, PSYCHODYNAMIC_LETTER])
def test_contact_privacy_and_signature_say_what_they_mean(shipped_build: Path, letter: str) -> None:
    fields = fields_of(shipped_build / letter)
    text = one_line(" ".join(page_texts(shipped_build / letter)))
    assert "Texts, voicemail and regular email may not be private." in text
    assert "If you pick text or email, please also say yes to it in the next part." in text
    # The emergency contact: one fact a box, an option that excludes the others, and a way back.
    options = [
        str(fields[name]["/TU"]).removeprefix(
            "If we call them, what may we tell them? Tick all that you agree to. "
        )
        for name in sorted(n for n in fields if n.startswith("emergency_may_know_"))
    ]
    assert options[1:3] == ["Where I am", "How to reach me"]
    assert options[-1] == "Only that they should contact me, nothing about my care"
    assert "You can change this at any time." in text
    assert (
        fields["prescriber_name"]["/TU"] == "Who is the main doctor or nurse who prescribes your medicines?"
    )
    assert "We will ask your permission before we contact them." in text
    assert "If you do not have our privacy notice, ask us for a copy." in text
    assert "By signing, you show that these answers are yours and true as far as you know." in text


@pytest.mark.parametrize("letter", [KETAMINE_LETTER, PSYCHODYNAMIC_LETTER])
def test_when_done_says_the_form_may_wait_and_where_help_is_sooner(shipped_build: Path, letter: str) -> None:
    clinic = yaml.safe_load((CONTENT_DIR / "clinic.yaml").read_text())
    text = one_line(" ".join(page_texts(shipped_build / letter)))
    done = text[text.index("When you are done") :]
    assert 'unless you said yes to regular email under "How may we leave you messages?"' in done
    assert "page 1" not in done
    sooner = (
        f"We may not read this form for a few days. If you need help sooner, call us at {clinic['phone']}."
    )
    assert sooner in done
    # The crisis box comes right after, with the lines as they are reached.
    line = clinic["crisis"]["lines"][0]
    after = done[done.index(sooner) + len(sooner) :]
    assert after.lstrip().startswith("Get help now")
    assert f"Call or text {line['number']} ({line['service']['en']})" in after


def link_targets(pdf: Path) -> list[str]:
    return [
        str(annotation.get_object()["/A"]["/URI"])
        for page in pypdf.PdfReader(pdf).pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
        and "/URI" in annotation.get_object().get("/A", {})
    ]


def test_off_label_statement_cites_the_ketamine_injection_label(shipped_build: Path) -> None:
    """Racemic ketamine is approved for anesthesia only: its label, not Spravato's, backs the
    off-label sentence."""
    pdf = shipped_build / KETAMINE_LETTER
    text = one_line(" ".join(page_texts(pdf)))
    statement = (
        "Ketamine by vein or muscle (Ketalar) is approved as a medicine for anesthesia. Its use for "
        "depression is off-label. This means the FDA has not approved that use."
    )
    assert statement in text
    references = text[text.rindex("References") :]
    assert "Ketalar (ketamine) injection label. FDA, on DailyMed." in references
    ketalar = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=14e8f864-8b8a-4e7e-8439-e510d3107063"
    assert ketalar in link_targets(pdf)
    before_you_decide = text[
        text.index(statement) : text.index("Please tick to show you have read this.", text.index(statement))
    ]
    assert "Sources: [1], [2]" in before_you_decide


def test_treatment_days_state_the_rule_and_ask_no_promise(shipped_build: Path) -> None:
    fields = fields_of(shipped_build / KETAMINE_LETTER)
    text = one_line(" ".join(page_texts(shipped_build / KETAMINE_LETTER)))
    assert (
        "After each ketamine session, you must not drive until the next day, after a restful sleep. "
        "You will need someone to drive you home. Your clinic will tell you its own rules about rides, "
        "food and alcohol."
    ) in text
    assert fields["no_driving_1"]["/TU"] == (
        "Please tick to show you have read this. "
        "I understand that I must not drive until the next day after each session."
    )
    assert fields["ride_name"]["/TU"] == "Who might take you home? (If you know yet)"
    assert "I will not drive" not in text


def intake_prose(path: Path) -> list[str]:
    source = yaml.safe_load(path.read_text())
    return [source["purpose"], source["instructions"]] + [
        paragraph for section in source["sections"] for paragraph in section.get("paragraphs", [])
    ]


@pytest.mark.parametrize("path", INTAKES, ids=[p.stem for p in INTAKES])
def test_intake_prose_is_smog_grade_8_or_below(path: Path) -> None:
    body = " ".join(" ".join(text.split()) for text in intake_prose(path))
    assert textstat.sentence_count(body) >= 30, "SMOG needs 30 sentences to be meaningful"
    assert textstat.smog_index(body) <= 8.0


# --- The medicines table --------------------------------------------------------------------

MEDICINE_COLUMNS = [
    ("name", "Name of medicine"),
    ("dose", "Dose"),
    ("how_often", "How often"),
    ("prescriber", "Who prescribes it"),
]


@pytest.mark.parametrize(
    ("pdf", "rows"), [(KETAMINE_LETTER, 8), ("Psychodynamic-Therapy-Intake-Form-Large-Print-A4.pdf", 6)]
)
def test_medicines_table_cells_say_question_row_and_column(shipped_build: Path, pdf: str, rows: int) -> None:
    fields = fields_of(shipped_build / pdf)
    cells = {name: field for name, field in fields.items() if name.startswith("medicines_r")}
    assert len(cells) == rows * len(MEDICINE_COLUMNS)
    for row in range(1, rows + 1):
        for column, header in MEDICINE_COLUMNS:
            cell = cells[f"medicines_r{row}_{column}"]
            assert cell["/FT"] == "/Tx"
            assert cell["/TU"] == f"Which medicines do you take now? Medicine {row}: {header}"


def widgets_by_name(pdf: Path) -> dict[str, tuple[int, list[float]]]:
    """Each text field's page (from 1) and rectangle."""
    found = {}
    for number, page in enumerate(pypdf.PdfReader(pdf).pages, start=1):
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            if "/T" in widget:
                found[str(widget["/T"])] = (number, [float(v) for v in widget["/Rect"]])
    return found


@pytest.mark.parametrize("variant", ["", "Large-Print-"])
def test_medicines_table_is_ruled_rows_with_room_to_write(shipped_build: Path, variant: str) -> None:
    """Each row on one page, its cells side by side at one height, left to right, tall
    enough to write in by hand."""
    millimetre = 72 / 25.4
    widgets = widgets_by_name(
        shipped_build / f"Psychodynamic-Therapy-With-Ketamine-Intake-Form-{variant}Letter.pdf"
    )
    for row in range(1, 9):
        cells = [widgets[f"medicines_r{row}_{column}"] for column, _ in MEDICINE_COLUMNS]
        assert len({page for page, _ in cells}) == 1, f"row {row} split across pages"
        bottoms = {round(rect[1], 1) for _, rect in cells}
        assert len(bottoms) == 1, f"row {row} cells not level"
        lefts = [rect[0] for _, rect in cells]
        assert lefts == sorted(lefts)
        assert all(abs(rect[3] - rect[1]) >= 9.5 * millimetre for _, rect in cells)
    # The medicine's name gets the widest cell.
    widths = [widgets[f"medicines_r1_{column}"][1] for column, _ in MEDICINE_COLUMNS]
    assert max(widths, key=lambda rect: rect[2] - rect[0]) is widths[0]


def test_medicines_table_is_a_tagged_table_with_column_headers(shipped_build: Path) -> None:
    """Header cells in a THead that every cell points to, so a screen reader announces the
    column as it reads each row; every cell holds its form field."""
    text = one_line(" ".join(page_texts(shipped_build / KETAMINE_LETTER)))
    assert " ".join(header for _, header in MEDICINE_COLUMNS) in text
    with pikepdf.open(shipped_build / KETAMINE_LETTER) as pdf:
        tables = [e for e in descendants(pdf.Root.StructTreeRoot) if role(e) == "/Table"]
        holding_text_fields = [
            table
            for table in tables
            if not any(role(e) == "/TH" and "/Scope" in e.get("/A", {}) for e in descendants(table))
            and sum(role(e) == "/Form" for e in descendants(table)) == 8 * len(MEDICINE_COLUMNS)
        ]
        assert len(holding_text_fields) == 1, "one table of text fields: the medicines"
        table = holding_text_fields[0]
        assert [role(k) for k in kids(table) if isinstance(k, pikepdf.Dictionary)][-2:] == [
            "/THead",
            "/TBody",
        ]
        headers = [e for e in descendants(table) if role(e) == "/TH"]
        assert len(headers) == len(MEDICINE_COLUMNS)
        cells = [e for e in descendants(table) if role(e) == "/TD"]
        assert len(cells) == 8 * len(MEDICINE_COLUMNS)
        header_ids = [str(h.ID) for h in headers]
        for index, cell in enumerate(cells):
            assert [str(h) for h in cell.A.Headers] == [header_ids[index % len(MEDICINE_COLUMNS)]]
            assert [role(e) for e in descendants(cell)].count("/Form") == 1


# --- AUDIT-C -----------------------------------------------------------------------------------


def test_audit_c_is_word_for_word_with_its_points_and_credit(shipped_build: Path) -> None:
    for pdf in (KETAMINE_LETTER, "Psychodynamic-Therapy-With-Ketamine-Intake-Form-Large-Print-A4.pdf"):
        text = one_line(" ".join(page_texts(shipped_build / pdf)))
        assert AUDIT_C_TITLE in text
        for number, (question, answers) in enumerate(AUDIT_C, start=1):
            assert f"{number}. {question}" in text, question
            answers_as_printed = " ".join(f"{answer} ({points})" for points, answer in enumerate(answers))
            assert answers_as_printed in text, answers_as_printed
        assert AUDIT_C_CREDIT in text
        assert "one drink means one standard drink" in text
        for drink in (
            "12 ounces of regular beer (about 5% alcohol)",
            "5 ounces of wine (about 12% alcohol)",
            "1.5 ounces of liquor such as vodka or whiskey (about 40% alcohol)",
        ):
            assert drink in text


def test_audit_c_answers_are_radio_groups_scored_0_to_4(shipped_build: Path) -> None:
    fields = fields_of(shipped_build / KETAMINE_LETTER)
    for number, (question, _) in enumerate(AUDIT_C, start=1):
        group = fields[f"audit_c_{number}"]
        assert group["/Ff"] & (1 << 15), "radio flag"
        assert list(group["/Opt"]) == ["0", "1", "2", "3", "4"]
        assert group["/TU"] == f"{number}. {question}"
    assert fields["audit_c_total"]["/FT"] == "/Tx"
    assert "audit_c_difficulty" not in fields


def test_audit_c_is_only_where_asked(shipped_build: Path) -> None:
    text = one_line(" ".join(page_texts(shipped_build / "Psychodynamic-Therapy-Intake-Form-Letter.pdf")))
    assert AUDIT_C_TITLE not in text


# --- Follow-ups and the crisis line -------------------------------------------------------------


def test_a_follow_up_is_on_the_same_page_as_its_question(shipped_build: Path) -> None:
    source = yaml.safe_load((CONTENT_DIR / "intake" / "psychodynamic-therapy-with-ketamine.yaml").read_text())
    pairs = []
    for section in source["sections"]:
        fields = section.get("fields", [])
        pairs += [
            (before["name"], after["name"])
            for before, after in itertools.pairwise(fields)
            if after.get("follow_up")
        ]
    assert len(pairs) >= 6
    for pdf in output_files(shipped_build, KETAMINE_LETTER):
        pages = field_pages(pdf)
        for question, follow_up in pairs:
            # A checklist's first box stands for it.
            question_pages = pages.get(question) or pages[f"{question}_1"]
            follow_up_pages = pages.get(follow_up) or pages[f"{follow_up}_1"]
            assert question_pages == follow_up_pages, f"{pdf.name}: {follow_up} apart from {question}"


@pytest.mark.parametrize("letter", [KETAMINE_LETTER, PSYCHODYNAMIC_LETTER])
def test_crisis_line_follows_the_question_about_suicide_attempts(shipped_build: Path, letter: str) -> None:
    """The question is about the past: its follow-up ("If yes, ... when?") comes right after
    it, then the crisis line, worded for someone thinking about suicide now; all on one page."""
    question = "Have you ever tried to end your life?"
    follow_up = "If yes, how many times, and when was the last time?"
    for pdf in output_files(shipped_build, letter):
        pages = [one_line(text) for text in page_texts(pdf)]
        text = next(text for text in pages if question in text)
        after = text[text.index(question) :]
        assert after.index(follow_up) < after.index(CRISIS_HEADING) < after.index("Call or text 988"), (
            pdf.name
        )
        assert "call 911" in after
        assert "Have you had thoughts like these?" not in " ".join(pages)
        pages_of = field_pages(pdf)
        assert pages_of["suicide_attempt"] == pages_of["suicide_attempt_when"], pdf.name


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
        f"{display_path(intake)}:18: sections[0].fields[2].instrument: unknown instrument 'phq-8' (have: audit-c, gad-7, phq-9)"
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


TABLE_FIELD = """\
      - type: table
        name: meds
        label: Which medicines do you take?
        row_label: Medicine
        rows: 2
        columns:
          - {name: name, label: Name}
          - {name: dose, label: Dose}
"""


def test_a_table_is_declared_as_data_and_its_cells_fill_in(capsys, content: Path, tmp_path: Path) -> None:
    code, err, _ = build_with_intake(capsys, content, tmp_path, INTAKE_YAML + TABLE_FIELD)
    assert code == 0, err
    pdf = tmp_path / "out" / "Beta-Intake-Form-Letter.pdf"
    fields = fields_of(pdf)
    cells = {"meds_r1_name", "meds_r1_dose", "meds_r2_name", "meds_r2_dose"}
    assert set(fields) == {"full_name", "contact"} | cells
    assert fields["meds_r2_dose"]["/TU"] == "Which medicines do you take? Medicine 2: Dose"
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(pdf))
    values = {"meds_r1_name": "Sample medicine", "meds_r2_dose": "10 mg"}
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    assert {name: fields_of(filled)[name].get("/V") for name in sorted(cells)} == {
        "meds_r1_dose": "",
        "meds_r1_name": "Sample medicine",
        "meds_r2_dose": "10 mg",
        "meds_r2_name": "",
    }


def test_table_with_a_repeated_column_is_located(capsys, content: Path, tmp_path: Path) -> None:
    text = INTAKE_YAML + TABLE_FIELD.replace("{name: dose, label: Dose}", "{name: name, label: Dose}")
    code, err, intake = build_with_intake(capsys, content, tmp_path, text)
    assert code == 1
    assert (
        f"{display_path(intake)}:18: sections[0].fields[2]: column names must differ from each other" in err
    )


def test_table_cells_may_not_reuse_another_fields_name(capsys, content: Path, tmp_path: Path) -> None:
    text = INTAKE_YAML + TABLE_FIELD + "      - {type: text, name: meds_r2_dose, label: Dose again}\n"
    code, err, intake = build_with_intake(capsys, content, tmp_path, text)
    assert code == 1
    assert (
        f"{display_path(intake)}:26: sections[0].fields[3].name: field name 'meds_r2_dose' is already used by "
        "sections[0].fields[2]"
    ) in err


def test_a_section_cannot_start_with_a_follow_up(capsys, content: Path, tmp_path: Path) -> None:
    text = INTAKE_YAML.replace(
        "{type: text, name: full_name, label: Full name}",
        "{type: text, name: full_name, label: Full name, follow_up: true}",
    )
    code, err, intake = build_with_intake(capsys, content, tmp_path, text)
    assert code == 1
    assert (
        f"{display_path(intake)}:11: sections[0]: the first question of a section has no question before it "
        "to follow up"
    ) in err
