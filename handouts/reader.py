"""Read stage: find content files in a stable order and parse YAML, keeping line numbers.

Reading is bounded and confined: a content file must be a regular file inside the content
folder (a link that leads out is refused), and its size, its nesting and what its aliases
expand to have limits, so no file can take more than a moment or much memory to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from handouts.confined import OutsideContent, TooLarge, read_confined
from handouts.diagnostics import Diagnostic, FieldPath, format_field_path

CLINIC_FILE = "clinic.yaml"
DOCUMENT_FOLDERS = {"brochures": "brochure", "intake": "intake"}
"""Sub-folder of the content folder -> kind of document its files hold."""

MAX_FILE_BYTES = 256 * 1024
"""The longest shipped content file is about 20 KB; ten times that is a book, not a handout."""
MAX_DEPTH = 32
"""Content nests five or six levels deep; more is a mistake or an attack."""
MAX_VALUES = 20_000
"""Values in a file, counting each alias's copy: a few aliases cannot expand to millions."""
MAX_ALIASES = 100

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (its wheels are): the same safe
constructors and line marks, about ten times faster than the pure-Python one."""


class UnreadableFile(ValueError):
    """A content file that is not read, and why; `line` where the reason has one."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


class ContentLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe YAML that leaves dates as text: the models parse them, so an impossible date
    (2027-02-30) is a located content error, not an exception inside the parser."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


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

    def strings(self) -> list[tuple[FieldPath, str]]:
        """Every string value with its path, in file order."""
        found: list[tuple[FieldPath, str]] = []
        pending: list[tuple[FieldPath, Any]] = [((), self.data)]
        while pending:
            path, value = pending.pop()
            if isinstance(value, str):
                found.append((path, value))
            elif isinstance(value, dict):
                pending += reversed([((*path, key), item) for key, item in value.items()])
            elif isinstance(value, list):
                pending += reversed([((*path, index), item) for index, item in enumerate(value)])
        return found

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


def _key_problems(
    key_node: yaml.Node, path: FieldPath, key: str, seen: dict[str, int], source: str
) -> list[Diagnostic]:
    line = key_node.start_mark.line + 1
    where = format_field_path((*path, key))
    problems = []
    if key_node.tag != "tag:yaml.org,2002:str":
        problems.append(
            Diagnostic(source, line, where, "YAML reads this key as a value, not a name; put it in quotes")
        )
    if key in seen:
        problems.append(Diagnostic(source, line, where, f"duplicate key; first given on line {seen[key]}"))
    return problems


def _walk(root: yaml.Node, source: str) -> tuple[dict[FieldPath, int], list[Diagnostic]]:
    """Line of every value and key, and the structure's problems, without recursion: a
    deep file is stopped at MAX_DEPTH, and aliases at MAX_VALUES of what they expand to."""
    lines: dict[FieldPath, int] = {}
    problems: list[Diagnostic] = []
    visits = 0
    aliases: set[int] = set()
    seen_nodes: set[int] = set()
    pending: list[tuple[yaml.Node, FieldPath]] = [(root, ())]
    while pending:
        node, path = pending.pop()
        line = node.start_mark.line + 1
        where = format_field_path(path[:1])
        visits += 1
        if id(node) in seen_nodes:
            aliases.add(id(node))
        seen_nodes.add(id(node))
        if len(path) > MAX_DEPTH:
            return lines, [
                Diagnostic(
                    source, line, where, f"nested more than {MAX_DEPTH} levels deep; check the indentation"
                )
            ]
        if visits > MAX_VALUES or len(aliases) > MAX_ALIASES:
            message = (
                f"the file expands to more than {MAX_VALUES} values or uses more than {MAX_ALIASES} "
                "aliases (*name); write the values out instead of repeating them with aliases"
            )
            return lines, [Diagnostic(source, line, where, message)]
        lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            children = []
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.tag)
                problems += _key_problems(key_node, path, key, seen, source)
                seen[key] = key_node.start_mark.line + 1
                lines[(*path, key)] = key_node.start_mark.line + 1
                children.append((value_node, (*path, key)))
            pending += reversed(children)
        elif isinstance(node, yaml.SequenceNode):
            pending += reversed([(item, (*path, index)) for index, item in enumerate(node.value)])
    return lines, problems


