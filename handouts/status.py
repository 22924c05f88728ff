"""Exit statuses, defined once for every command."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    """Everything asked for was done."""
    CONTENT = 1
    """Content had mistakes (every one is printed, located); the rest was still done."""
    USAGE = 2
    """Bad usage, an unusable folder, a stale build, or an internal error: nothing to fix in content."""
    SAFETY_ANSWER = 3
    """`handouts read`: a filled leaflet answers a safety item above 0 (PHQ-9 item 9, thoughts
    of death or self-harm). Everything was still read and printed; the alert comes first."""
