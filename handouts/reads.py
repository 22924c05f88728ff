"""What one render read: the templates Jinja used and the files WeasyPrint fetched.

The renderer keeps its template loader and its fetcher for its whole life; these
wrappers note each file they serve, with the digest of the bytes served, into the
`ReadLog` of the output being rendered. Imported by the worker only (it imports
WeasyPrint).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment
from weasyprint.urls import URLFetcher, URLFetcherResponse

CHANGED_WHILE_READ = "changed while read"
"""Recorded when a template's file no longer held what was loaded: it never matches."""


class ReadLog:
    """Files read (absolute path -> digest) and instruments used, while capturing."""

    def __init__(self) -> None:
        self.files: dict[str, str] | None = None
        self.instruments: set[str] = set()

    @contextmanager
    def capture(self) -> Iterator[dict[str, str]]:
        files: dict[str, str] = {}
        self.files, self.instruments = files, set()
        try:
            yield files
        finally:
            self.files = None

    def note(self, path: str, digest: str) -> None:
        if self.files is not None:
            self.files[path] = digest


class RecordingLoader(BaseLoader):
    """A Jinja loader that notes every template a render uses, compiled before or not.

    With `auto_reload` (Jinja's default) the environment asks a cached template whether
    it is up to date each time a render asks for it (`get_template`, `extends`,
    `include`, `import`), so the note is made on every use, not only on first load."""

    def __init__(self, inner: BaseLoader, log: ReadLog) -> None:
        self.inner = inner
        self.log = log

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        if filename is None:
            return source, filename, uptodate
        data = Path(filename).read_bytes()
        # Jinja reads the file as text (universal newlines); the same text means these bytes.
        same = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n") == source
        digest = hashlib.sha256(data).hexdigest() if same else CHANGED_WHILE_READ
        self.log.note(filename, digest)

        def still_current() -> bool:
            current = uptodate() if uptodate is not None else False
            if current:
                self.log.note(filename, digest)
            return current

        return source, filename, still_current


class RecordingFetcher(URLFetcher):
    """Serves what `inner` serves, noting each local file and the digest of its bytes."""

    def __init__(self, inner: URLFetcher, log: ReadLog) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.inner = inner
        self.log = log

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        response = self.inner.fetch(url, headers)
        try:
            body = response.read()
        finally:
            response.close()
        if response.path is not None:
            self.log.note(str(Path(response.path)), hashlib.sha256(body).hexdigest())
        return URLFetcherResponse(response.url, body=body, headers=response.headers, status=response.status)


class RecordingMapping(Mapping[str, Any]):
    """The instruments, noting which ones a template looks up."""

    def __init__(self, inner: Mapping[str, Any], log: ReadLog) -> None:
        self.inner = inner
        self.log = log

    def __getitem__(self, key: str) -> Any:
        value = self.inner[key]
        self.log.instruments.add(key)
        return value

    def __iter__(self) -> Iterator[str]:
        self.log.instruments.update(self.inner)
        return iter(self.inner)

    def __len__(self) -> int:
        return len(self.inner)
