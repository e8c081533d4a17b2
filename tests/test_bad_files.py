"""Hostile and broken files, one defect per case, through `csi check` and `load_register`.

Whatever a file holds, the answer is `path:line: message` and exit status 1, never a
traceback, quickly, and nothing is written anywhere. A few cases are accepted on
purpose (a byte order mark, CRLF line endings, plain values in text fields, a link
that stays inside the register).

Links: a register file that is a symbolic link is followed only when it leads to a
file inside the register folder; one leading outside is refused, because building
the site from it could publish any file the build machine can read.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from csi_macros import RegisterError, load_register
from csi_macros.testing import improvement, metric, register_problems, snapshot, write_register, yaml_text

from conftest import BUILD_DATE

IMP = "register/improvements/CSI-0001.yml"
BASE = yaml_text(improvement())  # nine lines; a line added to it is line 10
EPOCH = "1795564800"  # BUILD_DATE, 2026-11-25, as SOURCE_DATE_EPOCH

Defect = Callable[[Path], None]


def improvement_file(content: str | bytes, name: str = "CSI-0001.yml") -> Defect:
    """A defect: the improvement file holds `content`."""
    def write(root: Path) -> None:
        path = root / "improvements" / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return write


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    return "\n".join(lines) + "\n"


def link_outside(root: Path) -> None:
    secret = root.parent / "outside" / "secret.yml"
    secret.parent.mkdir()
    secret.write_text(BASE, encoding="utf-8")
    (root / "improvements" / "CSI-0001.yml").unlink()
    (root / "improvements" / "CSI-0001.yml").symlink_to(secret)


def dangling_link(root: Path) -> None:
    (root / "improvements" / "CSI-0002.yml").symlink_to(root / "nowhere.yml")


def folder_named_like_a_file(root: Path) -> None:
    (root / "improvements" / "CSI-0002.yml").mkdir()
    (root / "improvements" / "CSI-0002.yml" / "CSI-0002.yml").write_text(BASE)


def unreadable(root: Path) -> None:
    (root / "improvements" / "CSI-0001.yml").chmod(0)


def fifo(root: Path) -> None:
    os.mkfifo(root / "improvements" / "CSI-0002.yml")


def line_of_control_characters(root: Path) -> None:
    improvement_file(BASE + "raised_by: \x1b[31mred\x1b[0m\n")(root)


REFUSED: list = [
    pytest.param(improvement_file(BASE.encode() + b"raised_by: caf\xe9\n"),
                 f"{IMP}:10: not valid UTF-8 (byte 0xe9); save the file as UTF-8", id="invalid UTF-8"),
    pytest.param(improvement_file(BASE + "model:\n\tplan: x\n"),
                 f"{IMP}:11: YAML syntax error: a tab indents this line; indent with spaces, not tabs",
                 id="tab indentation"),
    pytest.param(improvement_file(""), f"{IMP}:1: file is empty; expected a mapping of keys (key: value)",
                 id="empty file"),
    pytest.param(improvement_file("- id: CSI-0001\n"),
                 f"{IMP}:1: expected a mapping of keys (key: value) at the top level; got a list",
                 id="list at top level"),
    pytest.param(improvement_file("CSI-0001\n"),
                 f"{IMP}:1: expected a mapping of keys (key: value) at the top level; "
                 "got the text 'CSI-0001'",
                 id="scalar at top level"),
    pytest.param(improvement_file(BASE + "extra:\n  padding: '" + "x" * (2 * 1024 * 1024) + "'\n"),
                 f"{IMP}:1: file is 2.0 MiB; files over 1 MiB are rejected", id="2 MiB file"),
    pytest.param(improvement_file(BASE + "extra:\n  padding: '" + "x" * (1024 * 1024 - len(BASE)) + "'\n"),
                 f"{IMP}:1: file is 1.0 MiB; files over 1 MiB are rejected", id="just over 1 MiB"),
    pytest.param(improvement_file(billion_laughs()),
                 f"{IMP}:1: YAML anchors (&a) are not allowed; write the value out",
                 id="billion laughs"),
    pytest.param(improvement_file(BASE.replace("owner: Sam Owner", "owner: &sam Sam Owner")
                                  + "raised_by: *sam\n"),
                 f"{IMP}:5: YAML anchors (&sam) are not allowed; write the value out", id="anchor"),
    pytest.param(improvement_file(BASE.replace("owner: Sam Owner", "owner: &sam Sam Owner")
                                  + "raised_by: *sam\n"),
                 f"{IMP}:10: YAML aliases (*sam) are not allowed; write the value out", id="alias"),
    pytest.param(improvement_file(BASE + "tags: [a, b\n"),
                 f"{IMP}:11: YAML syntax error while parsing a flow sequence (begun at line 10): "
                 "did not find expected ',' or ']'", id="YAML syntax error"),
    pytest.param(improvement_file(BASE + "extra:\n  deep: " + "[" * 10_000 + "]" * 10_000 + "\n"),
                 f"{IMP}:11: nested deeper than 50 levels; a register file never needs that many",
                 id="10,000 nested lists"),
    pytest.param(improvement_file(BASE, name="faster-restores.yml"),
                 "register/improvements/faster-restores.yml:1: id 'CSI-0001' must match the start of "
                 "the file name; the file is named 'faster-restores.yml' (expected CSI-0001.yml or "
                 "CSI-0001-some-words.yml)", id="file name without its id"),
    pytest.param(improvement_file(BASE.replace("id: CSI-0001", "id: ../../x")),
                 f"{IMP}:1: id must be an id like CSI-0007 (pattern [A-Z][A-Z0-9]*-[0-9]+); got '../../x'",
                 id="id shaped like a path"),
    pytest.param(improvement_file(BASE + "owner: Someone Else\n"),
                 f"{IMP}:10: duplicate key 'owner' (first at line 5); "
                 "YAML would silently keep only the last one",
                 id="duplicate key"),
    pytest.param(improvement_file(BASE + "---\n" + BASE),
                 f"{IMP}:10: more than one YAML document (a second '---'); a register file holds one mapping",
                 id="two documents"),
    pytest.param(improvement_file(BASE + "extra: !!python/object/apply:os.system ['touch /tmp/csi-pwned']\n"),
                 f"{IMP}:10: YAML tags (!!python/object/apply:os.system) are not allowed; "
                 "write a plain value",
                 id="python object tag"),
    pytest.param(improvement_file(BASE + "raised_by: Sam\x00\n"),
                 f"{IMP}:10: a NUL byte (U+0000) is not allowed in YAML; remove it", id="NUL byte"),
    pytest.param(line_of_control_characters,
                 f"{IMP}:10: a control character (U+001B) is not allowed in YAML; remove it",
                 id="control characters"),
    pytest.param(improvement_file(BASE + "value: yes\n"),
                 f"{IMP}:10: value must be a whole number from 1 to 5; got 'yes'", id="yes as a number"),
    pytest.param(improvement_file(BASE + "effort: 1e3\n"),
                 f"{IMP}:10: effort must be a whole number from 1 to 5; got '1e3'",
                 id="1e3 as a whole number"),
    pytest.param(improvement_file(BASE + "effort: 0x3\n"),
                 f"{IMP}:10: effort must be a whole number from 1 to 5; got '0x3'",
                 id="hex as a whole number"),
    pytest.param(improvement_file(BASE + "actions:\n- title: A\n  done: NO\n"),
                 f"{IMP}:12: actions[1].done must be true or false; got 'NO'", id="NO as a boolean"),
    pytest.param(improvement_file(BASE + "value: '3'\n"),
                 f"{IMP}:10: value must be a whole number from 1 to 5; got the quoted text '3'",
                 id="quoted whole number"),
    pytest.param(lambda root: (root / "snapshots" / "2026-02-28.yml").write_text(
                     "date: 2026-02-28\nvalues:\n  MTTR: 12:30\n"),
                 "register/snapshots/2026-02-28.yml:3: values.MTTR must be a finite number; got '12:30'",
                 id="12:30 as a number"),
    pytest.param(lambda root: (root / "snapshots" / "2026-02-28.yml").write_text(
                     "date: 2026-02-28\nvalues:\n  MTTR: \"8\"\n"),
                 "register/snapshots/2026-02-28.yml:3: values.MTTR must be a finite number; "
                 "got the quoted text '8'", id="quoted number"),
    pytest.param(lambda root: (root / "metrics" / "MTTR.yml").write_text(
                     yaml_text(metric()).replace("value: 10", "value: .inf")),
                 "register/metrics/MTTR.yml:7: baseline.value must be a finite number; got '.inf'",
                 id="infinite number"),
    pytest.param(folder_named_like_a_file,
                 "register/improvements/CSI-0002.yml:1: is a folder, not a file; a register file is a "
                 "YAML file (rename or move the folder)", id="folder named like a YAML file"),
    pytest.param(link_outside,
                 f"{IMP}:1: is a symbolic link leading outside the register folder; keep register "
                 "files inside it", id="link leading outside"),
    pytest.param(dangling_link,
                 "register/improvements/CSI-0002.yml:1: is a symbolic link to a file that does not exist",
                 id="link to nothing"),
    pytest.param(fifo,
                 "register/improvements/CSI-0002.yml:1: is not a regular file (a device, pipe or socket)",
                 id="named pipe", marks=pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no pipes")),
    pytest.param(unreadable, f"{IMP}:1: cannot read the file: Permission denied", id="unreadable file",
                 marks=pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                                          reason="root reads any file")),
]


def accepted_inside_link(root: Path) -> None:
    archive = root / "archive"
    archive.mkdir()
    (archive / "CSI-0002.yml").write_text(yaml_text(improvement("CSI-0002")), encoding="utf-8")
    (root / "improvements" / "CSI-0002.yml").symlink_to(Path("..") / "archive" / "CSI-0002.yml")


ACCEPTED: list = [
    pytest.param(improvement_file(b"\xef\xbb\xbf" + BASE.encode()), id="byte order mark"),
    pytest.param(improvement_file(BASE.replace("\n", "\r\n")), id="CRLF line endings"),
    pytest.param(improvement_file(BASE.replace("Improvement CSI-0001", "NO") + "raised_by: yes\n"
                                  "services: [12:30, 1e3, 0x10, 010, 'on']\ntags: [true, ~x]\n"),
                 id="plain values in text fields"),
    pytest.param(lambda root: (root / "snapshots" / "2026-02-28.yml").write_text(
        "date: 2026-02-28\nvalues:\n  MTTR: 010\n"), id="a decimal number with a leading zero"),
    pytest.param(accepted_inside_link, id="link inside the register"),
    pytest.param(lambda root: [(root / "improvements" / name).write_text("not: [yaml") for name in
                               ("README.md", ".gitkeep", ".CSI-0001.yml.swp", ".#CSI-0001.yml")],
                 id="files that are not register files"),
]


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return write_register(tmp_path / "register", improvements=[improvement()],
                          snapshots=[snapshot()])


def csi_check(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "csi_macros.cli", "check", "register"],
                          cwd=root.parent, env=env, capture_output=True, text=True, timeout=60)


def state(folder: Path) -> dict[str, tuple]:
    """Every entry under `folder` with its kind, size, time and content: to see a write."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        content = b""
        if path.is_file() and not path.is_symlink() and os.access(path, os.R_OK) and path.stat().st_size:
            content = hashlib.sha256(path.read_bytes()).digest()
        seen[path.relative_to(folder).as_posix()] = (info.st_mode, info.st_size, info.st_mtime_ns, content)
    return seen


