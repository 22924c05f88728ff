"""Reading a file named by content: only inside the content folder, and only so much of it."""

from __future__ import annotations

from pathlib import Path


class OutsideContent(ValueError):
    """The file lies outside the content folder once links are followed."""


class TooLarge(ValueError):
    """The file holds more than the reader takes."""


def read_confined(path: Path, root: Path | None, max_bytes: int) -> bytes:
    """The bytes of `path`, a regular file inside `root` (links followed), if it holds at
    most `max_bytes`. Raises OutsideContent, FileNotFoundError or TooLarge."""
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise OutsideContent("links to a file outside the content folder; copy the file in instead")
    if not path.is_file():
        raise FileNotFoundError(path)
    with path.open("rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(max_bytes)
    return data
