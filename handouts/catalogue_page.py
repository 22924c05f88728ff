"""The catalogue page for the front desk: `OUTPUT/index.html`, every handout by topic and
language, with a thumbnail of its first page, what it is for, its facts and a link.

It opens from disk (relative links, the stylesheet inside the page, no script) and is
written by every build that writes the output folder, with the thumbnails, through the
output folder's staging (see output_folder.py), so it always lists what the manifest does.
A thumbnail's name carries the first digits of its PDF's sha256: an unchanged PDF keeps
its thumbnail, and a changed one gets a new name, never a stale picture.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.catalog import KIND_LAYOUTS, LAYOUT_VARIANTS, PAPERS
from handouts.output_folder import INDEX_PAGE, THUMBNAILS_FOLDER, OutputFolder
from handouts.writer import ManifestEntry

if TYPE_CHECKING:
    from handouts.validate import ValidDocument

TEMPLATE = "catalogue.html"
PAGE_TEMPLATES = (TEMPLATE, "catalogue.css")
"""Every template file the page is made from (the stylesheet is included)."""
THUMBNAIL_WIDTH = 240
"""Pixels; shown at half that, so it stays sharp on high-density screens."""
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
KIND_NAMES = {"brochure": "Brochure", "intake": "Intake form"}
LAYOUT_NAMES = {"booklet": "Booklet", "trifold": "Tri-fold", "leaflet": "Leaflet"}
PAPER_NAMES = {"letter": "US Letter", "a4": "A4"}
VARIANT_NAMES = {"standard": "Standard", "large-print": "Large print", "print-shop": "Print shop"}


@dataclass(frozen=True)
class About:
    """What the catalogue says of an output beyond its manifest entry; kept in the build
    cache, so an output that is not rebuilt is still described."""

    document: str
    purpose: str
    last_reviewed: str
    next_review: str


def about(valid: ValidDocument) -> About:
    document = valid.document
    review = document.review
    return About(
        document.id, document.purpose, review.last_reviewed.isoformat(), review.next_review.isoformat()
    )


def thumbnail_name(entry: ManifestEntry) -> str:
    return f"{THUMBNAILS_FOLDER}/{Path(entry.path).stem}-{entry.sha256[:12]}.png"


def thumbnail_png(pdf: bytes) -> bytes:
    """The first page as a PNG THUMBNAIL_WIDTH pixels wide."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=THUMBNAIL_WIDTH / page.get_width())
        stream = io.BytesIO()
        bitmap.to_pil().convert("RGB").save(stream, format="PNG", optimize=True)
        return stream.getvalue()
    finally:
        document.close()


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count < 1024 * 1024 else f"{count / 1024 / 1024:.1f} MB"


def _order(entry: ManifestEntry) -> tuple[int, ...]:
    layouts = KIND_LAYOUTS.get(entry.kind, ())
    variants = LAYOUT_VARIANTS.get(entry.layout, ())
    return (
        layouts.index(entry.layout) if entry.layout in layouts else len(layouts),
        variants.index(entry.variant) if entry.variant in variants else len(variants),
        PAPERS.index(entry.paper) if entry.paper in PAPERS else len(PAPERS),  # type: ignore[arg-type]
    )


def _card(entry: ManifestEntry, about: About | None) -> dict[str, object]:
    layout = LAYOUT_NAMES.get(entry.layout, entry.layout)
    variant = VARIANT_NAMES.get(entry.variant, entry.variant)
    paper = PAPER_NAMES.get(entry.paper, entry.paper)
    return {
        "entry": entry,
        "label": f"{layout}, {paper}, {variant.lower()}",
        "kind": KIND_NAMES.get(entry.kind, entry.kind),
        "layout": layout,
        "paper": paper,
        "variant": variant,
        "size": _size(entry.bytes),
        "thumbnail": thumbnail_name(entry),
        "about": about,
    }


def _groups(entries: list[ManifestEntry], abouts: Mapping[str, About]) -> list[dict[str, object]]:
    """Topics, each with its languages, each with its documents and their outputs."""

    def document_of(entry: ManifestEntry) -> str:
        found = abouts.get(entry.id)
        return found.document if found else entry.title

    def by_topic(entry: ManifestEntry) -> tuple[str, str]:
        return (entry.topic.casefold(), entry.topic)

    def by_language(entry: ManifestEntry) -> str:
        return entry.language

    def by_document(entry: ManifestEntry) -> tuple[int, str]:
        return (list(KIND_NAMES).index(entry.kind) if entry.kind in KIND_NAMES else 9, document_of(entry))

    topics = []
    for (_, topic), in_topic in groupby(sorted(entries, key=by_topic), key=by_topic):
        languages = []
        for language, in_language in groupby(sorted(in_topic, key=by_language), key=by_language):
            documents = []
            for _, outputs in groupby(sorted(in_language, key=by_document), key=by_document):
                cards = [_card(entry, abouts.get(entry.id)) for entry in sorted(outputs, key=_order)]
                documents.append({"first": cards[0], "cards": cards})
            languages.append(
                {"code": language, "name": LANGUAGE_NAMES.get(language, language), "documents": documents}
            )
        topics.append({"name": topic, "languages": languages})
    return topics


def render_page(
    templates: Path, clinic_name: str, entries: list[ManifestEntry], abouts: Mapping[str, About]
) -> bytes:
    """The page, from the catalogue template, autoescaped like every template."""
    from handouts.render import make_environment

    template = make_environment(templates).get_template(TEMPLATE)
    text = template.render(clinic=clinic_name, topics=_groups(entries, abouts), count=len(entries))
    return text.encode("utf-8")


def stage_catalogue(
    folder: OutputFolder,
    templates: Path,
    clinic_name: str,
    entries: list[ManifestEntry],
    abouts: Mapping[str, About],
) -> list[str]:
    """Stage the page and the thumbnails it lacks, for `entries` (the manifest once the
    build commits, its new PDFs staged). Returns the thumbnails no entry shows any more,
    to delete once the page is in place."""
    wanted = {thumbnail_name(entry): entry for entry in entries}
    for name, entry in sorted(wanted.items()):
        if not (folder.path / name).is_file():
            pdf = folder.staged.get(entry.path, folder.path / entry.path)
            folder.stage(name, thumbnail_png(pdf.read_bytes()))
    page = render_page(templates, clinic_name, entries, abouts)
    index = folder.path / INDEX_PAGE
    if not index.is_file() or index.read_bytes() != page:
        folder.stage(INDEX_PAGE, page)
    pictures = folder.path / THUMBNAILS_FOLDER
    present = (
        {f"{THUMBNAILS_FOLDER}/{path.name}" for path in pictures.glob("*.png")}
        if pictures.is_dir()
        else set()
    )
    return sorted(present - set(wanted))
