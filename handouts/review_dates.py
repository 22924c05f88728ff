"""Review dates: a document past its `next_review` still builds, with a warning on every
build, the no-change quick path included, never silently.

The date a build checks against comes from `today()` (tests replace it) or the
`--as-of` option; it never reaches a PDF, so the files are the same whatever the day.
The build stores each document's review date in its cache file, so the quick path can
warn without reading content into models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from handouts.diagnostics import Diagnostic


def today() -> dt.date:
    return dt.date.today()


@dataclass(frozen=True)
class ReviewDate:
    """Where a document's `review.next_review` is, and what it says."""

    file: str
    line: int
    next_review: str
    """ISO date, as stored in the cache file."""

    def warning(self, on: dt.date) -> Diagnostic | None:
        due = dt.date.fromisoformat(self.next_review)
        if on <= due:
            return None
        return Diagnostic(
            self.file,
            self.line,
            "review.next_review",
            f"warning: review was due on {due.isoformat()}; have the content checked, "
            "then update `review` (built anyway)",
        )

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def warnings_on(reviews: list[ReviewDate], on: dt.date) -> list[Diagnostic]:
    return [warning for review in reviews if (warning := review.warning(on)) is not None]


def reviews_from_json(items: object) -> list[ReviewDate]:
    """The review dates a cache file holds; anything malformed raises ValueError/TypeError."""
    if not isinstance(items, list):
        raise TypeError("reviews must be a list")
    return [ReviewDate(str(item["file"]), int(item["line"]), str(item["next_review"])) for item in items]
