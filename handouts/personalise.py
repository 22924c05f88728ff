"""`handouts personalise` and `handouts purge`: copies of a built intake leaflet with the
patient's name (and birth date, appointment, clinician) already in its form fields.

A copy is the built PDF with those text fields filled: no new layout, the same metadata
(title, author, XMP are the blank form's). Personal data stays out of the output folder,
the manifest, the build cache and anything printed: copies go to a private folder
(0700, files 0600) outside the output folder, under names made of the output id and a
random token. Beside them, `personalised.json` (0600, no names in it) ties each copy to
the sha256 of the blank it was filled from, so `handouts email` can check a copy before
attaching it, and `purge` can remove old ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from handouts.dates import numeric_date
from handouts.leaflet_pdf import NotALeaflet, fill_text_fields
from handouts.models.intake import Intake, PrefillKey
from handouts.writer import ManifestEntry, write_atomic

RECORD = "personalised.json"
MAX_VALUE = 120
_COPY_NAME = re.compile(r"[a-z0-9-]+-[0-9a-f]{16}\.pdf")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class PersonaliseError(Exception):
    """Printed as `error: ...`, exit 2. Never holds a personal value."""


def default_private_folder() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "handouts" / "personal"


def private_folder(folder: Path, output: Path) -> Path:
    """The private folder, made 0700 if new; refused inside the output folder, or when others
    may read it."""
    resolved = folder.expanduser().resolve()
    if resolved.is_relative_to(output.resolve()):
        raise PersonaliseError(
            f"the private folder {folder} is inside the output folder {output}; "
            "personalised copies never go there: choose another --private"
        )
    try:
        resolved.mkdir(mode=0o700, parents=True, exist_ok=True)
        mode = stat.S_IMODE(resolved.stat().st_mode)
    except OSError as error:
        raise PersonaliseError(f"cannot use the private folder {folder}: {error.strerror}") from None
    if mode & 0o077:
        raise PersonaliseError(
            f"the private folder {folder} can be read by others (mode {mode:o}); run: chmod 700 {folder}"
        )
    return resolved


@dataclass(frozen=True)
class CopyRecord:
    """One personalised copy. No personal data: which blank, and when."""

    file: str
    output: str
    document: str
    version: str
    blank_sha256: str
    sha256: str
    created: str
    """UTC, ISO 8601 to the second."""


def read_record(folder: Path) -> list[CopyRecord]:
    path = folder / RECORD
    if not path.is_file():
        return []
    try:
        return [CopyRecord(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))["copies"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise PersonaliseError(f"{path} is damaged; move it away to start a new record") from None


def write_record(folder: Path, copies: list[CopyRecord]) -> None:
    data = json.dumps({"copies": [asdict(copy) for copy in copies]}, indent=2) + "\n"
    write_atomic(folder, RECORD, data.encode(), mode=0o600)


def checked_values(values: dict[PrefillKey, str], intake: Intake, output_id: str) -> dict[str, str]:
    """PDF field name -> value, for the options given. Messages name the option, never its value."""
    fields = intake.prefill_fields()
    filled: dict[str, str] = {}
    for key, value in values.items():
        option = f"--{key.replace('_', '-')}"
        if key not in fields:
            raise PersonaliseError(
                f"'{output_id}' has no field for {option}; give one of its fields `prefill: {key}`"
            )
        text = value.strip()
        if not text or len(text) > MAX_VALUE or _CONTROL.search(text):
            raise PersonaliseError(f"{option}: give one line of 1 to {MAX_VALUE} characters")
        filled[fields[key]] = text
    if not filled:
        raise PersonaliseError(
            "nothing to fill in: give --name (and --birth-date, --appointment, --clinician)"
        )
    return filled


def personalise(
    blank: bytes, entry: ManifestEntry, intake: Intake, values: dict[str, str], folder: Path
) -> Path:
    """Write one copy into the private folder and record it; returns its path."""
    try:
        filled = fill_text_fields(blank, values)
    except (NotALeaflet, KeyError):
        raise PersonaliseError(
            f"{entry.path} is not the leaflet its manifest entry says; build again"
        ) from None
    name = f"{entry.id}-{secrets.token_hex(8)}.pdf"
    copy = CopyRecord(
        file=name,
        output=entry.id,
        document=intake.id,
        version=intake.version,
        blank_sha256=entry.sha256,
        sha256=hashlib.sha256(filled).hexdigest(),
        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )
    records = read_record(folder)
    path = write_atomic(folder, name, filled, mode=0o600)
    write_record(folder, [*records, copy])
    return path


def purge(folder: Path, older_than: dt.timedelta, now: dt.datetime | None = None) -> tuple[int, int]:
    """Remove copies made longer ago than `older_than`, and their records; copies the record
    does not name (left by an interrupted run) go by their file time. Returns (removed, kept)."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - older_than
    records = read_record(folder)
    kept = [r for r in records if dt.datetime.fromisoformat(r.created) >= cutoff]
    old = {r.file for r in records} - {r.file for r in kept}
    recorded = {r.file for r in records}
    for path in folder.iterdir():
        if not _COPY_NAME.fullmatch(path.name) or not path.is_file():
            continue
        unrecorded_and_old = path.name not in recorded and (
            dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) < cutoff
        )
        if path.name in old or unrecorded_and_old:
            old.add(path.name)
            path.unlink(missing_ok=True)
    write_record(folder, kept)
    return len(old), len(kept)


