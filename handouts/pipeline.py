"""The whole build: read and validate, plan the outputs, skip the unchanged ones, render
the rest, and commit them to the output folder. `build.build()` runs it when its quick
no-change check cannot answer."""

from __future__ import annotations

import hashlib
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

from handouts import review_dates, worker
from handouts.catalog import KIND_LAYOUTS, PAPERS, STANDARD, Output, filename_clashes, plan, select
from handouts.catalogue_page import INDEX_PAGE, PAGE_TEMPLATES, about, stage_catalogue, thumbnail_name
from handouts.diagnostics import Diagnostic
from handouts.glyphs import drawable_characters
from handouts.incremental import (
    Cache,
    CacheRecord,
    Inputs,
    Roots,
    environment_digest,
    file_digest,
    load_cache,
    save_cache,
)
from handouts.models.instrument import Instrument
from handouts.output_folder import OutputFolder, OutputFolderError
from handouts.paths import INSTRUMENTS_DIR
from handouts.pool import render_all
from handouts.progress import Feedback
from handouts.reader import CLINIC_FILE, DOCUMENT_FOLDERS, read_content
from handouts.review_dates import ReviewDate, warnings_on
from handouts.string_tables import STRINGS_FOLDER, StringTables, layer_paths
from handouts.validate import ValidContent, load_tables, validate
from handouts.writer import ManifestEntry, entry_for, read_manifest

if TYPE_CHECKING:
    from handouts.build import BuildReport, BuildSettings, ExecutorFactory
    from handouts.panels import PanelMap

OTHER_ENVIRONMENT = (
    "rendered by a worker whose handouts code or rendering libraries differ from this machine's; "
    "install the same versions on every worker"
)


def _trifold_map(templates: Path) -> PanelMap | None:
    """The tri-fold's panels and defaults, to check a brochure's own choices against; a
    broken map is reported by the renders (an internal error: it is our file)."""
    from handouts.panels import PanelMapError, load_panel_map

    try:
        return load_panel_map(templates / "brochure" / "trifold-panels.yaml")
    except PanelMapError:
        return None


def load_content(settings: BuildSettings) -> tuple[ValidContent, list[Diagnostic]]:
    """Read and validate the whole content folder, collecting every problem."""
    tables = StringTables(settings.templates / STRINGS_FOLDER, settings.content)
    instruments, problems = load_tables(INSTRUMENTS_DIR, Instrument)
    tree, found = read_content(settings.content)
    problems += found
    drawable = drawable_characters(settings.styles / "fonts")
    content, found = validate(tree, tables, instruments, drawable, _trifold_map(settings.templates))
    return content, problems + found


def validation_folders(settings: BuildSettings) -> list[Path]:
    """The folders `load_content` lists and reads files from."""
    content = [settings.content, *(settings.content / folder for folder in DOCUMENT_FOLDERS)]
    strings = [settings.templates / STRINGS_FOLDER, settings.content / STRINGS_FOLDER]
    return [*strings, INSTRUMENTS_DIR, *content, settings.styles / "fonts"]


def review_dates_of(content: ValidContent) -> list[ReviewDate]:
    return [
        ReviewDate(
            valid.source.display,
            valid.source.line_of(("review", "next_review")),
            valid.document.review.next_review.isoformat(),
        )
        for valid in content.documents
    ]


def _fields(output: Output, clinic: str) -> dict[str, str]:
    document = output.document
    return {
        "clinic": clinic,
        "id": output.id,
        "kind": output.kind,
        "title": document.title,
        "topic": document.topic,
        "layout": output.layout,
        "paper": output.paper,
        "variant": output.variant,
        "language": document.language,
        "edition_of": document.translates or document.id,
    }


def _expected_pages(record: CacheRecord | None, output: Output) -> int:
    """The last build's page count, or a guess for a first build."""
    if record is not None:
        return record.entry.pages
    return {"leaflet": 12, "booklet": 8}.get(output.layout, 2) + (4 if output.variant == "large-print" else 0)


def _source_name(output: Output, content_dir: Path) -> str:
    return output.source.source.path.resolve().relative_to(content_dir.resolve()).as_posix()


def _content_files_with_problems(problems: list[Diagnostic], content_dir: Path) -> set[str]:
    root = content_dir.resolve()
    paths = (Path(problem.file).resolve() for problem in problems)
    return {path.relative_to(root).as_posix() for path in paths if path.is_relative_to(root)}


def _stale(records: dict[str, CacheRecord], planned: set[str], failed_files: set[str]) -> list[str]:
    """Outputs no longer made (a removed topic, a renamed id): their records go now, their
    files when the build commits. Outputs of a content file that failed this time stay, so
    nothing good is lost."""
    removed = []
    for output_id, record in sorted(records.items()):
        if output_id in planned or record.source in failed_files:
            continue
        del records[output_id]
        removed.append(record.entry.path)
    return removed


