"""Incremental builds: what each output read, and whether any of it has changed.

A rendered output reports the files it actually read (the templates Jinja loaded, every
file the WeasyPrint fetcher served, its stylesheets, the optional stylesheets and panel
map it looked for and did not find) and the build adds what it gave the renderer (the
content file, the clinic profile, the string table, the instruments used). The cache
file keeps those inputs with their digests, per output. An output is unchanged when the
package code and rendering libraries are the same, every recorded input still has its
digest, and its file is still the one written.

A whole, clean build also records what validation read (the folders it lists and the
files in them). When nothing at all has changed since, `nothing_changed` says so without
reading content into models or importing the renderer: the no-change quick path.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from handouts.catalogue_page import About
from handouts.diagnostics import Diagnostic
from handouts.paths import INSTRUMENTS_DIR, PACKAGE_DIR
from handouts.review_dates import ReviewDate, reviews_from_json
from handouts.writer import MANIFEST, ManifestEntry, write_atomic

CACHE_FILE = ".handouts-cache.json"
CACHE_FORMAT = 3
ABSENT = "absent"
"""The digest of a file that was looked for and not found (an optional stylesheet)."""
RENDERING_LIBRARIES = (
    "weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "fonttools", "pyphen", "pillow",
    "jinja2", "pydantic", "pyyaml",
)  # fmt: skip

Inputs = dict[str, str]
"""Input key (`templates:partials/blocks.html`, `content:brochures/` for a folder's
listing) -> digest."""


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digest(path: Path) -> str:
    """A file's SHA-256, or ABSENT; remembered while its size and modification time stay."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ABSENT
    if not path.is_file():
        return ABSENT
    return _digest_of(path, stat.st_mtime_ns, stat.st_size)


@cache
def _digest_of(path: Path, mtime_ns: int, size: int) -> str:
    return file_sha256(path)


def _listing_digest(folder: Path) -> str:
    """The names in a folder: a file added or removed there changes it."""
    if not folder.is_dir():
        return ABSENT
    names = sorted(path.name for path in folder.iterdir())
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


@cache
def environment_digest() -> str:
    """The Python, the rendering libraries' versions and the package's own code."""
    lines = [f"python={platform.python_version()}"]
    lines += [f"{name}={_version(name)}" for name in RENDERING_LIBRARIES]
    lines += [f"{p.relative_to(PACKAGE_DIR)}:{file_sha256(p)}" for p in sorted(PACKAGE_DIR.rglob("*.py"))]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class Roots:
    """The folders inputs are named relative to, so a record is checked against the
    folders of the build that checks it."""

    content: Path
    templates: Path
    styles: Path
    instruments: Path = INSTRUMENTS_DIR

    def _labelled(self) -> list[tuple[str, Path]]:
        return [
            ("content", self.content),
            ("templates", self.templates),
            ("styles", self.styles),
            ("instruments", self.instruments),
        ]

    def key(self, path: Path) -> str:
        """`label:relative/path`; a file outside every root is named by its absolute path."""
        resolved = path.resolve()
        for label, root in self._labelled():
            root = root.resolve()
            if resolved.is_relative_to(root):
                return f"{label}:{resolved.relative_to(root).as_posix()}"
        return f"file:{resolved.as_posix()}"

    def path(self, key: str) -> Path:
        label, _, relative = key.partition(":")
        if label == "file":
            return Path(relative)
        return dict(self._labelled())[label] / relative

    def current(self, key: str) -> str:
        """The digest the input has now."""
        if key.endswith("/"):
            return _listing_digest(self.path(key.rstrip("/")))
        return file_digest(self.path(key))

    def folder_inputs(self, folders: Iterable[Path]) -> Inputs:
        """Each folder's listing and the digest of every file in it (not below)."""
        inputs: Inputs = {}
        for folder in folders:
            inputs[self.key(folder).rstrip("/") + "/"] = _listing_digest(folder)
            if folder.is_dir():
                for path in sorted(folder.iterdir()):
                    if path.is_file():
                        inputs[self.key(path)] = file_digest(path)
        return inputs

    def read_inputs(self, reads: Mapping[str, str]) -> Inputs:
        """A renderer's reads (absolute path -> digest) as input keys."""
        return {self.key(Path(path)): digest for path, digest in reads.items()}