def checked_copy(path: Path, folder: Path) -> tuple[CopyRecord, bytes]:
    """A personalised copy to attach: it must be in the private folder's record, unchanged."""
    if path.resolve().parent != folder or not _COPY_NAME.fullmatch(path.name):
        raise PersonaliseError(f"{path.name} is not a personalised copy in the private folder {folder}")
    record = next((r for r in read_record(folder) if r.file == path.name), None)
    if record is None:
        raise PersonaliseError(f"{path.name} is not in the private folder's record ({RECORD})")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PersonaliseError(f"cannot read {path.name}: {error.strerror}") from None
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise PersonaliseError(f"{path.name} changed since it was made (sha256 differs from its record)")
    return record, data


@dataclass(frozen=True)
class PersonaliseRequest:
    """What `handouts personalise` was asked for."""

    id: str
    values: dict[PrefillKey, str]
    """A birth date as YYYY-MM-DD: it is written in the leaflet's own date order."""
    output: Path
    content: Path
    paper: str
    private: Path


def write_personalised(request: PersonaliseRequest) -> Path:
    """Find the built leaflet, check it against the manifest, fill it, record it."""
    from handouts.build import BuildSettings
    from handouts.catalog import plan
    from handouts.email_draft import UsageError, load_manifest, read_attachment, resolve
    from handouts.pipeline import load_content

    folder = private_folder(request.private, request.output)
    try:
        manifest = load_manifest(request.output)
        content, _ = load_content(BuildSettings(content=request.content, output=request.output))
        outputs = {o.id: o for o in plan(content.documents, content.papers)}
        (output_id,) = resolve([request.id], outputs, manifest, request.paper)
        document = outputs[output_id].document
        if not isinstance(document, Intake):
            raise PersonaliseError(f"'{request.id}' is not an intake leaflet")
        blank = read_attachment(request.output, manifest[output_id], outputs[output_id].source)
    except UsageError as error:
        raise PersonaliseError(str(error)) from None
    values = dict(request.values)
    if "birth_date" in values:  # written as the leaflet asks for dates: its locale's order
        order = content.strings[outputs[output_id].source.locale].date_order
        values["birth_date"] = numeric_date(dt.date.fromisoformat(values["birth_date"]), order)
    values = checked_values(values, document, output_id)
    return personalise(blank.data, blank.entry, document, values, folder)
