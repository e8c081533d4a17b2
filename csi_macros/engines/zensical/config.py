"""The project's mkdocs.yml as Zensical gets it: read as MkDocs would, the csi plugin's
options found, and the settings of the work folder derived from it (the register's
stylesheet, script, Markdown extensions and macros module in place of the csi plugin).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ...register.errors import CsiError
from ...site import shipped
from ...site.addresses import SCRIPT, STYLESHEET
from ...site.generate import SOURCES

THEME_CSS_PATH = "assets/csi/zensical.css"
"""Zensical's theme colours that pass for small text (`project.THEME_CSS`), under the prefix."""


def read_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as data; tags such as `!ENV` read as their plain values."""
    try:
        with open(config_file, encoding="utf-8") as file:
            config = yaml.load(file, Loader=_TolerantLoader)  # noqa: S506 (safe loader)
    except (OSError, yaml.YAMLError) as error:
        raise CsiError(f"{config_file}: {error}") from None
    if not isinstance(config, dict):
        raise CsiError(f"{config_file}: expected settings, one per line")
    return config


class _TolerantLoader(yaml.SafeLoader):
    pass


def _plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("!", _plain)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _plain)


@dataclass
class CsiOptions:
    """The csi plugin's options in mkdocs.yml (see `plugin.CsiConfig`)."""

    register_dir: str = "register"
    chart_cache: str | None = None
    priority_formula: str = "value / effort"
    language: str | None = None
    prefix: str = ""


def csi_options(config: dict[str, Any]) -> CsiOptions:
    """The csi plugin's options, as MkDocs would read them."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "csi" in plugin:
            given = plugin["csi"] or {}
            known = CsiOptions.__dataclass_fields__
            unknown = sorted(set(given) - set(known))
            if unknown:
                raise CsiError(f"mkdocs.yml: plugins.csi: unknown option {unknown[0]!r}")
            return CsiOptions(**{key: str(value) for key, value in given.items()})
    return CsiOptions()

def zensical_config(config: dict[str, Any], name: str, feed_title: str, work: Path,
                    project: Path, prefix: str = "") -> dict[str, Any]:
    """The project's settings for the work folder: its folders, the site's name escaped
    once, the macros module and the Markdown extension in place of the csi plugin.

    Macros include templates from the project's own folder for them, as under MkDocs: its
    `include_dir`, else its docs folder (not the work folder's, which Zensical would walk,
    all the generated pages with it, on every build)."""
    derived = dict(config)
    derived["site_name"] = name if not prefix else str(config.get("site_name", ""))
    derived["docs_dir"] = SOURCES.rstrip("/")
    derived["site_dir"] = "site"
    theme = dict(config.get("theme") or {})
    theme["custom_dir"] = "overrides"
    derived["theme"] = theme
    derived["extra"] = {**(config.get("extra") or {}), "csi_feed_title": feed_title,
                        "csi_feed_path": prefix + "feed.xml"}
    derived["extra_css"] = _with(config.get("extra_css"),
                                 [prefix + STYLESHEET, prefix + THEME_CSS_PATH])
    derived["extra_javascript"] = _with(config.get("extra_javascript"), [prefix + SCRIPT])
    extensions = list(config.get("markdown_extensions") or [])
    listed = {entry if isinstance(entry, str) else next(iter(entry)) for entry in extensions}
    extensions.extend({name: options} if options else name
                      for name, options in shipped.MARKDOWN_EXTENSIONS.items()
                      if name not in listed)
    extensions.append({"csi_macros.engines.zensical.markdown": {"pages": str(work / "pages")}})
    derived["markdown_extensions"] = extensions
    plugins = []
    if not lists_macros(config):
        # The shipped pages' macros (their front matter asks for them); the site's own
        # pages call none (`check_macro_calls`).
        config = {**config, "plugins": [*(config.get("plugins") or []),
                                        {"macros": {"render_by_default": False}}]}
    for plugin in config.get("plugins") or []:
        plugin_name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if plugin_name == "csi":
            continue
        if plugin_name == "macros":
            options = dict((plugin or {}).get("macros") or {}) if isinstance(plugin, dict) else {}
            options["modules"] = [*options.get("modules", []), "csi_macros.engines.zensical.macros"]
            options.setdefault("module_name", "")
            options["include_dir"] = str(project / str(
                options.get("include_dir") or config.get("docs_dir", "docs")))
            plugin = {"macros": options}
        plugins.append(plugin)
    derived["plugins"] = plugins
    return derived


def _with(listed: Any, ours: list[str]) -> list[Any]:
    """A site's `extra_css` (or `extra_javascript`) with `ours` after its own, once."""
    entries = list(listed or [])
    present = {entry if isinstance(entry, str) else str(entry.get("path")) for entry in entries}
    return [*entries, *(path for path in ours if path not in present)]

def lists_macros(config: dict[str, Any]) -> bool:
    return any((plugin if isinstance(plugin, str) else next(iter(plugin), None)) == "macros"
               for plugin in config.get("plugins") or [])
