"""`csi renumber`: another id for an improvement, in real git repositories: the file renamed
with its slug, `id:` and the header comment changed, `related` lists elsewhere rewritten with
everything else kept; all or nothing; and the branches then merge into a register that checks."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from csi_macros.cli import main
from csi_macros.edit.templates import improvement_template
from csi_macros.testing import improvement, write_register
from gitrepo import GIT_ENVIRONMENT, commit, git, repository_with_register, use_git_environment

EPOCH = "1795564800"  # 2026-11-25
IMPROVEMENTS = "register/improvements"
CSI = Path(sys.executable).with_name("csi")
"""The installed command, run as a person runs it."""

FOLLOW_UP = """\
# CSI-0004: after the printer queue (CSI-0002) is fixed.
id: CSI-0004
title: 'Printer queue, part two'   # quoted on purpose
description: >-
  Follows CSI-0002.
raised: 2026-02-01
owner: Sam Owner
status: approved
priority: low
objectives: [OBJ-1]
related: [CSI-0001,   "CSI-0002"]   # spacing and quotes as written
log:
  - {date: 2026-02-01, note: "Split out of CSI-0002"}
"""

BLOCK_RELATED = """\
id: CSI-0006
title: Another follow-up
description: x
raised: 2026-02-01
status: proposed
priority: low
related:
    - 'CSI-0002'     # the printer one
    - CSI-0001
