"""Reading YAML safely: lines, plain scalars, and every YAML feature the register refuses.

Each test runs with the C parser and with the pure-Python one, which must agree.
"""

from __future__ import annotations

import pytest
import yaml

from csi_macros.register import source
from csi_macros.register.errors import RegisterError
from csi_macros.register.source import (MAX_DEPTH, Mapping, Plain, Sequence, parse_document,
                               resolve_plain, to_plain_data)


@pytest.fixture(autouse=True, params=["C", "Python"])
def parser(request, monkeypatch) -> str:
    if request.param == "C" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(source, "_Parser", yaml.CSafeLoader if request.param == "C" else yaml.SafeLoader)
    return request.param


def problems(text: str) -> list[str]:
    """The problems of a document, as `f.yml:line: message`; [] when it parses."""
    try:
        parse_document(text, "f.yml")
    except RegisterError as error:
        return [str(problem) for problem in error.problems]
    return []


def test_keys_and_items_remember_their_lines() -> None:
    tree = parse_document("# a comment\nid: CSI-1\nlog:\n  - date: 2026-01-01\n\n    note: x\n"
                          "  -   date: 2026-02-01\ntags: [a,\n  b]\n", "f.yml")
    assert tree.line == 2 and tree.key_lines == {"id": 2, "log": 3, "tags": 8}
    assert tree["log"].item_lines == [4, 7]
    assert tree["log"][0].key_lines == {"date": 4, "note": 6}
    assert tree["tags"].item_lines == [8, 9]


def test_plain_scalars_stay_text_and_quoted_ones_are_not_plain() -> None:
    tree = parse_document("a: NO\nb: 12:30\nc: '1e3'\nd: \"x\"\ne: |\n  block\nf: 010\n", "f.yml")
    assert [type(tree[k]) for k in "abcdef"] == [Plain, Plain, str, str, str, Plain]
    assert (tree["a"], tree["b"], tree["c"], tree["e"], tree["f"]) == ("NO", "12:30", "1e3", "block\n", "010")


@pytest.mark.parametrize("written", ["", "~", "null", "Null", "NULL"])
def test_empty_and_null_plain_values_are_none(written: str) -> None:
    assert parse_document(f"a: {written}\nb: '{written}'\n", "f.yml") == {"a": None, "b": written}


