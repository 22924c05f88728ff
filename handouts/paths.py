"""Where the project's own folders are.

In the repository the templates and styles live beside the package (`templates/`,
`styles/`); an installed wheel carries them inside it (`handouts/templates`,
`handouts/styles`). The sample content and the instruments are always in the package.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _beside_or_inside(name: str) -> Path:
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


TEMPLATES_DIR = _beside_or_inside("templates")
STYLES_DIR = _beside_or_inside("styles")
STRINGS_DIR = TEMPLATES_DIR / "strings"
CONTENT_DIR = PACKAGE_DIR / "content"
INSTRUMENTS_DIR = PACKAGE_DIR / "instruments"
OUTPUT_DIR = Path("output")
"""Relative to the folder the command runs in."""
