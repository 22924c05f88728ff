"""Which stylesheets an output uses, in cascade order. Shared by layout and the cache."""

from __future__ import annotations

from pathlib import Path

BRAND_SHEET = "<clinic brand colours>"
"""Stands for the stylesheet made from the clinic's brand colours."""


def stylesheet_names(styles_dir: Path, layout: str, paper: str, variant: str) -> list[str]:
    """Shared sheets, then paper, layout and variant ones; later sheets refine earlier ones.

    Optional refinements (`booklet-a4.css`, `variant-large-print.css`,
    `booklet-print-shop.css`) are used when the file exists.
    """
    names = ["fonts.css", "tokens.css", BRAND_SHEET, "base.css", f"page-{paper}.css", f"{layout}.css"]
    optional = optional_names(layout, paper, variant)
    return names + [name for name in optional if (styles_dir / name).is_file()]


def optional_names(layout: str, paper: str, variant: str) -> list[str]:
    """The refinements an output uses if they exist (so adding one changes the output)."""
    return [f"{layout}-{paper}.css", f"variant-{variant}.css", f"{layout}-{variant}.css"]
