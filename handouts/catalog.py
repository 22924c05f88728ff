"""What a build makes: every output (document x layout x paper x variant) and its file name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from handouts.diagnostics import Diagnostic
from handouts.language_tags import ENGLISH, language_of

if TYPE_CHECKING:  # not imported at run time, so the command line starts without the models
    from handouts.models.common import DocumentBase
    from handouts.validate import ValidDocument

Paper = Literal["letter", "a4"]
PAPERS: tuple[Paper, ...] = ("letter", "a4")
PAPER_LABELS: dict[Paper, str] = {"letter": "Letter", "a4": "A4"}

KIND_LAYOUTS: dict[str, tuple[str, ...]] = {"brochure": ("booklet", "trifold"), "intake": ("leaflet",)}
"""The layouts each kind of document is built in; the first is the kind's usual one."""

LAYOUT_VARIANTS: dict[str, tuple[str, ...]] = {
    "booklet": ("standard", "large-print", "print-shop"),
    "leaflet": ("standard", "large-print"),
    "trifold": ("standard", "print-shop"),
}
"""standard: for screens, email and office printers; large-print: body text 16 pt and up;
print-shop: 3 mm bleed and crop marks for a commercial printer."""

KIND_LABELS = {"brochure": "Brochure", "intake": "Intake-Form"}
STANDARD = "standard"


@dataclass(frozen=True)
class Output:
    """One PDF the build makes."""

    source: ValidDocument
    layout: str
    paper: Paper
    variant: str = STANDARD

    @property
    def document(self) -> DocumentBase:
        return self.source.document

    @property
    def kind(self) -> str:
        return self.document.kind

    @property
    def language_label(self) -> str | None:
        """`es` for an edition in Spanish; None in English, whose names carry no language."""
        language = self.document.language.lower()
        return None if language_of(language) == ENGLISH else language

    @property
    def id(self) -> str:
        """Unique and stable: `psychodynamic-therapy-booklet-letter`; another language's
        edition carries its language, `psychodynamic-therapy-es-booklet-letter`."""
        parts = [self.document.id, self.layout, self.paper]
        label = self.language_label
        if label and not self.document.id.endswith(f"-{label}"):
            parts.insert(1, label)
        if self.variant != STANDARD:
            parts.append(self.variant)
        return "-".join(parts)

    @property
    def paper_label(self) -> str:
        """How messages name the paper and variant: `Letter`, `A4, large-print`."""
        paper = PAPER_LABELS[self.paper]
        return paper if self.variant == STANDARD else f"{paper}, {self.variant}"

    @property
    def filename(self) -> str:
        """What a patient sees as an attachment: `Psychodynamic-Therapy-Brochure-Letter.pdf`,
        `Psychodynamic-Therapy-Brochure-ES-Letter.pdf` for the Spanish edition.

        Built only from slugs and fixed labels, so it is ASCII, has no spaces and no
        path separators whatever the content says.
        """
        words = [word.capitalize() for word in self.document.id.split("-")]
        label = self.language_label
        if label and self.document.id.endswith(f"-{label}") and len(words) > len(label.split("-")):
            del words[-len(label.split("-")) :]  # said once, after the kind
        if words[-1].lower() == self.kind and len(words) > 1:
            words.pop()  # "…-intake" + "Intake-Form" would say it twice
        words.append(KIND_LABELS[self.kind])
        if label:
            words.append(label.upper())
        if self.layout != KIND_LAYOUTS[self.kind][0]:
            words.append(self.layout.capitalize())
        if self.variant != STANDARD:
            words.extend(word.capitalize() for word in self.variant.split("-"))
        words.append(PAPER_LABELS[self.paper])
        return "-".join(words) + ".pdf"


def plan(documents: list[ValidDocument], papers: tuple[Paper, ...]) -> list[Output]:
    """Every output of every valid document on the clinic's papers, in a stable order."""
    outputs = [
        Output(source, layout, paper, variant)
        for source in documents
        for layout in KIND_LAYOUTS[source.document.kind]
        for variant in LAYOUT_VARIANTS[layout]
        for paper in PAPERS
        if paper in papers
    ]
    return sorted(outputs, key=lambda output: output.id)


def filename_clashes(outputs: list[Output]) -> list[Diagnostic]:
    """Documents whose ids give one file name: each is reported, naming the others, and
    neither is built, so the last good PDFs stay."""
    makers: dict[str, dict[str, Output]] = {}
    for output in outputs:
        makers.setdefault(output.filename, {}).setdefault(output.document.id, output)
    problems: dict[tuple[str, str], Diagnostic] = {}
    for filename, by_id in makers.items():
        for document_id, output in by_id.items() if len(by_id) > 1 else ():
            others = ", ".join(f"'{other}'" for other in by_id if other != document_id)
            message = f"file name {filename} is also made by id {others}; choose another id"
            problems.setdefault(
                (output.source.source.display, others), output.source.source.problem(("id",), message)
            )
    return list(problems.values())


def select(outputs: list[Output], wanted: list[str]) -> tuple[list[Output], list[str]]:
    """Outputs named by `--only`: a document id takes all its outputs. Returns unknown ids too."""
    chosen = [o for o in outputs if o.id in wanted or o.document.id in wanted]
    known = {o.id for o in outputs} | {o.document.id for o in outputs}
    return chosen, [w for w in wanted if w not in known]
