"""The Zensical side: the site from the same mkdocs.yml, built by Zensical.

Zensical reads mkdocs.yml but has no plugin API, so the `csi` plugin never runs there.
Instead, before each build, this module writes a project of its own into a work folder
(`build/zensical/` beside mkdocs.yml, outside `docs/` and ignored by git):

- `docs/`: the hand-written pages, copied, and the generated tree (`site/generate.py`: a
  one-line source per generated page, charts, exports, feed, assets);
- `pages/`: each generated page's HTML and outline, which `markdown.py` hands to
  Zensical's Markdown step untouched (with macro output and the raise form);
- `overrides/`: the theme changes Zensical needs (the feed link; the site's name escaped
  exactly once, see `theme_overrides`), and a stylesheet for colours of its theme that are
  too light for small text;
- `mkdocs.yml`: the project's, pointed at these folders, with the macros module
  `macros.py` and the Markdown extension.

Only changed files are written, so Zensical's own cache and watcher see only real changes,
and the chart cache stays where the csi plugin keeps it (outside what `zensical build
--clean` deletes). On a large register the pages are made and written by forked workers
(`generate.write_parts`). Zensical then builds the work folder in this process, so the
macros find the register already loaded; it builds only inside its project, so the site
it built then trades places with the site folder asked for (`publish`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from ... import i18n
from ...register.errors import CsiError, RegisterError
from ...readings.facts import Register, load_register
from ...site.generate import (GENERATOR, SOURCES, chart_cache, clear, mirror, site_name,
                              source_tree, write_parts, write_tree)
from ...register.load import register_dir
from .config import (THEME_CSS_PATH, CsiOptions, csi_options, lists_macros, read_config,
                     zensical_config)
from ...site import addresses, navigation, shipped
from ...site.charts.base import use_project_style
from ...site.macros import MACRO_NAMES, VARIABLE_NAMES
from ...site.pages import Site, SiteContext, site_parts
from ...site.text import escape

log = logging.getLogger("csi.zensical")

WORK_DIR = "build/zensical"
"""Where the Zensical project is written, relative to mkdocs.yml."""

KNOWN_GOOD = ("0.0.73",)
"""The Zensical versions this adapter is tested with (see README.md)."""


@dataclass
class BuildState:
    """What the macros module and the Markdown extension need, for the build in progress."""

    register: Register
    language: str
    register_path: str
    prefix: str = ""


STATE: BuildState | None = None
"""Set by `prepare`; read by `macros` and `markdown` in this process."""


def work_dir(config_file: Path) -> Path:
    """The work folder: CSI_ZENSICAL_DIR (a build of its own, for CI and tests), else
    `WORK_DIR` beside mkdocs.yml."""
    chosen = os.environ.get("CSI_ZENSICAL_DIR")
    return Path(chosen).resolve() if chosen else config_file.resolve().parent / WORK_DIR


@dataclass
class Project:
    """Where a project's parts are, from its mkdocs.yml, as the csi plugin finds them."""

    config_file: Path
    config: dict[str, Any]
    options: CsiOptions
    register: Path
    docs: Path
    work: Path
    chart_cache: Path
    prefix: str = ""

    @classmethod
    def of(cls, config_file: Path) -> Project:
        config_file = config_file.resolve()
        config = read_config(config_file)
        options = csi_options(config)
        folder = config_file.parent
        try:
            prefix = addresses.prefix_folder(options.prefix)
        except ValueError as error:
            raise CsiError(f"{config_file.name}: plugins.csi.prefix: {error}") from None
        return cls(config_file, config, options, register_dir(folder, options.register_dir),
                   folder / str(config.get("docs_dir", "docs")), work_dir(config_file),
                   chart_cache(folder, options.chart_cache), prefix)

    def site_dir(self, chosen: Path | None) -> Path:
        """The site folder: `chosen` (-d) or mkdocs.yml's `site_dir`, resolved, if the
        build may make it the site and nothing else (`check_site_dir`)."""
        site_dir = chosen or self.config_file.parent / str(self.config.get("site_dir", "site"))
        return check_site_dir(site_dir, keep=[self.config_file, self.docs, self.register,
                                              self.work, self.chart_cache],
                              outside=[self.docs, self.work])


