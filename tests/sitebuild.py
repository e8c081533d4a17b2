"""Build a real site from a register in one line, for the tests that look at the HTML."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = PROJECT / "csi_macros" / "site" / "shipped" / "en"
"""The pages the package ships, in English (the playbook, principles, help and home page)."""

# A fixed build date keeps every site-building test independent of the day it runs on.
BUILD_EPOCH = "1795564800"  # 2026-11-25 00:00 UTC


@dataclass
class Site:
    """A built site: its folder and what `mkdocs build` said."""

    root: Path
    returncode: int
    output: str
    engine: str = "mkdocs"

    def page(self, address: str) -> str:
        """The HTML served at an address like `/register/CSI-0001/`."""
        path = self.root / address.strip("/")
        if not address.endswith((".html", ".csv", ".json", ".xml", ".svg")):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def search_entries(self) -> list[dict]:
        """The search index's entries (each with its `title` and `text`), whichever engine
        built the site: MkDocs' search plugin or Zensical's own search."""
        import json
        if self.engine == "zensical":
            return json.loads((self.root / "search.json").read_text(encoding="utf-8"))["items"]
        index = self.root / "search" / "search_index.json"
        return json.loads(index.read_text(encoding="utf-8"))["docs"]


ENGINES = ("mkdocs", "zensical")
"""The site generators `csi build --engine` knows; site-building fixtures run with both."""


def build_site(register: Path, site_dir: Path, *, strict: bool = True,
               epoch: str | None = BUILD_EPOCH, extra_env: dict[str, str] | None = None,
               language: str | None = None, plugin_language: str | None = None,
               engine: str = "mkdocs", config: Path = PROJECT / "mkdocs.yml") -> Site:
    """Run `mkdocs build` (or, with `engine="zensical"`, `csi build --engine zensical`
    in a work folder of its own) on the project's mkdocs.yml (or `config`) and docs/ with
    another register; with a `language`, on a copy of mkdocs.yml whose `theme.language`
    is set to it (with `plugin_language`, the csi plugin's own `language` option)."""
    env = {**os.environ, "CSI_REGISTER_DIR": str(register), **(extra_env or {})}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    if language is not None or plugin_language is not None:
        config = config_in_language(site_dir.parent / f"mkdocs-{language}.yml", language,
                                    plugin_language)
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config),
               "-d", str(site_dir)]
    if engine == "zensical":
        env["CSI_ZENSICAL_DIR"] = str(site_dir.parent / f"{site_dir.name}-zensical")
        command = [sys.executable, "-m", "csi_macros.cli", "build", "--engine", "zensical",
                   "-f", str(config), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600,
                            cwd=PROJECT)
    return Site(site_dir, result.returncode, result.stdout + result.stderr, engine)


def config_in_language(path: Path, language: str | None,
                       plugin_language: str | None = None) -> Path:
    """A copy of the project's mkdocs.yml at `path` that builds the site in `language`
    (Material's `theme.language`); its folders still point into the project."""
    import yaml
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(PROJECT / config.get("docs_dir", "docs"))
    theme = config["theme"]
    if "custom_dir" in theme:
        theme["custom_dir"] = str(PROJECT / theme["custom_dir"])
    if language is not None:
        theme["language"] = language
    plugins = []
    for plugin in config["plugins"]:
        if plugin == "csi" or (isinstance(plugin, dict) and "csi" in plugin):
            options = dict(plugin["csi"] or {}) if isinstance(plugin, dict) else {}
            options.setdefault("chart_cache", str(PROJECT / ".cache" / "csi-charts"))
            if plugin_language is not None:
                options["language"] = plugin_language
            plugin = {"csi": options}
        plugins.append(plugin)
    config["plugins"] = plugins
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class ActiveContent(HTMLParser):
    """Collects what could run in a browser: script bodies, event handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.script_urls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = True
            self.scripts.append(dict(attrs).get("src") or "")
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value and \
                    "".join(value.split()).lower().startswith(("javascript:", "data:", "vbscript:")):
                self.script_urls.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.scripts[-1] += data


def active_content(html: str) -> ActiveContent:
    parser = ActiveContent()
    parser.feed(html)
    return parser