def _top_level_key(text: str, position: int) -> str:
    """The unindented `key:` the text at `position` belongs to, or "" when there is none."""
    keys = re.findall(r"^([^\s#:][^:\n]*):", text[:position], flags=re.MULTILINE)
    return keys[-1] if keys else ""


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _read_text(path: Path, root: Path | None) -> str:
    """The file's text, if it is a regular UTF-8 file of bounded size inside `root`.
    Raises UnreadableFile."""
    try:
        data = read_confined(path, root, MAX_FILE_BYTES)
    except OutsideContent as error:
        raise UnreadableFile(str(error)) from None
    except FileNotFoundError:
        raise UnreadableFile("not a regular file") from None
    except TooLarge:
        message = f"file is larger than {MAX_FILE_BYTES // 1024} KB; a handout's content is far smaller"
        raise UnreadableFile(message) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableFile(f"not UTF-8 text ({error.reason}); save the file as UTF-8", line) from None


def read_yaml(
    path: Path, display: str | None = None, root: Path | None = None
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Parse one YAML file safely. Returns the file, or None with located problems.
    With `root`, the file must lie inside that folder, links followed."""
    shown = display or display_path(path)
    try:
        text = _read_text(path, root)
    except UnreadableFile as error:
        return None, [Diagnostic(shown, error.line, "", str(error))]
    except OSError as error:
        return None, [Diagnostic(shown, 0, "", f"cannot read file: {error.strerror}")]
    loader = ContentLoader(text)
    try:
        node = loader.get_single_node()
        lines, problems = _walk(node, shown) if node is not None else ({}, [])
        data = loader.construct_document(node) if node is not None and not problems else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        if mark and text[mark.index : mark.index + 1] == "\t":
            return None, [Diagnostic(shown, line, "", "YAML syntax: a tab character; indent with spaces")]
        if "nesting depth" in str(error.problem):
            # libyaml stops a very deep file itself, before our walk can count its levels.
            where = _top_level_key(text, mark.index if mark else 0)
            message = f"nested more than {MAX_DEPTH} levels deep; check the indentation"
            return None, [Diagnostic(shown, line, where, message)]
        return None, [Diagnostic(shown, line, "", f"YAML syntax: {error.problem or error.context}")]
    except yaml.reader.ReaderError as error:
        code = ord(error.character) if isinstance(error.character, str) else error.character
        message = (
            f"invisible control character U+{code:04X}; delete it (it may have come from a copy and paste)"
        )
        return None, [Diagnostic(shown, _line_at(text, error.position), "", message)]
    except yaml.YAMLError as error:
        return None, [Diagnostic(shown, 0, "", f"YAML syntax: {error}")]
    finally:
        loader.dispose()
    if node is None:
        return None, [Diagnostic(shown, 1, "", "file is empty")]
    if not problems and not isinstance(data, dict):
        problems.append(Diagnostic(shown, 1, "", "expected a mapping of field names to values at the top"))
    if problems:
        return None, problems
    return SourceFile(path=path, display=shown, data=data, lines=lines), []


def read_content(root: Path) -> tuple[ContentTree, list[Diagnostic]]:
    """Read every content file under `root`; problems in one file never hide the others."""
    problems: list[Diagnostic] = []
    clinic: SourceFile | None = None
    clinic_path = root / CLINIC_FILE
    if clinic_path.exists():
        clinic, found = read_yaml(clinic_path, root=root)
        problems += found
    else:
        problems.append(Diagnostic(display_path(clinic_path), 0, "", "clinic profile missing"))

    documents: list[tuple[str, SourceFile]] = []
    for folder, kind in DOCUMENT_FOLDERS.items():
        for path in sorted((root / folder).glob("*.y*ml")):
            source, found = read_yaml(path, root=root)
            problems += found
            if source is not None:
                documents.append((kind, source))

    folders = ", ".join(f"{folder}/" for folder in DOCUMENT_FOLDERS)
    for path in sorted(root.glob("*.y*ml")):
        if path.name != CLINIC_FILE:
            message = f"not a known content file; put documents in one of: {folders}"
            problems.append(Diagnostic(display_path(path), 0, "", message))
    return ContentTree(root=root, clinic=clinic, documents=documents), problems
