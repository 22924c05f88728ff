"""Hostile and malformed content: every case is a located `file:LINE: field: message`,
exit status 1, and the other documents still build. Nothing is read from outside the
content folder, and nothing an editor cannot see changes what a patient reads."""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from pathlib import Path

import pytest

from handouts.cli import main
from handouts.reader import display_path
from tests.support import BROCHURE_YAML, CLINIC_YAML, page_texts, write

GOOD_OUTPUT = "alpha-booklet-letter"
GOOD_FILE = "Alpha-Brochure-Letter.pdf"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def build_one(capsys, content: Path, output: Path, only: str | None = GOOD_OUTPUT) -> tuple[int, str]:
    """A build of one output (of every output with `only=None`)."""
    chosen = ["--only", only] if only else []
    code, _, err = run(capsys, "--content", str(content), "--output", str(output), *chosen, "--jobs", "1")
    return code, err


def brochure(name: str, **replacements: str) -> str:
    text = BROCHURE_YAML.format(id=name, title=f"{name.capitalize()} therapy")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def with_line(expected: str, text: str | bytes) -> str:
    """`{line:MARK}` in an expected message: the line of the file on which MARK stands."""
    match = re.match(r"\{line:(.+?)\}", expected, re.S)
    if match is None:
        return expected
    raw = text if isinstance(text, str) else text.decode("utf-8", "surrogateescape")
    line = raw[: raw.index(match.group(1))].count("\n") + 1
    return f"{line}{expected[match.end() :]}"


def problems(err: str) -> list[str]:
    """The located lines of a build's standard error, the summary left out."""
    return [line for line in err.splitlines() if not line.startswith(("0 built", "1 built"))]


def png(width: int, height: int) -> bytes:
    """A PNG whose header claims this size, with one row of pixel data (enough for a check
    that must refuse it without decoding it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff" * 3 * min(width, 64))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


ALIAS_BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]
"""

