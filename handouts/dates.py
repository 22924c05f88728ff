"""Dates written in numbers, in the order a leaflet asks for them (its string table's
`date_order`: `mdy` in the US, `dmy` in the UK): what `personalise` writes into a date
field and how `read` understands one typed there."""

from __future__ import annotations

import datetime as dt
import re

_NUMBERS = re.compile(r"^\s*(\d{1,4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,4})\s*$")


def numeric_date(date: dt.date, order: str) -> str:
    """`11/01/2026` (mdy), `01/11/2026` (dmy), `2026/11/01` (ymd)."""
    parts = {"d": f"{date.day:02d}", "m": f"{date.month:02d}", "y": f"{date.year:04d}"}
    return "/".join(parts[letter] for letter in order)


def read_numeric_date(text: str, order: str) -> dt.date | None:
    """A date typed in that order (slashes, dots or hyphens); None when it is not one."""
    found = _NUMBERS.match(text)
    if found is None:
        return None
    parts = dict(zip(order, (int(group) for group in found.groups()), strict=True))
    if parts["y"] < 100:
        return None  # a two-digit year could be either century: the patient is asked again
    try:
        return dt.date(parts["y"], parts["m"], parts["d"])
    except ValueError:
        return None
