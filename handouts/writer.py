"""Write stage: files appear in the output folder whole or not at all, plus the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from handouts.language_tags import ENGLISH, language_of

MANIFEST = "manifest.json"
PARTIAL_PREFIX = ".partial-"


class UnsafeOutputPath(ValueError):
    """A file name that would land outside the output folder."""


def write_atomic(folder: Path, name: str, data: bytes, mode: int = 0o644) -> Path:
    """Write `data` to folder/name via a temporary file and a rename, so readers never
    see a half-written file and a failed write leaves the old file in place."""
    folder = folder.resolve()
    target = (folder / name).resolve()
    if target.parent != folder:
        raise UnsafeOutputPath(f"{name!r} is not a plain file name inside the output folder")
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=PARTIAL_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


@dataclass(frozen=True)
class ManifestEntry:
    id: str
    kind: str
    title: str
    topic: str
    layout: str
    paper: str
    variant: str
    language: str
    edition_of: str
    """The document id of the original: its own for an original, the one it translates for
    a translation. Editions of one topic share it and sit together in the manifest."""
    clinic: str
    path: str
    pages: int
    bytes: int
    sha256: str


def entry_for(fields: dict[str, Any], path: str, data: bytes, pages: int) -> ManifestEntry:
    return ManifestEntry(
        **fields, path=path, pages=pages, bytes=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def read_manifest(folder: Path) -> dict[str, ManifestEntry]:
    """The previous build's entries by id; an unreadable manifest counts as none."""
    try:
        raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return {item["id"]: ManifestEntry(**item) for item in raw["documents"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def manifest_order(entry: ManifestEntry) -> tuple[str, ...]:
    """By topic, then kind, then each original with its editions (English first), then id."""
    return (
        entry.topic,
        entry.kind,
        entry.edition_of,
        "" if language_of(entry.language) == ENGLISH else entry.language,
        entry.id,
    )


def write_manifest(folder: Path, entries: list[ManifestEntry]) -> Path:
    documents = [asdict(entry) for entry in sorted(entries, key=manifest_order)]
    text = json.dumps({"documents": documents}, indent=2, ensure_ascii=False) + "\n"
    return write_atomic(folder, MANIFEST, text.encode("utf-8"))
