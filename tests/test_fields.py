"""How each type of the format reads what an editor wrote.

The documented choice: an unquoted value is read as the type its key expects. Text
stays exactly as written (`NO`, `12:30`, `1e3`, `010` are text in a text field);
numbers and yes/no must be written unquoted in their plain forms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from csi_macros.register.errors import Problem
from csi_macros.register.fields import (INVALID, Boolean, Choice, Date, FieldType, Integer, ListOf, Number,
                               Reporter, Text, Where, format_keys, read_record, record_schema)
from csi_macros.register.model import Action, Improvement, Target
from csi_macros.register.source import parse_document


def read(field: FieldType, yaml_value: str) -> tuple[Any, list[str]]:
    """Read `value: <yaml_value>` with `field`: the value and the messages reported."""
    problems: list[Problem] = []
    raw = parse_document(f"value: {yaml_value}\n", "f.yml")["value"]
    value = field.read(raw, 1, "value", Reporter("f.yml", problems))
    return value, [p.message for p in problems]


PLAIN_SCALARS = ["NO", "yes", "on", "12:30", "1e3", "0x10", "010", "true", "~x", ".inf", "2026-01-01"]


@pytest.mark.parametrize("written", PLAIN_SCALARS)
def test_text_keeps_a_plain_scalar_exactly_as_written(written: str) -> None:
    assert read(Text(), written) == (written, [])
    assert read(Text(), f"'{written}'") == (written, [])


@pytest.mark.parametrize("written, expected", [
    ("3", 3), ("+3", 3), ("-2.5", -2.5), ("1e3", 1000.0), ("010", 10), (".5", 0.5), ("5.", 5.0),
    ("0", 0), ("1" * 300, int("1" * 300)),
])
def test_numbers_in_decimal_are_numbers(written: str, expected: float) -> None:
    value, messages = read(Number(), written)
    assert (value, type(value), messages) == (expected, type(expected), [])


@pytest.mark.parametrize("written, shown", [
    ("NO", "'NO'"), ("yes", "'yes'"), ("12:30", "'12:30'"), ("0x10", "'0x10'"), ("0o17", "'0o17'"),
    (".inf", "'.inf'"), ("-.inf", "'-.inf'"), (".nan", "'.nan'"), ("1e400", "'1e400'"),
    ("1_000", "'1_000'"), ("'3'", "the quoted text '3'"), ('"3.5"', "the quoted text '3.5'"),
    ("[3]", "a list"), ("{a: 3}", "a mapping"), ("", "nothing"),
])
def test_anything_else_is_not_a_number(written: str, shown: str) -> None:
    assert read(Number(), written) == (INVALID, [f"value must be a finite number; got {shown}"])


@pytest.mark.parametrize("written, expected", [("1", 1), ("5", 5), ("010", 10), ("+2", 2)])
def test_whole_numbers_in_range(written: str, expected: int) -> None:
    assert read(Integer(1, 10), written) == (expected, [])


@pytest.mark.parametrize("written", ["0", "6", "-1", "2.0", "1e0", "0x3", "three", "'3'", "9" * 5000])
def test_whole_numbers_out_of_range_or_not_whole(written: str) -> None:
    value, [message] = read(Integer(1, 5), written)
    assert value is INVALID and message.startswith("value must be a whole number from 1 to 5; got ")


@pytest.mark.parametrize("written, expected", [
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False)])
def test_booleans(written: str, expected: bool) -> None:
    assert read(Boolean(), written) == (expected, [])


@pytest.mark.parametrize("written", ["yes", "no", "on", "off", "y", "n", "1", "0", "tRUE", "'true'"])
def test_yes_no_on_off_are_not_booleans(written: str) -> None:
    value, [message] = read(Boolean(), written)
    assert value is INVALID and message.startswith("value must be true or false; got ")


@pytest.mark.parametrize("written", ["2026-01-31", "'2026-01-31'", '"2026-01-31"'])
def test_dates_may_be_quoted_or_not(written: str) -> None:
    assert read(Date(), written) == (dt.date(2026, 1, 31), [])


@pytest.mark.parametrize("written, message", [
    ("2026-1-31", "value must be a date (YYYY-MM-DD); got '2026-1-31'"),
    ("2026-01-31T10:00:00", "value must be a date (YYYY-MM-DD); got '2026-01-31T10:00:00'"),
    ("'２０２６-01-31'", "value must be a date (YYYY-MM-DD); got '２０２６-01-31'"),
    ("2026-13-01", "value must be a real calendar date (YYYY-MM-DD); got '2026-13-01'"),
    ("20260131", "value must be a date (YYYY-MM-DD); got '20260131'"),
])
def test_what_is_not_a_date(written: str, message: str) -> None:
    assert read(Date(), written) == (INVALID, [message])


def test_choices_match_exactly() -> None:
    field = Choice(("low", "high"))
    assert read(field, "low") == ("low", []) and read(field, "'high'") == ("high", [])
    assert read(field, "Low") == (INVALID, ["value must be one of low, high; got 'Low'"])


def test_a_list_reports_each_bad_item_at_its_own_line() -> None:
    problems: list[Problem] = []
    raw = parse_document("value:\n  - OBJ-1\n  - obj-2\n  -\n", "f.yml")["value"]
    field = ListOf(Text(pattern="OBJ-[0-9]+", example="OBJ-1"))
    assert field.read(raw, 1, "objectives", Reporter("f.yml", problems)) is INVALID
    assert [str(p) for p in problems] == [
        "f.yml:3: objectives[2] must be an id like OBJ-1 (pattern OBJ-[0-9]+); got 'obj-2'",
        "f.yml:4: objectives[3] must be an id like OBJ-1 (pattern OBJ-[0-9]+); got nothing"]


def test_messages_show_long_values_shortened_and_on_one_line() -> None:
    value, [message] = read(Choice(("a",)), "'" + "x" * 100 + "'")
    assert message == f"value must be one of a; got '{'x' * 59}…'"
    value, [message] = read(Choice(("a",)), '"two\\nlines"')
    assert message == "value must be one of a; got 'two\\nlines'"


def test_nested_records_know_their_file_and_the_lines_of_their_keys() -> None:
    problems: list[Problem] = []
    tree = parse_document("id: CSI-1\ntitle: T\ndescription: D\nraised: 2026-01-01\nstatus: proposed\n"
                          "priority: low\nactions:\n  - title: A\n    due: 2026-02-01\n  - title: B\n"
                          "related: [CSI-2,\n  CSI-3]\nmodel:\n  plan: P\n", "f.yml")
    imp = read_record(Improvement, tree, Reporter("f.yml", problems))
    assert problems == []
    assert imp.where == Where("f.yml", 1) and imp.where.of("related", 1) == 12
    assert imp.where.of("model.plan") == 14 and imp.where.of("owner") == 1
    assert [a.where.path for a in imp.actions] == ["f.yml", "f.yml"]
    assert [a.where.line for a in imp.actions] == [8, 10] and imp.actions[0].where.of("due") == 9
    assert imp.model.where == Where("f.yml", 14)
    # What the file lacks points at the nearest line it has: the key, else the record.
    assert imp.where.of("related", 5) == 11 and imp.where.of("model.target_state") == 13
    assert imp.where.of("actions.title") == 7 and imp.where.of("nothing.here", 2) == 1


def test_a_partial_record_holds_what_could_be_read() -> None:
    problems: list[Problem] = []
    tree = parse_document("id: CSI-1\ntitle: [T]\nstatus: approved\nonwer: x\n", "f.yml")
    assert read_record(Improvement, tree, Reporter("f.yml", problems)) is INVALID
    imp = read_record(Improvement, tree, Reporter("f.yml", problems), partial=True)
    assert (imp.id, imp.status, imp.title) == ("CSI-1", "approved", None)
    assert imp.where.invalid == {"title", "description", "raised", "priority"}


def test_format_keys_is_the_declaration_order_and_a_copy() -> None:
    keys = format_keys(Action)
    assert list(keys) == ["title", "owner", "due", "done"] and keys["title"].required
    keys.clear()
    assert list(format_keys(Action)) == ["title", "owner", "due", "done"]


def test_record_schema_describes_optional_keys_outside_the_null_alternative() -> None:
    schema = record_schema(Target)
    assert schema["required"] == ["value"] and schema["additionalProperties"] is False
    assert schema["properties"]["value"] == {"description": "the value aimed at", "type": "number"}
    assert schema["properties"]["date"] == {
        "description": "by when",
        "anyOf": [{"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                  {"type": "null"}]}
