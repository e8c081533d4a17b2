"""`csi check --against REF`: an id the branch adds that REF holds in another file, and a
reference to what REF no longer has, found before the merge, in real git repositories."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from csi_macros.cli import main
from csi_macros.testing import improvement, metric, organisation, snapshot, write_register
from gitrepo import commit, git, repository_with_register, use_git_environment

EPOCH = "1795564800"  # 2026-11-25
IMPROVEMENTS = "register/improvements"


@pytest.fixture(autouse=True)
def quiet_git(monkeypatch: pytest.MonkeyPatch) -> None:
    use_git_environment(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("CSI_REGISTER_DIR", raising=False)


def run(cwd: Path, capsys, *args: str) -> tuple[int, str, str]:
    with contextlib.chdir(cwd):
        code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def two_branches(tmp_path: Path) -> Path:
    """`laptop-loans` took CSI-0002 with `csi new`; `printer-queue`, from the same main,
    took it too (by hand, or before the other branch was pushed). MTTR was measured last
    week, so that it is not late."""
    repo = repository_with_register(tmp_path / "repo", improvements=[improvement("CSI-0001")],
                                    snapshots=[snapshot("2026-11-18")])
    git(repo, "switch", "-q", "-c", "laptop-loans")
    write_register(repo / "register", improvements={
        "CSI-0002-laptop-loans.yml": improvement("CSI-0002", title="Laptop loans")})
    commit(repo, "Raise CSI-0002: Laptop loans")
    git(repo, "switch", "-q", "-c", "printer-queue", "main")
    write_register(repo / "register", improvements={
        "CSI-0002-printer-queue.yml": improvement("CSI-0002", title="Printer queue")})
    commit(repo, "Raise CSI-0002: Printer queue")
    return repo


def test_a_branch_that_took_the_id_anyway_fails_against_that_branch(two_branches: Path,
                                                                     capsys) -> None:
    assert run(two_branches, capsys, "check", "register") == (0, (
        "register: valid — 2 improvements (2 approved), 1 objective, 1 metric, 1 snapshot\n"), ""), \
        "on its own, the branch is valid"
    code, out, err = run(two_branches, capsys, "check", "register", "--against", "laptop-loans")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{IMPROVEMENTS}/CSI-0002-printer-queue.yml:1: improvement id CSI-0002 is also taken on "
        f"laptop-loans, by {IMPROVEMENTS}/CSI-0002-laptop-loans.yml; merged, the register would "
        "have it twice: give this one the next id free everywhere with `csi renumber CSI-0002`",
        "1 error"]


def test_and_passes_against_main(two_branches: Path, capsys) -> None:
    assert run(two_branches, capsys, "check", "register", "--against", "main") == (0, (
        "register: valid — 2 improvements (2 approved), 1 objective, 1 metric, 1 snapshot\n"
        "register: nothing clashes with main: no id it holds in another file, no reference to "
        "anything it no longer has\n"), "")


def test_as_github_annotations_and_from_another_folder(two_branches: Path, capsys) -> None:
    code, out, err = run(two_branches.parent, capsys, "check", "repo/register", "--against",
                         "laptop-loans", "--format", "github")
    assert (code, err) == (1, "")
    assert out.startswith("::error file=repo/register/improvements/CSI-0002-printer-queue.yml,"
                          "line=1::improvement id CSI-0002 is also taken on laptop-loans")
    assert "`csi renumber CSI-0002 --register repo/register`" in out, \
        "the command names the register folder when it is not the default one"


def test_the_register_s_own_errors_come_with_it(two_branches: Path, capsys) -> None:
    path = two_branches / IMPROVEMENTS / "CSI-0002-printer-queue.yml"
    path.write_text(path.read_text().replace("priority: medium", "priority: urgent"))
    code, _, err = run(two_branches, capsys, "check", "register", "--against", "laptop-loans")
    assert code == 1
    assert [line.split(": ", 1)[1][:40] for line in err.splitlines()[:-1]] == [
        "improvement id CSI-0002 is also taken on", "priority must be one of critical, high, "]
    assert err.splitlines()[-1] == "2 errors"


def test_a_file_the_branch_renamed_or_that_both_have_is_no_clash(tmp_path: Path, capsys) -> None:
    repo = repository_with_register(tmp_path / "repo", improvements=[
        improvement("CSI-0001"), improvement("CSI-0002")])
    git(repo, "switch", "-q", "-c", "slug")
    git(repo, "mv", f"{IMPROVEMENTS}/CSI-0001.yml", f"{IMPROVEMENTS}/CSI-0001-faster-restore.yml")
    path = repo / IMPROVEMENTS / "CSI-0002.yml"
    path.write_text(path.read_text().replace("priority: medium", "priority: high"))
    commit(repo, "A slug for CSI-0001; CSI-0002 is high")
    git(repo, "switch", "-q", "main")
    write_register(repo / "register", improvements=[improvement("CSI-0003")])
    commit(repo, "CSI-0003 on main")
    git(repo, "switch", "-q", "slug")
    code, out, _ = run(repo, capsys, "check", "register", "--against", "main")
    assert code == 0 and "nothing clashes with main" in out


def test_references_to_what_the_target_branch_removed_or_renumbered(tmp_path: Path,
                                                                    capsys) -> None:
    register_with_two = organisation(objectives=[
        {"id": "OBJ-1", "title": "Faster restores", "metrics": ["MTTR"]},
        {"id": "OBJ-2", "title": "Fewer calls"}])
    repo = repository_with_register(
        tmp_path / "repo", register=register_with_two, metrics=[metric(), metric("FCR")],
        improvements={"CSI-0001.yml": improvement("CSI-0001", objectives=["OBJ-1", "OBJ-2"]),
                      "CSI-0002-laptop-loans.yml": improvement("CSI-0002")})
    git(repo, "switch", "-q", "-c", "follow-up")
    write_register(repo / "register", register=register_with_two,
                   metrics=[metric(), metric("FCR")], snapshots=[snapshot(MTTR=8, FCR=70)],
                   improvements={"CSI-0003-follow-up.yml": improvement(
                       "CSI-0003", related=["CSI-0001", "CSI-0002"], objectives=["OBJ-2"],
                       metrics=["FCR"])})
    commit(repo, "Raise CSI-0003, which follows CSI-0002")
    git(repo, "switch", "-q", "main")
    # Main renumbers CSI-0002 and gives up OBJ-2 and FCR (and CSI-0001's link to OBJ-2).
    assert run(repo, capsys, "renumber", "CSI-0002", "CSI-0007")[0] == 0
    (repo / "register" / "metrics" / "FCR.yml").unlink()
    write_register(repo / "register", metrics=[metric()], improvements=[improvement("CSI-0001")])
    commit(repo, "CSI-0002 is CSI-0007; no OBJ-2, no FCR")
    git(repo, "switch", "-q", "follow-up")
    code, out, err = run(repo, capsys, "check", "register", "--against", "main")
    follow_up = f"{IMPROVEMENTS}/CSI-0003-follow-up.yml"
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{follow_up}:9: objectives names objective OBJ-2, which main no longer has "
        "(removed or renamed there)",
        f"{follow_up}:12: related names improvement CSI-0002, which main no longer has "
        f"(renumbered there: write CSI-0007 ({IMPROVEMENTS}/CSI-0007-laptop-loans.yml))",
        f"{follow_up}:14: metrics names metric FCR, which main no longer has (removed or "
        "renamed there)",
        "register/snapshots/2026-02-28.yml:4: values names metric FCR, which main no longer "
        "has (removed or renamed there)",
        "4 errors"], "CSI-0001.yml still names OBJ-2 here, but the branch left it as it was"


@pytest.mark.parametrize(("args", "message"), [
    (["--against", "no-such-branch"], "csi: --against no-such-branch: 'no-such-branch' is not a "
                                      "branch, tag or commit in this repository (a remote's "
                                      "branch is known once fetched: `git fetch`)\n"),
    (["--against=-x"], "csi: --against -x: '-x' is not a branch, tag or commit\n"),
    (["--against", "main:register"], "csi: --against main:register: 'main:register' is not a "
                                     "branch, tag or commit in this repository (a remote's "
                                     "branch is known once fetched: `git fetch`)\n"),
])
def test_a_ref_that_does_not_exist_gets_one_line(two_branches: Path, capsys, args, message) -> None:
    assert run(two_branches, capsys, "check", "register", *args) == (1, "", message)


def test_without_a_repository_or_without_git_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    write_register(tmp_path / "plain" / "register")
    code, out, err = run(tmp_path / "plain", capsys, "check", "register", "--against", "main")
    assert (code, out) == (1, "")
    assert err.startswith("csi: --against main: register is not in a git repository that can "
                          "be read (not a git repository") and err.count("\n") == 1
    repo = repository_with_register(tmp_path / "repo")
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert run(repo, capsys, "check", "register", "--against", "main") == (1, "", (
        "csi: --against main: register is not in a git repository that can be read (git is "
        "not installed (or cannot be run))\n"))