def _inputs(
    output: Output, rendered: worker.Rendered, settings: BuildSettings, roots: Roots, validation: Inputs
) -> Inputs:
    """What the output read: the files the renderer reported, and what the build gave
    it (its content file, the clinic profile, its string table and the instruments it
    used), with the digests taken before validation read them."""
    given = [
        output.source.source.path,
        settings.content / CLINIC_FILE,
        *layer_paths(settings.templates / STRINGS_FOLDER, settings.content, output.source.locale),
        *(INSTRUMENTS_DIR / f"{name}.yaml" for name in rendered.instruments),  # tables by file stem
    ]
    inputs = {}
    for path in given:
        key = roots.key(path)
        inputs[key] = validation.get(key) or file_digest(path)
    return inputs | roots.read_inputs(rendered.reads)


def prepare(
    settings: BuildSettings, executor: Executor | ExecutorFactory | None, report: BuildReport
) -> Plan | None:
    """Read, validate and plan, noting problems and warnings in `report`; the plan to
    render, or None when there is nothing to write (unknown ids, no usable clinic profile)."""
    roots = Roots(settings.content, settings.templates, settings.styles)
    # Taken before validation reads the files, so an edit made during the build is seen next time.
    validation = roots.folder_inputs(validation_folders(settings))
    content, report.problems = load_content(settings)
    if content.clinic is not None and content.clinic.logo:
        logo = settings.content / content.clinic.logo
        validation[roots.key(logo)] = file_digest(logo)
    reviews = review_dates_of(content)
    report.warnings = sorted(content.warnings + warnings_on(reviews, settings.today or review_dates.today()))
    outputs = plan(content.documents, content.papers)
    clashes = filename_clashes(outputs)
    if clashes:
        report.problems += clashes
        clashing = {problem.file for problem in clashes}
        outputs = [output for output in outputs if output.source.source.display not in clashing]
    if settings.only:
        outputs, report.unknown_ids = select(outputs, settings.only)
        if report.unknown_ids:
            return None
    if content.clinic is None:
        return None
    return Plan(settings, roots, validation, content, reviews, outputs, executor)


