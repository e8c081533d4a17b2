"""The CI templates and the pre-commit hook: valid YAML, and running exactly the documented commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = PROJECT / "csi_macros" / "site" / "shipped" / "en"
GITHUB = PROJECT / ".github" / "workflows" / "publish.yml"
GITLAB = PROJECT / ".gitlab-ci.yml"
PUBLISHING = SHIPPED / "publishing.md"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_commands() -> list[str]:
    workflow = load(GITHUB)
    return [line.strip() for job in workflow["jobs"].values() for step in job["steps"]
            if "run" in step for line in step["run"].splitlines() if line.strip()]


def gitlab_commands() -> list[str]:
    pipeline = load(GITLAB)
    return [line for job in pipeline.values() if isinstance(job, dict) and "script" in job
            for line in job["script"]]


def documented_commands() -> set[str]:
    """Every command line inside a ```sh block of docs/publishing.md, comments removed."""
    text = PUBLISHING.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return {re.sub(r"\s+#.*$", "", line).strip() for block in blocks
            for line in block.splitlines() if line.strip()}


def test_the_github_workflow_checks_builds_and_deploys_main_only() -> None:
    workflow = load(GITHUB)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    build = workflow["jobs"]["build"]["steps"]
    checkout = next(s for s in build if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in build if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    assert github_commands() == ["pip install .", "csi check register --format github",
                                 "mkdocs build --strict"]
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    deploy = workflow["jobs"]["deploy"]
    main_only = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert upload["if"] == deploy["if"] == main_only
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


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


def test_the_gitlab_pipeline_checks_and_publishes_public() -> None:
    pipeline = load(GITLAB)
    assert pipeline["check"]["script"] == ["pip install .", "csi check register",
                                           "mkdocs build --strict"]
    assert pipeline["pages"]["script"] == ["pip install .",
                                           "mkdocs build --strict --site-dir public"]
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert pipeline["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert str(pipeline["variables"]["GIT_DEPTH"]) == "0"


def test_ci_runs_exactly_the_documented_commands() -> None:
    documented = documented_commands()
    for command in github_commands() + gitlab_commands():
        assert command in documented, f"{command!r} is not in docs/publishing.md"
    for command in documented:
        assert " -q" not in f" {command} " and "--quiet" not in command, command
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "csi check register --format github" in readme


def test_no_build_is_quiet() -> None:
    for command in github_commands() + gitlab_commands():
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
