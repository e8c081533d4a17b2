"""Whatever a file holds, loading raises `RegisterError` or succeeds, and `csi check`
answers with `path:line: message` lines, never a traceback.

Random bytes, random YAML trees and random mutations of valid records go into one
improvement file of an otherwise valid register. The examples are derandomized and
no example database is kept, so every run (and CI) tries the same inputs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csi_macros import RegisterError, load_register
from csi_macros.cli import main
from csi_macros.register.source import parse_document, to_plain_data
from csi_macros.testing import improvement, metric, snapshot, write_register

BUILD_DATE = dt.date(2026, 11, 25)

settings.register_profile("csi", max_examples=150, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings.get_profile("csi")

REPORT_LINE = re.compile(r"[^\n]+:[0-9]+: [^\n]+|[0-9]+ errors?")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.dates().map(str), st.sampled_from(["NO", "yes", "12:30", "1e3", "0x10", "010", ".inf", "~",
                                          "CSI-0001", "OBJ-1", "MTTR", "approved", "closed"]))
trees = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.text(max_size=12), children, max_size=4)), max_leaves=20)
keys = st.sampled_from(list(improvement()) + ["closed", "outcome", "related", "log", "actions",
                                              "model", "extra", "value", "metrics", "onwer"])


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795564800")  # BUILD_DATE, for `csi check`
        yield write_register(tmp_path_factory.mktemp("fuzz") / "register",
                             improvements=[improvement(), improvement("CSI-0002", related=["CSI-0001"])],
                             metrics=[metric()], snapshots=[snapshot()])


def check_file(register: Path, content: bytes) -> None:
    """Put `content` in CSI-0001.yml and run `csi check` on the register.

    `csi check` calls `load_register` and catches `RegisterError` alone, so any other
    exception escapes it (and fails the test) as it would print a traceback."""
    (register / "improvements" / "CSI-0001.yml").write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(register)])
    if code == 0:
        assert out.getvalue().startswith(f"{register}: valid") and not err.getvalue()
    else:
        lines = err.getvalue().splitlines()
        assert code == 1 and lines and all(REPORT_LINE.fullmatch(line) for line in lines)


def dump(tree: Any) -> bytes:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8")


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(register: Path, content: bytes) -> None:
    check_file(register, content)


@FUZZ
@given(st.text(st.one_of(st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?~ \n\t\r")), st.characters()),
               max_size=200))
def test_random_text_with_yaml_punctuation(register: Path, text: str) -> None:
    check_file(register, text.encode("utf-8"))


@FUZZ
@given(trees)
def test_random_yaml_trees(register: Path, tree: Any) -> None:
    check_file(register, dump(tree))


@FUZZ
@given(st.dictionaries(keys, trees, max_size=6))
def test_random_values_for_real_keys(register: Path, changes: dict[str, Any]) -> None:
    check_file(register, dump(improvement(**changes)))


@st.composite
def mutated_improvements(draw: st.DrawFn) -> dict[str, Any]:
    record = improvement(
        status=draw(st.sampled_from(["proposed", "approved", "closed", "rejected", "deferred"])),
        log=[{"date": "2026-02-01", "note": "Started.", "status": "approved"}],
        actions=[{"title": "Do it", "due": "2026-03-01", "done": True}],
        model={"plan": "A plan."}, related=["CSI-0002"], metrics=["MTTR"], closed="2026-03-01",
        outcome="Done.", value=3)
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(sorted(record)))
        action = draw(st.sampled_from(["drop", "retype", "text", "date", "swap"]))
        if action == "drop":
            record.pop(key)
        elif action == "retype":
            record[key] = draw(trees)
        elif action == "text":
            record[key] = str(record[key]) + draw(st.text(min_size=1, max_size=20))
        elif action == "date":
            record[key] = draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))).isoformat()
        else:
            other = draw(st.sampled_from(sorted(record)))
            record[key], record[other] = record[other], record[key]
    return record


@FUZZ
@given(mutated_improvements())
def test_mutations_of_a_valid_improvement(register: Path, record: dict[str, Any]) -> None:
    check_file(register, dump(record))


@FUZZ
@given(trees)
def test_extra_takes_any_tree(tree: Any) -> None:
    document = parse_document(dump({"extra": tree}).decode("utf-8"), "f.yml")
    assert to_plain_data(document).keys() == {"extra"}


def test_a_valid_register_passes_the_same_check(register: Path) -> None:
    check_file(register, dump(improvement()))
    with pytest.raises(RegisterError):
        load_register(register, today=BUILD_DATE - dt.timedelta(days=365))
