"""Importing WeasyPrint without its slow search for system libraries."""

from __future__ import annotations

import ctypes.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def open_libraries_by_soname() -> Iterator[None]:
    """While WeasyPrint is imported, cffi opens Pango, HarfBuzz and fontconfig by the
    names WeasyPrint lists, without asking `ctypes.util.find_library`.

    WeasyPrint tries several spellings of each library (Windows, macOS, Linux). For each
    spelling that does not open, cffi calls find_library, which on Linux runs `ldconfig -p`
    and then a C compiler: about 0.4 s of every worker's start. On Linux find_library only
    ever answers with a soname, and WeasyPrint's list holds each library's soname, which
    the dynamic loader opens directly: the same libraries load either way."""
    if sys.platform != "linux":
        yield
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = find_library