class Plan:
    """A validated build: which outputs to render, rendering them, and committing them to
    the locked output folder. `build()` holds the folder from the start to the one commit;
    the watcher holds it only while committing, and commits the edited documents' first
    outputs before the rest."""

    def __init__(
        self,
        settings: BuildSettings,
        roots: Roots,
        validation: Inputs,
        content: ValidContent,
        reviews: list[ReviewDate],
        outputs: list[Output],
        executor: Executor | ExecutorFactory | None,
    ) -> None:
        self.settings = settings
        self.roots = roots
        self.validation = validation
        self.content = content
        self.reviews = reviews
        self.outputs = outputs
        self.executor = executor
        assert content.clinic is not None
        self.clinic = content.clinic
        self.records: dict[str, CacheRecord] = {}
        self.new_pdfs: dict[str, bytes] = {}
        """Rendered since the last commit, by file name."""
        self.others: list[ManifestEntry] = []

    def render_and_commit(self, folder: OutputFolder, feedback: Feedback, report: BuildReport) -> None:
        todo = self.start(feedback, report)
        self.render(todo, feedback, report, folder)
        self.commit(folder, report, final=True)

    def _refuse_other_clinic(self) -> None:
        """Handouts built for another clinic profile in the folder: remembered to remove,
        or refused."""
        self.others = [
            entry for entry in read_manifest(self.settings.output).values() if entry.clinic != self.clinic.id
        ]
        if self.others and not self.settings.replace_other_clinic:
            names = ", ".join(sorted({f"'{entry.clinic}'" for entry in self.others}))
            raise OutputFolderError(
                f"{self.settings.output} holds handouts built for clinic {names}, not '{self.clinic.id}'; "
                "build into another --output, or add --replace-other-clinic to remove them"
            )

    def start(self, feedback: Feedback, report: BuildReport) -> list[Output]:
        """The outputs to render, the edited documents' first outputs first, then the
        longest, so no worker is left with a long document at the end. Unchanged ones go
        into `report`."""
        settings = self.settings
        self._refuse_other_clinic()
        cache: Cache = load_cache(settings.output)
        self.records = {
            key: record for key, record in cache.records.items() if record.entry.clinic == self.clinic.id
        }
        feedback.start(len(self.outputs))
        todo = []
        for output in self.outputs:
            if not settings.force and cache.still_valid(
                output.id, output.filename, self.roots, settings.output
            ):
                report.unchanged.append(self.records[output.id].entry)
                feedback.step("unchanged", output.filename)
            else:
                todo.append(output)
        first = set(self.first_outputs(todo))
        todo.sort(key=lambda o: (o.id not in first, -_expected_pages(self.records.get(o.id), o)))
        return todo

    def first_outputs(self, todo: list[Output]) -> list[str]:
        """The usual output (first layout, standard, first paper) of each edited document."""
        edited = {path.resolve() for path in self.settings.edited}
        return [
            output.id
            for output in todo
            if output.source.source.path.resolve() in edited
            and output.layout == KIND_LAYOUTS[output.kind][0]
            and output.variant == STANDARD
            and output.paper == PAPERS[0]
        ]

    def render(
        self, todo: list[Output], feedback: Feedback, report: BuildReport, folder: OutputFolder | None = None
    ) -> None:
        """Render `todo`, staging each new PDF in `folder` when it is held already, else
        keeping it in memory until `commit`."""
        settings = self.settings
        setup = worker.RenderSetup(
            settings.templates,
            settings.styles,
            settings.content,
            self.clinic,
            self.content.strings,
            self.content.instruments,
            build_id=renderer_key(settings, self.content),
            clinic_source=self.content.clinic_source,
        )
        environment = environment_digest()
        for output, rendered in render_all(todo, setup, settings.jobs, self.executor):
            if rendered.data is not None and rendered.environment != environment:
                rendered.data = None
                rendered.error = f"{output.id}: {OTHER_ENVIRONMENT}"
            if rendered.data is None:
                report.problems += rendered.problems
                report.internal_errors += [rendered.error] if rendered.error else []
                report.failed.append(output.id)
                feedback.step("failed", output.filename)
                continue
            if folder is not None:
                folder.stage(output.filename, rendered.data)
            else:
                self.new_pdfs[output.filename] = rendered.data
            entry = entry_for(_fields(output, self.clinic.id), output.filename, rendered.data, rendered.pages)
            inputs = _inputs(output, rendered, settings, self.roots, self.validation)
            self.records[output.id] = CacheRecord(
                _source_name(output, settings.content), environment, inputs, entry, about(output.source)
            )
            report.built.append(entry)
            feedback.step("built", output.filename)

    def commit(self, folder: OutputFolder, report: BuildReport, final: bool) -> None:
        """Put what was rendered since the last commit in place. Only the final commit
        writes the catalogue page, removes outputs no longer made and may mark the build whole."""
        settings, records = self.settings, self.records
        self._refuse_other_clinic()
        for name, data in sorted(self.new_pdfs.items()):
            folder.stage(name, data)
        if final and not settings.only:
            failed_files = {_source_name(o, settings.content) for o in self.outputs if o.id in report.failed}
            failed_files |= _content_files_with_problems(report.problems, settings.content)
            report.removed = _stale(records, {o.id for o in self.outputs}, failed_files)
        before = read_manifest(settings.output)
        removed = list(report.removed) if final else []
        written = {entry.path for entry in report.built} | set(removed)
        if final:
            report.removed += sorted({entry.path for entry in self.others} - written)
            removed = report.removed
        after: dict[str, ManifestEntry] = {entry.id: entry for entry in report.built + report.unchanged}
        for entry_id, entry in before.items():
            if (
                entry_id not in after
                and entry.path not in removed
                and (settings.output / entry.path).is_file()
            ):
                after[entry_id] = entry
        entries = list(after.values())
        abouts = {entry_id: record.about for entry_id, record in records.items()}
        unreferenced: list[str] = []
        if final:  # an earlier commit's PDFs wait for the page, so they are put in place sooner
            unreferenced = stage_catalogue(folder, settings.templates, self.clinic.name, entries, abouts)
        validation = self.validation | self._catalogue_inputs(folder, entries)
        complete = final and not (settings.only or report.exit_code or report.failed)
        warnings = self.content.warnings
        folder.commit(
            before,
            after,
            removed,
            lambda: save_cache(settings.output, records, complete, validation, warnings, self.reviews),
            unreferenced,
        )
        self.new_pdfs.clear()

    def _catalogue_inputs(self, folder: OutputFolder, entries: list[ManifestEntry]) -> Inputs:
        """The catalogue page, its thumbnails and its templates as they will be once the
        build commits: the no-change quick path vouches for them too."""
        templates = [self.settings.templates / name for name in PAGE_TEMPLATES]
        written = [INDEX_PAGE, *(thumbnail_name(entry) for entry in entries)]
        inputs = {self.roots.key(path): file_digest(path) for path in templates}
        for name in written:
            staged = folder.staged.get(name)
            digest = file_digest(staged) if staged is not None else file_digest(folder.path / name)
            inputs[self.roots.key(folder.path / name)] = digest
        return inputs


def renderer_key(settings: BuildSettings, content: ValidContent) -> str:
    """Everything a worker's renderer keeps between documents: the folders, the clinic
    profile, the string tables, the instruments, and every file under the templates and
    styles (stylesheets, fonts and panel maps are read once a process). A long-lived worker
    keeps its renderer while this stays the same (the watcher's warm workers)."""
    parts = [str(settings.templates), str(settings.styles), str(settings.content)]
    assert content.clinic is not None
    parts.append(content.clinic.model_dump_json())
    parts += [f"{name}={table.model_dump_json()}" for name, table in sorted(content.strings.items())]
    parts += [f"{name}={table.model_dump_json()}" for name, table in sorted(content.instruments.items())]
    for folder in (settings.templates, settings.styles):
        parts += [f"{path}:{file_digest(path)}" for path in sorted(folder.rglob("*")) if path.is_file()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