"""


@pytest.fixture(autouse=True)
def quiet_git(monkeypatch: pytest.MonkeyPatch) -> None:
    use_git_environment(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("CSI_REGISTER_DIR", raising=False)


def csi(cwd: Path, *args: str) -> tuple[int, str, str]:
    """The installed `csi` command in a process of its own."""
    done = subprocess.run([str(CSI), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **GIT_ENVIRONMENT,
                                            "SOURCE_DATE_EPOCH": EPOCH})
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def run(cwd: Path, capsys, *args: str) -> tuple[int, str, str]:
    with contextlib.chdir(cwd):
        code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed from `before` and added in `after`; everything else is equal."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def snapshot_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.parts}


@pytest.fixture
def clash(tmp_path: Path) -> Path:
    """main: CSI-0001. `laptop-loans`: CSI-0002. `scanner`: CSI-0003. `printer-queue`, from
    main before the others were known: CSI-0002 again, and CSI-0004 that follows it. The
    work tree is on `printer-queue`."""
    repo = repository_with_register(tmp_path / "repo", improvements=[improvement("CSI-0001")])
    for branch, number, slug in (("laptop-loans", 2, "laptop-loans"), ("scanner", 3, "scanner")):
        git(repo, "switch", "-q", "-c", branch, "main")
        write_register(repo / "register", improvements={
            f"CSI-000{number}-{slug}.yml": improvement(f"CSI-000{number}", title=slug)})
        commit(repo, f"Raise CSI-000{number}")
    git(repo, "switch", "-q", "-c", "printer-queue", "main")
    write_register(repo / "register", improvements={
        "CSI-0002-printer-queue.yml": _new_file("CSI-0002", "Printer queue"),
        "CSI-0004-printer-queue-part-two.yml": FOLLOW_UP})
    commit(repo, "Raise CSI-0002 and CSI-0004")
    return repo


def _new_file(improvement_id: str, title: str) -> str:
    """A file as `csi new` writes it (header comment and all)."""
    return improvement_template(improvement_id, title, dt.date(2026, 1, 20), ["OBJ-1"])


def test_the_branch_fails_against_the_other_and_dry_run_writes_nothing(clash: Path) -> None:
    code, _, err = csi(clash, "check", "register", "--against", "laptop-loans")
    assert code == 1 and "improvement id CSI-0002 is also taken on laptop-loans" in err
    assert "`csi renumber CSI-0002`" in err
    before, status = snapshot_of(clash), git(clash, "status", "--porcelain")
    code, out, err = csi(clash, "renumber", "CSI-0002", "--dry-run")
    assert (code, err) == (0, "")
    assert snapshot_of(clash) == before and git(clash, "status", "--porcelain") == status
    lines = out.splitlines()
    assert lines[:2] == [
        f"would be renamed: {IMPROVEMENTS}/CSI-0002-printer-queue.yml → "
        f"{IMPROVEMENTS}/CSI-0005-printer-queue.yml (id: CSI-0002 → CSI-0005, and its header "
        "comment)",
        f"would be updated: {IMPROVEMENTS}/CSI-0004-printer-queue-part-two.yml (related: "
        "CSI-0002 → CSI-0005)"]
    assert "CSI-0002 → CSI-0005: 2 files would be written; the register would check (a dry run: " \
           "nothing was written)" in lines
    assert f"--- a/{IMPROVEMENTS}/CSI-0002-printer-queue.yml" in lines
    assert f"+++ b/{IMPROVEMENTS}/CSI-0005-printer-queue.yml" in lines
    assert '-related: [CSI-0001,   "CSI-0002"]   # spacing and quotes as written' in lines
    assert '+related: [CSI-0001,   "CSI-0005"]   # spacing and quotes as written' in lines


def test_renumber_then_merge_every_branch_into_a_register_that_checks(clash: Path) -> None:
    improvements = clash / IMPROVEMENTS
    old_text = (improvements / "CSI-0002-printer-queue.yml").read_text()
    code, out, err = csi(clash, "renumber", "CSI-0002")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"renamed: {IMPROVEMENTS}/CSI-0002-printer-queue.yml → {IMPROVEMENTS}/"
        "CSI-0005-printer-queue.yml (id: CSI-0002 → CSI-0005, and its header comment)",
        f"updated: {IMPROVEMENTS}/CSI-0004-printer-queue-part-two.yml (related: CSI-0002 → "
        "CSI-0005)",
        "left as written (log notes are history; change the rest by hand if it should name "
        "CSI-0005):",
        f"  {IMPROVEMENTS}/CSI-0004-printer-queue-part-two.yml:1: (comment) # CSI-0004: after "
        "the printer queue (CSI-0002) is fixed.",
        f"  {IMPROVEMENTS}/CSI-0004-printer-queue-part-two.yml:5: (description) Follows "
        "CSI-0002.",
        f"  {IMPROVEMENTS}/CSI-0004-printer-queue-part-two.yml:13: (a log entry: history, kept) "
        '- {date: 2026-02-01, note: "Split out of CSI-0002"}',
        "CSI-0002 → CSI-0005: 2 files written; the register checks"], \
        "CSI-0003 (scanner) and CSI-0004 (here) are taken: CSI-0005 is free on every branch"
    assert sorted(p.name for p in improvements.iterdir()) == [
        "CSI-0001.yml", "CSI-0004-printer-queue-part-two.yml", "CSI-0005-printer-queue.yml"]
    renamed = (improvements / "CSI-0005-printer-queue.yml").read_text()
    assert changed_lines(old_text, renamed) == (
        ["# CSI-0002: one improvement of the continual improvement register.\n", "id: CSI-0002\n"],
        ["# CSI-0005: one improvement of the continual improvement register.\n", "id: CSI-0005\n"])
    follow_up = (improvements / "CSI-0004-printer-queue-part-two.yml").read_text()
    assert changed_lines(FOLLOW_UP, follow_up) == (
        ['related: [CSI-0001,   "CSI-0002"]   # spacing and quotes as written\n'],
        ['related: [CSI-0001,   "CSI-0005"]   # spacing and quotes as written\n'])
    assert csi(clash, "check", "register", "--against", "laptop-loans")[0] == 0
    assert csi(clash, "check", "register", "--against", "scanner")[0] == 0
    commit(clash, "Renumber CSI-0002 to CSI-0005")
    git(clash, "switch", "-q", "main")
    for branch in ("laptop-loans", "scanner", "printer-queue"):
        git(clash, "merge", "-q", "--no-edit", branch)
    code, out, err = csi(clash, "check", "register")
    assert (code, err) == (0, "")
    assert out.startswith("register: valid — 5 improvements")
    assert sorted(p.name for p in improvements.iterdir()) == [
        "CSI-0001.yml", "CSI-0002-laptop-loans.yml", "CSI-0003-scanner.yml",
        "CSI-0004-printer-queue-part-two.yml", "CSI-0005-printer-queue.yml"]


def test_after_the_merge_two_files_share_the_id_and_file_says_which(clash: Path, capsys) -> None:
    write_register(clash / "register", improvements={"CSI-0006-another.yml": BLOCK_RELATED})
    commit(clash, "CSI-0006")
    git(clash, "switch", "-q", "main")
    git(clash, "merge", "-q", "--no-edit", "laptop-loans")
    git(clash, "merge", "-q", "--no-edit", "printer-queue")  # git sees no conflict
    code, _, err = run(clash, capsys, "check", "register")
    assert code == 1 and (
        f"{IMPROVEMENTS}/CSI-0002-printer-queue.yml:3: duplicate improvement id 'CSI-0002': also "
        f"in {IMPROVEMENTS}/CSI-0002-laptop-loans.yml:1; give this one another id with "
        f"`csi renumber CSI-0002 --file {IMPROVEMENTS}/CSI-0002-printer-queue.yml`") in err
    before = snapshot_of(clash)
    assert run(clash, capsys, "renumber", "CSI-0002") == (1, "", (
        f"csi: 2 files are named after CSI-0002: {IMPROVEMENTS}/CSI-0002-laptop-loans.yml, "
        f"{IMPROVEMENTS}/CSI-0002-printer-queue.yml; say which one to renumber with --file "
        "FILE\n"))
    assert snapshot_of(clash) == before
    code, out, err = run(clash, capsys, "renumber", "CSI-0002", "--file",
                         f"{IMPROVEMENTS}/CSI-0002-printer-queue.yml")
    assert (code, err) == (0, "")
    assert f"renamed: {IMPROVEMENTS}/CSI-0002-printer-queue.yml → {IMPROVEMENTS}/" \
           "CSI-0007-printer-queue.yml" in out
    assert "left naming CSI-0002, which stays the id of another file (change each by hand if " \
           "it means the renumbered one):" in out
    assert f"  {IMPROVEMENTS}/CSI-0006-another.yml:8: (related) - 'CSI-0002'     # the printer " \
           "one" in out
    assert "updated:" not in out, "which CSI-0002 a list means is not known: none is changed"
    assert (clash / IMPROVEMENTS / "CSI-0006-another.yml").read_text() == BLOCK_RELATED
    assert run(clash, capsys, "check", "register")[0] == 0


def test_block_lists_keep_their_quotes_and_other_ids_that_start_alike(tmp_path: Path,
                                                                      capsys) -> None:
    text = BLOCK_RELATED.replace("- CSI-0001", "- CSI-00021")
    repo = repository_with_register(tmp_path / "repo", improvements={
        "CSI-0002-printer.yml": improvement("CSI-0002"),
        "CSI-00021.yml": improvement("CSI-00021"),
        "CSI-0006-another.yml": text.replace("\n", "\r\n").encode("utf-8-sig")})
    assert run(repo, capsys, "renumber", "csi-0002", "CSI-0030")[0] == 0
    after = (repo / IMPROVEMENTS / "CSI-0006-another.yml").read_bytes()
    assert after == text.replace("'CSI-0002'", "'CSI-0030'").replace(
        "\n", "\r\n").encode("utf-8-sig"), "byte-order mark, line endings and quotes kept"
    assert (repo / IMPROVEMENTS / "CSI-0030-printer.yml").is_file()


@pytest.mark.parametrize(("args", "message"), [
    (["CSI-0009"], f"no improvement CSI-0009: no file {IMPROVEMENTS}/CSI-0009.yml or "
                   "CSI-0009-….yml; did you mean CSI-0004 or CSI-0002 or CSI-0001?"),
    (["not-an-id"], "'NOT-AN-ID' is not an improvement id like CSI-0007"),
    (["CSI-0002", "x1"], "NEW: 'X1' is not an improvement id like CSI-0007"),
    (["CSI-0002", "CSI-0002"], "CSI-0002 is already CSI-0002: give another id, or none for the "
                               "next free one"),
    (["CSI-0002", "CSI-0003"], "CSI-0003 is taken (CSI-0003-scanner.yml on scanner); give another "
                               "id, or none for the next one free everywhere (CSI-0005)"),
    (["CSI-0002", "CSI-0004"], "CSI-0004 is taken (CSI-0004-printer-queue-part-two.yml in the "
                               "working tree and on printer-queue); give another id, or none for "
                               "the next one free everywhere (CSI-0005)"),
    (["CSI-0002", "--file", "register/improvements/CSI-0001.yml"],
     f"--file register/improvements/CSI-0001.yml: not one of the files named after CSI-0002: "
     f"{IMPROVEMENTS}/CSI-0002-printer-queue.yml"),
    (["CSI-0002", "--register", "nowhere"], "register folder not found: nowhere (give it with "
                                            "--register, or set CSI_REGISTER_DIR)"),
])
def test_bad_input_gets_one_line_and_changes_nothing(clash: Path, capsys, args, message) -> None:
    before = snapshot_of(clash)
    assert run(clash, capsys, "renumber", *args) == (1, "", f"csi: {message}\n")
    assert snapshot_of(clash) == before


def test_nothing_is_written_unless_the_register_checks_afterwards(clash: Path, capsys) -> None:
    path = clash / IMPROVEMENTS / "CSI-0001.yml"
    path.write_text(path.read_text().replace("priority: medium", "priority: urgent"))
    before = snapshot_of(clash)
    code, out, err = run(clash, capsys, "renumber", "CSI-0002")
    assert (code, out) == (1, "")
    assert err == ("csi: CSI-0002 was not renumbered, because the register would not check "
                   "afterwards (nothing was written):\n"
                   f"{IMPROVEMENTS}/CSI-0001.yml:7: priority must be one of critical, high, "
                   "medium, low; got 'urgent'\n")
    assert snapshot_of(clash) == before


def test_without_git_the_working_tree_alone(tmp_path: Path, capsys) -> None:
    write_register(tmp_path / "register", improvements=[improvement("CSI-0001"),
                                                        improvement("CSI-0002")])
    assert run(tmp_path, capsys, "renumber", "CSI-0001")[:2] == (0, (
        "renamed: register/improvements/CSI-0001.yml → register/improvements/CSI-0003.yml "
        "(id: CSI-0001 → CSI-0003)\n"
        "left as written (log notes are history; change the rest by hand if it should name "
        "CSI-0003):\n"
        "  register/improvements/CSI-0003.yml:2: (title) title: Improvement CSI-0001\n"
        "CSI-0001 → CSI-0003: 1 file written; the register checks\n"))
