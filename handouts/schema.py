"""JSON Schema of the content files, for editors that check YAML as it is typed."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from handouts.models import Brochure, Clinic, Intake
from handouts.models.strings import StringOverrides
from handouts.writer import write_atomic

SCHEMAS: dict[str, type[BaseModel]] = {
    "brochure.schema.json": Brochure,
    "clinic.schema.json": Clinic,
    "intake.schema.json": Intake,
    "strings.schema.json": StringOverrides,
}


def schema_text(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    return [write_atomic(folder, name, schema_text(model).encode()) for name, model in SCHEMAS.items()]
