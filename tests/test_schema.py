"""The JSON Schemas agree with the validator, file by file.

Each file is given to the schema as an editor's YAML 1.2 reading sees it (ruamel.yaml,
dates as strings) and to the validator as part of an otherwise valid register; both
must accept it or both must refuse it. The cases are the defects a single file can
have: a type, a word not in the list, an id pattern, a missing key, an unknown key.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from csi_macros.cli import main
from csi_macros.register.schema import SCHEMA_FILES, file_schema, schema_file_name, schema_text
from csi_macros.testing import (improvement, metric, organisation, register_problems, snapshot,
                                without, write_register, yaml_text)

from conftest import BUILD_DATE

PROJECT = Path(__file__).resolve().parent.parent
FOLDER_KIND = {"improvements": "improvement", "metrics": "metric", "snapshots": "snapshot"}


def editor_view(text: str) -> Any:
    """The file as a YAML 1.2 editor reads it: dates stay strings."""
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value.isoformat() if isinstance(value, dt.date) else value
    return plain(YAML(typ="safe", pure=True).load(io.StringIO(text)))


def schema_accepts(kind: str, text: str) -> bool:
    validator = Draft202012Validator(file_schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return not list(validator.iter_errors(editor_view(text)))


def validator_accepts(tmp_path: Path, kind: str, text: str) -> bool:
    """Whether `csi check` accepts the file, placed in a register that is otherwise valid."""
    files: dict[str, Any] = {
        "register": {"register": text},
        "improvement": {"improvements": {"CSI-0001.yml": text}},
        "metric": {"metrics": {"MTTR.yml": text}},
        "snapshot": {"snapshots": {"2026-02-28.yml": text}},
    }[kind]
    root = write_register(tmp_path / "register", **files)
    return register_problems(root, today=BUILD_DATE) == []


def change(record: dict[str, Any], **changes: Any) -> str:
    return yaml_text({**record, **changes})


IMP, MET, SNAP, REG = improvement(), metric(), snapshot(), organisation()

CASES = [
    # kind, file text, accepted?
    ("improvement", yaml_text(IMP), True),
    ("improvement", yaml_text(improvement(
        raised_by="Desk", value=1, effort=5, target_date="2027-01-01", principles=["focus-on-value"],
        dimensions=["partners-and-suppliers"], services=["Email"], metrics=["MTTR"], benefits="B",
        model={"vision": "V", "review": None}, actions=[{"title": "A", "owner": "O", "due": "2027-01-01",
                                                         "done": True}],
        log=[{"date": "2026-01-10", "note": "N", "status": "proposed"}], tags=["t"],
        extra={"anything": [1, {"a": None}]})), True),
    ("improvement", yaml_text(IMP) + "raised_by:\n", True),
    ("improvement", yaml_text(IMP).replace("Improvement CSI-0001", "2026"), True),
    ("improvement", yaml_text(IMP).replace("'2026-01-10'", "2026-01-10"), True),
    ("improvement", change(IMP, title=["a"]), False),
    ("improvement", change(IMP, title="x" * 121), False),
    ("improvement", change(IMP, title="  "), False),
    ("improvement", change(IMP, description={"a": 1}), False),
    ("improvement", change(IMP, raised="2026-1-10"), False),
    ("improvement", change(IMP, raised="2026-02-30"), False),
    ("improvement", change(IMP, status="done"), False),
    ("improvement", change(IMP, priority="urgent"), False),
    ("improvement", change(IMP, value="3"), False),
    ("improvement", change(IMP, value=6), False),
    ("improvement", change(IMP, effort=0), False),
    ("improvement", change(IMP, value=2.5), False),
    ("improvement", yaml_text(IMP) + "actions:\n- title: A\n  done: yes\n", False),
    ("improvement", change(IMP, actions=[{"title": "A", "done": "true"}]), False),
    ("improvement", change(IMP, principles=["focus"]), False),
    ("improvement", change(IMP, dimensions=["people"]), False),
    ("improvement", change(IMP, log=[{"date": "2026-02-01", "note": "N", "status": "won"}]), False),
    ("improvement", change(IMP, id="csi-0001"), False),
    ("improvement", change(IMP, objectives=["OBJ1"]), False),
    ("improvement", change(IMP, related=["CSI 2"]), False),
    ("improvement", change(IMP, metrics=["mttr"]), False),
    ("improvement", change(IMP, services="Email"), False),
    ("improvement", change(IMP, model="x"), False),
    ("improvement", change(IMP, extra=["a"]), False),
    *[("improvement", yaml_text(without(IMP, key)), False)
      for key in ("id", "title", "description", "raised", "status", "priority")],
    ("improvement", change(IMP, title=None), False),
    ("improvement", change(IMP, actions=[{"owner": "O"}]), False),
    ("improvement", change(IMP, log=[{"note": "N"}]), False),
    ("improvement", change(IMP, log=[{"date": "2026-02-01"}]), False),
    ("improvement", change(IMP, onwer="x"), False),
    ("improvement", change(IMP, model={"visoin": "x"}), False),
    ("improvement", change(IMP, actions=[{"title": "A", "titel": "B"}]), False),
    ("metric", yaml_text(MET), True),
    ("metric", yaml_text(metric(description="D", target={"value": 1.5, "date": "2027-01-01"}, owner="O",
                                extra={"x": 1})), True),
    ("metric", change(MET, direction="up"), False),
    ("metric", change(MET, id="mttr"), False),
    ("metric", change(MET, baseline={"date": "2026-01-01", "value": "5"}), False),
    ("metric", change(MET, baseline={"date": "2026-01-01"}), False),
    ("metric", change(MET, baseline={"date": "2026-01-01", "value": 5, "valeu": 5}), False),
    ("metric", change(MET, target={"date": "2027-01-01"}), False),
    ("metric", change(MET, unit=None), False),
    ("metric", yaml_text(without(MET, "name")), False),
    ("metric", change(MET, colour="red"), False),
    ("snapshot", yaml_text(SNAP), True),
    ("snapshot", "date: 2026-02-28\nsource: ITSM\nvalues:\n  MTTR:\n", True),
    ("snapshot", "date: 2026-02-28\nvalues:\n  MTTR: ~\n", True),
    ("snapshot", change(SNAP, values={"MTTR": "8"}), False),
    ("snapshot", change(SNAP, values={"mttr": 8}), False),
    ("snapshot", change(SNAP, values=[8]), False),
    ("snapshot", yaml_text(without(SNAP, "date")), False),
    ("snapshot", yaml_text(without(SNAP, "values")), False),
    ("snapshot", change(SNAP, extra={"a": 1}), False),
    ("register", yaml_text(REG), True),
    ("register", yaml_text(organisation(stale_after_days=30, extra={"a": [1]}, objectives=[
        {"id": "OBJ-1", "title": "T", "description": "D", "metrics": ["MTTR"]}])), True),
    ("register", change(REG, objectives=[]), False),
    ("register", change(REG, objectives=[{"id": "OBJ-A", "title": "T"}]), False),
    ("register", change(REG, objectives=[{"id": "OBJ-1"}]), False),
    ("register", change(REG, objectives=[{"id": "OBJ-1", "title": "T", "metrics": ["p1"]}]), False),
    ("register", change(REG, stale_after_days="x"), False),
    ("register", change(REG, stale_after_days=0), False),
    ("register", yaml_text(without(REG, "organisation")), False),
    ("register", change(REG, vision=None), False),
    ("register", change(REG, visoin="x"), False),
]


@pytest.mark.parametrize("kind, text, accepted", CASES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(CASES)])
def test_the_schema_and_the_validator_agree(tmp_path: Path, kind: str, text: str, accepted: bool) -> None:
    assert (schema_accepts(kind, text), validator_accepts(tmp_path, kind, text)) == (accepted, accepted)


@pytest.mark.parametrize("line", ["effort: 0x3", "effort: 0o3", "effort: 3.0", "value: .inf"])
def test_what_only_csi_check_refuses(tmp_path: Path, line: str) -> None:
    """JSON cannot tell `3.0` from `3` nor hold infinity; an editor reads `0x3` as 3."""
    if line.startswith("value"):
        text = f"date: 2026-02-28\nvalues:\n  MTTR: {line.split(': ')[1]}\n"
        kind = "snapshot"
    else:
        text, kind = yaml_text(IMP) + line + "\n", "improvement"
    assert (schema_accepts(kind, text), validator_accepts(tmp_path, kind, text)) == (True, False)


def sample_files() -> list[tuple[str, Path]]:
    register = PROJECT / "register"
    files = [("register", register / "register.yml")]
    for folder, kind in FOLDER_KIND.items():
        files += [(kind, path) for path in sorted((register / folder).glob("*.y*ml"))]
    return files


def test_the_sample_register_has_every_kind_of_file() -> None:
    assert {kind for kind, _ in sample_files()} == set(SCHEMA_FILES)


@pytest.mark.parametrize("kind, path", sample_files(), ids=lambda value: getattr(value, "name", value))
def test_the_schemas_accept_the_sample_register(kind: str, path: Path) -> None:
    validator = Draft202012Validator(file_schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(editor_view(path.read_text(encoding="utf-8")))]
    assert errors == []


@pytest.mark.parametrize("kind", SCHEMA_FILES)
def test_the_schemas_are_valid_draft_2020_12(kind: str) -> None:
    Draft202012Validator.check_schema(file_schema(kind))


@pytest.mark.parametrize("kind", SCHEMA_FILES)
def test_the_committed_schemas_are_the_generated_ones(kind: str) -> None:
    committed = PROJECT / "schemas" / schema_file_name(kind)
    assert committed.read_text(encoding="utf-8") == schema_text(kind), \
        "schemas/ is stale: run `csi schema --write schemas`"


def test_csi_schema_writes_the_files_and_prints_them(tmp_path: Path, capsys) -> None:
    assert main(["schema", "--write", str(tmp_path / "out")]) == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(schema_file_name(kind) for kind in SCHEMA_FILES)
    assert capsys.readouterr().out.splitlines() == [
        (tmp_path / "out" / schema_file_name(kind)).as_posix() for kind in SCHEMA_FILES]
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == {kind: file_schema(kind) for kind in SCHEMA_FILES}


def test_optional_keys_may_be_empty_and_say_what_they_mean() -> None:
    owner = file_schema("improvement")["properties"]["owner"]
    assert owner["description"].startswith("accountable person (required unless")
    assert owner["anyOf"][1] == {"type": "null"} and "description" not in owner["anyOf"][0]
