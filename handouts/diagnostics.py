"""Located problems, printed the way compilers print them: `file:line: field: message`."""

from __future__ import annotations

from dataclasses import dataclass

FieldPath = tuple[str | int, ...]


def format_field_path(path: FieldPath) -> str:
    """`("references", 0, "pmid")` reads as `references[0].pmid`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one content file. Sorts by file, then line."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        return f"{location}: {self.field}: {self.message}" if self.field else f"{location}: {self.message}"


class ContentError(Exception):
    """A document cannot be built because of its content; carries every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = sorted(diagnostics)
