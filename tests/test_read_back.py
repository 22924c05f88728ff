"""The intake loop: a personalised copy for one patient, and filled leaflets read back with
scores, the item-9 alert and FHIR records."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import stat
from pathlib import Path

import pikepdf
import pypdf
import pytest

from handouts.cli import main
from handouts.paths import CONTENT_DIR
from handouts.personalise import RECORD, purge, read_record, write_record
from handouts.status import ExitStatus

LETTER = "Psychodynamic-Therapy-Intake-Form-Letter.pdf"
KETAMINE_LETTER = "Psychodynamic-Therapy-With-Ketamine-Intake-Form-Letter.pdf"
PATIENT = {
    "--name": "Zelda Quarrington",
    "--birth-date": "1979-03-14",
    "--appointment": "Tuesday 4 May, 10:00",
    "--clinician": "Dr. Ottoline Vance",
}
PERSONAL_STRINGS = ["Zelda", "Quarrington", "03/14/1979", "Ottoline", "Tuesday 4 May"]


def personalise(output: Path, private: Path, *extra: str) -> Path:
    args = ["personalise", "psychodynamic-therapy-intake", "--output", str(output), "--private", str(private)]
    for option, value in PATIENT.items():
        args += [option, value]
    assert main([*args, *extra]) == 0
    copies = [p for p in private.iterdir() if p.suffix == ".pdf"]
    return max(copies, key=lambda p: p.stat().st_mtime_ns)


def fill(source: Path, target: Path, values: dict[str, str]) -> Path:
    """Fill as a viewer would, with pypdf: radio groups by the on-state of one widget."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(target)
    return target


def phq9(scores: list[int]) -> dict[str, str]:
    # WeasyPrint's radio on-states are the option's index; the options are scored 0 to 3.
    return {f"phq9_{n}": f"/{s}" for n, s in enumerate(scores, 1)}


def gad7(scores: list[int]) -> dict[str, str]:
    return {f"gad7_{n}": f"/{s}" for n, s in enumerate(scores, 1)}


def read_json(capsys, *files: Path) -> tuple[int, dict]:
    status = main(["read", "--format", "json", *map(str, files)])
    return status, json.loads(capsys.readouterr().out)


@pytest.fixture
def private(tmp_path: Path) -> Path:
    return tmp_path / "private"


def test_personalised_copy_reads_back_the_values_filled(shipped_build, private, capsys) -> None:
    copy = personalise(shipped_build, private)
    capsys.readouterr()
    status, result = read_json(capsys, copy)
    assert status == ExitStatus.OK
    answers = {a["name"]: a["value"] for a in result["leaflets"][0]["answers"]}
    assert answers["full_name"] == "Zelda Quarrington"
    assert answers["date_of_birth"] == "03/14/1979"
    assert answers["appointment"] == "Tuesday 4 May, 10:00"
    assert answers["clinician"] == "Dr. Ottoline Vance"
    assert answers["phone"] is None


def test_personalised_copy_keeps_the_blank_forms_metadata_and_pages(shipped_build, private) -> None:
    copy = personalise(shipped_build, private)
    blank, filled = pikepdf.open(shipped_build / LETTER), pikepdf.open(copy)
    assert {k: str(v) for k, v in filled.docinfo.items()} == {k: str(v) for k, v in blank.docinfo.items()}
    assert filled.Root.Metadata.read_bytes() == blank.Root.Metadata.read_bytes()
    assert len(filled.pages) == len(blank.pages)
    assert str(filled.docinfo["/handoutsdocument"]) == "psychodynamic-therapy-intake"


def test_personal_data_stays_in_the_private_folder(shipped_build, private, capsys) -> None:
    before = {p: p.read_bytes() for p in shipped_build.rglob("*") if p.is_file()}
    copy = personalise(shipped_build, private)
    printed = capsys.readouterr()
    after = {p: p.read_bytes() for p in shipped_build.rglob("*") if p.is_file()}
    assert after == before  # nothing new or changed in output/, the manifest or the cache
    assert printed.out.strip() == f"wrote {copy}" and not printed.err
    for secret in PERSONAL_STRINGS:
        assert secret not in copy.name
        assert secret not in (private / RECORD).read_text()
        assert secret not in printed.out
    metadata = pikepdf.open(copy)
    shown = str(dict(metadata.docinfo)) + metadata.Root.Metadata.read_bytes().decode()
    assert not any(secret in shown for secret in PERSONAL_STRINGS)
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE((private / RECORD).stat().st_mode) == 0o600
    record = read_record(private)[0]
    manifest = json.loads((shipped_build / "manifest.json").read_text())
    blank = next(d for d in manifest["documents"] if d["path"] == LETTER)
    assert (record.output, record.blank_sha256) == (blank["id"], blank["sha256"])


