"""`handouts email --to ADDRESS ID ...`: an unsent email draft (.eml) with built PDFs.

Works from an already-built output folder: the files named in its manifest are attached
only when their sha256 still matches. The recipient's address goes into the `To` header
and nowhere else: never into the body, the PDFs, or anything printed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import sys
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import parseaddr
from pathlib import Path

from handouts.catalog import KIND_LAYOUTS, STANDARD, Output, plan
from handouts.diagnostics import Diagnostic
from handouts.models import Clinic, UiStrings
from handouts.models.clinic import CrisisContact
from handouts.models.common import DocumentBase
from handouts.reader import display_path
from handouts.status import ExitStatus
from handouts.validate import ValidContent, ValidDocument
from handouts.writer import MANIFEST, ManifestEntry, UnsafeOutputPath, read_manifest, write_atomic

DEFAULT_DRAFT = Path("drafts") / "handouts-draft.eml"

# A dot-atom local part and a domain of at least two hostname labels: no quoting, no
# comments, no spaces or line breaks, so an address can never carry a second header.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+")
_LOOKS_LIKE_ADDRESS = re.compile(r"\S*@\S*")
_ATTACHMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.pdf")


class UsageError(Exception):
    """Bad input from the command line or a stale build; printed as `error: ...`, exit 2."""


def recipient(addresses: list[str]) -> Address:
    """The one address given, checked strictly. The error never repeats the input."""
    if len(addresses) != 1:
        raise UsageError("give exactly one address with --to")
    text = addresses[0]
    if len(text) > 254 or not _ADDRESS.fullmatch(text) or parseaddr(text) != ("", text):
        raise UsageError("not a valid email address")
    try:
        address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):
        raise UsageError("not a valid email address") from None
    if address.addr_spec != text or not address.username or "." not in address.domain:
        raise UsageError("not a valid email address")
    return address


@dataclass(frozen=True)
class Attachment:
    entry: ManifestEntry
    document: DocumentBase
    data: bytes
    locale: str


def load_manifest(output: Path) -> dict[str, ManifestEntry]:
    manifest = read_manifest(output)
    if not (output / MANIFEST).is_file() or not manifest:
        raise UsageError(f"no manifest in {display_path(output)}; run the build first")
    return manifest


def _for_document(outputs: list[Output], manifest: dict[str, ManifestEntry], paper: str) -> list[str]:
    """One built output of a document: standard variant, its main layout, `paper` if built."""
    built = [o for o in outputs if o.variant == STANDARD and o.id in manifest]

    def preference(output: Output) -> tuple[bool, int]:
        return output.paper != paper, KIND_LAYOUTS[output.kind].index(output.layout)

    return [min(built, key=preference).id] if built else []


def resolve(
    ids: list[str], outputs: dict[str, Output], manifest: dict[str, ManifestEntry], paper: str
) -> list[str]:
    """Output ids to attach, in the order asked, without duplicates."""
    chosen: list[str] = []
    for wanted in ids:
        if _LOOKS_LIKE_ADDRESS.fullmatch(wanted):
            raise UsageError("an id cannot be an email address; give exactly one address with --to")
        if wanted in manifest and wanted in outputs:
            found = [wanted]
        else:
            found = _for_document([o for o in outputs.values() if o.document.id == wanted], manifest, paper)
        if not found:
            raise UsageError(
                f"no built document or output with id '{wanted}'; run the build first or check the id"
            )
        chosen += [output_id for output_id in found if output_id not in chosen]
    return chosen


def read_attachment(output: Path, entry: ManifestEntry, source: ValidDocument) -> Attachment:
    """The built file, refused when its name is not a plain PDF name or it changed since the build."""
    if not _ATTACHMENT_NAME.fullmatch(entry.path):
        raise UsageError(f"manifest.json names an unexpected file for '{entry.id}'; run the build again")
    try:
        data = (output / entry.path).read_bytes()
    except OSError:
        raise UsageError(
            f"{entry.path} is missing from {display_path(output)}; run the build again"
        ) from None
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        raise UsageError(
            f"{entry.path} changed since the build (sha256 differs from manifest.json); run the build again"
        )
    return Attachment(entry, source.document, data, source.locale)


def _documents(attachments: list[Attachment]) -> list[tuple[DocumentBase, list[str]]]:
    """Each document once, in order, with the file names it is attached as."""
    files: dict[str, tuple[DocumentBase, list[str]]] = {}
    for item in attachments:
        files.setdefault(item.document.id, (item.document, []))[1].append(item.entry.path)
    return list(files.values())


@dataclass(frozen=True)
class Wording:
    """The draft's words: the clinic profile and the fixed wording in the first
    document's locale (its language, and its country's spelling)."""

    clinic: Clinic
    strings: UiStrings


def wording(content: ValidContent, attachments: list[Attachment]) -> Wording:
    assert content.clinic is not None
    locale = attachments[0].locale
    return Wording(content.clinic.localised(locale), content.strings[locale])


def subject(words: Wording, attachments: list[Attachment]) -> str:
    documents = _documents(attachments)
    t = words.strings
    about = documents[0][0].title if len(documents) == 1 else t.email_handouts.format(count=len(documents))
    return t.email_subject.format(clinic=words.clinic.name, about=about)


def crisis_line(line: CrisisContact, t: UiStrings) -> str:
    """One line as its reach says: "Call or text 988" only when it takes both."""
    parts = [f"{getattr(t, 'reach_' + line.voice)} {line.number} ({line.service})"] if line.voice else []
    if "chat" in line.reach:
        chat = f"{t.reach_chat} {line.chat}"
        parts.append(chat if line.voice else f"{chat} ({line.service})")
    return ". ".join(parts) + "."


def crisis_lines(words: Wording) -> str:
    t, crisis = words.strings, words.clinic.crisis
    lines = " ".join(crisis_line(line, t) for line in crisis.lines)
    return f"{t.email_crisis} {lines} {t.emergency} {crisis.emergency}."


def body(words: Wording, attachments: list[Attachment]) -> str:
    """Plain words, no patient data: what is attached, what each is for, where to get help."""
    documents = _documents(attachments)
    several = len(documents) > 1
    clinic, t = words.clinic, words.strings
    sending = t.email_sending_many if several else t.email_sending_one
    lines = [t.email_greeting, "", sending.format(clinic=clinic.name)]
    for document, names in documents:
        lines += ["", f"{document.title} ({', '.join(names)})", document.purpose]
    help_now = t.email_help_many if several else t.email_help_one
    lines += ["", f"{help_now} {crisis_lines(words)}"]
    lines += ["", clinic.name, clinic.phone, clinic.website]
    return "\n".join(lines) + "\n"


def draft_message(words: Wording, to: Address, attachments: list[Attachment]) -> EmailMessage:
    """An unsent draft: no Date or Message-ID (a mail client adds them when it sends)."""
    clinic = words.clinic
    message = EmailMessage(policy=SMTP)
    message["From"] = Address(display_name=clinic.name, addr_spec=clinic.email)
    message["To"] = to
    message["Subject"] = subject(words, attachments)
    message["X-Unsent"] = "1"
    text = body(words, attachments)
    message.set_content(text, charset="utf-8")
    for item in attachments:
        message.add_attachment(item.data, maintype="application", subtype="pdf", filename=item.entry.path)
    # The same documents give the same bytes: a boundary from the content, not a random one.
    # Base64 never holds '-', and the body would have to quote this hash to clash.
    seed = "\n".join([text, *(item.entry.sha256 for item in attachments)])
    message.set_boundary(f"handouts-{hashlib.sha256(seed.encode()).hexdigest()[:32]}")
    return message


def write_draft(draft: Path, data: bytes) -> Path:
    """Written whole or not at all, and readable by its owner only: it holds a patient's address."""
    try:
        written = write_atomic(draft.parent, draft.name, data, mode=0o600)
    except (UnsafeOutputPath, OSError) as error:
        raise UsageError(f"cannot write the draft: {error}") from None
    return written