def prepare(config_file: Path, found: Project | None = None) -> Path:
    """Write the Zensical project for mkdocs.yml at `config_file` (read already: `found`)
    into its work folder; returns the work folder's mkdocs.yml. Raises `CsiError` with a
    clear message."""
    global STATE
    from ...site.charts import start_charts  # the drawing code loads when a build needs it
    found = found or Project.of(config_file)
    config, root, work = found.config, found.register, found.work
    project = found.config_file.parent
    prefix = found.prefix
    use_project_style(project)
    chosen = _language(found)
    with i18n.using(chosen):
        register = load_register(root)
        name = site_name(register.organisation.organisation, str(config.get("site_name", "")))
        context = SiteContext(repo_url=config.get("repo_url"), edit_uri=config.get("edit_uri"),
                              register_path=_relative(root, project),
                              site_url=addresses.register_url(config.get("site_url"), prefix),
                              priority_formula=found.options.priority_formula)
        # Written as they are made, a part at a time (shared among the cores on a large
        # register), so that the whole generated site is never held at once.
        generated = write_parts(work, site_parts(Site(register, context)), prefix)
        # The charts are drawn in the build's language, as the pages are.
        charts, stats = start_charts(register, found.chart_cache).finish()
        # `name` is escaped already: the feed's title is escaped once, as a whole.
        feed_title = escape(i18n.gettext("{site}: changes")).format(site=name)
    log.info("Charts: %s", stats.summary())
    tree = source_tree(dict(charts), prefix)
    own = hand_written_sources(found.docs, set(generated.paths))
    if not lists_macros(config):
        check_macro_calls(own)
    sources, foreign = shipped_sources(chosen.code, set(own), prefix)
    tree.update(sources)
    tree.update(own)
    tree.update(theme_overrides(prefix))
    stamp_macro_pages(tree, _macro_inputs(root, register, chosen.code, prefix, context))
    STATE = BuildState(register, chosen.code, _relative(root, project), prefix)
    derived = zensical_config(config, name, feed_title, work, project, prefix)
    if derived.get("nav") is None:
        derived["nav"] = _site_nav(own, prefix, {
            path: shipped.language_note(item, chosen.code) for path, item in foreign.items()
            if navigation.is_help(item.path)})
    elif not navigation.lists_register(derived["nav"], prefix):
        log.info("The site's nav: leaves out the register's pages; to list them, add these "
                 "lines under nav: in mkdocs.yml (see the publishing help):\n%s",
                 navigation.nav_lines(prefix))
    tree["mkdocs.yml"] = yaml.safe_dump(derived, allow_unicode=True,
                                        sort_keys=False).encode("utf-8")
    write_stats = write_tree(work, tree, generated)
    log.info("Zensical sources in %s: %s", work, write_stats.summary())
    return work / "mkdocs.yml"


def _macro_inputs(root: Path, register: Register, language: str, prefix: str,
                  context: SiteContext) -> str:
    """A digest of what the register's macros read: the register's files, the build date,
    the language, the prefix, the site's links and the package."""
    digest = hashlib.sha256(f"{GENERATOR} {register.today} {language} {prefix} "
                            f"{context!r}".encode("utf-8"))
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stamp_macro_pages(tree: dict[str, bytes], inputs: str) -> None:
    """Zensical keeps a page's HTML while its source is unchanged, but a page that calls the
    register's macros changes when the register does: such a page's source carries a comment
    with the digest of the macros' inputs, so that it changes with them."""
    stamp = f"\n<!-- csi: the register's macros read {inputs} -->\n".encode("utf-8")
    for path, content in tree.items():
        if path.startswith(SOURCES) and path.endswith(".md") and shipped.macro_calls(
                content.decode("utf-8"), MACRO_NAMES + VARIABLE_NAMES):
            tree[path] = content + stamp


def _language(found: Project) -> i18n.Language:
    """The site's language, as the plugin chooses it: the csi plugin's `language` (which
    must be a known one), else the theme's, else English."""
    configured = found.options.language
    language = configured or (found.config.get("theme") or {}).get("language") or "en"
    try:
        return i18n.language(language)
    except ValueError as error:
        if configured:
            raise CsiError(f"{found.config_file.name}: plugins.csi.language: {error}") from None
        return i18n.language(i18n.SOURCE_LANGUAGE)


def shipped_sources(language: str, own: set[str], prefix: str
                    ) -> tuple[dict[str, bytes], dict[str, shipped.ShippedFile]]:
    """The pages the package ships, by their place in the work folder, but those the
    site's `docs/` has a page of its own for (`own`: the work folder's hand-written files);
    and those of them in another language than the site's, by their path under `docs/`."""
    hand_written = {path[len(SOURCES):] for path in own}
    sources, replaced = {}, []
    if language.split("_")[0] not in shipped.languages():
        log.info("Language %s: the package has no pages in it; the shipped pages are English",
                 language)
    found = shipped.shipped_files(language)
    other = shipped.foreign(found, language)
    foreign = {}
    for item in found:
        mine = shipped.replaced_by(prefix + item.path, hand_written)
        if mine is not None:
            replaced.append(f"docs/{mine}")
            continue
        if item.path in other:
            foreign[prefix + item.path] = item
            sources[SOURCES + prefix + item.path] = shipped.in_its_language(
                item.content.decode("utf-8"), item).encode("utf-8")
        else:
            sources[SOURCES + prefix + item.path] = item.content
    if replaced:
        log.info("The site's own pages replace the shipped ones: %s", ", ".join(replaced))
    return sources, foreign