# (name, file text or bytes, expected message after "<file>:")
BROKEN_FILES = [
    (
        "alias-bomb",
        ALIAS_BOMB,
        "1: e: the file expands to more than 20000 values or uses more than 100 aliases (*name); "
        "write the values out instead of repeating them with aliases",
    ),
    (
        "deep",
        "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "1: a: nested more than 32 levels deep; check the indentation",
    ),
    (
        "impossible-date",
        brochure("date", **{"next_review: 2027-11-01": "next_review: 2027-02-30"}),
        "{line:2027-02-30}: review.next_review: 2027-02-30 is not a real date; write it as YYYY-MM-DD, e.g. 2027-02-28",
    ),
    (
        "raw-control-byte",
        brochure("raw", **{"It is a talk therapy.": "It is a talk\x01 therapy."}),
        "{line:talk\x01}: invisible control character U+0001; delete it (it may have come from a copy and paste)",
    ),
    (
        "escaped-control-character",
        brochure("bell", **{"- It is a talk therapy.": '- "It is a talk\\a therapy."'}),
        "{line:talk\\a}: sections.what_it_is.paragraphs[0]: control character (U+0007) at character 13; delete it",
    ),
    (
        "right-to-left-override",
        brochure("bidi", **{"It is a talk therapy.": "Take \u202e01\u202c tablets."}),
        "{line:Take }: sections.what_it_is.paragraphs[0]: invisible direction control (U+202E RIGHT-TO-LEFT OVERRIDE) "
        "at character 6: it can change the order in which a patient reads the words or digits; delete it",
    ),
    (
        "zero-width-space",
        brochure("zero", **{"title: Zero therapy": "title: Zero\u200b therapy"}),
        "4: title: invisible formatting character (U+200B ZERO WIDTH SPACE) at character 5; delete it",
    ),
    (
        "line-break-in-a-heading",
        brochure("heading", **{"heading: What is it?": 'heading: "What\\nis it?"'}),
        "{line:What\\nis}: sections.what_it_is.heading: must be one line; remove the line break at character 5",
    ),
    (
        "emoji",
        brochure("emoji", **{"title: Emoji therapy": "title: Emoji therapy \U0001f600"}),
        "4: title: the bundled font cannot draw '\U0001f600' (U+1F600 GRINNING FACE); "
        "write it in words or with another character",
    ),
    (
        "not-utf-8",
        brochure("latin", **{"It is a talk therapy.": "It is a caf\udce9 therapy."}).encode(
            "utf-8", "surrogateescape"
        ),
        "{line:caf}: not UTF-8 text (invalid continuation byte); save the file as UTF-8",
    ),
    (
        "too-large",
        brochure("large") + "# " + "x" * 300_000 + "\n",
        " file is larger than 256 KB; a handout's content is far smaller",
    ),
    (
        "tab-indentation",
        brochure("tabs", **{"  what_it_is:": "\twhat_it_is:"}),
        "{line:\twhat_it_is}: YAML syntax: a tab character; indent with spaces",
    ),
    (
        "python-tag",
        brochure("tag", **{"title: Tag therapy": "title: !!python/object/apply:os.system [echo]"}),
        "4: YAML syntax: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), BROKEN_FILES, ids=[case[0] for case in BROKEN_FILES])
def test_a_broken_file_is_located_and_the_others_build(
    capsys, content: Path, tmp_path: Path, name: str, text: str | bytes, expected: str
) -> None:
    hostile = content / "brochures" / f"{name}.yaml"
    if isinstance(text, bytes):
        hostile.write_bytes(text)
    else:
        hostile.write_text(text, encoding="utf-8")
    code, err = build_one(capsys, content, tmp_path / "out")
    assert code == 1, err
    assert problems(err) == [f"{display_path(hostile)}:{with_line(expected, text)}"]
    assert (tmp_path / "out" / GOOD_FILE).is_file()


def test_a_content_file_linking_out_of_the_folder_is_not_read(capsys, content: Path, tmp_path: Path) -> None:
    secret = write(tmp_path / "elsewhere" / "secret.yaml", brochure("secret"))
    link = content / "brochures" / "secret.yaml"
    link.symlink_to(secret)
    code, err = build_one(capsys, content, tmp_path / "out")
    assert code == 1
    assert problems(err) == [
        f"{display_path(link)}: links to a file outside the content folder; copy the file in instead"
    ]
    assert not any("Secret" in path.name for path in (tmp_path / "out").iterdir())
    assert (tmp_path / "out" / GOOD_FILE).is_file()


def test_invisible_characters_that_scripts_need_are_kept(capsys, content: Path, tmp_path: Path) -> None:
    """Non-breaking spaces, soft hyphens and joiners are allowed, and the words still read."""
    alpha = content / "brochures" / "alpha.yaml"
    text = alpha.read_text().replace(
        "It is a talk therapy.", "It is a talk\u00a0therapy for 16\u00a0weeks, psycho\u00adtherapy."
    )
    alpha.write_text(text)
    code, err = build_one(capsys, content, tmp_path / "out")
    assert code == 0, err
    words = " ".join(" ".join(page_texts(tmp_path / "out" / GOOD_FILE)).split())
    assert "16 weeks" in words.replace("\u00a0", " ")


def test_a_crisis_number_left_empty_reads_as_words(capsys, content: Path, tmp_path: Path) -> None:
    clinic = write(
        content / "clinic.yaml",
        CLINIC_YAML + 'crisis:\n  lines:\n    - number: ""\n      reach: [call]\n      service: Line\n',
    )
    code, err = build_one(capsys, content, tmp_path / "out")
    assert code == 1
    assert problems(err) == [
        f"{display_path(clinic)}:12: crisis.lines[0].number: write the number to call or text, with digits, "
        "e.g. '988'"
    ]


def test_a_form_field_name_with_spaces_reads_as_words(capsys, content: Path, tmp_path: Path) -> None:
    intake = write(
        content / "intake" / "form.yaml",
        """\
        kind: intake
        id: form
        topic: form
        title: About you
        purpose: Tell us about yourself before your first visit.
        review:
          last_reviewed: 2026-11-01
          next_review: 2027-11-01
          reviewer_role: Psychiatrist (MD)
        version: "1.0"
        instructions: Fill this in on screen or on paper.
        return_to: Bring it to your first visit.
        sections:
          - heading: You
            fields:
              - type: text
                name: full name
                label: Your full name
        """,
    )
    code, err = build_one(capsys, content, tmp_path / "out")
    assert code == 1
    assert problems(err) == [
        f"{display_path(intake)}:17: sections[0].fields[0].name: write a field name in lower-case letters, "
        "digits and underscores, starting with a letter, e.g. 'first_name' (no spaces)"
    ]


def test_a_word_too_long_for_the_page_is_located(capsys, content: Path, tmp_path: Path) -> None:
    long_word = write(
        content / "brochures" / "word.yaml",
        brochure("word", **{"It is a talk therapy.": "It is " + "a" * 500 + "."}),
    )
    code, err = build_one(capsys, content, tmp_path / "out", only="word-booklet-letter")
    assert code == 1
    [message] = problems(err)
    line = long_word.read_text()[: long_word.read_text().index("aaaa")].count("\n") + 1
    assert message.startswith(
        f"{display_path(long_word)}:{line}: sections.what_it_is.paragraphs[0]: booklet page "
    )
    assert message.endswith(" mm wider than the page (Letter); a word too long for the page")
    assert not (tmp_path / "out" / "Word-Brochure-Letter.pdf").exists()


def test_a_document_longer_than_the_clinics_page_limit_fails(capsys, content: Path, tmp_path: Path) -> None:
    write(content / "clinic.yaml", CLINIC_YAML + "limits:\n  max_pages: 2\n")
    alpha = content / "brochures" / "alpha.yaml"
    code, err = build_one(capsys, content, tmp_path / "out", only="alpha-booklet-letter-large-print")
    assert code == 1
    [message] = problems(err)
    assert message.startswith(f"{display_path(alpha)}:1: booklet has ")
    assert message.endswith(
        " pages (Letter, large-print); the limit is 2 (a clinic can raise it with limits.max_pages in clinic.yaml)"
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def visible_files(output: Path) -> dict[str, str]:
    """Every file a clinic sees in the output folder (the catalogue's thumbnails too), by its bytes."""
    files = (path for path in output.rglob("*") if path.is_file() and not path.name.startswith("."))
    return {path.relative_to(output).as_posix(): sha256(path) for path in files}


def test_two_files_with_one_id_build_neither_and_keep_the_last_good_pdfs(
    capsys, content: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    code, err = build_one(capsys, content, output, only=None)
    assert code == 0, err
    before = visible_files(output)
    original = content / "brochures" / "alpha.yaml"
    copy = write(
        content / "brochures" / "a-copy.yaml", brochure("alpha", **{"talk therapy": "copied therapy"})
    )
    code, err = build_one(capsys, content, output, only=None)
    assert code == 1
    assert problems(err) == [
        f"{display_path(copy)}:2: id: id 'alpha' is also used by {display_path(original)}; "
        "give each document its own id (neither is built until then)",
        f"{display_path(original)}:2: id: id 'alpha' is also used by {display_path(copy)}; "
        "give each document its own id (neither is built until then)",
    ]
    after = visible_files(output)
    assert after == before
    assert "copied" not in " ".join(page_texts(output / GOOD_FILE))


BAD_LOGOS = [
    ("logo.png", b"GIF89a\x01\x00\x01\x00", "'logo.png' is not a PNG image, whatever its name says"),
    (
        "logo.png",
        png(20_000, 20_000),
        "'logo.png' is 20000 x 20000 pixels; save it at most 4000 pixels on each side",
    ),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<image xlink:href="file:///etc/passwd"/></svg>',
        "'logo.svg' is an SVG that refers to another file (file:///etc/passwd); a logo must stand alone",
    ),
    (
        "logo.svg",
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        "'logo.svg' is an SVG with a DOCTYPE or entities; save it without them",
    ),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "'logo.svg' is an SVG with a <script> element; a logo may hold only drawing",
    ),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://example.org/a.css);</style></svg>',
        "'logo.svg' is an SVG whose styles load other files; a logo must stand alone",
    ),
    (
        "logo.svg",
        b"<svg><unclosed></svg>",
        "'logo.svg' is not a well-formed SVG file (mismatched tag: line 1, column 17)",
    ),
]


@pytest.mark.parametrize(("name", "data", "expected"), BAD_LOGOS)
def test_a_bad_logo_is_one_located_message_and_the_last_good_pdfs_stay(
    capsys, content: Path, tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    output = tmp_path / "out"
    assert build_one(capsys, content, output)[0] == 0
    before = sha256(output / GOOD_FILE)
    clinic = write(content / "clinic.yaml", CLINIC_YAML + f"logo: {name}\nlogo_alt: Test Clinic\n")
    (content / name).write_bytes(data)
    code, err = build_one(capsys, content, output, only=None)
    assert code == 1
    assert problems(err) == [f"{display_path(clinic)}:10: logo: {expected}"]
    assert sha256(output / GOOD_FILE) == before


def test_a_logo_linking_out_of_the_folder_is_refused(capsys, content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "logo.png"
    outside.parent.mkdir()
    outside.write_bytes(png(40, 20))
    (content / "logo.png").symlink_to(outside)
    clinic = write(content / "clinic.yaml", CLINIC_YAML + "logo: logo.png\nlogo_alt: Test Clinic\n")
    code, err = build_one(capsys, content, tmp_path / "out")
    assert code == 1
    assert problems(err) == [
        f"{display_path(clinic)}:10: logo: 'logo.png' links to a file outside the content folder; copy the file in instead"
    ]


def test_a_good_logo_still_builds(capsys, content: Path, tmp_path: Path) -> None:
    write(content / "clinic.yaml", CLINIC_YAML + "logo: logo.png\nlogo_alt: Test Clinic\n")
    (content / "logo.png").write_bytes(png(40, 20))
    code, err = build_one(capsys, content, tmp_path / "out")
    assert code == 0, err


def test_every_pattern_a_content_file_must_match_has_words_for_the_editor() -> None:
    """No message ever shows a regular expression: each pattern in the content models has
    a plain hint (new patterns need one in handouts/validate.py)."""
    from handouts.schema import SCHEMAS
    from handouts.validate import PATTERN_HINTS

    def patterns(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
            return found + [p for value in node.values() for p in patterns(value)]
        if isinstance(node, list):
            return [p for value in node for p in patterns(value)]
        return []

    every = {p for model in SCHEMAS.values() for p in patterns(model.model_json_schema())}
    assert every
    assert sorted(every - set(PATTERN_HINTS)) == []
