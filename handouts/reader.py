"""Read stage: find content files in a stable order and parse YAML, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from handouts.diagnostics import Diagnostic, FieldPath, format_field_path

CLINIC_FILE = "clinic.yaml"
DOCUMENT_FOLDERS = {"brochures": "brochure", "intake": "intake"}
"""Sub-folder of the content folder -> kind of document its files hold."""

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (its wheels are): the same safe
constructors and line marks, about ten times faster than the pure-Python one."""


@dataclass(frozen=True)
class SourceFile:
    """A parsed YAML file and where each of its values came from."""

    path: Path
    display: str
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def problem(self, path: FieldPath, message: str) -> Diagnostic:
        """A diagnostic pointing at the value at `path` in this file."""
        return Diagnostic(self.display, self.line_of(path), format_field_path(path), message)

    def path_of_text(self, text: str) -> FieldPath | None:
        """The first string value (in file order) that holds `text`, spaces collapsed."""
        wanted = " ".join(text.split())
        if not wanted:
            return None

        def search(value: Any, path: FieldPath) -> FieldPath | None:
            if isinstance(value, str):
                return path if wanted in " ".join(value.split()) else None
            if isinstance(value, dict):
                children = list(value.items())
            elif isinstance(value, list):
                children = list(enumerate(value))
            else:
                return None
            for key, item in children:
                found = search(item, (*path, key))
                if found is not None:
                    return found
            return None

        return search(self.data, ())

    def line_of(self, path: FieldPath) -> int:
        """The line of the deepest part of `path` the file has (1 for the top)."""
        for length in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:length]))
            if line is not None:
                return line
        return 1


@dataclass(frozen=True)
class ContentTree:
    """What the read stage found in a content folder."""

    root: Path
    clinic: SourceFile | None
    documents: list[tuple[str, SourceFile]]
    """(kind, file) in sorted path order."""


def display_path(path: Path) -> str:
    """Relative to the current folder when inside it, else absolute."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def _walk(
    node: yaml.Node, path: FieldPath, source: str, lines: dict[FieldPath, int], problems: list[Diagnostic]
) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = key_node.start_mark.line + 1
            if key_node.tag != "tag:yaml.org,2002:str":
                problems.append(
                    Diagnostic(
                        source,
                        line,
                        format_field_path((*path, key)),
                        "YAML reads this key as a value, not a name; put it in quotes",
                    )
                )
            if key in seen:
                problems.append(
                    Diagnostic(
                        source,
                        line,
                        format_field_path((*path, key)),
                        f"duplicate key; first given on line {seen[key]}",
                    )
                )
            seen[key] = line
            _walk(value_node, (*path, key), source, lines, problems)
            lines[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), source, lines, problems)


def read_yaml(path: Path, display: str | None = None) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Parse one YAML file safely. Returns the file, or None with located problems."""
    shown = display or display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [Diagnostic(shown, 0, "", f"not UTF-8 text ({error.reason})")]
    except OSError as error:
        return None, [Diagnostic(shown, 0, "", f"cannot read file: {error.strerror}")]
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        return None, [Diagnostic(shown, line, "", f"YAML syntax: {error.problem or error.context}")]
    except yaml.YAMLError as error:
        return None, [Diagnostic(shown, 0, "", f"YAML syntax: {error}")]
    finally:
        loader.dispose()
    if node is None:
        return None, [Diagnostic(shown, 1, "", "file is empty")]
    lines: dict[FieldPath, int] = {}
    problems: list[Diagnostic] = []
    _walk(node, (), shown, lines, problems)
    if not isinstance(data, dict):
        problems.append(Diagnostic(shown, 1, "", "expected a mapping of field names to values at the top"))
    if problems:
        return None, problems
    return SourceFile(path=path, display=shown, data=data, lines=lines), []


def read_content(root: Path) -> tuple[ContentTree, list[Diagnostic]]:
    """Read every content file under `root`; problems in one file never hide the others."""
    problems: list[Diagnostic] = []
    clinic: SourceFile | None = None
    clinic_path = root / CLINIC_FILE
    if clinic_path.is_file():
        clinic, found = read_yaml(clinic_path)
        problems += found
    else:
        problems.append(Diagnostic(display_path(clinic_path), 0, "", "clinic profile missing"))

    documents: list[tuple[str, SourceFile]] = []
    for folder, kind in DOCUMENT_FOLDERS.items():
        for path in sorted((root / folder).glob("*.y*ml")):
            source, found = read_yaml(path)
            problems += found
            if source is not None:
                documents.append((kind, source))

    folders = ", ".join(f"{folder}/" for folder in DOCUMENT_FOLDERS)
    for path in sorted(root.glob("*.y*ml")):
        if path.name != CLINIC_FILE:
            message = f"not a known content file; put documents in one of: {folders}"
            problems.append(Diagnostic(display_path(path), 0, "", message))
    return ContentTree(root=root, clinic=clinic, documents=documents), problems