def test_private_folder_inside_output_or_open_to_others_is_refused(shipped_build, tmp_path, capsys) -> None:
    base = ["personalise", "psychodynamic-therapy-intake", "--name", "Zelda Quarrington"]
    inside = ["--output", str(shipped_build), "--private", str(shipped_build / "personal")]
    assert main([*base, *inside]) == ExitStatus.USAGE
    assert "inside the output folder" in capsys.readouterr().err
    assert not (shipped_build / "personal").exists()
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    assert main([*base, "--output", str(shipped_build), "--private", str(shared)]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert "chmod 700" in err and "Zelda" not in err


def test_personalise_refuses_a_brochure_and_a_changed_blank(shipped_build, private, tmp_path, capsys) -> None:
    brochure = ["personalise", "psychodynamic-therapy", "--name", "Zelda Quarrington"]
    assert main([*brochure, "--output", str(shipped_build), "--private", str(private)]) == ExitStatus.USAGE
    assert "not an intake leaflet" in capsys.readouterr().err
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "manifest.json").write_bytes((shipped_build / "manifest.json").read_bytes())
    (changed / LETTER).write_bytes((shipped_build / LETTER).read_bytes() + b"\n")
    leaflet = ["personalise", "psychodynamic-therapy-intake", "--name", "Zelda Quarrington"]
    assert main([*leaflet, "--output", str(changed), "--private", str(private)]) == ExitStatus.USAGE
    assert "changed since the build" in capsys.readouterr().err


def test_known_answers_give_the_instruments_totals_and_bands(shipped_build, tmp_path, capsys) -> None:
    values = {**phq9([1, 2, 1, 2, 1, 1, 2, 1, 0]), **gad7([3, 3, 2, 3, 2, 3, 0])}
    filled = fill(shipped_build / LETTER, tmp_path / "filled.pdf", values)
    status, result = read_json(capsys, filled)
    assert status == ExitStatus.OK
    scores = {s["instrument"]: s for s in result["leaflets"][0]["scores"]}
    assert (scores["PHQ-9"]["total"], scores["PHQ-9"]["band"]) == (11, "Moderate depression")
    assert (scores["GAD-7"]["total"], scores["GAD-7"]["band"]) == (16, "Severe anxiety")
    assert scores["PHQ-9"]["items"][1] == {
        "number": 2,
        "name": "phq9_2",
        "text": "Feeling down, depressed, or hopeless",
        "score": 2,
        "option": "More than half the days",
    }
    assert result["leaflets"][0]["alerts"] == []


@pytest.mark.parametrize(
    ("scores", "band"),
    [([0] * 9, "Minimal depression"), ([1, 1, 1, 1, 1, 0, 0, 0, 0], "Mild depression"),
     ([3, 3, 3, 3, 3, 0, 0, 0, 0], "Moderately severe depression"), ([3] * 8 + [0], "Severe depression")],
)  # fmt: skip
def test_phq9_band_edges(shipped_build, tmp_path, capsys, scores, band) -> None:
    filled = fill(shipped_build / LETTER, tmp_path / "filled.pdf", phq9(scores))
    _, result = read_json(capsys, filled)
    phq = result["leaflets"][0]["scores"][0]
    assert (phq["total"], phq["band"]) == (sum(scores), band)


def test_missing_items_are_listed_and_leave_the_total_unbanded(shipped_build, tmp_path, capsys) -> None:
    values = phq9([2, 2, 2, 2, 2, 2, 2])  # items 8 and 9 unanswered
    filled = fill(shipped_build / LETTER, tmp_path / "filled.pdf", values)
    _, result = read_json(capsys, filled)
    leaflet = result["leaflets"][0]
    phq = leaflet["scores"][0]
    assert (phq["total"], phq["band"], phq["missing_items"]) == (14, None, [8, 9])
    assert "How have you been feeling?: PHQ-9 item 9" in leaflet["unanswered"]
    assert "How have you been feeling?: GAD-7 (all 7 items)" in leaflet["unanswered"]
    assert "About you: Full name" in leaflet["unanswered"]


