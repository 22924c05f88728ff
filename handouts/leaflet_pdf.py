"""A built intake leaflet as a PDF: which document and version it is, what its form fields
hold, and a copy with some text fields filled in.

The document id and content version are custom Info entries (templates/base.html writes
them as `handouts-*` meta; WeasyPrint's `custom_metadata` turns those into
/handoutsdocument and /handoutsversion). Values are read as any viewer stores them: a
text field's /V, a radio group's /V naming the on-state of one widget (mapped to its
export value through /Opt), a checkbox's /V of /Off or its on-state.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf

DOCUMENT_KEY = "/handoutsdocument"
VERSION_KEY = "/handoutsversion"
_OFF = "/Off"


class NotALeaflet(Exception):
    """Not a PDF, or a PDF that no handouts build wrote as an intake leaflet."""


@dataclass(frozen=True)
class FilledLeaflet:
    document: str
    version: str
    values: dict[str, str]
    """Every form field by name: its answer, or "" when it has none."""


def _value(field: pikepdf.Dictionary) -> str:
    value = field.get("/V")
    if value is None:
        return ""
    is_button = field.get("/FT") == pikepdf.Name.Btn
    if isinstance(value, pikepdf.Name) or (is_button and isinstance(value, pikepdf.String)):
        # Some writers store a button's state as a string ("/2"), not a name: read it the same.
        state = str(value) if str(value).startswith("/") else f"/{value}"
        if state == _OFF:
            return ""
        options = field.get("/Opt")
        # WeasyPrint names a radio widget's on-state by its index; /Opt holds the export values.
        if options is not None and state[1:].isdigit() and int(state[1:]) < len(options):
            return str(options[int(state[1:])])
        return state[1:]
    if isinstance(value, pikepdf.String):
        return str(value)
    return ""


def _named_fields(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Dictionary]:
    acroform = pdf.Root.get("/AcroForm")
    if acroform is None:
        return {}
    fields = {}
    for field in acroform.get("/Fields", []):
        if isinstance(field, pikepdf.Dictionary) and "/T" in field:
            fields[str(field.T)] = field
    return fields


def _identity(pdf: pikepdf.Pdf) -> tuple[str, str] | None:
    info = pdf.trailer.get("/Info")
    if info is None or DOCUMENT_KEY not in info or VERSION_KEY not in info:
        return None
    return str(info[DOCUMENT_KEY]), str(info[VERSION_KEY])


def _open(data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as error:
        raise NotALeaflet(f"not a readable PDF ({type(error).__name__})") from None


def read_leaflet(data: bytes) -> FilledLeaflet:
    """The identity and every field value of a leaflet. Raises NotALeaflet."""
    with _open(data) as pdf:
        identity = _identity(pdf)
        fields = _named_fields(pdf)
        if identity is None or not fields:
            raise NotALeaflet("not an intake leaflet built by handouts (no document id and version in it)")
        return FilledLeaflet(*identity, {name: _value(field) for name, field in fields.items()})


def fill_text_fields(data: bytes, values: dict[str, str]) -> bytes:
    """A copy with these text fields filled, nothing else changed: no new layout, the same
    metadata (title, author, XMP). Viewers draw the values (the form asks them to, with
    NeedAppearances). Raises NotALeaflet, or KeyError naming a field the PDF lacks."""
    with _open(data) as pdf:
        fields = _named_fields(pdf)
        for name, value in values.items():
            field = fields[name]
            if field.get("/FT") != pikepdf.Name.Tx:
                raise KeyError(name)
            field.V = pikepdf.String(value)
        out = io.BytesIO()
        # Same content, same bytes: the file identifier comes from the content, not the clock.
        pdf.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            deterministic_id=True,
            fix_metadata_version=False,  # leaves the XMP packet exactly as built
        )
        return out.getvalue()
