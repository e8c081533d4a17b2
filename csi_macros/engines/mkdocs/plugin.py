"""The MkDocs side: the `csi` plugin, which brings everything the register needs.

Events stay thin. `on_config` sets the build's language (`i18n`: the csi plugin's
`language`, else `theme.language`; `on_post_build` puts English back), loads and validates
the register once per build, hands macros to mkdocs-macros when the site lists it, and adds
what the register's pages need to the site's settings (`requirements`: the stylesheet and
script, the Markdown extensions, the theme's templates); `on_files` adds the shipped pages
(`site/shipped.py`: a hand-written page at the same place wins) and the generated pages and
data files (`site/generate.py`, shared with the Zensical adapter), all under the `prefix`,
which live in memory only, lays out the navigation of a site without `nav:`
(`site/navigation.py`), and starts drawing the charts that are not in the cache, beside the
rest of the build (`on_post_build` writes them into the site: pages point at them from
HTML, which MkDocs does not check); `on_page_markdown`
gives generated pages their HTML (they never pass through Markdown or Jinja), renders the
shipped pages' macros when the site does not list mkdocs-macros, and
`on_page_content` puts macro output (and the raise form) back into hand-written pages; `on_page_context` hands the search index a lighter view of each
page; `on_nav` and `on_env` give the theme its cache of shared fragments (`fragments.py`);
`on_post_page` drops the theme's indentation; `on_serve` watches the register folder.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from markupsafe import Markup
from mkdocs.structure.toc import get_toc

from ... import i18n
from .compact import compact_html
from ...register.errors import CsiError, RegisterError
from ...readings.facts import Register, load_register
from .fragments import SharedFragments
from ...site.charts.base import use_project_style
from ...site.generate import chart_cache, generate, with_generator
from ...site.generate import site_name as generate_site_name
from ...register.ids import next_id
from ...register.load import register_dir
from ...site.macros import Stash, page_macros, page_variables
from ...site.pages import Page, SiteContext
from ...site import addresses, navigation, shipped
from ...site.macros import MACRO_NAMES, VARIABLE_NAMES
from . import requirements
from ...site.pages.raise_form import MARK as RAISE_FORM_MARK
from ...site.pages.raise_form import raise_form
from ...site.text import escape
from .search import search_view

log = logging.getLogger("mkdocs.plugins.csi")


class CsiConfig(Config):
    # Where the register lives; CSI_REGISTER_DIR overrides it.
    register_dir = c.Type(str, default="register")
    # Rendered charts are kept here between builds, keyed by what they draw.
    chart_cache = c.Type(str, default=".cache/csi-charts")
    # The open priority score: a Python-free formula over value, effort and priority weights.
    priority_formula = c.Type(str, default="value / effort")
    # The language of the generated texts, numbers and dates; default: theme.language.
    language = c.Optional(c.Type(str))
    # The folder every page the register makes or ships goes under ("" : the site's root).
    prefix = c.Type(str, default="")


class CsiPlugin(BasePlugin[CsiConfig]):
    """Publishes the continual improvement register."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.register: Register | None = None
        self.root: Path | None = None
        self.pages: dict[str, Page] = {}
        self.stash: Stash | None = None
        self.full_content = ""
        self.language_token: object | None = None
        self.shared = SharedFragments()
        self.charts: Any = None  # charts.PendingCharts, from on_files to on_post_build
        self.prefix = ""
        self.shipped: dict[str, shipped.ShippedFile] = {}
        self.macros: dict[str, Any] = {}
        self.variables: dict[str, str] = {}
        self.macros_listed = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load the register once per build (and per rebuild under `mkdocs serve`)."""
        config_dir = Path(config.config_file_path or ".").resolve().parent
        self.root = register_dir(config_dir, self.config.register_dir)
        try:
            self.prefix = addresses.prefix_folder(self.config.prefix)
        except ValueError as error:
            raise PluginError(f"mkdocs.yml: plugins.csi.prefix: {error}") from None
        use_project_style(config_dir)
        self._activate_language(config)
        try:
            self.register = load_register(self.root)
        except RegisterError as error:
            raise PluginError(str(error)) from None
        if not self.prefix:
            # The register is the site: its name carries the organisation's. Under a
            # prefix the register joins a site of its own, whose name stays as it is.
            config.site_name = site_name(self.register.organisation.organisation,
                                         config.site_name)
        requirements.add(config, self.prefix)
        self.stash = Stash()
        self.macros = page_macros(self.register, self.stash, prefix=self.prefix)
        self.variables = page_variables(self.register)
        macros = config.plugins.get("macros")
        self.macros_listed = macros is not None
        if macros is not None:
            macros.register_macros(self.macros)
            macros.register_variables(self.variables)
        return config

    def _activate_language(self, config: MkDocsConfig) -> None:
        """The build speaks the csi plugin's `language`, else Material's `theme.language`;
        every event of this build runs in the thread that ran `on_config`."""
        self._deactivate_language()
        code = self.config.language or config.theme.get("language") or i18n.SOURCE_LANGUAGE
        try:
            self.language_token = i18n.activate(code)
        except ValueError as error:
            if self.config.language:
                raise PluginError(f"mkdocs.yml: plugins.csi.language: {error}") from None
            # A theme language Babel does not know: the theme still has it, our texts and
            # numbers stay English (info, not a warning: `--strict` must still pass).
            log.info("Language %s: no number and date conventions for it; the generated "
                     "texts stay English", code)
            self.language_token = i18n.activate(i18n.SOURCE_LANGUAGE)
        lacking = i18n.active().missing + i18n.active().fuzzy
        if lacking:
            # Info, not a warning: `mkdocs build --strict` must not fail for a missing text.
            log.info("Language %s: %d texts have no translation and show in English; "
                     "`csi translations check --language %s` lists them",
                     i18n.active().code, len(lacking), i18n.active().code)

    def _deactivate_language(self) -> None:
        if self.language_token is not None:
            try:
                i18n.deactivate(self.language_token)
            except ValueError:  # set in another thread's context: nothing to undo here
                pass
            self.language_token = None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The charts into the site (drawn in the build's language), then English back."""
        try:
            if self.charts is not None:
                self._write_charts(Path(config.site_dir))
        finally:
            self.charts = None
            self._deactivate_language()

    def on_build_error(self, *, error: Exception) -> None:
        if self.charts is not None:
            self.charts.cancel()
            self.charts = None
        self._deactivate_language()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add every generated page, data file and chart; none is written into `docs/`."""
        assert self.register is not None and self.root is not None
        context = SiteContext(repo_url=config.repo_url, edit_uri=config.edit_uri,
                              register_path=_relative(self.root, config),
                              site_url=addresses.register_url(config.site_url, self.prefix),
                              priority_formula=self.config.priority_formula)
        try:
            built = generate(self.register, context, self._chart_cache(config),
                             background=True)
        except CsiError as error:
            raise PluginError(str(error)) from None
        self.charts = built.charts
        at = self.prefix
        for src_uri in self.charts.paths:
            if files.get_file_from_path(at + src_uri) is not None:
                raise PluginError(f"docs/{at}{src_uri} is generated from the register; "
                                  "remove the hand-written file")
        own = [file.src_uri for file in files.documentation_pages()]
        self._add_shipped(files, config)
        generated = {at + src: content for src, content in built.files.items()}
        self.pages = {src: content for src, content in generated.items() if isinstance(content, Page)}
        for src_uri, content in sorted(generated.items()):
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                raise PluginError(f"docs/{src_uri} is generated from the register; "
                                  "remove the hand-written file")
            # Record pages stay out of the nav: a nav of every record inside every page
            # would make the site grow with the square of the register.
            # A generated page's source is empty: its HTML takes the Markdown's place later.
            source = "" if isinstance(content, Page) else content
            files.append(File.generated(config, src_uri, content=source,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        self._lay_out_nav(config, own)
        return files

    def _add_shipped(self, files: Files, config: MkDocsConfig) -> None:
        """The pages the package ships, in the site's language, but where `docs/` has a
        page of its own at the same place (it wins, as a theme override does)."""
        self.shipped = {}
        hand_written = {file.src_uri for file in files}
        replaced = []
        language = i18n.active().code
        found = shipped.shipped_files(language)
        other = shipped.foreign(found, language)
        if language.split("_")[0] not in shipped.languages():
            log.info("Language %s: the package has no pages in it; the shipped pages are "
                     "English", language)
        for item in found:
            src_uri = self.prefix + item.path
            own = shipped.replaced_by(src_uri, hand_written)
            if own is not None:
                replaced.append(f"docs/{own}")
                continue
            self.shipped[src_uri] = item
            content: str | bytes = item.content
            if item.path in other:
                content = shipped.in_its_language(item.content.decode("utf-8"), item)
            files.append(File.generated(config, src_uri, content=content,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        if replaced:
            log.info("The site's own pages replace the shipped ones: %s", ", ".join(replaced))

    def _lay_out_nav(self, config: MkDocsConfig, own: list[str]) -> None:
        """A site without `nav:`: its own pages, then the register's sections. A site with
        one: a hint, once, when it leaves the register out."""
        if config.nav is None:
            ours = set(navigation.nav_pages(navigation.register_nav(self.prefix)))
            language = i18n.active().code
            other = shipped.foreign(self.shipped.values(), language)
            titles = {src_uri: shipped.language_note(item, language)
                      for src_uri, item in self.shipped.items()
                      if item.path in other and navigation.is_help(item.path)}
            config.nav = navigation.site_nav(
                navigation.nest_paths(path for path in own if path not in ours), self.prefix,
                titles)
        elif not navigation.lists_register(config.nav, self.prefix):
            log.info("The site's nav: leaves out the register's pages; to list them, add "
                     "these lines under nav: in mkdocs.yml (see the publishing help):\n%s",
                     navigation.nav_lines(self.prefix))

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig,
                         files: Files) -> str:
        """Give a generated page its title, settings and HTML: MkDocs' Markdown step, which
        would make a Markdown converter for a page with nothing to convert, is skipped."""
        # Taken out, not looked up: once placed, the page's parts are not kept twice.
        generated = self.pages.pop(page.file.src_uri, None)
        if generated is None:
            return self._hand_written(markdown, page)
        # Material writes the title into the page as it is: it must be HTML already.
        page.meta["title"] = escape(generated.title)
        if generated.hide:
            page.meta["hide"] = list(generated.hide)
        if not generated.searchable:
            page.meta["search"] = {"exclude": True}
        page.render = functools.partial(_place, page, generated)  # type: ignore[method-assign]
        return ""

    def _hand_written(self, markdown: str, page: MkDocsPage) -> str:
        """A shipped page with its macros made, when mkdocs-macros does not make them; a
        page of the site's that calls them without mkdocs-macros stops the build."""
        if self.macros_listed:
            return markdown
        src_uri = page.file.src_uri
        if src_uri in self.shipped:
            if not page.meta.get("render_macros"):
                return markdown
            try:
                return shipped.render(markdown, self.macros, self.variables, page,
                                      f"shipped page {src_uri}")
            except CsiError as error:
                raise PluginError(str(error)) from None
        calls = shipped.macro_calls(page.file.content_string, MACRO_NAMES + VARIABLE_NAMES)
        if calls:
            raise PluginError(shipped.no_macros_plugin(f"docs/{src_uri}", calls))
        return markdown

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig,
                        files: Files) -> str:
        """Macro output back into a hand-written page, now that Markdown is done, and the
        "Raise an improvement" form, in the site's language, where the page asks for it."""
        if RAISE_FORM_MARK in html and self.root is not None:
            published = self.register.improvements if self.register is not None else ()
            form = raise_form(addresses.page_base(page.url) + self.prefix,
                              _relative(self.root, config),
                              next_id(improvement.id for improvement in published))
            html = html.replace(RAISE_FORM_MARK, form)
        return self.stash.restore(html) if self.stash is not None else html

    @event_priority(100)
    def _search_view(self, context: Any, *, page: MkDocsPage, config: MkDocsConfig,
                     nav: Any) -> Any:
        """Before the search plugin indexes `page.content`: the same words, less markup."""
        self.full_content = page.content or ""
        page.content = search_view(self.full_content)
        return context

    @event_priority(-100)
    def _whole_page(self, context: Any, *, page: MkDocsPage, config: MkDocsConfig,
                    nav: Any) -> Any:
        """After it: the whole page again, for the theme."""
        page.content = self.full_content
        return context

    on_page_context = CombinedEvent(_search_view, _whole_page)

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        """The page without the theme's indentation (see `compact.py`), the package named in
        its generator tag; its content let go.

        MkDocs keeps every page's content until the build ends, though nothing reads it
        once the page is written (the search index has its words, the anchor check its
        ids): on 10,000 improvements that is a tenth of the build's memory."""
        page.content = None
        return with_generator(compact_html(output))

    def on_post_template(self, output_content: str, *, template_name: str,
                         config: MkDocsConfig) -> str:
        """The theme's own pages (404.html) name the package in their generator tag too."""
        return with_generator(output_content)

    def _chart_cache(self, config: MkDocsConfig) -> Path:
        return chart_cache(Path(config.config_file_path or ".").resolve().parent,
                           self.config.chart_cache)

    def _write_charts(self, site_dir: Path) -> None:
        try:
            svgs, stats = self.charts.finish()
            for path, svg in svgs.items():  # one at a time: cached charts are read here
                target = site_dir / (self.prefix + path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(svg)
        except CsiError as error:
            raise PluginError(str(error)) from None
        # Under `mkdocs serve` this says what an edit cost: only the charts that draw it.
        log.info("Charts: %s", stats.summary())

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """A new build: the theme's shared fragments are rendered afresh."""
        self.shared.reset(page.url for page in nav.pages)
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """What the theme's templates (`overrides/`) say in the site's language, and the
        cache of the fragments they share."""
        # The site's name is escaped already: the title is escaped once, as a whole.
        env.globals["csi_feed_title"] = Markup(escape(i18n.gettext("{site}: changes")).format(
            site=config.site_name))
        env.globals["csi_shared"] = self.shared
        env.globals["csi_feed_path"] = self.prefix + "feed.xml"
        return env

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when anything in the register changes."""
        if self.root is not None:
            server.watch(str(self.root))
        return server


def _place(page: MkDocsPage, generated: Page, config: MkDocsConfig, files: Files) -> None:
    """What `Page.render` sets, from a generated page: its HTML, its outline and its anchors
    (for MkDocs' checks of links to them)."""
    page.content = generated.html()
    page.toc = get_toc(generated.toc())
    page.present_anchor_ids = generated.anchors()
    del page.render  # the method of its class again, and the generated page is let go


def site_name(organisation: str, configured: str) -> Markup:
    """The site's name (`generate.site_name`), escaped once.

    The theme prints `site_name` both as it is and through Jinja's `e` filter, and MkDocs'
    Jinja does not autoescape: escaped once and marked as Markup, the name is escaped
    exactly once in both places (`e` leaves Markup as it is)."""
    return Markup(generate_site_name(organisation, configured))


def _relative(root: Path, config: MkDocsConfig) -> str:
    """The register folder relative to the project's, or "" when it lies elsewhere: the
    site then names files relative to the register folder, never by a path of the build
    machine."""
    base = Path(config.config_file_path or ".").resolve().parent
    try:
        return root.relative_to(base).as_posix()
    except ValueError:
        return ""
