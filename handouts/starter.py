"""`handouts init DIR`: a clinic's own content folder to start from.

It holds a clinic profile whose placeholders are marked and which is marked as a sample
(so nothing built from it can be handed out by mistake), one brochure and one intake
leaflet to copy, a short guide for editors, and the JSON Schemas editors check against.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from handouts.paths import CONTENT_DIR, PACKAGE_DIR

STARTER_DIR = PACKAGE_DIR / "starter_files"
EXAMPLES = ("brochures/psychodynamic-therapy.yaml", "intake/psychodynamic-therapy.yaml")


class FolderNotEmpty(Exception):
    """`init` never writes over a clinic's files."""


def init_content_folder(folder: Path) -> list[Path]:
    """Make `folder` (absent or empty) a content folder; returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FolderNotEmpty(f"{folder} already exists and is not an empty folder; name a new one")
    sources = [(STARTER_DIR / "clinic.yaml", "clinic.yaml"), (STARTER_DIR / "GUIDE.md", "README.md")]
    sources += [(CONTENT_DIR / name, name) for name in EXAMPLES]
    sources += [(path, f"schema/{path.name}") for path in sorted((CONTENT_DIR / "schema").glob("*.json"))]
    written = []
    for source, name in sources:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written