def check_macro_calls(own: dict[str, bytes]) -> None:
    """A hand-written page that calls the register's macros needs the macros plugin."""
    for path, content in sorted(own.items()):
        if path.endswith(".md"):
            text = content.decode("utf-8", errors="replace")
            calls = shipped.macro_calls(text, MACRO_NAMES + VARIABLE_NAMES)
            if calls:
                raise CsiError(shipped.no_macros_plugin("docs/" + path[len(SOURCES):], calls))


def _site_nav(own: dict[str, bytes], prefix: str, titles: dict[str, str]) -> list[Any]:
    """A site without `nav:`: its own pages (`own`: the hand-written files), then the
    register's sections (`titles`: of the pages in another language)."""
    ours = set(navigation.nav_pages(navigation.register_nav(prefix)))
    pages = sorted(path[len(SOURCES):] for path in own if path.endswith(".md"))
    return navigation.site_nav(navigation.nest_paths(path for path in pages if path not in ours),
                               prefix, titles)


def check_site_dir(site_dir: Path, *, keep: Iterable[Path], outside: Iterable[Path]) -> Path:
    """The site folder, resolved, if a build may make it the site and nothing else: a
    folder (or nothing yet) that holds none of `keep` (the project's own files and
    folders) and lies in none of `outside` (where the pages' sources are)."""
    if site_dir.is_symlink() or (site_dir.exists() and not site_dir.is_dir()):
        raise CsiError(f"{site_dir} is not a folder: the site cannot be written there")
    site_dir = site_dir.resolve()
    for kept in keep:
        kept = kept.resolve()
        if kept == site_dir or kept.is_relative_to(site_dir):
            raise CsiError(f"site folder {site_dir}: it holds {kept}, and a build replaces "
                           "everything in the site folder; choose another one (-d)")
    for sources in outside:
        if site_dir.is_relative_to(sources.resolve()):
            raise CsiError(f"site folder {site_dir}: it lies in {sources}, which holds the "
                           "site's sources; choose another one (-d)")
    return site_dir


def hand_written_sources(docs: Path, generated: set[str]) -> dict[str, bytes]:
    """The hand-written pages and files, by their place in the work folder; none may be
    a page the register generates (`generated`: the work folder's generated files)."""
    sources = {}
    for relative, content in hand_written(docs):
        if SOURCES + relative in generated or SOURCES + relative[:-3] + "/index.md" in generated:
            raise CsiError(f"{docs.name}/{relative} is generated from the register; "
                           "remove the hand-written file")
        sources[SOURCES + relative] = content
    return sources


def hand_written(docs: Path) -> Iterable[tuple[str, bytes]]:
    """Every file under the hand-written `docs/` folder, by its path there."""
    if not docs.is_dir():
        raise CsiError(f"docs folder not found: {docs}")
    for path in sorted(docs.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(docs).parts):
            yield path.relative_to(docs).as_posix(), path.read_bytes()


MAIN_HTML = """{#- Written by csi_macros/engines/zensical/project.py: the package named in every page's
    generator tag, after Zensical; the Atom feed of the register's changes, announced on
    every page so that browsers and feed readers find it. -#}
{% extends "base.html" %}
{% block site_meta %}
  {{ super() | replace('content="' ~ generator ~ '"', 'content="' ~ generator ~ ', GENERATOR"') }}
{% endblock %}
{% block extrahead %}
  {{ super() }}
  <link rel="alternate" type="application/atom+xml" title="{{ config.extra.csi_feed_title }}" href="{{ config.extra.csi_feed_path | url }}">
{% endblock %}
"""