def _print_problems(problems: list[Diagnostic]) -> None:
    for problem in sorted(problems):
        print(problem, file=sys.stderr)


@dataclass(frozen=True)
class EmailRequest:
    """What `handouts email` was asked for."""

    to: list[str]
    ids: list[str]
    output: Path
    content: Path
    paper: str
    draft: Path | None
    personalised: list[Path] = dataclasses.field(default_factory=list)
    private: Path | None = None


def personalised_attachments(
    request: EmailRequest, outputs: dict[str, Output], manifest: dict[str, ManifestEntry], clinic: str
) -> list[Attachment]:
    """Personalised copies, each checked against the private folder's record, and its blank
    against the build: the copy must be unchanged and filled from the PDF the manifest lists."""
    from handouts.personalise import PersonaliseError, checked_copy, private_folder

    if not request.personalised:
        return []
    if request.private is None:
        raise UsageError("--personalised needs the private folder (--private)")
    attachments = []
    try:
        folder = private_folder(request.private, request.output)
        for path in request.personalised:
            record, data = checked_copy(path, folder)
            entry = manifest.get(record.output)
            if entry is None or entry.sha256 != record.blank_sha256 or record.output not in outputs:
                raise UsageError(
                    f"{path.name} was filled from a build of '{record.output}' that has changed since; "
                    "personalise the new build"
                )
            if entry.clinic != clinic:
                raise UsageError(f"{path.name} was filled from a PDF built for clinic '{entry.clinic}'")
            # Attached under the blank's file name: the name carries no personal data.
            copy = dataclasses.replace(entry, sha256=record.sha256, bytes=len(data))
            source = outputs[record.output].source
            attachments.append(Attachment(copy, source.document, data, source.locale))
    except PersonaliseError as error:
        raise UsageError(str(error)) from None
    return attachments


