"""Where the project's own folders are. Templates and styles live beside the package."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = PROJECT_DIR / "templates"
STYLES_DIR = PROJECT_DIR / "styles"
STRINGS_DIR = TEMPLATES_DIR / "strings"
CONTENT_DIR = PACKAGE_DIR / "content"
INSTRUMENTS_DIR = PACKAGE_DIR / "instruments"
OUTPUT_DIR = PROJECT_DIR / "output"