def test_item_9_above_0_comes_first_with_its_own_exit_status(shipped_build, tmp_path, capsys) -> None:
    values = {**phq9([0, 0, 0, 0, 0, 0, 0, 0, 1]), "full_name": "Sample Patient"}
    filled = fill(shipped_build / LETTER, tmp_path / "filled.pdf", values)
    status = main(["read", str(filled)])
    printed = capsys.readouterr()
    assert status == ExitStatus.SAFETY_ANSWER == 3
    first_lines = printed.out.splitlines()[:4]
    assert "SAFETY ALERT: PHQ-9 item 9" in first_lines[1]
    assert '"Several days"' in first_lines[1]
    assert "better off dead" in first_lines[2]
    assert "SAFETY ALERT" in printed.err
    status, result = read_json(capsys, filled)
    assert status == 3
    assert result["leaflets"][0]["alerts"][0]["item"] == 9


def test_item_9_at_0_raises_no_alert(shipped_build, tmp_path, capsys) -> None:
    filled = fill(shipped_build / LETTER, tmp_path / "filled.pdf", phq9([3] * 8 + [0]))
    assert main(["read", str(filled)]) == ExitStatus.OK
    assert "SAFETY ALERT" not in capsys.readouterr().out


def test_text_output_lists_answers_in_form_order_with_their_questions(
    shipped_build, tmp_path, capsys
) -> None:
    values = {
        "full_name": "Sample Patient",
        "contact_method": "/1",
        "voicemail_consent": "/1",
        "emergency_may_know_2": "/on",
        "medicines_r2_name": "Sertraline",
        "medicines_r2_dose": "50 mg",
        "goals": "Fewer arguments at home.",
        **gad7([1] * 7),
    }
    filled = fill(shipped_build / LETTER, tmp_path / "filled.pdf", values)
    assert main(["read", str(filled)]) == 0
    out = capsys.readouterr().out
    expected = [
        "  GAD-7: 7 of 21 - Mild anxiety",
        "  Full name: Sample Patient",
        "  How should we contact you?: Text message",
        "  May we leave a voicemail at your phone number?: No",
        "    [x] Where I am",
        "  What would you like to be different when therapy ends?: Fewer arguments at home.",
        "    Medicine 2: Name of medicine: Sertraline; Dose: 50 mg",
    ]
    positions = [out.index(line) for line in expected]
    assert positions[1:] == sorted(positions[1:])
    assert "    1. Feeling nervous, anxious, or on edge: Several days (1)" in out


def test_fhir_output_validates_and_carries_loinc_codes(shipped_build, tmp_path, capsys) -> None:
    from fhir.resources.R4B.bundle import Bundle

    values = {**phq9([1, 2, 1, 2, 1, 1, 2, 1, 0]), **gad7([0] * 7), "full_name": "Sample Patient",
              "voicemail_consent": "/0", "medicines_r1_name": "Sertraline"}  # fmt: skip
    filled = fill(shipped_build / LETTER, tmp_path / "filled.pdf", values)
    assert main(["read", "--format", "fhir", str(filled)]) == 0
    bundle = json.loads(capsys.readouterr().out)
    Bundle.model_validate(bundle)
    questionnaire, response = (entry["resource"] for entry in bundle["entry"])
    assert questionnaire["resourceType"] == "Questionnaire"
    assert response["resourceType"] == "QuestionnaireResponse"
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"

    def walk(items):
        for item in items:
            yield item
            yield from walk(item.get("item", []))

    declared = {item["linkId"]: item for item in walk(questionnaire["item"])}
    assert declared["phq9"]["code"][0]["code"] == "44249-1"
    assert declared["phq9_total"]["code"][0]["code"] == "44261-6"
    assert declared["gad7"]["code"][0]["code"] == "69737-5"
    assert declared["gad7_total"]["code"][0]["code"] == "70274-6"
    answered = {item["linkId"]: item.get("answer") for item in walk(response["item"])}
    assert set(answered) <= set(declared)
    assert answered["phq9_total"] == [{"valueInteger": 11}]
    assert answered["phq9_severity"] == [{"valueString": "Moderate depression"}]
    assert answered["gad7_total"] == [{"valueInteger": 0}]
    assert answered["full_name"] == [{"valueString": "Sample Patient"}]
    assert answered["voicemail_consent"] == [{"valueBoolean": True}]
    assert answered["medicines_r1_name"] == [{"valueString": "Sertraline"}]


