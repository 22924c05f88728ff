"""Shared fixtures: small content trees written per test, and the shipped catalogue built once."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from handouts import review_dates
from handouts.cli import main
from handouts.paths import CONTENT_DIR
from tests.support import BROCHURE_YAML, CLINIC_YAML, write

FIXED_TODAY = dt.date(2026, 12, 1)
"""Every test runs on this day, so review-date warnings never depend on the calendar."""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr(review_dates, "today", lambda: FIXED_TODAY)
    return FIXED_TODAY


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A valid content folder with one clinic and one brochure, `alpha`."""
    root = tmp_path / "content"
    write(root / "clinic.yaml", CLINIC_YAML)
    write(root / "brochures" / "alpha.yaml", BROCHURE_YAML.format(id="alpha", title="Alpha therapy"))
    return root


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built once into a fresh folder; returns the output folder."""
    output = tmp_path_factory.mktemp("shipped-output")
    assert (
        main(["--content", str(CONTENT_DIR), "--output", str(output), "--as-of", FIXED_TODAY.isoformat()])
        == 0
    )
    return output


@pytest.fixture
def shipped_content_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    return copy
