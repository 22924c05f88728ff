"""The build: read, validate, render, lay out, check, write — each stage in its own module.

A clinic's scripts can call `build()` directly; the command line is a thin layer over it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from handouts.catalog import Output, filename_clashes, plan, select
from handouts.checks import check_pages
from handouts.diagnostics import ContentError, Diagnostic
from handouts.models import UiStrings
from handouts.models.instrument import Instrument
from handouts.paths import INSTRUMENTS_DIR, STYLES_DIR, TEMPLATES_DIR
from handouts.reader import read_content
from handouts.validate import ValidContent, load_tables, validate
from handouts.writer import ManifestEntry, entry_for, read_manifest, write_atomic, write_manifest

Log = Callable[[str], None]


@dataclass(frozen=True)
class BuildSettings:
    content: Path
    output: Path
    only: list[str] = field(default_factory=list)
    templates: Path = TEMPLATES_DIR
    styles: Path = STYLES_DIR


@dataclass
class BuildReport:
    built: list[ManifestEntry] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    unknown_ids: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.internal_errors or (self.unknown_ids and not self.problems):
            return 2
        return 1 if self.problems else 0


def load_content(settings: BuildSettings) -> tuple[ValidContent, list[Diagnostic]]:
    """Read and validate the whole content folder, collecting every problem."""
    strings, problems = load_tables(settings.templates / "strings", UiStrings)
    instruments, found = load_tables(INSTRUMENTS_DIR, Instrument)
    problems += found
    tree, found = read_content(settings.content)
    problems += found
    content, found = validate(tree, strings, instruments)
    return content, problems + found


def _fields(output: Output) -> dict[str, str]:
    document = output.document
    return {
        "id": output.id,
        "kind": output.kind,
        "title": document.title,
        "topic": document.topic,
        "layout": output.layout,
        "paper": output.paper,
        "variant": output.variant,
        "language": document.language,
    }


def build(settings: BuildSettings, log: Log = print) -> BuildReport:
    report = BuildReport()
    content, report.problems = load_content(settings)
    outputs = plan(content.documents)
    clashes = filename_clashes(outputs)
    if clashes:
        report.problems += clashes
        clashing = {problem.file for problem in clashes}
        outputs = [output for output in outputs if output.source.source.display not in clashing]
    if settings.only:
        outputs, report.unknown_ids = select(outputs, settings.only)
        if report.unknown_ids:
            return report
    if content.clinic is None:
        return report

    # WeasyPrint is imported here, not at start-up: validation and --help stay fast.
    from handouts.layout import AssetRoots, LayoutWarnings, Typesetter
    from handouts.render import HtmlRenderer

    roots = AssetRoots(templates=settings.templates, styles=settings.styles, content=settings.content)
    renderer = HtmlRenderer(settings.templates)
    try:
        typesetter = Typesetter(roots, content.clinic.brand)
    except LayoutWarnings as error:
        report.internal_errors.append(f"stylesheets: {error}")
        return report

    for output in outputs:
        try:
            strings = content.strings[output.document.language]
            html = renderer.render(output, content.clinic, strings, content.instruments, settings.content)
            document = typesetter.typeset(html, output.layout, output.paper, output.variant)
            check_pages(document, output)
            identifier = hashlib.sha256(output.id.encode()).hexdigest()[:32].encode()
            data = typesetter.pdf_bytes(document, identifier, output.variant)
            write_atomic(settings.output, output.filename, data)
        except ContentError as error:
            report.problems += error.diagnostics
            continue
        except LayoutWarnings as error:
            report.internal_errors.append(f"{output.id}: WeasyPrint: {error}")
            continue
        except Exception as error:  # one broken document must not stop the others
            report.internal_errors.append(f"{output.id}: {type(error).__name__}: {error}")
            continue
        entry = entry_for(_fields(output), output.filename, data, len(document.pages))
        report.built.append(entry)
        log(f"built {entry.path} ({entry.pages} pages, {entry.bytes // 1024} KB)")

    rebuilt = {entry.id for entry in report.built}
    kept = [
        entry
        for entry_id, entry in read_manifest(settings.output).items()
        if entry_id not in rebuilt and (settings.output / entry.path).is_file()
    ]
    write_manifest(settings.output, report.built + kept)
    return report
