"""The quick no-change check: one digest over every input of a whole build.

After a complete build without problems, the build stores this digest in its cache file.
The next build with the same digest, whose files are all still the ones it wrote, has
nothing to do: it stops here without reading content into models or importing the renderer.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path

from handouts.diagnostics import Diagnostic
from handouts.paths import INSTRUMENTS_DIR, PACKAGE_DIR
from handouts.review_dates import ReviewDate, reviews_from_json

CACHE_FILE = ".handouts-cache.json"
MANIFEST = "manifest.json"
RENDERING_LIBRARIES = (
    "weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "fonttools", "pyphen", "pillow",
    "jinja2", "pydantic", "pyyaml",
)  # fmt: skip


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def environment_lines() -> list[str]:
    """The Python, the rendering libraries' versions and the package's own code."""
    lines = [f"python={platform.python_version()}"]
    lines += [f"{name}={_version(name)}" for name in RENDERING_LIBRARIES]
    lines += [f"{p.relative_to(PACKAGE_DIR)}:{file_sha256(p)}" for p in sorted(PACKAGE_DIR.rglob("*.py"))]
    return lines


def build_fingerprint(content: Path, templates: Path, styles: Path) -> str:
    lines = environment_lines()
    for label, root in (
        ("content", content),
        ("templates", templates),
        ("styles", styles),
        ("instruments", INSTRUMENTS_DIR),
    ):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            lines.append(f"{label}/{path.relative_to(root).as_posix()}:{file_sha256(path)}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def unchanged_outputs(content: Path, output: Path, templates: Path, styles: Path) -> int | None:
    """How many outputs the last clean build made, if nothing changed since; else None.
    The manifest must list exactly what that build recorded, each file still as written:
    a build stopped half way through writing has a manifest that lists less."""
    try:
        cache = json.loads((output / CACHE_FILE).read_text(encoding="utf-8"))
        documents = json.loads((output / MANIFEST).read_text(encoding="utf-8"))["documents"]
        recorded = sorted(
            (item["entry"] for item in cache["outputs"].values()), key=lambda entry: entry["id"]
        )
        if cache["fingerprint"] is None or recorded != documents:
            return None
        if cache["fingerprint"] != build_fingerprint(content, templates, styles):
            return None
        if all(file_sha256(output / entry["path"]) == entry["sha256"] for entry in documents):
            return len(documents)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def stored_notes(output: Path) -> tuple[list[Diagnostic], list[ReviewDate]] | None:
    """The last build's content warnings and review dates, for the quick path to repeat;
    None when the cache file does not hold them (the quick path must then not be taken)."""
    try:
        data = json.loads((output / CACHE_FILE).read_text(encoding="utf-8"))
        warnings = [Diagnostic(**item) for item in data["warnings"]]
        return warnings, reviews_from_json(data["reviews"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