def _draft_path(request: EmailRequest, personal: bool) -> Path:
    """A draft holding a personalised copy goes to the private folder, never the output folder."""
    if not personal:
        return request.draft or request.output / DEFAULT_DRAFT
    assert request.private is not None
    draft = request.draft or request.private / DEFAULT_DRAFT.name
    if draft.resolve().is_relative_to(request.output.resolve()):
        raise UsageError("a draft with a personalised copy cannot go into the output folder; choose --draft")
    return draft


def write_email_draft(request: EmailRequest) -> ExitStatus:
    """Write the draft; content problems are printed. Raises UsageError."""
    from handouts.build import BuildSettings
    from handouts.pipeline import load_content

    to = recipient(request.to)
    manifest = load_manifest(request.output)
    if not request.content.is_dir():
        raise UsageError(f"content folder not found: {request.content}")
    content, problems = load_content(BuildSettings(content=request.content, output=request.output))
    if content.clinic is None:
        _print_problems(problems)
        print("error: the clinic profile has problems; fix them to write a draft", file=sys.stderr)
        return ExitStatus.CONTENT
    outputs = {o.id: o for o in plan(content.documents, content.papers)}
    if not request.ids and not request.personalised:
        raise UsageError("give a document or output id, or --personalised COPY")
    try:
        chosen = resolve(request.ids, outputs, manifest, request.paper)
    except UsageError:
        _print_problems(problems)  # a wanted document may be in a file with these problems
        raise
    for output_id in chosen:
        if manifest[output_id].clinic != content.clinic.id:
            raise UsageError(
                f"{manifest[output_id].path} was built for clinic '{manifest[output_id].clinic}', "
                f"not '{content.clinic.id}'; build it with this clinic profile first"
            )
    attachments = [read_attachment(request.output, manifest[i], outputs[i].source) for i in chosen]
    personal = personalised_attachments(request, outputs, manifest, content.clinic.id)
    attachments += personal
    data = draft_message(wording(content, attachments), to, attachments).as_bytes()
    written = write_draft(_draft_path(request, bool(personal)), data)
    count = f"{len(attachments)} attachment{'s' if len(attachments) != 1 else ''}"
    print(f"wrote {display_path(written)} ({count}, {len(data) // 1024} KB)")
    return ExitStatus.OK