def test_a_bom_and_crlf_line_endings_are_accepted(tmp_path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\nb:\r\n  - x\r\n")
    tree = source.read_document(path, "f.yml")
    assert tree == {"a": "1", "b": ["x"]} and tree.key_lines == {"a": 1, "b": 2}


@pytest.mark.parametrize("text, expected", [
    ("a: 1\na: 2\n",
     "f.yml:2: duplicate key 'a' (first at line 1); YAML would silently keep only the last one"),
    ("a: &x 1\n", "f.yml:1: YAML anchors (&x) are not allowed; write the value out"),
    ("a: 1\nb: *x\n", "f.yml:2: YAML aliases (*x) are not allowed; write the value out"),
    ("a: !!str 1\n", "f.yml:1: YAML tags (!!str) are not allowed; write a plain value"),
    ("a: !!python/object:os.system {}\n",
     "f.yml:1: YAML tags (!!python/object:os.system) are not allowed; write a plain value"),
    ("!!map {a: 1}\n", "f.yml:1: YAML tags (!!map) are not allowed; write a plain value"),
    ("a: ! x\n", "f.yml:1: YAML tags (!) are not allowed; write a plain value"),
    ("a: 1\n---\nb: 2\n",
     "f.yml:2: more than one YAML document (a second '---'); a register file holds one mapping"),
    ("? [a, b]\n: 1\n", "f.yml:1: a key must be plain text, not a list or mapping"),
    ("", "f.yml:1: file is empty; expected a mapping of keys (key: value)"),
    ("# only a comment\n", "f.yml:1: file is empty; expected a mapping of keys (key: value)"),
    ("---\n...\n", "f.yml:1: file is empty; expected a mapping of keys (key: value)"),
    ("- a\n", "f.yml:1: expected a mapping of keys (key: value) at the top level; got a list"),
    ("just text\n",
     "f.yml:1: expected a mapping of keys (key: value) at the top level; got the text 'just text'"),
    ("a: b\x00c\n", "f.yml:1: a NUL byte (U+0000) is not allowed in YAML; remove it"),
    ("a: 1\nb: \x1b[31m\n", "f.yml:2: a control character (U+001B) is not allowed in YAML; remove it"),
    ("a:\n\tb: 1\n", "f.yml:2: YAML syntax error: a tab indents this line; indent with spaces, not tabs"),
    ("a:\n  b: 1\n\tc: 2\n",
     "f.yml:3: YAML syntax error: a tab indents this line; indent with spaces, not tabs"),
])
def test_what_the_register_refuses(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_aliases_are_refused_where_they_are_used_and_never_expanded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    found = problems(bomb)
    assert found[:3] == ["f.yml:1: YAML anchors (&a) are not allowed; write the value out",
                         "f.yml:2: YAML aliases (*a) are not allowed; write the value out",
                         "f.yml:2: YAML anchors (&b) are not allowed; write the value out"]
    assert len(found) == 9 + 8  # one per anchor, one per line of aliases (a set: no repeats)


def test_every_problem_of_a_file_is_reported() -> None:
    assert problems("a: 1\na: 2\nb: &x 3\nc: *x\n") == [
        "f.yml:2: duplicate key 'a' (first at line 1); YAML would silently keep only the last one",
        "f.yml:3: YAML anchors (&x) are not allowed; write the value out",
        "f.yml:4: YAML aliases (*x) are not allowed; write the value out",
    ]


def test_control_characters_are_reported_on_each_line_that_has_them() -> None:
    assert problems("a: \x01\x02\nb: ok\nc: \x7f\n") == [
        "f.yml:1: a control character (U+0001) is not allowed in YAML; remove it",
        "f.yml:3: a control character (U+007F) is not allowed in YAML; remove it",
    ]


@pytest.mark.parametrize("text", [
    "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "a: " + "{b: " * 10_000 + "}" * 10_000 + "\n",
    "".join(" " * depth + "- \n" for depth in range(1_000)),
], ids=["lists", "mappings", "block lists"])
def test_deep_nesting_stops_early_without_recursion(text: str) -> None:
    [found] = problems(text)
    assert found.endswith(f"nested deeper than {MAX_DEPTH} levels; a register file never needs that many")


def test_nesting_up_to_the_limit_is_read() -> None:
    tree = parse_document("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "f.yml")
    depth, node = 0, tree["a"]
    while node:
        depth, node = depth + 1, node[0]
    assert depth == MAX_DEPTH - 2


def test_a_syntax_error_names_its_line_on_one_line() -> None:
    [found] = problems("a: 1\nb: [1, 2\nc: 3\n")
    assert found.startswith(("f.yml:2: YAML syntax error", "f.yml:3: YAML syntax error"))
    assert "\n" not in found


@pytest.mark.parametrize("text, value", [
    ("~", None), ("", None), ("true", True), ("FALSE", False), ("yes", "yes"), ("NO", "NO"),
    ("on", "on"), ("3", 3), ("-3", -3), ("010", 10), ("0x10", 16), ("0o17", 15), ("1e3", 1000.0),
    (".5", 0.5), ("12:30", "12:30"), ("2026-01-01", "2026-01-01"), (".inf", ".inf"),
    (".nan", ".nan"), ("1e400", "1e400"), ("9" * 5000, "9" * 5000), ("a b", "a b"),
])
def test_extra_data_is_read_the_yaml_1_2_core_way(text: str, value: object) -> None:
    resolved = resolve_plain(Plain(text))
    assert resolved == value and type(resolved) is type(value)


def test_to_plain_data_gives_ordinary_python_data() -> None:
    data = to_plain_data(parse_document("a: [1, x, {b: true}]\nc: '2'\n", "f.yml"))
    assert data == {"a": [1, "x", {"b": True}], "c": "2"}
    assert type(data) is dict and type(data["a"]) is list and not isinstance(data["c"], Plain)


def test_mappings_and_sequences_are_ordinary_containers_too() -> None:
    tree = parse_document("a: [1]\n", "f.yml")
    assert isinstance(tree, dict) and isinstance(tree, Mapping) and isinstance(tree["a"], Sequence)
