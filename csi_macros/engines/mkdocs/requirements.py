"""What the register's pages need from a site's settings, added by the plugin itself.

`plugins: [search, csi]` is all a mkdocs.yml needs: the register's stylesheet and script
join `extra_css` and `extra_javascript`, the Markdown extensions its shipped pages use are
switched on where the site has not, and the theme's templates that the register needs
(`templates/`) come before the theme's own, after the site's `custom_dir`, so that a file of
the site's at the same path still wins. Nothing the site set is changed or removed.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ...site import addresses
from ...site.shipped import MARKDOWN_EXTENSIONS

TEMPLATES = Path(__file__).parent / "templates"
"""`material/`: the feed link, the escaped title, the shared fragments and the search
dialog's name; `other/`: the feed link and the escaped title, for MkDocs' own themes."""

STYLESHEET, SCRIPT = addresses.STYLESHEET, addresses.SCRIPT


def add(config: MkDocsConfig, prefix: str) -> None:
    """Everything the register's pages need, into `config` (its own settings kept)."""
    add_assets(config, prefix)
    add_extensions(config)
    add_templates(config)


def add_assets(config: MkDocsConfig, prefix: str) -> None:
    """The register's stylesheet and script on every page, once."""
    if prefix + STYLESHEET not in [str(path) for path in config.extra_css]:
        config.extra_css.append(prefix + STYLESHEET)
    if prefix + SCRIPT not in [str(script) for script in config.extra_javascript]:
        config.extra_javascript.append(prefix + SCRIPT)


def add_extensions(config: MkDocsConfig) -> None:
    """The Markdown extensions the shipped pages use, where the site has not listed them
    (a site's own settings for one it lists are left as they are)."""
    for name, options in MARKDOWN_EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
            if options:
                config.mdx_configs.setdefault(name, dict(options))


def add_templates(config: MkDocsConfig) -> None:
    """The register's templates, after the site's `custom_dir` and before the theme's."""
    theme = config.theme
    folder = str(TEMPLATES / ("material" if theme.name == "material" else "other"))
    if folder in theme.dirs:
        return
    custom = getattr(theme, "custom_dir", None)
    theme.dirs.insert(1 if custom else 0, folder)
