"""String tables for a locale, in layers: the shipped table of its language
(`templates/strings/en.yaml`, complete), the shipped differences of its country
(`en-GB.yaml`), then a content folder's own `strings/en.yaml` and `strings/en-GB.yaml`,
each overriding or adding keys. A language nobody ships needs a complete table in the
content folder. Every key of a layer is checked against the table's keys, and each
problem is located in the layer that gave the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from handouts.diagnostics import Diagnostic, FieldPath
from handouts.language_tags import language_of
from handouts.models import UiStrings
from handouts.reader import SourceFile, display_path, read_yaml
from handouts.validate import diagnostics_from

STRINGS_FOLDER = "strings"
"""In the templates and in a content folder."""

_TABLE_NAME = re.compile(r"[a-z]{2}(?:-[A-Z]{2})?")


def layer_paths(shipped: Path, content: Path, locale: str) -> list[Path]:
    """Every file a locale's table is made of, in order, whether it exists or not."""
    names = [f"{language_of(locale)}.yaml", f"{locale}.yaml"]
    return [folder / name for folder in (shipped, content / STRINGS_FOLDER) for name in names]


@dataclass
class StringTables:
    """The tables of a build's locales, each read once."""

    shipped: Path
    content: Path
    tables: dict[str, UiStrings] = field(default_factory=dict)
    problems: set[Diagnostic] = field(default_factory=set)
    _files: dict[Path, SourceFile | None] = field(default_factory=dict)

    def _read(self, path: Path) -> SourceFile | None:
        if path not in self._files:
            root = self.content if path.is_relative_to(self.content) else None
            source, found = read_yaml(path, display_path(path), root=root)
            self.problems.update(found)
            if source is not None and not isinstance(source.data, dict):
                self.problems.add(source.problem((), "a string table maps keys to wording"))
                source = None
            self._files[path] = source
        return self._files[path]

    def _known_keys(self, layer: SourceFile) -> bool:
        unknown = [key for key in layer.data if key not in UiStrings.model_fields]
        for key in unknown:
            message = "unknown key; a string table has the keys of templates/strings/en.yaml"
            self.problems.add(layer.problem((key,), message))
        return not unknown

    def table(self, locale: str) -> UiStrings | None:
        """The table for a locale, or None when it has none or has problems (in `problems`)."""
        if locale in self.tables:
            return self.tables[locale]
        paths = [path for path in layer_paths(self.shipped, self.content, locale) if path.is_file()]
        base_names = {f"{language_of(locale)}.yaml"}
        if not any(path.name in base_names for path in paths):
            return None
        layers = [layer for path in paths if (layer := self._read(path)) is not None]
        known = [self._known_keys(layer) for layer in layers]  # every layer's unknown keys reported
        if len(layers) < len(paths) or not all(known):
            return None
        merged: dict[str, object] = {}
        owners: dict[str, SourceFile] = {}
        for layer in layers:
            merged |= layer.data
            owners |= dict.fromkeys(layer.data, layer)

        def owner(loc: FieldPath) -> SourceFile:
            return owners.get(str(loc[0]), layers[0]) if loc else layers[0]

        try:
            table = UiStrings.model_validate(merged)
        except ValidationError as error:
            self.problems.update(diagnostics_from(error, layers[0], UiStrings, owner))
            return None
        self.tables[locale] = table
        return table

    def check_content_folder(self) -> None:
        """Every table in the content folder, used or not: a name that is a language or
        locale tag, and only known keys (their values are checked with the table they join)."""
        for path in sorted((self.content / STRINGS_FOLDER).glob("*.yaml")):
            if not _TABLE_NAME.fullmatch(path.stem):
                message = "name a string table by a language (en.yaml) or a locale (en-GB.yaml)"
                self.problems.add(Diagnostic(display_path(path), 1, "", message))
                continue
            layer = self._read(path)
            if layer is not None:
                self._known_keys(layer)

    def languages(self) -> list[str]:
        """The languages with a base table, shipped or in the content folder."""
        folders = (self.shipped, self.content / STRINGS_FOLDER)
        stems = {path.stem for folder in folders for path in folder.glob("*.yaml")}
        return sorted(stem for stem in stems if "-" not in stem)
