"""The package as people get it: `python -m build` makes a wheel without a warning, the wheel
installs into a fresh virtual environment outside the repository, and there, in empty
folders, `csi init` writes projects that `csi check` passes and `csi build --strict` builds
with either engine, in the site's language, with no broken link. Slow (one build of the
wheel and one environment, `conftest.package`, shared with `test_installed_plugin.py`), so every check of it is here."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from dataclasses import dataclass
from email.parser import Parser as EmailParser
from pathlib import Path

import pytest
import yaml

from csi_macros import __version__
from sitebuild import BUILD_EPOCH
from test_site import broken_links
from test_workflows import check_github_workflow

pytestmark = pytest.mark.build

PROJECT = Path(__file__).resolve().parent.parent


@dataclass
class Installed:
    """The installed package (`conftest.package`), and a home folder outside the repository."""

    wheel: Path
    build_output: str
    bin: Path
    home: Path

    def run(self, *argv: str, cwd: Path, shell: bool = False) -> subprocess.CompletedProcess:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("CSI_", "VIRTUAL_ENV", "PYTHONPATH"))}
        env.update(PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}",
                   SOURCE_DATE_EPOCH=BUILD_EPOCH, HOME=str(self.home), NO_MKDOCS_2_WARNING="1")
        command: str | list[str] = " ".join(argv) if shell else list(argv)
        return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=900, shell=shell)


@pytest.fixture(scope="module")
def installed(package, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    return Installed(package.wheel, package.build_output, package.bin,
                     tmp_path_factory.mktemp("home"))


def test_building_the_package_warns_about_nothing(installed: Installed) -> None:
    said = [line for line in installed.build_output.splitlines()
            if re.search(r"warn|deprecat", line, flags=re.I)]
    assert said == []
    assert installed.wheel.name == f"csi_register-{__version__}-py3-none-any.whl"


def test_the_wheel_holds_every_file_of_the_package(installed: Installed) -> None:
    tracked = subprocess.run(["git", "ls-files", "csi_macros"], cwd=PROJECT, capture_output=True,
                             text=True, check=True).stdout.split()
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    assert sorted(set(tracked) - names) == []


def test_the_long_description_starts_from_pip_install_and_links_to_no_repository_path(
        installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        metadata = wheel.read(f"csi_register-{__version__}.dist-info/METADATA").decode()
    description = EmailParser().parsestr(metadata).get_payload()
    first_commands = description.split("```sh\n", 1)[1].split("```")[0].splitlines()
    assert first_commands[0] == "pip install csi-register"
    assert first_commands[1].startswith("csi init ")
    assert not re.search(r"docs/\w+\.md|scripts/|\]\((?!http)", description)


def test_csi_version_is_the_package_s(installed: Installed, tmp_path: Path) -> None:
    said = installed.run("csi", "--version", cwd=tmp_path)
    assert said.stdout == f"csi-register {__version__}\n"


@pytest.fixture(scope="module", params=[("en", "mkdocs"), ("de", "mkdocs"), ("nb", "zensical")],
                ids=["en-mkdocs", "de-mkdocs", "nb-zensical"])
def project(request: pytest.FixtureRequest, installed: Installed,
            tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    language, engine = request.param
    folder = tmp_path_factory.mktemp(f"project-{language}-{engine}") / "register-site"
    said = installed.run("csi", "init", str(folder), "--organisation", "Ørsted & Søn IT",
                         "--language", language, "--engine", engine, "--example",
                         cwd=folder.parent)
    assert said.returncode == 0, said.stdout + said.stderr
    return folder, language, engine


def test_the_project_checks_and_builds_strict(installed: Installed,
                                              project: tuple[Path, str, str]) -> None:
    folder, language, engine = project
    checked = installed.run("csi", "check", cwd=folder)
    assert checked.returncode == 0 and "valid" in checked.stdout, checked.stdout + checked.stderr
    built = installed.run("csi", "build", "--strict", "--engine", engine, cwd=folder)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Traceback" not in built.stderr
    site = folder / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in home
    assert "Ørsted &amp; Søn IT" in home
    for address in ("playbook/", "principles/", "register/", "metrics/", "objectives/",
                    "editing/", "publishing/", "register/CSI-0001/", "metrics/P1-MTTR/"):
        assert (site / address / "index.html").is_file(), address
    assert shipped_headings_missing(site, language) == []
    assert "assets/csi/csi.css" in home and "assets/csi/csi.js" in home
    assert (site / "assets" / "csi" / "csi.css").is_file()
    assert re.search(rf'<meta name="generator" content="[^"]*csi-register-{__version__}"', home)
    assert broken_links(site) == []


def shipped_headings_missing(site: Path, language: str) -> list[str]:
    """The shipped pages of the site's language (English where it ships none) whose first
    heading is not on the built page at their address."""
    shipped = PROJECT / "csi_macros" / "site" / "shipped"
    folder = shipped / language if (shipped / language).is_dir() else shipped / "en"
    missing = []
    for source in sorted(folder.rglob("*.md")):
        relative = source.relative_to(folder).with_suffix("")
        address = relative.parent if relative.name == "index" else relative
        heading = re.search(r"^# (.+)$", source.read_text(encoding="utf-8"), flags=re.M)
        if not heading or not re.fullmatch(r"[\w\s,.:?!'()–-]+", heading.group(1)):
            continue
        page = site / address / "index.html"
        if not page.is_file() or heading.group(1) not in page.read_text(encoding="utf-8"):
            missing.append(f"{address}/: {heading.group(1)}")
    return missing


def test_a_second_init_changes_no_file(installed: Installed,
                                       project: tuple[Path, str, str]) -> None:
    folder, language, engine = project
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()
              and not path.relative_to(folder).parts[0] in ("site", ".cache", "build")}
    again = installed.run("csi", "init", "--organisation", "Ørsted & Søn IT", "--language",
                          language, "--engine", engine, "--example", cwd=folder)
    assert again.returncode == 0 and "0 written" in again.stdout, again.stdout + again.stderr
    after = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()
             and not path.relative_to(folder).parts[0] in ("site", ".cache", "build")}
    assert after == before


def test_the_workflow_it_wrote_passes_the_ci_checks(project: tuple[Path, str, str]) -> None:
    folder, _, engine = project
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "publish.yml").read_text(
        encoding="utf-8"))
    check_github_workflow(workflow)
    steps = workflow["jobs"]["build"]["steps"]
    install = next(s["run"] for s in steps if s.get("name") == "Install")
    assert f"=={__version__}" in install and "pip install ." not in install


def test_check_piped_into_head_prints_no_traceback(installed: Installed,
                                                   project: tuple[Path, str, str]) -> None:
    folder, _, _ = project
    for command in ("csi check register", "csi export", "csi schema", "csi check --help"):
        piped = installed.run(f"{command} | head -1", cwd=folder, shell=True)
        assert piped.stdout.strip() and "Traceback" not in piped.stderr, (command, piped.stderr)
        assert piped.stderr == "", (command, piped.stderr)