def test_ketamine_leaflet_reads_back_audit_c(shipped_build, tmp_path, capsys) -> None:
    values = {"audit_c_1": "/2", "audit_c_2": "/1", "audit_c_3": "/0"}
    filled = fill(shipped_build / KETAMINE_LETTER, tmp_path / "filled.pdf", values)
    _, result = read_json(capsys, filled)
    audit = next(s for s in result["leaflets"][0]["scores"] if s["instrument"] == "AUDIT-C")
    assert (audit["total"], audit["max"], audit["band"]) == (3, 12, None)


def test_read_refuses_what_is_not_our_leaflet(shipped_build, tmp_path, capsys) -> None:
    brochure = shipped_build / "Psychodynamic-Therapy-Brochure-Letter.pdf"
    text = tmp_path / "notes.pdf"
    text.write_text("not a pdf")
    stranger = tmp_path / "stranger.pdf"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(stranger)
    good = fill(shipped_build / LETTER, tmp_path / "filled.pdf", gad7([0] * 7))
    status = main(["read", str(text), str(stranger), str(brochure), str(good)])
    printed = capsys.readouterr()
    assert status == ExitStatus.USAGE
    assert f"error: {text}: not a readable PDF" in printed.err
    assert f"error: {stranger}: not an intake leaflet built by handouts" in printed.err
    assert f"error: {brochure}:" in printed.err
    assert "GAD-7: 0 of 21 - Minimal anxiety" in printed.out  # the good one is still read


def test_read_refuses_another_version_and_reads_it_against_content_that_has_it(
    shipped_build, shipped_content_copy, tmp_path, capsys
) -> None:
    leaflet = shipped_content_copy / "intake" / "psychodynamic-therapy.yaml"
    leaflet.write_text(leaflet.read_text().replace('version: "2.2"', 'version: "2.3"'))
    filled = fill(shipped_build / LETTER, tmp_path / "filled.pdf", gad7([1] * 7))
    assert main(["read", "--content", str(shipped_content_copy), str(filled)]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert (
        "this is version 2.2 of 'psychodynamic-therapy-intake', but the content declares version 2.3" in err
    )
    assert main(["read", "--content", str(CONTENT_DIR), str(filled)]) == ExitStatus.OK


def test_purge_removes_only_old_copies(shipped_build, private, capsys) -> None:
    old, new = personalise(shipped_build, private), personalise(shipped_build, private)
    records = read_record(private)
    ten_days_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=10)).replace(microsecond=0).isoformat()
    write_record(private, [r if r.file != old.name else r.__class__(**{**r.__dict__, "created": ten_days_ago})
                           for r in records])  # fmt: skip
    other = private / "keep-me.txt"
    other.write_text("not a copy")
    assert main(["purge", "--older-than", "7", "--private", str(private)]) == 0
    assert "removed 1 personalised copy older than 7 days; 1 kept" in capsys.readouterr().out
    assert not old.exists() and new.exists() and other.exists()
    assert [r.file for r in read_record(private)] == [new.name]
    assert purge(private, dt.timedelta(days=0), now=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)) == (
        1,
        0,
    )
    assert not new.exists()


def test_email_attaches_a_checked_personalised_copy(shipped_build, private, tmp_path, capsys) -> None:
    copy = personalise(shipped_build, private)
    draft = tmp_path / "draft.eml"
    args = ["email", "--to", "patient@example.org", "--output", str(shipped_build), "--private", str(private)]
    assert main([*args, "--personalised", str(copy), "--draft", str(draft)]) == 0
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == LETTER
    assert attachment.get_content() == copy.read_bytes()
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert main([*args, "--personalised", str(copy), "--draft", str(shipped_build / "d.eml")]) == 2
    assert "cannot go into the output folder" in capsys.readouterr().err
    copy.write_bytes(copy.read_bytes() + b"\n")
    assert main([*args, "--personalised", str(copy), "--draft", str(draft)]) == 2
    assert "changed since it was made" in capsys.readouterr().err