THEME_CSS = """/* Written by csi_macros/zensical_site.py: Zensical's theme draws a few things in colours
   too light for small text (WCAG AA, 4.5:1) with the indigo palette; these take the colours
   that pass. */

/* The current page in the navigation: the accent on a tint of itself (3.75:1). */
.md-nav .md-nav__link.md-nav__link--active { color: var(--md-typeset-a-color); }
[data-md-color-scheme="slate"] .md-nav .md-nav__link.md-nav__link--active { color: var(--md-default-fg-color); }

/* Outlined buttons in the dark scheme (4.36:1): the filters' "Show all", the raise form's. */
[data-md-color-scheme="slate"] .md-typeset .md-button:not(.md-button--primary) {
  color: var(--md-default-fg-color);
}
"""


def theme_overrides(prefix: str = "") -> dict[str, bytes]:
    """The theme's changes for Zensical, by path in the work folder.

    Zensical's header and nav print `config.site_name` as it is in some places and through
    `e` in others, and its templates do not autoescape: the name is written escaped once
    into the settings, and those partials, read from the installed Zensical, lose their `e`
    on it, so that it is escaped exactly once everywhere. Zensical's own search partial is
    kept (the project's override is Material's, which Zensical's search does not start with)."""
    import zensical
    templates = Path(zensical.__file__).parent / "templates" / "partials"
    files = {"overrides/main.html": MAIN_HTML.replace("GENERATOR", GENERATOR).encode("utf-8"),
             SOURCES + prefix + THEME_CSS_PATH: THEME_CSS.encode("utf-8")}
    for partial in ("header.html", "nav.html"):
        text = (templates / partial).read_text(encoding="utf-8")
        files[f"overrides/partials/{partial}"] = text.replace(
            "config.site_name | e", "config.site_name").encode("utf-8")
    return files


def build(config_file: Path, site_dir: Path | None = None, *, strict: bool = False) -> None:
    """Build the site with Zensical into `site_dir` (default: mkdocs.yml's `site_dir`)."""
    import zensical
    found = Project.of(config_file)
    target = found.site_dir(site_dir)
    work_config = prepare(config_file, found)
    zensical.build(str(work_config), {"strict": strict, "clean": False})
    publish(work_config.parent / "site", target)


def publish(built: Path, target: Path) -> None:
    """Make `target` the built site. Zensical builds only inside its project (the work
    folder) and empties its site folder before each build, so the site it built and the
    one in `target` trade places: three renames, whatever the site's size. Where they
    cannot (another file system, a mount point), `target` becomes a copy, written only
    where its content differs."""
    spare = built.with_name(built.name + ".previous")
    clear(spare)
    try:
        _move(built, target, spare)
    except OSError:
        log.info("Site in %s: %s", target, mirror(built, target).summary())
        return
    if spare.exists():
        try:
            os.rename(spare, built)  # the old site: Zensical empties it at its next build
        except OSError:
            shutil.rmtree(spare, ignore_errors=True)
    log.info("Site in %s", target)


def _move(built: Path, target: Path, spare: Path) -> None:
    """Put `built` in the place of `target`, and what `target` held in `spare`; on an
    error, everything stays where it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.rename(target, spare)
    try:
        os.rename(built, target)
    except OSError:
        if spare.exists():
            os.rename(spare, target)
        raise


def serve(config_file: Path, dev_addr: str | None = None) -> None:
    """Preview the site with Zensical; the sources are written again whenever anything in
    the register or the hand-written pages changes, and Zensical rebuilds what changed."""
    import zensical
    work_config = prepare(config_file)
    config = read_config(config_file)
    project = config_file.resolve().parent
    watched = [register_dir(project, csi_options(config).register_dir),
               project / str(config.get("docs_dir", "docs"))]
    watcher = threading.Thread(target=watch, args=(watched, lambda: _rewrite(config_file)),
                               daemon=True)
    watcher.start()
    options: dict[str, Any] = {"open": False, "strict": False}
    if dev_addr:
        options["dev_addr"] = dev_addr
    zensical.serve(str(work_config), options)


def _rewrite(config_file: Path) -> None:
    try:
        prepare(config_file)
    except (CsiError, RegisterError) as error:
        log.error("%s", error)


def watch(folders: list[Path], changed: Callable[[], None], interval: float = 1.0,
          stop: threading.Event | None = None) -> None:
    """Call `changed` whenever a file under `folders` is added, removed or modified
    (polled every `interval` seconds: no extra dependency, and fast enough for a preview)."""
    stop = stop or threading.Event()
    seen = snapshot(folders)
    while not stop.wait(interval):
        now = snapshot(folders)
        if now != seen:
            seen = now
            changed()


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                info = path.stat()
            except OSError:
                continue
            found[str(path)] = (info.st_mtime_ns, info.st_size)
    return found


def _relative(root: Path, project: Path) -> str:
    try:
        return root.resolve().relative_to(project).as_posix()
    except ValueError:
        return ""
