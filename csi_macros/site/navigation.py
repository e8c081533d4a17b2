"""The register's sections in a site's navigation, in the model's order.

A site without `nav:` gets its own pages first (as the engine would list them) and then the
register's: home, playbook, principles, objectives, register, metrics, services, help, all
under the prefix's folder when there is one. A site with `nav:` keeps it; `nav_lines` are
the lines to add to it, and `lists_register` tells whether it already does.

Entries are in MkDocs' `nav:` form (a page path, or `{title: page}`, or `{title: [...]}`),
which Zensical reads too. Pages without a title here take their own heading, in the page's
language.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import yaml

from ..i18n import N_, _
from ..register.model import PRINCIPLES
from .addresses import prefix_folder as folder

STEP_PAGES = ("vision", "current-state", "target-state", "plan", "action", "review", "momentum")
PLAYBOOK_EXTRA = ("verdicts", "git-workflow", "roles")
HELP_PAGES = ("editing", "importing", "raise", "publishing", "security")

SECTIONS = (N_("Home"), N_("Playbook"), N_("Principles"), N_("Objectives"), N_("Register"),
            N_("Metrics"), N_("Services"), N_("Help"))
SHORT_TITLES = {"measurement": N_("Measurement"), "dimensions": N_("Dimensions"), "tags": N_("Tags")}
"""Pages whose heading is longer than the navigation has room for."""


def register_nav(prefix: str = "", titles: Mapping[str, str] | None = None) -> list[Any]:
    """The register's sections, each page by its source path under the prefix; pages in
    `titles` (by that path) with the title given there."""
    at = folder(prefix)
    named = dict(titles or {})
    home, playbook, principles, objectives, register, metrics, services, help_ = map(_, SECTIONS)
    sections = [
        {home: f"{at}index.md"},
        {playbook: [f"{at}playbook/index.md",
                    *(f"{at}playbook/{page}.md" for page in STEP_PAGES),
                    {_(SHORT_TITLES["measurement"]): f"{at}playbook/measurement.md"},
                    *(f"{at}playbook/{page}.md" for page in PLAYBOOK_EXTRA)]},
        {principles: [f"{at}principles/index.md",
                      *(f"{at}principles/{page}.md" for page in PRINCIPLES)]},
        {objectives: f"{at}objectives/index.md"},
        {register: [f"{at}register/index.md",
                    *({_(SHORT_TITLES[page]): f"{at}{page}/index.md"} for page in ("dimensions", "tags"))]},
        {metrics: f"{at}metrics/index.md"},
        {services: f"{at}services/index.md"},
        {help_: [f"{at}{page}.md" for page in HELP_PAGES]},
    ]
    return [_titled(section, named) for section in sections] if named else sections


def _titled(entry: Any, titles: Mapping[str, str]) -> Any:
    """`entry` with the pages of `titles` named so; a page that has a title here keeps it."""
    if isinstance(entry, str):
        return {titles[entry]: entry} if entry in titles else entry
    if isinstance(entry, list):
        return [_titled(item, titles) for item in entry]
    return {title: value if isinstance(value, str) else _titled(value, titles)
            for title, value in entry.items()}


def is_help(path: str) -> bool:
    """Whether a shipped page (by its path below the register's root) is a help page."""
    return path[:-len(".md")] in HELP_PAGES


def site_nav(own: list[Any], prefix: str = "",
             titles: Mapping[str, str] | None = None) -> list[Any]:
    """The whole navigation of a site without `nav:`: its own pages (`own`, as the engine
    nests them) and then the register's, in a section named after the prefix when there
    is one (`titles`: as for `register_nav`)."""
    sections = register_nav(prefix, titles)
    if not folder(prefix):
        return [*own, *sections]
    title = prefix.strip("/").split("/")[-1].replace("-", " ").replace("_", " ").capitalize()
    return [*own, {title: sections}]


def nest_paths(paths: Iterable[str]) -> list[Any]:
    """A site's own pages as an engine lists them without `nav:`: by folder, each folder's
    `index.md` first and the rest by name, a folder as a section titled from its name."""
    tree: dict[str, Any] = {}
    for path in paths:
        *folders, _name = path.split("/")
        node = tree
        for name in folders:
            node = node.setdefault(name + "/", {})
        node[path] = None
    return _entries(tree)


def _entries(tree: dict[str, Any]) -> list[Any]:
    def order(key: str) -> tuple[int, int, str]:
        is_folder = key.endswith("/")
        is_index = not is_folder and key.rsplit("/", 1)[-1] in ("index.md", "README.md")
        return (0 if is_index else 1, 1 if is_folder else 0, key.lower())
    entries: list[Any] = []
    for key in sorted(tree, key=order):
        if key.endswith("/"):
            title = key[:-1].replace("-", " ").replace("_", " ").capitalize()
            entries.append({title: _entries(tree[key])})
        else:
            entries.append(key)
    return entries


def nav_pages(nav: Any) -> Iterable[str]:
    """Every page path a `nav:` names."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for entry in nav:
            yield from nav_pages(entry)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_pages(value)


def lists_register(nav: Any, prefix: str = "") -> bool:
    """Whether a site's `nav:` names the register's own table page."""
    return f"{folder(prefix)}register/index.md" in set(nav_pages(nav))


def nav_lines(prefix: str = "") -> str:
    """The register's sections as the lines to add under a site's `nav:`."""
    return yaml.safe_dump(register_nav(prefix), allow_unicode=True, sort_keys=False,
                          default_flow_style=False)
