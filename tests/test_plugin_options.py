"""The csi plugin in sites of every shape: its options, what it adds, and its messages.

Each test writes a small project (mkdocs.yml, maybe a docs/ page) beside the sample register
and builds it with either engine, as the plugin's users would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sitebuild import ENGINES, PROJECT, SHIPPED, build_site

pytestmark = pytest.mark.build


def project(folder: Path, settings: str, pages: dict[str, str] | None = None) -> Path:
    """mkdocs.yml with `settings` and `docs/` with `pages` in `folder`; returns mkdocs.yml."""
    (folder / "docs").mkdir(parents=True)
    for name, text in (pages or {}).items():
        (folder / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(f"site_name: Our site\n{settings}", encoding="utf-8")
    return config


def build(tmp_path: Path, config: Path, engine: str = "mkdocs"):
    return build_site(PROJECT / "register", tmp_path / "site", engine=engine, config=config,
                      extra_env={"CSI_CHART_CACHE": str(tmp_path / "cache")})


@pytest.mark.parametrize("engine", ENGINES)
def test_a_page_that_calls_the_macros_without_the_macros_plugin_stops_the_build(
        tmp_path: Path, engine: str) -> None:
    config = project(tmp_path / "p", "theme:\n  name: material\nplugins:\n  - search\n  - csi\n",
                     {"about.md": "---\nrender_macros: true\n---\n# About\n\n"
                                  "Shown as code: `{{ vision() }}`\n\n```\n{{ vision() }}\n```\n\n"
                                  "Our vision:\n\n{{ vision() }}\n"})
    built = build(tmp_path, config, engine)
    assert built.returncode != 0
    assert "docs/about.md:14: calls the register's macro 'vision'" in built.output
    assert "add `- macros` under `plugins:`" in built.output
    assert "Traceback" not in built.output


@pytest.mark.parametrize("engine", ENGINES)
def test_with_the_macros_plugin_the_site_s_own_page_calls_them(tmp_path: Path, engine: str) -> None:
    config = project(tmp_path / "p", "theme:\n  name: material\nplugins:\n  - search\n"
                                     "  - macros:\n      render_by_default: false\n  - csi\n",
                     {"about.md": "---\nrender_macros: true\n---\n# About\n\n{{ vision() }}\n"})
    built = build(tmp_path, config, engine)
    assert built.returncode == 0, built.output
    about = built.page("/about/")
    assert "{{" not in about and 'class="csi-text csi-vision"' in about
    assert "Clinicians and support staff across Northwind" in about


@pytest.mark.parametrize("prefix", ["../elsewhere", "two words", "/"])
def test_a_bad_prefix_is_refused_naming_the_option(tmp_path: Path, prefix: str) -> None:
    config = project(tmp_path / "p", f"plugins:\n  - csi:\n      prefix: '{prefix}'\n")
    built = build(tmp_path, config)
    assert built.returncode != 0
    assert "plugins.csi.prefix" in built.output and "Traceback" not in built.output


@pytest.mark.parametrize("engine", ENGINES)
def test_a_nav_that_leaves_the_register_out_gets_a_hint_not_a_failure(
        tmp_path: Path, engine: str) -> None:
    config = project(tmp_path / "p", "theme:\n  name: material\nnav:\n  - About: about.md\n"
                                     "plugins:\n  - search\n  - csi\n", {"about.md": "# About\n"})
    built = build(tmp_path, config, engine)
    assert built.returncode == 0, built.output
    assert built.output.count("leaves out the register's pages") == 1
    assert "- register/index.md" in built.output  # the lines to add


@pytest.mark.parametrize("engine", ENGINES)
def test_a_page_the_register_generates_cannot_be_replaced(tmp_path: Path, engine: str) -> None:
    config = project(tmp_path / "p", "plugins:\n  - csi:\n      prefix: csi\n",
                     {"csi/metrics/index.md": "# Ours\n"})
    built = build(tmp_path, config, engine)
    assert built.returncode != 0
    assert "docs/csi/metrics/index.md is generated from the register" in built.output


def test_the_project_s_own_chart_style_is_found_beside_mkdocs_yml(tmp_path: Path) -> None:
    """Not in the folder the build runs from: `build_site` runs in the repository."""
    config = project(tmp_path / "p", "theme:\n  name: material\nplugins:\n  - csi\n")
    style = (PROJECT / "csi_macros" / "site" / "charts" / "style.toml").read_text(encoding="utf-8")
    (tmp_path / "p" / "charts").mkdir()
    (tmp_path / "p" / "charts" / "style.toml").write_text(
        style.replace('ink = "', 'ink = "#123456" # was "', 1), encoding="utf-8")
    assert 'ink = "#123456"' in (tmp_path / "p" / "charts" / "style.toml").read_text()
    built = build(tmp_path, config)
    assert built.returncode == 0, built.output
    chart = next((built.root / "charts").glob("status.svg")).read_text(encoding="utf-8")
    assert "#123456" in chart



def test_the_publishing_help_documents_every_option_and_the_nav_lines() -> None:
    """The help says what the code does: each option of the plugin in the table, and the
    nav lines as the plugin would print them."""
    from csi_macros.engines.mkdocs.plugin import CsiConfig
    from csi_macros.site.navigation import register_nav
    page = (SHIPPED / "publishing.md").read_text(encoding="utf-8")
    table = page.split("### Its options", 1)[1].split("### ", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", table, flags=re.M))
    assert documented == {name for name, _ in CsiConfig._schema}
    block = re.search(r"Without a prefix\s+they are:\s+```yaml\n(.*?)```", page, re.S)
    assert block and yaml.safe_load(block[1]) == {"nav": register_nav()}


def test_a_site_whose_macros_plugin_renders_every_page_still_builds(tmp_path: Path) -> None:
    """mkdocs-macros' default renders every page: the shipped pages that show macro calls
    as examples say `render_macros: false`, and those with live lists are rendered once."""
    config = project(tmp_path / "p", "theme:\n  name: material\nplugins:\n  - search\n"
                                     "  - macros\n  - csi\n")
    built = build(tmp_path, config)
    assert built.returncode == 0, built.output
    assert "{{ improvements_at_step(5) }}" in built.page("/publishing/")
    assert "csi-" in built.page("/playbook/action/") and "{{" not in built.page("/playbook/action/")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_help_page_that_stays_english_says_so_in_a_german_site(tmp_path: Path,
                                                                 engine: str) -> None:
    from csi_macros.site.shipped import languages
    built = build_site(PROJECT / "register", tmp_path / "site", engine=engine, language="de",
                       extra_env={"CSI_CHART_CACHE": str(tmp_path / "cache")})
    assert built.returncode == 0, built.output
    editing = built.page("/editing/")
    assert '<div lang="en">' in editing  # screen readers read it as English
    assert "(Englisch)" in editing  # and the navigation says so
    if "de" not in languages():
        assert built.output.count("the package has no pages in it") == 1
        assert '<div lang="en">' in built.page("/playbook/vision/")
    else:
        assert '<div lang="en">' not in built.page("/playbook/vision/")
        verdicts = built.page("/playbook/verdicts/")  # translated too, since it shipped in German
        assert '<div lang="en">' not in verdicts and "Wie Bewertungen entstehen" in verdicts