@pytest.mark.parametrize("defect, expected", REFUSED)
def test_a_bad_file_is_refused_with_its_line(register: Path, defect: Defect, expected: str) -> None:
    defect(register)
    problems = register_problems(register, today=BUILD_DATE)
    assert expected in problems
    with pytest.raises(RegisterError):
        load_register(register, today=BUILD_DATE)
    before = state(register.parent)
    result = csi_check(register)
    assert state(register.parent) == before
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert expected in (result.stdout + result.stderr).splitlines()
    assert result.stderr.splitlines()[-1] == f"{len(problems)} error{'s' if len(problems) > 1 else ''}"


@pytest.mark.parametrize("defect", ACCEPTED)
def test_a_file_the_register_accepts(register: Path, defect: Defect) -> None:
    defect(register)
    assert register_problems(register, today=BUILD_DATE) == []
    before = state(register.parent)
    result = csi_check(register)
    assert state(register.parent) == before
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("register: valid")


def test_plain_values_in_text_fields_are_read_exactly_as_written(register: Path) -> None:
    improvement_file(BASE.replace("Improvement CSI-0001", "NO") + "raised_by: yes\n"
                     "services: [12:30, 1e3, 0x10, 010, 'on']\n")(register)
    loaded = load_register(register, today=BUILD_DATE).improvement["CSI-0001"]
    assert (loaded.title, loaded.raised_by, loaded.services) == (
        "NO", "yes", ("12:30", "1e3", "0x10", "010", "on"))


def test_a_decimal_with_a_leading_zero_is_decimal(register: Path) -> None:
    (register / "snapshots" / "2026-02-28.yml").write_text("date: 2026-02-28\nvalues:\n  MTTR: 010\n")
    assert load_register(register, today=BUILD_DATE).snapshots[0].values == {"MTTR": 10}


def test_a_link_leading_outside_is_never_read(register: Path) -> None:
    link_outside(register)
    secret = register.parent / "outside" / "secret.yml"
    secret.write_text("this: is [not valid", encoding="utf-8")
    problems = register_problems(register, today=BUILD_DATE)
    assert not any("secret" in p or "syntax" in p for p in problems)


def test_a_link_inside_the_register_is_followed(register: Path) -> None:
    accepted_inside_link(register)
    assert [i.id for i in load_register(register, today=BUILD_DATE).improvements] == ["CSI-0001", "CSI-0002"]
