"""JSON Schemas for editors, generated from the model's declarations."""

from __future__ import annotations

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
