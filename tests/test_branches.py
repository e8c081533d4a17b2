"""Ids across branches: `csi new` takes an id free in the working tree and on every local and
remote-tracking branch, read from git's objects; without git, the working tree alone."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from csi_macros.register.branches import WORKING_TREE, Place, find_repository, ids_everywhere
from csi_macros.cli import main
from csi_macros.edit import choose_id, next_improvement_id
from csi_macros.register.ids import id_of_name, next_id, slug_of_name
from csi_macros.testing import improvement, write_register
from gitrepo import commit, git, repository_with_register, use_git_environment

EPOCH = "1795564800"  # 2026-11-25


@pytest.fixture(autouse=True)
def quiet_git(monkeypatch: pytest.MonkeyPatch) -> None:
    use_git_environment(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("CSI_REGISTER_DIR", raising=False)


def run(cwd: Path, *args: str) -> int:
    with contextlib.chdir(cwd):
        return main([str(a) for a in args])


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "improvements").iterdir())


# --- Ids from names ---------------------------------------------------------------------------

def test_ids_come_from_file_names() -> None:
    assert [id_of_name(n) for n in ("CSI-0007.yml", "CSI-0007-faster-restore.yaml", "OPS-12-a-b.yml",
                                    "README.md", ".CSI-0001.yml.csi-tmp", "csi-1.yml", "CSI-.yml")] \
        == ["CSI-0007", "CSI-0007", "OPS-12", None, None, None, None]
    assert slug_of_name("CSI-0023-laptop-loans.yml", "CSI-0023") == "-laptop-loans.yml"
    assert slug_of_name("CSI-0023.yml", "CSI-0023") == ".yml"


def test_the_next_id_follows_the_style_and_passes_every_id() -> None:
    assert next_id([]) == "CSI-0001"
    assert next_id(["OPS-07", "OPS-12", "CSI-0001"]) == "OPS-13"
    assert next_id(["CSI-9"]) == "CSI-10", "the number may outgrow its padding"
    assert next_id(["CSI-0001", "CSI-0040"], style=["CSI-0001"]) == "CSI-0041", \
        "the style of the working tree, the number of everything"
    assert next_id(["OPS-0040"], style=[]) == "OPS-0041", "no style of its own: the others'"


# --- csi new on branches --------------------------------------------------------------------

def test_new_on_a_second_branch_does_not_take_the_first_branch_s_id(tmp_path: Path,
                                                                    capsys) -> None:
    repo = repository_with_register(tmp_path / "repo", improvements=[improvement("CSI-0001")])
    git(repo, "switch", "-q", "-c", "laptop-loans")
    assert run(repo, "new", "Laptop loans") == 0
    assert capsys.readouterr().out == "register/improvements/CSI-0002-laptop-loans.yml\n"
    commit(repo, "Raise CSI-0002")
    git(repo, "switch", "-q", "-c", "printer-queue", "main")
    assert names(repo / "register") == ["CSI-0001.yml"], "the other branch's file is not here"
    assert run(repo, "new", "Printer queue") == 0
    out, err = capsys.readouterr()
    assert out == "register/improvements/CSI-0003-printer-queue.yml\n"
    assert err == ("note: CSI-0002 is taken on laptop-loans: this one is CSI-0003, the next id "
                   "free on every branch\n")
    assert run(repo, "check", "register") == 0


def test_remote_tracking_branches_count_too_and_their_head_is_not_a_branch(tmp_path: Path) -> None:
    origin = repository_with_register(tmp_path / "origin", improvements=[improvement("CSI-0001")])
    git(origin, "switch", "-q", "-c", "someone-else")
    write_register(origin / "register", improvements={"CSI-0009-theirs.yml": improvement("CSI-0009")})
    commit(origin, "Raise CSI-0009")
    git(origin, "switch", "-q", "main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert "origin/HEAD" in git(clone, "branch", "-r")
    taken = ids_everywhere(clone / "register", ["CSI-0001.yml"])
    assert taken["CSI-0009"] == [Place(("origin/someone-else",), "CSI-0009-theirs.yml")]
    assert taken["CSI-0001"] == [Place((WORKING_TREE, "main", "origin/main",
                                        "origin/someone-else"), "CSI-0001.yml")]
    assert str(taken["CSI-0009"][0]) == "CSI-0009-theirs.yml on origin/someone-else"
    assert str(taken["CSI-0001"][0]) == ("CSI-0001.yml in the working tree and on main, "
                                         "origin/main, origin/someone-else")
    assert next_improvement_id(clone / "register") == "CSI-0010"


def test_a_detached_checkout_and_a_register_below_the_top(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    register = write_register(repo / "docs" / "csi register", improvements=[improvement("CSI-0001")])
    commit(repo, "Start")
    found = find_repository(register)
    assert found is not None and found.folder == "docs/csi register"
    (register / "improvements" / "CSI-0004-x.yml").write_text(
        (register / "improvements" / "CSI-0001.yml").read_text().replace("CSI-0001", "CSI-0004"))
    detached = commit(repo, "CSI-0004")
    git(repo, "switch", "-q", "--detach", detached)
    git(repo, "branch", "-q", "-f", "main", "HEAD~1")
    (register / "improvements" / "CSI-0004-x.yml").unlink()
    assert choose_id(register).id == "CSI-0005", "the checked-out commit holds CSI-0004"


def test_without_a_repository_or_without_git_the_working_tree_alone(tmp_path: Path,
                                                                   monkeypatch, capsys) -> None:
    register = write_register(tmp_path / "plain" / "register",
                              improvements=[improvement("CSI-0007")])
    assert find_repository(register) is None
    assert run(tmp_path / "plain", "new", "Next one") == 0
    assert capsys.readouterr() == ("register/improvements/CSI-0008-next-one.yml\n", "")
    repo = repository_with_register(tmp_path / "repo", improvements=[improvement("CSI-0001")])
    git(repo, "branch", "-q", "other")
    git(repo, "update-ref", "refs/heads/other-two", git(repo, "rev-parse", "HEAD").strip())
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))  # git cannot be found
    assert find_repository(repo / "register") is None
    assert run(repo, "new", "Without git") == 0
    assert capsys.readouterr() == ("register/improvements/CSI-0002-without-git.yml\n", "")


def test_a_branch_without_the_register_folder_takes_nothing(tmp_path: Path) -> None:
    repo = repository_with_register(tmp_path / "repo", improvements=[improvement("CSI-0003")])
    git(repo, "switch", "-q", "--orphan", "notes")
    (repo / "NOTES.md").write_text("notes\n")
    git(repo, "add", "NOTES.md")
    git(repo, "commit", "-q", "-m", "Notes")
    git(repo, "switch", "-q", "main")
    assert next_improvement_id(repo / "register") == "CSI-0004"


def test_the_benchmark_s_repository_every_branch_s_id_is_seen(tmp_path: Path) -> None:
    """The benchmark's repository, smaller: every branch's new id is seen (the time it
    takes is measured by `benchmarks/bench_branches.py`, not asserted here)."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from bench_branches import write_repository
    repo = write_repository(tmp_path / "repo", improvements=120, branches=12)
    register = repo / "register"
    assert len(os.listdir(register / "improvements")) == 120
    chosen = choose_id(register)
    assert chosen.id == "CSI-00133", "120 on main, 12 branches with one more each"
    assert chosen.working == "CSI-00121"
    assert chosen.taken["CSI-00132"] == [Place(("origin/branch-11",), "CSI-00132-branch-11.yml")]
    assert chosen.taken["CSI-00131"] == [Place(("branch-10",), "CSI-00131-branch-10.yml")]
