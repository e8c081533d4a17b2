"""JSON Schemas for editors, generated from the model's declarations.

A schema sees a file the way an editor's YAML 1.2 reading does: dates are strings,
and an unquoted `3` or `true` in a text field is a number or a boolean (which the
register reads as the text written, so text fields accept them too). The schema
checks one file at a time, key by key; `csi check` alone checks the rules that
depend on the status or span files, and a few things JSON cannot say (an unquoted
`.inf`, a number written in hex, `3.0` for a whole number).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .fields import record_schema
from .model import FORMAT_VERSION, Improvement, Metric, Organisation, Snapshot

SCHEMA_FILES: dict[str, type] = {
    "register": Organisation,
    "improvement": Improvement,
    "metric": Metric,
    "snapshot": Snapshot,
}


def file_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file kind: register, improvement, metric, snapshot."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"csi-register-v{FORMAT_VERSION}/{name}.schema.json",
        "title": f"Continual improvement register, format v{FORMAT_VERSION}: {name} file",
        **record_schema(SCHEMA_FILES[name]),
    }


def schema_text(name: str) -> str:
    """One schema as the text of its file: `csi schema --write` writes exactly this."""
    return json.dumps(file_schema(name), indent=2, ensure_ascii=False) + "\n"


def schema_file_name(name: str) -> str:
    """The file a schema is written to: `improvement.schema.json`."""
    return f"{name}.schema.json"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` (made if missing); return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMA_FILES:
        target = folder / schema_file_name(name)
        target.write_text(schema_text(name), encoding="utf-8")
        written.append(target)
    return written
