"""`csi check`: a summary when the register is valid, every error and exit 1 when not."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csi_macros.cli import format_github, format_text, main
from csi_macros.register.errors import Problem
from csi_macros.testing import improvement, metric, snapshot, write_register

PROJECT = Path(__file__).resolve().parent.parent
EPOCH = "1795564800"  # 2026-11-25


@pytest.fixture(autouse=True)
def build_date(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("CSI_REGISTER_DIR", raising=False)


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    return write_register(tmp_path / "register", improvements=[
        improvement(), improvement("CSI-0002", status="proposed"),
        improvement("CSI-0003", status="closed", closed="2026-03-01", outcome="Done.")],
        metrics=[metric(), metric("FCR")], snapshots=[snapshot("2026-10-31", MTTR=8, FCR=9)])


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return write_register(tmp_path / "register", improvements=[
        improvement(priority="urgent"), improvement("CSI-0002", onwer="Sam", related=["CSI-0009"])])


def run(argv: list[str], cwd: Path, capsys) -> tuple[int, str, str]:
    with contextlib.chdir(cwd):
        code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_valid_register_gets_a_summary(valid: Path, capsys) -> None:
    assert run(["check", "register"], valid.parent, capsys) == (0, (
        "register: valid — 3 improvements (1 proposed, 1 approved, 1 closed), 1 objective, "
        "2 metrics, 1 snapshot\n"), "")


def test_every_error_is_listed_with_a_count(broken: Path, capsys) -> None:
    code, out, err = run(["check", "register"], broken.parent, capsys)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "register/improvements/CSI-0001.yml:7: priority must be one of critical, high, medium, low; "
        "got 'urgent'",
        "register/improvements/CSI-0002.yml:10: unknown key 'onwer'; did you mean 'owner'?",
        "register/improvements/CSI-0002.yml:12: related names unknown improvement 'CSI-0009'",
        "3 errors"]


def test_github_annotations(broken: Path, capsys) -> None:
    code, out, err = run(["check", "register", "--format", "github"], broken.parent, capsys)
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == (
        "::error file=register/improvements/CSI-0001.yml,line=7::priority must be one of critical, "
        "high, medium, low; got 'urgent'")
    assert len(out.splitlines()) == 3


def test_a_gitlab_code_quality_report_on_stdout_and_the_text_on_stderr(
        broken: Path, capsys) -> None:
    import json
    code, out, err = run(["check", "register", "--format", "gitlab"], broken.parent, capsys)
    report = json.loads(out)
    assert code == 1 and len(report) == 3 == len(err.splitlines()) - 1
    assert report[0]["location"] == {"path": "register/improvements/CSI-0001.yml",
                                     "lines": {"begin": 7}}
    assert report[0]["severity"] == "major" and "got 'urgent'" in report[0]["description"]
    assert len({issue["fingerprint"] for issue in report}) == 3
    assert "CSI-0001.yml:7: priority must be one of" in err


def test_a_valid_register_s_gitlab_report_is_empty(valid: Path, capsys) -> None:
    import json
    code, out, err = run(["check", "register", "--format", "gitlab"], valid.parent, capsys)
    assert (code, json.loads(out)) == (0, []) and "register: valid" in err


def test_formatters() -> None:
    problems = [Problem("a,b:c.yml", 3, "50% off\nnext"), Problem("f.yml", 1, "x")]
    assert format_text(problems[1:]) == ["f.yml:1: x", "1 error"]
    assert format_github(problems) == ["::error file=a%2Cb%3Ac.yml,line=3::50%25 off\\nnext",
                                       "::error file=f.yml,line=1::x"]


def test_the_folder_defaults_to_the_environment_then_register(valid: Path, capsys, monkeypatch) -> None:
    code, out, _ = run(["check"], valid.parent, capsys)
    assert code == 0 and out.startswith(f"{valid}: valid")
    moved = valid.rename(valid.parent / "fixture")
    monkeypatch.setenv("CSI_REGISTER_DIR", "fixture")
    code, out, _ = run(["check"], moved.parent, capsys)
    assert code == 0 and out.startswith(f"{moved}: valid")


def test_a_missing_folder(tmp_path: Path, capsys) -> None:
    assert run(["check", "nowhere"], tmp_path, capsys) == (
        1, "", "nowhere:1: register folder not found\n1 error\n")


def test_a_malformed_build_date(valid: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    assert run(["check", "register"], valid.parent, capsys) == (
        1, "", "SOURCE_DATE_EPOCH:1: must be a whole number of seconds; got 'tomorrow'\n1 error\n")


def test_the_sample_register_passes(capsys, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    code, out, err = run(["check", "register"], PROJECT, capsys)
    assert (code, err) == (0, "") and out.startswith("register: valid — ")


def test_the_installed_command_checks_without_writing(valid: Path) -> None:
    command = shutil.which("csi")
    argv = [command] if command else [sys.executable, "-m", "csi_macros.cli"]
    before = sorted((p, p.stat().st_mtime_ns) for p in valid.parent.rglob("*"))
    result = subprocess.run([*argv, "check", "register"], cwd=valid.parent, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert (result.returncode, result.stderr) == (0, "")
    assert sorted((p, p.stat().st_mtime_ns) for p in valid.parent.rglob("*")) == before
