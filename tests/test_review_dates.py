"""A document past its review date builds with a warning, on every build, the no-change
quick path included; the PDFs are the same bytes whatever the day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handouts.cli import main
from handouts.reader import display_path

OVERDUE = (
    "warning: review was due on 2027-11-01; have the content checked, then update `review` (built anyway)"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digests(output: Path) -> dict[str, str]:
    return {e["path"]: e["sha256"] for e in json.loads((output / "manifest.json").read_text())["documents"]}


def test_overdue_review_warns_on_every_build_and_never_changes_the_pdfs(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    line = alpha.read_text().splitlines().index("  next_review: 2027-11-01") + 1
    warning = f"{display_path(alpha)}:{line}: review.next_review: {OVERDUE}"
    on_time, late = tmp_path / "on-time", tmp_path / "late"

    # The fixed day of the tests (conftest) is before the review date: no warning.
    code, out, err = run(capsys, "--content", str(content), "--output", str(on_time), "--only", "alpha")
    assert code == 0 and "warning" not in out + err

    code, out, err = run(capsys, "--content", str(content), "--output", str(late), "--as-of", "2027-11-02")
    assert code == 0, err
    assert warning in err.splitlines()
    assert "10 built" in out and out.strip().endswith("; 1 warning(s)")

    # The no-change quick path reads no content, and still says so.
    code, out, err = run(capsys, "--content", str(content), "--output", str(late), "--as-of", "2027-11-02")
    assert code == 0
    assert warning in err.splitlines()
    assert out.startswith("0 built, 10 unchanged") and out.strip().endswith("; 1 warning(s)")
    code, out, err = run(capsys, "--content", str(content), "--output", str(late))
    assert code == 0 and "warning" not in out + err, "the tests' fixed day is before the review date"

    assert digests(late) == {path: sha for path, sha in digests(on_time).items()}
    for path in digests(on_time):
        assert (late / path).read_bytes() == (on_time / path).read_bytes()
