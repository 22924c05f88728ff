"""`generate.py email`: an unsent .eml draft with built PDFs attached, read back as a mail client would."""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import shutil
import stat
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest

from handouts.cli import main
from handouts.email_draft import Attachment, Wording, draft_message
from handouts.models import Clinic, UiStrings
from handouts.paths import TEMPLATES_DIR
from handouts.reader import read_yaml
from handouts.writer import ManifestEntry
from tests.support import BROCHURE_YAML, CLINIC_YAML, write

ADDRESS = "patient@example.org"
ALPHA_PURPOSE = "This handout explains test therapy. It is for adults who are thinking about it."
BETA_PURPOSE = "This handout explains beta therapy. It is for adults who are thinking about it."
CRISIS = (
    "If you are in crisis: Call or text 988 (988 Suicide and Crisis Lifeline). In an emergency, call 911."
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A content folder with one clinic and brochures `alpha` and `beta`, built once: (content, output)."""
    root = tmp_path_factory.mktemp("email")
    content = root / "content"
    write(content / "clinic.yaml", CLINIC_YAML)
    write(content / "brochures" / "alpha.yaml", BROCHURE_YAML.format(id="alpha", title="Alpha therapy"))
    beta = BROCHURE_YAML.format(id="beta", title="Beta therapy").replace(ALPHA_PURPOSE, BETA_PURPOSE)
    write(content / "brochures" / "beta.yaml", beta)
    output = root / "output"
    assert main(["--content", str(content), "--output", str(output)]) == 0
    return content, output


@pytest.fixture
def output_copy(built: tuple[Path, Path], tmp_path: Path) -> Path:
    """A copy of the built output folder that a test may change."""
    return Path(shutil.copytree(built[1], tmp_path / "output"))


def email_run(capsys, content: Path, output: Path, *args: str, to: str = ADDRESS) -> tuple[int, str, str]:
    code = main(["email", "--to", to, "--output", str(output), "--content", str(content), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_draft(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def plain_body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return part.get_content().replace("\r\n", "\n")  # the draft has SMTP's CRLF line ends


def attachments(message: EmailMessage) -> dict[str, bytes]:
    found = {}
    for part in message.iter_attachments():
        assert part.get_content_type() == "application/pdf"
        assert part.get_content_disposition() == "attachment"
        found[part.get_filename()] = part.get_content()
    return found


def manifest(output: Path) -> dict[str, dict]:
    return {d["path"]: d for d in json.loads((output / "manifest.json").read_text())["documents"]}


def test_one_document_draft(capsys, built, tmp_path: Path) -> None:
    content, output = built
    draft = tmp_path / "draft.eml"
    code, out, err = email_run(capsys, content, output, "--draft", str(draft), "alpha")
    assert code == 0, err
    assert out.startswith(f"wrote {draft} (1 attachment, ")
    assert out.rstrip().endswith(" KB)")
    assert ADDRESS not in out + err

    message = read_draft(draft)
    assert message["To"] == ADDRESS
    assert message["From"].addresses[0].display_name == "Test Clinic"
    assert message["From"].addresses[0].addr_spec == "front-desk@example.org"
    assert message["Subject"] == "Information from Test Clinic: Alpha therapy"
    assert message["X-Unsent"] == "1"
    assert message["Date"] is None
    assert message["Message-ID"] is None
    assert message.get_content_type() == "multipart/mixed"

    body = plain_body(message)
    assert body.startswith("Hello,\n")
    assert "Alpha therapy" in body
    assert ALPHA_PURPOSE in body
    assert CRISIS in body
    assert body.rstrip().endswith("Test Clinic\n(555) 010-0199\nhttps://example.org")
    assert ADDRESS not in body
    assert "Beta therapy" not in body

    files = attachments(message)
    assert list(files) == ["Alpha-Brochure-Letter.pdf"]
    data = files["Alpha-Brochure-Letter.pdf"]
    assert data == (output / "Alpha-Brochure-Letter.pdf").read_bytes()
    assert hashlib.sha256(data).hexdigest() == manifest(output)["Alpha-Brochure-Letter.pdf"]["sha256"]


def test_several_documents(capsys, built, tmp_path: Path) -> None:
    content, output = built
    draft = tmp_path / "draft.eml"
    code, out, err = email_run(capsys, content, output, "--draft", str(draft), "beta", "alpha")
    assert code == 0, err
    assert "(2 attachments, " in out
    message = read_draft(draft)
    assert message["Subject"] == "Information from Test Clinic: 2 handouts"
    body = plain_body(message)
    assert body.index("Beta therapy") < body.index(BETA_PURPOSE) < body.index("Alpha therapy")
    assert body.index("Alpha therapy") < body.index(ALPHA_PURPOSE) < body.index(CRISIS)
    assert list(attachments(message)) == ["Beta-Brochure-Letter.pdf", "Alpha-Brochure-Letter.pdf"]


def test_default_draft_path_is_private(capsys, built, output_copy: Path) -> None:
    code, out, err = email_run(capsys, built[0], output_copy, "alpha")
    assert code == 0, err
    draft = output_copy / "drafts" / "handouts-draft.eml"
    assert out.startswith(f"wrote {draft} (")
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert not [p for p in draft.parent.iterdir() if p.name.startswith(".partial")]
    assert "drafts" not in (output_copy / "manifest.json").read_text()


def test_paper_a4_chooses_the_a4_file(capsys, built, tmp_path: Path) -> None:
    content, output = built
    draft = tmp_path / "draft.eml"
    code, _, err = email_run(capsys, content, output, "--draft", str(draft), "--paper", "a4", "alpha")
    assert code == 0, err
    files = attachments(read_draft(draft))
    assert list(files) == ["Alpha-Brochure-A4.pdf"]
    assert files["Alpha-Brochure-A4.pdf"] == (output / "Alpha-Brochure-A4.pdf").read_bytes()


def test_output_id_attaches_exactly_that_file(capsys, built, tmp_path: Path) -> None:
    content, output = built
    draft = tmp_path / "draft.eml"
    code, _, err = email_run(capsys, content, output, "--draft", str(draft), "alpha-booklet-a4")
    assert code == 0, err
    assert list(attachments(read_draft(draft))) == ["Alpha-Brochure-A4.pdf"]


def test_document_id_never_picks_another_variant(capsys, built, tmp_path: Path) -> None:
    content, output = built
    others = sorted(
        e["id"]
        for e in manifest(output).values()
        if e["id"].startswith("alpha-") and e["variant"] != "standard"
    )
    if not others:
        pytest.skip("this build makes only the standard variant")
    draft = tmp_path / "draft.eml"
    code, _, err = email_run(capsys, content, output, "--draft", str(draft), "alpha", others[0])
    assert code == 0, err
    by_id = {e["id"]: e["path"] for e in manifest(output).values()}
    assert list(attachments(read_draft(draft))) == ["Alpha-Brochure-Letter.pdf", by_id[others[0]]]


def test_attachments_are_not_duplicated(capsys, built, tmp_path: Path) -> None:
    content, output = built
    draft = tmp_path / "draft.eml"
    args = ["--draft", str(draft), "alpha", "alpha-booklet-letter", "alpha", "alpha-booklet-a4"]
    code, _, err = email_run(capsys, content, output, *args)
    assert code == 0, err
    message = read_draft(draft)
    assert list(attachments(message)) == ["Alpha-Brochure-Letter.pdf", "Alpha-Brochure-A4.pdf"]
    assert message["Subject"] == "Information from Test Clinic: Alpha therapy"
    assert plain_body(message).count(ALPHA_PURPOSE) == 1


def test_same_input_gives_the_same_bytes(capsys, built, tmp_path: Path) -> None:
    content, output = built
    first, second = tmp_path / "1.eml", tmp_path / "2.eml"
    assert email_run(capsys, content, output, "--draft", str(first), "alpha", "beta")[0] == 0
    assert email_run(capsys, content, output, "--draft", str(second), "alpha", "beta")[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_valid_unusual_address_is_accepted(capsys, built, tmp_path: Path) -> None:
    content, output = built
    draft = tmp_path / "draft.eml"
    address = "first.last+handouts@mail.example.co.uk"
    code, out, err = email_run(capsys, content, output, "--draft", str(draft), "alpha", to=address)
    assert code == 0, err
    assert address not in out + err
    assert read_draft(draft)["To"] == address


@pytest.mark.parametrize(
    "address",
    [
        "not-an-address",
        "a@b",
        "x@example.org\r\nBcc: evil@example.org",
        "x@example.org\nBcc: evil@example.org",
        "a@example.org, b@example.org",
        "a@example.org,b@example.org",
        "Patient <patient@example.org>",
        "patient @example.org",
        "@example.org",
        "patient@",
        "patient@example..org",
        "patient@.example.org",
        "",
    ],
)
def test_invalid_address_is_refused_without_echo(capsys, built, tmp_path: Path, address: str) -> None:
    content, output = built
    draft = tmp_path / "draft.eml"
    code, out, err = email_run(capsys, content, output, "--draft", str(draft), "alpha", to=address)
    assert code == 2
    assert err == "error: not a valid email address\n"
    assert out == ""
    for word in ["patient", "example.org", "evil", "not-an-address", "a@b"]:
        assert word not in out + err
    assert not draft.exists()


def test_two_to_options_are_refused(capsys, built, tmp_path: Path) -> None:
    content, output = built
    args = ["--to", "b@example.org", "--draft", str(tmp_path / "d.eml"), "alpha"]
    code, out, err = email_run(capsys, content, output, *args, to="a@example.org")
    assert code == 2
    assert err == "error: give exactly one address with --to\n"
    assert "@" not in out + err


def test_second_address_given_as_an_id_is_not_echoed(capsys, built, tmp_path: Path) -> None:
    content, output = built
    code, out, err = email_run(capsys, content, output, "other@example.org", "alpha")
    assert code == 2
    assert "an id cannot be an email address" in err
    assert "@" not in out + err


def test_argparse_errors_do_not_echo_an_address(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["email", "--to", ADDRESS, "--cc=other@example.org", "alpha"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "@" not in captured.out + captured.err
    assert "[address hidden]" in captured.err


def test_forgetting_the_email_command_does_not_echo_an_address(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--to", ADDRESS, "alpha"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "@" not in captured.out + captured.err


def test_email_must_come_first(capsys, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--output", str(tmp_path), "email", "--to", ADDRESS, "alpha"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "put 'email' first" in captured.err
    assert "@" not in captured.out + captured.err


def test_unknown_id(capsys, built, tmp_path: Path) -> None:
    content, output = built
    code, _, err = email_run(capsys, content, output, "--draft", str(tmp_path / "d.eml"), "alpha", "gamma")
    assert code == 2
    assert err == "error: no built document or output with id 'gamma'; run the build first or check the id\n"
    assert not (tmp_path / "d.eml").exists()


def test_document_in_content_but_not_built_is_unknown(capsys, built, output_copy: Path) -> None:
    for path in output_copy.glob("Beta-*.pdf"):
        path.unlink()
    assert main(["--content", str(built[0]), "--output", str(output_copy), "--only", "alpha"]) == 0
    capsys.readouterr()
    code, _, err = email_run(capsys, built[0], output_copy, "beta")
    assert code == 2
    assert "no built document or output with id 'beta'" in err


def test_missing_manifest(capsys, built, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = email_run(capsys, built[0], empty, "alpha")
    assert code == 2
    assert err == f"error: no manifest in {empty}; run the build first\n"


def test_changed_pdf_is_refused(capsys, built, output_copy: Path) -> None:
    pdf = output_copy / "Alpha-Brochure-Letter.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% changed\n")
    code, _, err = email_run(capsys, built[0], output_copy, "alpha")
    assert code == 2
    assert "Alpha-Brochure-Letter.pdf changed since the build" in err
    assert not (output_copy / "drafts").exists()


def test_missing_pdf_is_refused(capsys, built, output_copy: Path) -> None:
    (output_copy / "Alpha-Brochure-A4.pdf").unlink()
    code, _, err = email_run(capsys, built[0], output_copy, "alpha-booklet-a4")
    assert code == 2
    assert "Alpha-Brochure-A4.pdf is missing" in err


def test_manifest_path_outside_the_folder_is_refused(capsys, built, output_copy: Path) -> None:
    path = output_copy / "manifest.json"
    path.write_text(path.read_text().replace('"Alpha-Brochure-A4.pdf"', '"../secret.pdf"'))
    code, _, err = email_run(capsys, built[0], output_copy, "alpha-booklet-a4")
    assert code == 2
    assert "manifest.json names an unexpected file for 'alpha-booklet-a4'" in err


def test_clinic_problems_exit_1(capsys, built, output_copy: Path, tmp_path: Path) -> None:
    content = Path(shutil.copytree(built[0], tmp_path / "content"))
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("email: front-desk@example.org", "email: front desk"))
    code, out, err = email_run(capsys, content, output_copy, "alpha")
    assert code == 1
    assert "clinic.yaml:6: email: write an email address" in err
    assert ADDRESS not in out + err


def test_missing_content_folder(capsys, built, tmp_path: Path) -> None:
    code, _, err = email_run(capsys, tmp_path / "nowhere", built[1], "alpha")
    assert code == 2
    assert "content folder not found" in err


def test_help_lists_the_email_command(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "email" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["email", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--to ADDRESS" in out
    assert "--paper {letter,a4}" in out


def test_clinic_name_with_punctuation_is_quoted_in_from() -> None:
    clinic = Clinic(
        id="oneil-park",
        name="O'Neil, Park & Partners",
        address=["1 Road"],
        phone="(555) 010-0100",
        email="care@example.org",
        website="https://example.org",
    )
    entry = ManifestEntry(
        "a-booklet-letter",
        "brochure",
        "A",
        "a",
        "booklet",
        "letter",
        "standard",
        "en",
        "a",
        "oneil-park",
        "A.pdf",
        1,
        3,
        "0",
    )
    document = type("Doc", (), {"id": "a", "title": "A", "purpose": "For you."})()
    strings = UiStrings.model_validate(read_yaml(TEMPLATES_DIR / "strings" / "en.yaml")[0].data)
    attachment = Attachment(entry, document, b"%PDF", "en-US")
    message = draft_message(Wording(clinic, strings), Address(addr_spec=ADDRESS), [attachment])
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["From"].addresses[0].display_name == "O'Neil, Park & Partners"
    assert parsed["From"].addresses[0].addr_spec == "care@example.org"
    assert parsed["To"].addresses[0].addr_spec == ADDRESS
