"""Do two builds give the same handouts? Pages, text, form fields and tag tree, file by file.

.venv/bin/python generate.py --force --output /tmp/before     # on the old templates
.venv/bin/python generate.py --force --output /tmp/after      # on the new ones
.venv/bin/python scripts/compare_pages.py /tmp/before /tmp/after

For every PDF in either folder: each page rendered at 150 dpi by poppler's `pdftoppm`,
compared pixel for pixel; the text `pdftotext -layout` extracts; every form field (full
name, type, flags, value, options, accessible name, each widget's page and rectangle);
and the structure tree (each element's role, alt text, actual text, language, and its
marked content and page, in order). Bytes may differ (object numbers, compression).
Prints what differs, first difference of each kind per file, and exits 1 if anything
does, 0 if every file is the same in all four.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pikepdf

DPI = 150


def page_images(pdf: Path, folder: Path, dpi: int = DPI) -> list[bytes]:
    """Each page as the bytes of a PPM image (pixels plus a fixed header)."""
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    return [image.read_bytes() for image in sorted(folder.glob(f"{pdf.stem}-*.ppm"))]


def text_of(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def _string(value: Any) -> str:
    return "" if value is None else str(value)


def _rounded(rect: Any) -> tuple[float, ...]:
    return tuple(round(float(number), 2) for number in rect) if rect is not None else ()


def fields_of(pdf: pikepdf.Pdf) -> list[tuple[Any, ...]]:
    """Every terminal field, with each widget's page and place, in the form's order."""
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    found: list[tuple[Any, ...]] = []

    def visit(field: Any, parent_name: str, inherited: dict[str, Any]) -> None:
        name = ".".join(part for part in (parent_name, _string(field.get("/T"))) if part)
        own = {key: field.get(key, inherited.get(key)) for key in ("/FT", "/Ff", "/V", "/Opt", "/DA")}
        kids = field.get("/Kids")
        if kids is not None and any("/T" in kid for kid in kids):
            for kid in kids:
                visit(kid, name, own)
            return
        widgets = list(kids) if kids is not None else [field]
        places = [
            (pages.get(widget.get("/P").objgen) if widget.get("/P") is not None else None,
             _rounded(widget.get("/Rect")), _string(widget.get("/AS")))
            for widget in widgets
        ]  # fmt: skip
        found.append(
            (name, _string(own["/FT"]), _string(own["/Ff"]), _string(own["/V"]), _string(own["/Opt"]),
             _string(own["/DA"]), _string(field.get("/TU")), tuple(places))
        )  # fmt: skip

    acroform = pdf.Root.get("/AcroForm")
    for field in acroform.get("/Fields", []) if acroform is not None else []:
        visit(field, "", {})
    return found


def tags_of(pdf: pikepdf.Pdf) -> list[str]:
    """The structure tree, depth first: role, alt, actual text, language; marked content
    as its id and page."""
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    root = pdf.Root.get("/StructTreeRoot")
    lines: list[str] = []

    def page_of(node: Any, page: int | None) -> int | None:
        reference = node.get("/Pg") if isinstance(node, pikepdf.Dictionary) else None
        return pages.get(reference.objgen) if reference is not None else page

    def visit(node: Any, depth: int, page: int | None) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                visit(kid, depth, page)
        elif isinstance(node, int):
            lines.append(f"{'  ' * depth}mcid {int(node)} page {page}")
        elif isinstance(node, pikepdf.Dictionary):
            page = page_of(node, page)
            kind = _string(node.get("/Type"))
            if kind == "/MCR":
                lines.append(f"{'  ' * depth}mcid {int(node.get('/MCID'))} page {page}")
            elif kind == "/OBJR":
                lines.append(
                    f"{'  ' * depth}object {_string(node.get('/Obj', {}).get('/Subtype'))} page {page}"
                )
            else:
                attributes = [_string(node.get(key)) for key in ("/S", "/Alt", "/ActualText", "/Lang")]
                lines.append("  " * depth + " | ".join(attributes))
                if "/K" in node:
                    visit(node.get("/K"), depth + 1, page)

    if root is not None and "/K" in root:
        visit(root.get("/K"), 0, None)
    return lines


def _first_difference(before: list[Any], after: list[Any]) -> str:
    for index, (one, other) in enumerate(zip(before, after, strict=False)):
        if one != other:
            return f"item {index + 1}: {str(one)[:160]!r} became {str(other)[:160]!r}"
    return f"{len(before)} items became {len(after)}"


def compare(before: Path, after: Path, dpi: int = DPI) -> list[str]:
    """What differs between two PDFs of the same handout (empty when nothing does)."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="compare-pages-") as temp:
        (Path(temp) / "a").mkdir()
        (Path(temp) / "b").mkdir()
        images = page_images(before, Path(temp) / "a", dpi), page_images(after, Path(temp) / "b", dpi)
    if len(images[0]) != len(images[1]):
        problems.append(f"pages: {len(images[0])} became {len(images[1])}")
    changed = [number for number, (one, other) in enumerate(zip(*images, strict=False), 1) if one != other]
    if changed:
        problems.append(f"pixels differ at {dpi} dpi on page(s) {', '.join(map(str, changed))}")
    texts = text_of(before).splitlines(), text_of(after).splitlines()
    if texts[0] != texts[1]:
        problems.append(f"text: {_first_difference(*texts)}")
    with pikepdf.open(before) as one, pikepdf.open(after) as other:
        for what, read in (("form fields", fields_of), ("tag tree", tags_of)):
            facts = read(one), read(other)
            if facts[0] != facts[1]:
                problems.append(f"{what}: {_first_difference(*facts)}")
    return problems


def compare_folders(
    before: Path, after: Path, dpi: int = DPI, jobs: int = 2
) -> Iterator[tuple[str, list[str]]]:
    names = sorted({pdf.name for folder in (before, after) for pdf in folder.glob("*.pdf")})

    def one(name: str) -> tuple[str, list[str]]:
        missing = [str(folder) for folder in (before, after) if not (folder / name).is_file()]
        if missing:
            return name, [f"only one folder has it (missing from {', '.join(missing)})"]
        return name, compare(before / name, after / name, dpi)

    with ThreadPoolExecutor(jobs) as pool:  # the work is in pdftoppm and pdftotext processes
        yield from pool.map(one, names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="folder of PDFs built before the change")
    parser.add_argument("after", type=Path, help="folder of PDFs built after it")
    parser.add_argument("--dpi", type=int, default=DPI)
    parser.add_argument("--jobs", type=int, default=2, help="files compared at once")
    args = parser.parse_args(argv)
    different = compared = 0
    for name, problems in compare_folders(args.before, args.after, args.dpi, args.jobs):
        compared += 1
        if problems:
            different += 1
            print(f"{name}: DIFFERENT")
            for problem in problems:
                print(f"  {problem}")
    if compared == 0:
        print("no PDFs to compare")
        return 2
    print(
        f"{compared} PDFs compared at {args.dpi} dpi: {different} different, {compared - different} identical"
    )
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
