"""Incremental builds: a key per output from every input that can change its bytes.

The key covers the content file, the clinic profile and logo, the string table, the
instruments, the templates the output's template includes, its stylesheets, the fonts,
the package's own code and the versions of the libraries that render. A no-change
rebuild compares keys and never imports WeasyPrint.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, meta

from handouts.catalog import Output
from handouts.diagnostics import Diagnostic
from handouts.fingerprint import CACHE_FILE, environment_lines, file_sha256
from handouts.paths import INSTRUMENTS_DIR
from handouts.review_dates import ReviewDate
from handouts.styles_plan import BRAND_SHEET, stylesheet_names
from handouts.writer import ManifestEntry, write_atomic


@dataclass(frozen=True)
class CacheRecord:
    key: str
    source: str
    """The content file, relative to the content folder: when it is gone, so are its outputs."""
    entry: ManifestEntry


def _file_digest(path: Path) -> str:
    """A file's digest, remembered while its size and modification time stay the same."""
    stat = path.stat()
    return _digest_of(path, stat.st_mtime_ns, stat.st_size)


@cache
def _digest_of(path: Path, mtime_ns: int, size: int) -> str:
    return file_sha256(path)


@cache
def _environment_digest() -> str:
    return hashlib.sha256("\n".join(environment_lines()).encode()).hexdigest()


@cache
def _template_closure(templates_dir: Path, name: str) -> tuple[str, ...]:
    """A template and every template it extends, includes or imports."""
    environment = Environment(loader=FileSystemLoader(templates_dir))
    seen: list[str] = []
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.append(current)
        source = (templates_dir / current).read_text(encoding="utf-8")
        pending += [child for child in meta.find_referenced_templates(environment.parse(source)) if child]
    return tuple(sorted(seen))


def forget_templates() -> None:
    """Templates may have changed since the last build in this process."""
    _template_closure.cache_clear()


def output_inputs(output: Output, content_dir: Path, templates_dir: Path, styles_dir: Path) -> list[Path]:
    """Every file whose change can change this output's bytes."""
    kind_dir = templates_dir / output.kind
    files = [output.source.source.path, content_dir / "clinic.yaml"]
    files += [
        templates_dir / name
        for name in _template_closure(templates_dir, f"{output.kind}/{output.layout}.html")
    ]
    files += sorted(kind_dir.glob(f"{output.layout}*.y*ml"))  # layout declarations, e.g. panel maps
    files.append(templates_dir / "strings" / f"{output.document.language}.yaml")
    names = stylesheet_names(styles_dir, output.layout, output.paper, output.variant)
    files += [styles_dir / name for name in names if name != BRAND_SHEET]
    files += sorted((styles_dir / "fonts").iterdir())
    if output.kind == "intake":
        files += sorted(INSTRUMENTS_DIR.glob("*.yaml"))
    return files


def cache_key(
    output: Output, content_dir: Path, templates_dir: Path, styles_dir: Path, logo: Path | None
) -> str:
    files = output_inputs(output, content_dir, templates_dir, styles_dir)
    if logo is not None:
        files.append(logo)
    digest = hashlib.sha256()
    digest.update(f"{output.id}\n{output.filename}\n{_environment_digest()}\n".encode())
    for path in files:
        digest.update(f"{path.name}:{_file_digest(path.resolve())}\n".encode())
    return digest.hexdigest()


def load_cache(output_dir: Path) -> dict[str, CacheRecord]:
    """The previous build's records; a missing or unreadable cache means rebuild all."""
    try:
        raw = json.loads((output_dir / CACHE_FILE).read_text(encoding="utf-8"))["outputs"]
        return {
            output_id: CacheRecord(item["key"], item["source"], ManifestEntry(**item["entry"]))
            for output_id, item in raw.items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def save_cache(
    output_dir: Path,
    records: dict[str, CacheRecord],
    fingerprint: str | None,
    warnings: Sequence[Diagnostic] = (),
    reviews: Sequence[ReviewDate] = (),
) -> None:
    """The records, and the whole-build fingerprint when the build was complete and clean,
    with what the quick path must still say: the content warnings and the review dates."""
    outputs = {output_id: asdict(record) for output_id, record in sorted(records.items())}
    data = {
        "fingerprint": fingerprint,
        "outputs": outputs,
        "warnings": [asdict(warning) for warning in warnings],
        "reviews": [review.as_json() for review in reviews],
    }
    write_atomic(output_dir, CACHE_FILE, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def still_valid(record: CacheRecord | None, key: str, output_dir: Path) -> bool:
    """The output was built from the same inputs and its file is still the one we wrote."""
    if record is None or record.key != key:
        return False
    path = output_dir / record.entry.path
    return path.is_file() and file_sha256(path) == record.entry.sha256
