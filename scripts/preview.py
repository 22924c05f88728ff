"""Render pages of a built PDF to PNG, to look at a handout or refresh the README's pictures.

.venv/bin/python scripts/preview.py output/Some-Brochure-Letter.pdf docs/images/brochure 1 2
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2


def render_pages(pdf: Path, prefix: Path, pages: list[int], dpi: int = 60) -> list[Path]:
    document = pypdfium2.PdfDocument(pdf)
    written = []
    for number in pages:
        image = document[number - 1].render(scale=dpi / 72).to_pil()
        target = prefix.with_name(f"{prefix.name}-page{number}.png")
        image.save(target, optimize=True)
        written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pdf, prefix = Path(sys.argv[1]), Path(sys.argv[2])
    numbers = [int(n) for n in sys.argv[3:]] or [1]
    for path in render_pages(pdf, prefix, numbers):
        print(f"wrote {path}")
