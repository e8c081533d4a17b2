"""`csi init`: a project that checks at once, in three languages, with any forge; never an
overwrite; the sample register valid whatever day it is written; bad options in one line.
(A wheel installed outside the repository builds these projects: `test_package.py`.)"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from csi_macros import __version__, load_register
from csi_macros.cli import main
from csi_macros.init import InitOptions, init_project, project_files
from csi_macros.init.example import month_ends
from csi_macros.readings.facts import build_date

TODAY = dt.date(2026, 11, 25)
KEPT = {"register/improvements/.gitkeep", "register/metrics/.gitkeep",
        "register/snapshots/.gitkeep", "docs/.gitkeep"}


@pytest.fixture(autouse=True)
def no_register_dir(monkeypatch) -> None:
    monkeypatch.delenv("CSI_REGISTER_DIR", raising=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def csi(argv: list[str], cwd: Path, capsys) -> tuple[int, str, str]:
    with contextlib.chdir(cwd):
        try:
            code = main(argv)
        except SystemExit as exit:
            code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("language", ["en", "de", "nb"])
@pytest.mark.parametrize("ci", ["github", "gitlab", "none"])
def test_a_new_project_is_valid_at_once(tmp_path: Path, language: str, ci: str) -> None:
    result = init_project(tmp_path, InitOptions("Example IT", language, ci=ci), TODAY)
    written = set(tree(tmp_path))
    ci_file = {"github": {".github/workflows/publish.yml"}, "gitlab": {".gitlab-ci.yml"},
               "none": set()}[ci]
    assert written == {"mkdocs.yml", "register/register.yml", ".pre-commit-config.yaml",
                       ".gitignore", "README.md", *KEPT, *ci_file}
    assert set(result.written) == written and result.kept == [] and result.notes == []
    register = load_register(tmp_path / "register", today=TODAY)
    assert register.organisation.organisation == "Example IT"
    assert [o.id for o in register.organisation.objectives] == ["OBJ-1"]
    assert not register.improvements and not register.metrics and not register.snapshots
    assert all((tmp_path / path).read_bytes() == b"" for path in KEPT)
    for name, text in tree(tmp_path).items():
        if name.endswith((".yml", ".yaml")):
            yaml.safe_load(text)  # every file it writes is YAML that reads


def test_mkdocs_yml_is_a_few_lines_and_nothing_the_package_ships(tmp_path: Path) -> None:
    init_project(tmp_path, InitOptions("Example IT", "de"), TODAY)
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config == {"site_name": "Register der kontinuierlichen Verbesserung",
                      "theme": {"name": "material", "language": "de"},
                      "plugins": ["search", "csi"]}
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    for option in ("register_dir", "prefix", "language", "chart_cache", "priority_formula"):
        assert f"#       {option}: " in text  # the plugin's options, commented
    # No page is copied: they ship with the package. MkDocs needs the folder all the same.
    assert list((tmp_path / "docs").rglob("*")) == [tmp_path / "docs" / ".gitkeep"]


def test_the_register_file_says_what_to_write_in_the_site_s_language(tmp_path: Path) -> None:
    for language, words in (("en", "Replace"), ("de", "Ersetzen"), ("nb", "Bytt ut")):
        init_project(tmp_path / language, InitOptions('ACME "IT": Ops', language), TODAY)
        text = (tmp_path / language / "register" / "register.yml").read_text(encoding="utf-8")
        assert words in text and text.count("\n#") >= 5
        register = load_register(tmp_path / language / "register", today=TODAY)
        assert register.organisation.organisation == 'ACME "IT": Ops'  # quoted as YAML needs
        readme = (tmp_path / language / "README.md").read_text(encoding="utf-8")
        assert readme.startswith('# ACME "IT": Ops') and "csi serve" in readme


def test_a_second_init_changes_no_file(tmp_path: Path) -> None:
    options = InitOptions("Example IT", example=True)
    first = init_project(tmp_path, options, TODAY)
    before = tree(tmp_path)
    times = {path: os.stat(tmp_path / path).st_mtime_ns for path in before}
    again = init_project(tmp_path, options, TODAY + dt.timedelta(days=40))
    assert tree(tmp_path) == before
    assert {path: os.stat(tmp_path / path).st_mtime_ns for path in before} == times
    assert again.written == [] and set(again.kept) <= set(first.written)
    assert again.notes == ["the register has files already: the example was not written"]


def test_it_never_overwrites_a_file_and_says_what_it_kept(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("Ours.\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: Our docs\nplugins:\n  - search\n")
    workflow = tmp_path / ".github" / "workflows" / "publish.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text('run: pip install "csi-register==0.0.9"\n')
    result = init_project(tmp_path, InitOptions("Example IT"), TODAY)
    assert (tmp_path / "README.md").read_text() == "Ours.\n"
    assert (tmp_path / "mkdocs.yml").read_text().startswith("site_name: Our docs")
    assert result.kept == ["mkdocs.yml", ".github/workflows/publish.yml", "README.md"]
    assert "register/register.yml" in result.written
    assert result.notes == [
        "mkdocs.yml has no csi plugin: add `- csi` under its `plugins:` (the site's "
        "/publishing/ page)",
        f".github/workflows/publish.yml installs csi-register 0.0.9, this is {__version__}: "
        "change its version to upgrade"]


@pytest.mark.parametrize("plugins", ["plugins: [search, csi]\n",
                                     "plugins:\n  - search\n  - csi:\n      prefix: csi\n"])
def test_a_kept_mkdocs_yml_that_lists_csi_needs_no_note(tmp_path: Path, plugins: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(f"site_name: Our docs\n{plugins}")
    result = init_project(tmp_path, InitOptions("Example IT", ci="none"), TODAY)
    assert result.kept == ["mkdocs.yml"] and result.notes == []


def test_the_pins_are_this_version(tmp_path: Path) -> None:
    files = project_files(InitOptions("Example IT", engine="zensical"), TODAY)
    assert f'pip install "csi-register[zensical]=={__version__}"' in files[
        ".github/workflows/publish.yml"]
    assert f'"csi-register[zensical]=={__version__}"' in files[".pre-commit-config.yaml"]
    assert "csi build --engine zensical --strict" in files[".github/workflows/publish.yml"]
    assert "csi serve --engine zensical" in files["README.md"]


# --- The sample register -----------------------------------------------------------------

@pytest.mark.parametrize("today", [TODAY, dt.date(2027, 1, 1), dt.date(2028, 2, 29),
                                   dt.date(2026, 3, 31), dt.date(2030, 12, 31)])
@pytest.mark.parametrize("language", ["en", "de", "nb"])
def test_the_example_is_valid_and_nothing_in_it_reads_as_stale(
        tmp_path: Path, today: dt.date, language: str) -> None:
    from csi_macros.cli import suggestions
    init_project(tmp_path, InitOptions("Example IT", language, example=True), today)
    register = load_register(tmp_path / "register", today=today)
    assert len(register.improvements) == 5 and len(register.metrics) == 3
    assert len(register.snapshots) == 12
    assert sorted(i.status for i in register.improvements) == [
        "approved", "closed", "implemented", "in_progress", "proposed"]
    facts = register.facts.values()
    assert not any(f.stale or f.overdue or f.overdue_actions for f in facts)
    assert suggestions(register) == []  # the rebase check would advise is made already
    newest = max(s.date for s in register.snapshots)
    assert newest == month_ends(today, 1)[0] and (today - newest).days <= 31
    assert all(m.target.date > today for m in register.metrics)


def test_the_example_shows_a_signal_and_its_words_are_the_language_s(tmp_path: Path) -> None:
    init_project(tmp_path, InitOptions("Beispiel-IT", "de", example=True), TODAY)
    register = load_register(tmp_path / "register", today=TODAY)
    assert register.improvement["CSI-0001"].title == "Ein Runbook für Major Incidents"
    (evidence,) = register.evidence(register.improvement["CSI-0001"])
    assert (evidence.metric_id, evidence.signal) == ("P1-MTTR", "signal of improvement")
    (recent,) = register.evidence(register.improvement["CSI-0002"])
    assert recent.signal != "signal of concern"


# --- The command -------------------------------------------------------------------------

def test_init_lists_what_it_wrote_and_the_next_three_commands(tmp_path: Path, capsys) -> None:
    code, out, err = csi(["init", "acme", "--organisation", "ACME IT", "--ci", "none"],
                         tmp_path, capsys)
    lines = out.splitlines()
    assert (code, err) == (0, "")
    assert "wrote  mkdocs.yml" in lines and "wrote  register/register.yml" in lines
    assert lines[-4] == "9 written, 0 kept. Next:"
    assert lines[-3].startswith("  cd acme && csi serve")
    assert lines[-2].startswith('  csi new "')
    assert lines[-1].startswith("  git init && git add . && git commit")
    code, out, err = csi(["init", "acme", "--organisation", "ACME IT", "--ci", "none"],
                         tmp_path, capsys)
    assert code == 0 and "0 written, 9 kept" in out and "kept   mkdocs.yml (it exists)" in out


@pytest.mark.parametrize("argv, named", [
    (["--language", "fr"], "--language"),
    (["--engine", "hugo"], "--engine"),
    (["--ci", "jenkins"], "--ci"),
    (["--bogus"], "--bogus"),
    (["--organisation", " "], "--organisation"),
    (["--organisation", "Two\nlines"], "--organisation"),
    (["a-file"], "a-file"),
    (["a-file/below"], "a-file"),
])
def test_a_bad_option_or_folder_is_one_line_naming_it(tmp_path: Path, capsys, argv: list[str],
                                                       named: str) -> None:
    (tmp_path / "a-file").write_text("x")
    if "--organisation" not in argv:
        argv = [*argv, "--organisation", "Example IT"]
    code, out, err = csi(["init", *argv], tmp_path, capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and named in err and "Traceback" not in err
    assert set(tree(tmp_path)) == {"a-file"}


def test_csi_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0 and capsys.readouterr().out == f"csi-register {__version__}\n"


def test_init_uses_the_build_date(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")  # 2026-11-25
    assert build_date() == TODAY
    csi(["init", "--organisation", "Example IT", "--example"], tmp_path, capsys)
    assert (tmp_path / "register" / "snapshots" / "2026-10-31.yml").is_file()


# --- Quiet pipes -------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["check"], ["export"], ["schema"], ["--help"],
                                  ["init", "--help"], ["new", "--snapshot", "2026-11-30"]])
def test_a_closed_pipe_ends_a_command_without_a_traceback(tmp_path: Path, argv: list[str]) -> None:
    init_project(tmp_path, InitOptions("Example IT", example=True), TODAY)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795564800"}
    env.pop("CSI_REGISTER_DIR", None)
    # The reader has gone before the command writes: every write meets a closed pipe.
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "csi_macros.cli", *argv], cwd=tmp_path,
                              stdout=stdout, stderr=subprocess.PIPE, text=True, env=env,
                              timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
    assert done.returncode in (0, 1), done.stderr


def test_check_piped_into_head_prints_its_first_line_only(tmp_path: Path) -> None:
    init_project(tmp_path, InitOptions("Example IT", example=True), TODAY)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795564800"}
    env.pop("CSI_REGISTER_DIR", None)
    done = subprocess.run(f"{sys.executable} -m csi_macros.cli export | head -1", shell=True,
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert done.stdout.lstrip("\ufeff").startswith("id,title,") and done.stderr == ""
