"""Checks of the image files content names (the clinic's logo), made before any rendering.

An image must be what its name says, of a sensible size, inside the content folder (a
link that leads out is refused, as the fetcher refuses it), and an SVG may not reach for
anything outside itself: no external references, scripts, entities or event handlers.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from handouts.confined import OutsideContent, TooLarge, read_confined

MAX_IMAGE_BYTES = 1024 * 1024
MAX_PIXELS_A_SIDE = 4000
"""A logo printed 2 in wide at 300 dpi is 600 px; 4000 leaves room and stops a decompression bomb."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_FRAME_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
SVG_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video"}
_URL_IN_STYLE = re.compile(r"url\(\s*['\"]?(?!#)|@import", re.IGNORECASE)


class ImageProblem(ValueError):
    """Why an image cannot be used, in words for the clinic."""


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ImageProblem("is a damaged PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _jpeg_size(data: bytes) -> tuple[int, int]:
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker in JPEG_FRAME_MARKERS:
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    raise ImageProblem("is a damaged JPEG file")


def _local_name(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _check_svg(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ImageProblem("is an SVG with a DOCTYPE or entities; save it without them")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ImageProblem(f"is not a well-formed SVG file ({error})") from None
    if _local_name(root.tag) != "svg":
        raise ImageProblem("is not an SVG image (its top element is not <svg>)")
    for element in root.iter():
        name = _local_name(element.tag)
        if name in SVG_FORBIDDEN_ELEMENTS:
            raise ImageProblem(f"is an SVG with a <{name}> element; a logo may hold only drawing")
        if name == "style" and _URL_IN_STYLE.search(element.text or ""):
            raise ImageProblem("is an SVG whose styles load other files; a logo must stand alone")
        for attribute, value in element.attrib.items():
            local = _local_name(attribute)
            if local.lower().startswith("on"):
                raise ImageProblem(
                    f"is an SVG with a script attribute ({local}); a logo may hold only drawing"
                )
            if local == "href" and not value.startswith("#"):
                raise ImageProblem(
                    f"is an SVG that refers to another file ({value[:60]}); a logo must stand alone"
                )
            if local == "style" and _URL_IN_STYLE.search(value):
                raise ImageProblem("is an SVG whose styles load other files; a logo must stand alone")


def check_image(path: Path, root: Path) -> None:
    """Raises ImageProblem when `path` is not a usable PNG, JPEG or SVG inside `root`."""
    try:
        data = read_confined(path, root, MAX_IMAGE_BYTES)
    except OutsideContent as error:
        raise ImageProblem(str(error)) from None
    except FileNotFoundError:
        raise ImageProblem("is not in the content folder") from None
    except TooLarge:
        raise ImageProblem(f"is larger than {MAX_IMAGE_BYTES // 1024} KB; save a smaller image") from None
    suffix = path.suffix.lower()
    if suffix == ".svg":
        _check_svg(data)
        return
    if suffix == ".png" and data.startswith(PNG_SIGNATURE):
        width, height = _png_size(data)
    elif suffix in (".jpg", ".jpeg") and data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data)
    else:
        raise ImageProblem(f"is not a {suffix.lstrip('.').upper()} image, whatever its name says")
    if not (0 < width <= MAX_PIXELS_A_SIDE and 0 < height <= MAX_PIXELS_A_SIDE):
        raise ImageProblem(
            f"is {width} x {height} pixels; save it at most {MAX_PIXELS_A_SIDE} pixels on each side"
        )
