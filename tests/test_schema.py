"""`generate.py schema` writes JSON Schemas an editor can use, and the shipped ones are current."""

from __future__ import annotations

import json
from pathlib import Path

from handouts.cli import main
from handouts.paths import CONTENT_DIR
from handouts.schema import SCHEMAS


def test_schema_command_writes_every_schema(tmp_path: Path, capsys) -> None:
    assert main(["schema", "--output", str(tmp_path)]) == 0
    for name in SCHEMAS:
        schema = json.loads((tmp_path / name).read_text())
        assert schema["additionalProperties"] is False
        assert "required" in schema or name == "strings.schema.json"  # every key overrides or adds
    strings = json.loads((tmp_path / "strings.schema.json").read_text())
    assert {"key_points", "date_format", "date_order", "reach_call"} <= set(strings["properties"])
    brochure = json.loads((tmp_path / "brochure.schema.json").read_text())
    assert {"id", "title", "purpose", "review", "version", "sections"} <= set(brochure["required"])
    assert "wrote" in capsys.readouterr().out


def test_shipped_schemas_match_the_models(tmp_path: Path) -> None:
    """Refresh with `make schema` after changing a model."""
    assert main(["schema", "--output", str(tmp_path)]) == 0
    for name in SCHEMAS:
        assert (CONTENT_DIR / "schema" / name).read_text() == (tmp_path / name).read_text(), name
