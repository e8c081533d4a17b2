"""The CI templates and the pre-commit hook: valid YAML, and running exactly the documented
commands. Both the workflows of this repository (which build its sample site from its own
source) and those `csi init` writes for a register's own repository (which install the
package from the index) are held to the same checks."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from csi_macros import __version__
from csi_macros.init import REQUIREMENT, InitOptions, project_files

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = PROJECT / "csi_macros" / "site" / "shipped" / "en"
GITHUB = PROJECT / ".github" / "workflows" / "publish.yml"
GITLAB = PROJECT / ".gitlab-ci.yml"
PUBLISHING = SHIPPED / "publishing.md"
FETCH_TARGET = ('git fetch --no-tags origin '
                '"+refs/heads/$TARGET_BRANCH:refs/remotes/origin/$TARGET_BRANCH"')
CHECK_AGAINST = 'csi check register --against "origin/$TARGET_BRANCH"'
MAIN_ONLY = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def initialised(name: str, **options: Any) -> Any:
    """The file `name` as `csi init` writes it with `options`, read as YAML."""
    files = project_files(InitOptions("Example IT", **options), dt.date(2026, 11, 25))
    return yaml.safe_load(files[name])


def run_lines(workflow: Any) -> list[str]:
    return [line.strip() for job in workflow["jobs"].values() for step in job["steps"]
            if "run" in step for line in step["run"].splitlines() if line.strip()]


def script_lines(pipeline: Any) -> list[str]:
    return [line for job in pipeline.values() if isinstance(job, dict) and "script" in job
            for line in job["script"]]


def github_commands() -> list[str]:
    return run_lines(load(GITHUB))


def gitlab_commands() -> list[str]:
    return script_lines(load(GITLAB))


def initialised_commands() -> list[str]:
    """Every command of the workflows `csi init` writes, for each forge and engine, with the
    GitLab pipeline's `$CSI_REGISTER` spelt out."""
    found = []
    for engine in ("mkdocs", "zensical"):
        found += run_lines(initialised(".github/workflows/publish.yml", engine=engine))
        pipeline = initialised(".gitlab-ci.yml", ci="gitlab", engine=engine)
        found += [line.replace('"$CSI_REGISTER"', f'"{pipeline["variables"]["CSI_REGISTER"]}"')
                  for line in script_lines(pipeline)]
    return found


def documented_commands() -> set[str]:
    """Every command line inside a ```sh block of docs/publishing.md, comments removed."""
    text = PUBLISHING.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return {re.sub(r"\s+#.*$", "", line).strip() for block in blocks
            for line in block.splitlines() if line.strip()}