def unchanged(roots: Roots, inputs: Inputs) -> bool:
    return all(roots.current(key) == digest for key, digest in inputs.items())


@dataclass(frozen=True)
class CacheRecord:
    source: str
    """The content file, relative to the content folder: when it is gone, so are its outputs."""
    environment: str
    """The code and libraries that rendered it (environment_digest)."""
    inputs: Inputs
    entry: ManifestEntry
    about: About
    """What the catalogue page says of it beyond its manifest entry."""


@dataclass
class Cache:
    """The cache file: the last build's records and what the quick path must still say."""

    records: dict[str, CacheRecord] = field(default_factory=dict)
    complete: bool = False
    """The last build was whole and clean: the quick path may vouch for all of it."""
    validation: Inputs = field(default_factory=dict)
    """What that build's validation read."""
    warnings: list[Diagnostic] = field(default_factory=list)
    reviews: list[ReviewDate] = field(default_factory=list)

    def still_valid(self, output_id: str, filename: str, roots: Roots, output_dir: Path) -> bool:
        """The output was built from inputs that are all as they were, with this code and
        these libraries, and its file is still the one written."""
        record = self.records.get(output_id)
        if record is None or record.entry.path != filename or record.environment != environment_digest():
            return False
        return unchanged(roots, record.inputs) and file_digest(output_dir / filename) == record.entry.sha256


def load_cache(output_dir: Path) -> Cache:
    """The previous build's cache; a missing, unreadable or older one means rebuild all."""
    try:
        data = json.loads((output_dir / CACHE_FILE).read_text(encoding="utf-8"))
        if data["format"] != CACHE_FORMAT:
            return Cache()
        records = {
            output_id: CacheRecord(
                str(item["source"]),
                str(item["environment"]),
                dict(item["inputs"]),
                ManifestEntry(**item["entry"]),
                About(**item["about"]),
            )
            for output_id, item in data["outputs"].items()
        }
        return Cache(
            records=records,
            complete=data["complete"] is True,
            validation=dict(data["validation"]),
            warnings=[Diagnostic(**item) for item in data["warnings"]],
            reviews=reviews_from_json(data["reviews"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Cache()


def save_cache(
    output_dir: Path,
    records: dict[str, CacheRecord],
    complete: bool,
    validation: Inputs,
    warnings: Sequence[Diagnostic] = (),
    reviews: Sequence[ReviewDate] = (),
) -> None:
    data = {
        "format": CACHE_FORMAT,
        "complete": complete,
        "validation": dict(sorted(validation.items())),
        "outputs": {output_id: asdict(record) for output_id, record in sorted(records.items())},
        "warnings": [asdict(warning) for warning in warnings],
        "reviews": [review.as_json() for review in reviews],
    }
    write_atomic(output_dir, CACHE_FILE, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def nothing_changed(roots: Roots, output_dir: Path) -> Cache | None:
    """The last build's cache if it was whole and clean and nothing has changed since:
    the environment, every input of validation and of every output, and every file,
    which the manifest must list exactly as that build recorded (a build stopped half way
    through writing has a manifest that lists less). None otherwise."""
    found = load_cache(output_dir)
    environment = environment_digest()
    if not found.complete or any(record.environment != environment for record in found.records.values()):
        return None
    try:
        documents = json.loads((output_dir / MANIFEST).read_text(encoding="utf-8"))["documents"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    recorded = sorted((asdict(record.entry) for record in found.records.values()), key=lambda e: e["id"])
    if not isinstance(documents, list) or not all(isinstance(entry, dict) for entry in documents):
        return None
    if recorded != sorted(documents, key=lambda entry: str(entry.get("id"))):  # the manifest: by topic
        return None
    inputs = set(found.validation.items())
    for record in found.records.values():
        inputs |= record.inputs.items()
    if not all(roots.current(key) == digest for key, digest in inputs):
        return None
    files = [(output_dir / record.entry.path, record.entry.sha256) for record in found.records.values()]
    return found if all(file_digest(path) == sha256 for path, sha256 in files) else None
