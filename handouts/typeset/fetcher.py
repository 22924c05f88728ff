"""The only way WeasyPrint may read a file: from our own asset folders, never the network."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

FONT_TYPES = {".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf"}


class ResourceRefused(ValueError):
    """A stylesheet, template or content file asked for something outside our folders."""


class AssetFetcher(URLFetcher):
    """Serves `file:` URLs below the given folders and refuses everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def resolve(self, url: str) -> Path:
        """The file a URL names, if it is one we serve; raises ResourceRefused otherwise."""
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ResourceRefused(
                f"only local asset files are served, not {parts.scheme or 'relative'} URLs: {url}"
            )
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"file URL names another host: {url}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ResourceRefused(f"outside the template, style and content folders: {path.name}")
        if not path.is_file():
            raise ResourceRefused(f"no such asset file: {path.name}")
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self.resolve(url)
        media_type = FONT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(
            path.as_uri(),
            body=path.read_bytes(),
            headers={"Content-Type": media_type or "application/octet-stream"},
        )