def check_github_workflow(workflow: Any) -> None:
    """What every GitHub workflow here does: check on pull requests and on main, with the
    whole history, on Python 3.11; publish Pages from main only, never from a pull request."""
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    build = workflow["jobs"]["build"]["steps"]
    checkout = next(s for s in build if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in build if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    deploy = workflow["jobs"]["deploy"]
    assert upload["if"] == deploy["if"] == MAIN_ONLY
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_the_github_workflow_checks_builds_and_deploys_main_only() -> None:
    check_github_workflow(load(GITHUB))
    build = load(GITHUB)["jobs"]["build"]["steps"]
    assert github_commands() == ["pip install .", "csi check register --format github",
                                 FETCH_TARGET, f"{CHECK_AGAINST} --format github",
                                 "mkdocs build --strict"]
    plain, against = (next(s for s in build if s.get("run", "").startswith(command))
                      for command in ("csi check register --format", "git fetch"))
    assert plain["if"] == "github.event_name != 'pull_request'", "the check without REF"
    assert against["if"] == "github.event_name == 'pull_request'", "on pull requests, against REF"
    assert against["env"] == {"TARGET_BRANCH": "${{ github.base_ref }}"}, \
        "the branch name reaches the shell as a variable, never spliced into the script"


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_github_workflow_csi_init_writes_installs_this_version_from_the_index(
        engine: str) -> None:
    workflow = initialised(".github/workflows/publish.yml", engine=engine)
    check_github_workflow(workflow)
    package = REQUIREMENT if engine == "mkdocs" else f"csi-register[zensical]=={__version__}"
    build = "csi build --strict" if engine == "mkdocs" else "csi build --engine zensical --strict"
    assert run_lines(workflow) == [
        f'pip install "{package}"', "csi check --format github",
        'git fetch --no-tags origin "+refs/heads/$TARGET:refs/remotes/origin/$TARGET"',
        'csi check --format github --against "origin/$TARGET"', build]
    steps = workflow["jobs"]["build"]["steps"]
    against = next(s for s in steps if "--against" in s.get("run", ""))
    assert against["if"] == "github.event_name == 'pull_request'"
    assert against["env"] == {"TARGET": "${{ github.base_ref }}"}  # never inline in the script
    # setup-python's pip cache needs a file to key it by: the register's repository has no
    # requirements.txt, so the workflow itself, which pins the version.
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["cache-dependency-path"] == ".github/workflows/publish.yml"


def test_both_pipelines_keep_the_chart_cache_the_plugin_uses() -> None:
    from csi_macros.engines.mkdocs.plugin import CsiConfig

    folder = dict(CsiConfig._schema)["chart_cache"].default
    build = load(GITHUB)["jobs"]["build"]["steps"]
    cache = next(s for s in build if s.get("uses", "").startswith("actions/cache@"))
    install = next(i for i, s in enumerate(build) if s.get("run") == "pip install .")
    assert cache["with"]["path"] == folder and build.index(cache) > install
    assert cache["with"]["restore-keys"] and cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    assert folder in load(GITLAB)["cache"]["paths"]
    assert f"`{folder}`" in PUBLISHING.read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_gitlab_pipeline_csi_init_writes_reports_and_publishes_public(engine: str) -> None:
    pipeline = initialised(".gitlab-ci.yml", ci="gitlab", engine=engine)
    package = REQUIREMENT if engine == "mkdocs" else f"csi-register[zensical]=={__version__}"
    build = "csi build --strict" if engine == "mkdocs" else "csi build --engine zensical --strict"
    assert pipeline["variables"]["CSI_REGISTER"] == package
    install = 'pip install "$CSI_REGISTER"'
    assert pipeline["check"]["script"] == [
        install, "csi check --format gitlab > gl-code-quality-report.json", build]
    assert pipeline["check"]["artifacts"] == {
        "when": "always", "reports": {"codequality": "gl-code-quality-report.json"}}
    target = "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    assert pipeline["ids"]["script"] == [
        install, f'git fetch --no-tags origin "+refs/heads/{target}:refs/remotes/origin/{target}"',
        f'csi check --against "origin/{target}"']
    assert pipeline["ids"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert pipeline["pages"]["script"] == [install, f"{build} -d public"]
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert pipeline["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert str(pipeline["variables"]["GIT_DEPTH"]) == "0"
    assert ".cache/csi-charts" in pipeline["cache"]["paths"]
    # Merge request pipelines or branch pipelines, never both for one push.
    assert pipeline["workflow"]["rules"][0] == {
        "if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}


def test_the_gitlab_pipeline_checks_and_publishes_public() -> None:
    pipeline = load(GITLAB)
    against = pipeline["check-against-target"]
    assert against["script"] == ["pip install .", FETCH_TARGET, CHECK_AGAINST]
    assert against["variables"] == {"TARGET_BRANCH": "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"}
    assert against["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert against["stage"] == "check"
    assert pipeline["check"]["script"] == ["pip install .", "csi check register",
                                           "mkdocs build --strict"]
    assert pipeline["pages"]["script"] == ["pip install .",
                                           "mkdocs build --strict --site-dir public"]
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert pipeline["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert str(pipeline["variables"]["GIT_DEPTH"]) == "0"


def test_ci_runs_exactly_the_documented_commands() -> None:
    documented = documented_commands()
    for command in github_commands() + gitlab_commands() + initialised_commands():
        assert command in documented, f"{command!r} is not in docs/publishing.md"
    for command in documented:
        assert " -q" not in f" {command} " and "--quiet" not in command, command
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "csi check register --format github" in readme


def test_no_build_is_quiet() -> None:
    for command in github_commands() + gitlab_commands() + initialised_commands():
        assert not re.search(r"(^|\s)(-q|--quiet)(\s|$)", command), command


def test_the_pre_commit_hook_and_this_repository_s_config_agree() -> None:
    (hook,) = load(PROJECT / ".pre-commit-hooks.yaml")
    assert hook == {**hook, "id": "csi-check", "entry": "csi check", "language": "python",
                    "pass_filenames": False, "files": "^register/"}
    config = load(PROJECT / ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    (local,) = repo["hooks"]
    same = ("id", "name", "entry", "pass_filenames", "files")
    assert {k: local[k] for k in same} == {k: hook[k] for k in same}
    assert re.search(hook["files"], "register/improvements/CSI-0001.yml")
    assert not re.search(hook["files"], "docs/register/index.md")


@pytest.mark.parametrize(("path", "schema"), [(GITHUB, "vendor.github-workflows"),
                                              (GITLAB, "vendor.gitlab-ci")])
def test_the_ci_templates_pass_their_forge_s_schema(path: Path, schema: str) -> None:
    """The forges' own schemas (SchemaStore's, as check-jsonschema ships them): a step or a
    job written wrong is refused here, not on the first push."""
    pytest.importorskip("check_jsonschema")
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                           str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_against_step_runs_in_a_shell_as_ci_runs_it(tmp_path: Path) -> None:
    """The fetch and the check, as the templates write them, in a clone whose target branch
    took the id the branch took too: the check fails naming `csi renumber`."""
    from gitrepo import GIT_ENVIRONMENT, commit, git, repository_with_register, require_git
    from csi_macros.testing import improvement, write_register
    require_git()
    origin = repository_with_register(tmp_path / "origin")
    git(origin, "switch", "-q", "-c", "feature")
    write_register(origin / "register", improvements={
        "CSI-0002-laptop-loans.yml": improvement("CSI-0002")})
    commit(origin, "CSI-0002 on the branch")
    git(origin, "switch", "-q", "main")
    write_register(origin / "register", improvements={
        "CSI-0002-printer-queue.yml": improvement("CSI-0002")})
    commit(origin, "CSI-0002 on main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--branch", "feature", str(origin), str(clone))
    script = "\n".join([FETCH_TARGET, CHECK_AGAINST])
    csi = Path(sys.executable).with_name("csi")
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=clone,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **GIT_ENVIRONMENT, "TARGET_BRANCH": "main",
                               "PATH": f"{csi.parent}{os.pathsep}{os.environ['PATH']}"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "improvement id CSI-0002 is also taken on origin/main, by " \
           "register/improvements/CSI-0002-printer-queue.yml" in done.stderr
    assert "`csi renumber CSI-0002`" in done.stderr


def test_the_pre_commit_hook_csi_init_writes_installs_this_version() -> None:
    (hook,) = load(PROJECT / ".pre-commit-hooks.yaml")
    config = initialised(".pre-commit-config.yaml")
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    (local,) = repo["hooks"]
    same = ("id", "name", "entry", "language", "pass_filenames", "files")
    assert {k: local[k] for k in same} == {k: hook[k] for k in same}
    # pre-commit installs the package into the hook's environment, from the index.
    assert local["additional_dependencies"] == [REQUIREMENT]


def test_the_chart_cache_csi_init_s_workflows_keep_is_the_plugin_s() -> None:
    from csi_macros.engines.mkdocs.plugin import CsiConfig

    folder = dict(CsiConfig._schema)["chart_cache"].default
    steps = initialised(".github/workflows/publish.yml")["jobs"]["build"]["steps"]
    assert next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))[
        "with"]["path"] == folder
    assert folder in initialised(".gitlab-ci.yml", ci="gitlab")["cache"]["paths"]


def test_the_publishing_page_pins_this_version() -> None:
    text = PUBLISHING.read_text(encoding="utf-8")
    assert set(re.findall(r"csi-register(?:\[zensical\])?==([0-9][^\s\"'`)]*)", text)) == {
        __version__}
