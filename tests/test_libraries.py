"""Workers import WeasyPrint without ctypes' library search, and get the same libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
LIBRARIES = ("libgobject-2.0", "libpango-1.0", "libpangoft2-1.0", "libharfbuzz", "libfontconfig")
SCRIPT = """
import sys
from handouts.typeset.libraries import open_libraries_by_soname
if sys.argv[1] == "shortcut":
    with open_libraries_by_soname():
        import weasyprint
else:
    import weasyprint
with open("/proc/self/maps") as maps:
    paths = {line.split()[-1] for line in maps if "/" in line}
print("\\n".join(sorted(p for p in paths if any(name in p for name in sys.argv[2:]))))
"""


def _loaded_libraries(mode: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, *LIBRARIES],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=True,
    )
    return done.stdout.split()


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut applies on Linux only")
def test_the_soname_shortcut_loads_the_same_libraries_as_weasyprints_own_search() -> None:
    plain = _loaded_libraries("plain")
    assert all(any(name in path for path in plain) for name in LIBRARIES), plain
    assert _loaded_libraries("shortcut") == plain


def test_the_shortcut_puts_ctypes_back() -> None:
    import ctypes.util

    from handouts.typeset.libraries import open_libraries_by_soname

    before = ctypes.util.find_library
    with open_libraries_by_soname():
        pass
    assert ctypes.util.find_library is before
