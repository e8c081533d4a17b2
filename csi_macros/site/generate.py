"""The generated part of the site, from the register, for any site generator.

One generator, two engines: `generate` produces every generated file (the pages with their
title, outline and settings; the charts; the feed; the exports; the site's own assets),
and each engine's adapter hands them to its engine. MkDocs takes them in memory
(`engines/mkdocs/plugin.py`); Zensical, which has no plugin API, reads them from a folder
(`engines/zensical/project.py`), which `source_tree` lays out and `write_tree` writes (`write_parts`
makes and writes the pages a part at a time, over the machine's cores).

Written to a folder, a generated page is two files: a one-line Markdown source under
`docs/` (its front matter holds the title and settings) and its HTML with its outline
under `pages/`, outside the sources, where no engine scans or publishes them; the engine's
Markdown step hands that HTML on untouched. Each page's source is `X/index.md`, never
`X.md`: engines that rewrite relative links in raw HTML as relative to the source file
then keep every link of the page as it is.

Nothing here imports MkDocs or Zensical.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .. import __version__
from ..readings.facts import Register
from .pages import Page, SiteContext, SitePart, site_files
from ..parallel import fork_each
from .text import escape

if TYPE_CHECKING:
    from .charts import PendingCharts, RenderStats

SOURCES = "docs/"
"""Where `source_tree` puts the Markdown sources and data files (the engine's docs_dir)."""

PAGES = "pages/"
"""Where it puts each page's HTML and outline, outside the sources."""

MARKER = "<!-- csi:generated-page"
"""How the one line of a generated page's Markdown source starts: its HTML takes its place.
The line ends with a digest of the page's HTML and outline, so that the source changes
exactly when the page does (engines that cache pages by their source see every change)."""

MANIFEST = ".csi-manifest.json"
"""What `write_tree` wrote last time, so that it can remove what is no longer produced."""


@dataclass
class Generated:
    """Every generated file but the charts, by its path in the site's sources
    (`register/CSI-0001.md`, `register.csv`): a `Page` for pages, bytes for the rest; and
    the charts (`charts.PendingCharts`: those in the cache read, the others being drawn)."""

    files: dict[str, Page | bytes]
    charts: PendingCharts

    def with_charts(self) -> tuple[dict[str, Page | bytes], RenderStats]:
        """Every generated file, the charts (`charts/status.svg`) drawn; and what drawing
        them took."""
        svgs, stats = self.charts.finish()
        return {**self.files, **svgs}, stats


def generate(register: Register, context: SiteContext, chart_cache: Path | None, *,
             background: bool = False) -> Generated:
    """The whole generated site; charts come from `chart_cache` where what they draw is
    unchanged, and with `background` the others are drawn by worker processes while the
    caller goes on (raises `CsiError` for a bad setting such as the priority formula)."""
    from .charts import start_charts  # the drawing code loads when a build needs it
    files = site_files(register, context)
    return Generated(files, start_charts(register, chart_cache, background=background))


DEFAULT_CHART_CACHE = ".cache/csi-charts"
"""The chart cache, relative to the project (the csi plugin's `chart_cache`)."""


def chart_cache(project: Path, configured: str | None = None) -> Path:
    """Where rendered charts are kept between builds: CSI_CHART_CACHE (CI and benchmarks
    point a build at a cache of their own), else `configured`, relative to `project`."""
    chosen = os.environ.get("CSI_CHART_CACHE") or configured or DEFAULT_CHART_CACHE
    return project / chosen


def site_name(organisation: str, configured: str) -> str:
    """The name in the site's header and in every page's title, escaped once (themes print
    it as HTML): the organisation's, then mkdocs.yml's `site_name` ("Example IT ·
    Continual improvement register"), or mkdocs.yml's alone when it names the
    organisation already."""
    name = configured if organisation in configured else f"{organisation} · {configured}"
    return escape(name)


GENERATOR = f"csi-register-{__version__}"
"""How a page's generator tag names the package, after the engine and the theme it names:
`<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.7.0, csi-register-0.1.0">`."""

GENERATOR_TAG = '<meta name="generator" content="'


def with_generator(html: str) -> str:
    """A built page with the package named in its generator tag, which the theme wrote
    (MkDocs' Material and Zensical both do); a page without one is left as it is."""
    start = html.find(GENERATOR_TAG)
    end = html.find('"', start + len(GENERATOR_TAG)) if start >= 0 else -1
    if end < 0 or GENERATOR in html[start:end]:
        return html
    return f"{html[:end]}, {GENERATOR}{html[end:]}"


def page_source(src: str) -> str:
    """Where a page's Markdown source goes: `register/CSI-0001.md` → `register/CSI-0001/index.md`
    (`index.md` and `register/index.md` stay)."""
    if src == "index.md" or src.endswith("/index.md"):
        return src
    return src[:-len(".md")] + "/index.md"


def front_matter(page: Page) -> str:
    """The page's settings as YAML front matter (JSON is YAML): the title escaped once,
    since themes print it as HTML, the side bars it goes without, and whether search
    indexes it."""
    meta: dict[str, object] = {"title": escape(page.title)}
    if page.hide:
        meta["hide"] = list(page.hide)
    if not page.searchable:
        meta["search"] = {"exclude": True}
    return "---\n" + "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items()) + "\n---\n"


def source_tree(files: dict[str, Page | bytes], prefix: str = "") -> dict[str, bytes]:
    """The generated files laid out for a folder: `docs/X/index.md` (front matter and the
    `MARKER` line) and `pages/X/index.html`, `pages/X/index.toc.json` (the outline in
    Python-Markdown's `toc_tokens` form) for a page; `docs/<path>` for everything else;
    every path under the register's `prefix` folder ("improvement/", or "")."""
    tree: dict[str, bytes] = {}
    for src, content in files.items():
        src = prefix + src
        if not isinstance(content, Page):
            tree[SOURCES + src] = content
            continue
        source = page_source(src)
        stem = source[:-len(".md")]
        html = content.html().encode("utf-8")
        toc = json.dumps(content.toc(), ensure_ascii=False, sort_keys=True).encode("utf-8")
        digest = hashlib.sha256(html + b"\0" + toc).hexdigest()[:16]
        tree[SOURCES + source] = f"{front_matter(content)}{MARKER} {digest} -->\n".encode("utf-8")
        tree[PAGES + stem + ".html"] = html
        tree[PAGES + stem + ".toc.json"] = toc
    return tree


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0

    def summary(self) -> str:
        return f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed"


@dataclass
class Written:
    """Files put into a folder by `write_files` or `write_parts`: their paths there, and
    how many of them were written (the others held that content already)."""

    paths: list[str] = field(default_factory=list)
    written: int = 0

    def __add__(self, other: Written) -> Written:
        return Written(self.paths + other.paths, self.written + other.written)


def write_files(folder: Path, tree: dict[str, bytes]) -> Written:
    """Write the files of `tree` whose content changed into `folder` (so that an
    engine's own cache and watcher see only real changes)."""
    written = 0
    for relative, content in sorted(tree.items()):
        path = folder / relative
        if _same(path, content):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written += 1
    return Written(sorted(tree), written)


PARALLEL_PARTS = 10
"""From how many parts on `write_parts` shares them among processes: the eight every site
has and two of improvements' pages, so from 501 improvements on (below that, starting the
workers costs about what they save)."""


def write_parts(folder: Path, parts: Sequence[SitePart], prefix: str = "") -> Written:
    """Make each part of the generated site (`pages.site_parts`), lay it out
    (`source_tree`) and write what changed into `folder`. Large sites share the parts
    among forked workers, which send back only the paths they wrote."""
    def write_part(index: int) -> Written:
        return write_files(folder, source_tree(parts[index](), prefix))
    return sum(fork_each(write_part, len(parts), least=PARALLEL_PARTS), Written())


def write_tree(folder: Path, tree: dict[str, bytes], written: Written | None = None) -> WriteStats:
    """Write `tree` into `folder` (`write_files`) and remove the files an earlier call
    wrote that neither `tree` nor `written` (what `write_parts` put there in this build)
    holds any longer: they are listed in `MANIFEST`. Files it never wrote are left alone."""
    folder.mkdir(parents=True, exist_ok=True)
    before = _manifest(folder)
    everything = write_files(folder, tree) + (written or Written())
    kept = set(everything.paths)
    gone = sorted(set(before) - kept)
    for relative in gone:
        _remove(folder, relative)
    (folder / MANIFEST).write_text(json.dumps(sorted(kept), indent=0), encoding="utf-8")
    return WriteStats(everything.written, len(kept) - everything.written, len(gone))


def mirror(source: Path, target: Path) -> WriteStats:
    """Make `target` hold exactly what `source` holds, writing only the files whose
    content differs: publishing a site of 10,000 improvements that changed in one page
    rewrites that page, not half a gigabyte. What `target` holds beyond `source` is
    removed; a link or folder in place of a file is replaced, never written through."""
    target.mkdir(parents=True, exist_ok=True)
    wanted: set[Path] = set()
    written = unchanged = 0
    for folder, _folders, names in os.walk(source):
        relative = Path(folder).relative_to(source)
        _make_folder(target / relative)
        wanted.update(relative.parents)
        wanted.add(relative)
        for name in names:
            wanted.add(relative / name)
            content = (Path(folder) / name).read_bytes()
            destination = target / relative / name
            if not destination.is_symlink() and _same(destination, content):
                unchanged += 1
                continue
            clear(destination)
            destination.write_bytes(content)
            written += 1
    removed = 0
    for folder, folders, names in os.walk(target, topdown=False):
        relative = Path(folder).relative_to(target)
        for name in [*names, *folders]:
            if relative / name not in wanted:
                clear(target / relative / name)
                removed += name in names
    return WriteStats(written, unchanged, removed)


def _make_folder(path: Path) -> None:
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        clear(path)
    path.mkdir(parents=True, exist_ok=True)


def clear(path: Path) -> None:
    """Remove a file, a link (not what it points at) or a folder, if there."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _manifest(folder: Path) -> list[str]:
    try:
        listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [entry for entry in listed if isinstance(entry, str)]


def _same(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def _remove(folder: Path, relative: str) -> None:
    """Remove a file once written, and the folders it leaves empty (never `folder`)."""
    path = folder / relative
    if ".." in Path(relative).parts:
        return
    try:
        path.unlink()
    except OSError:
        return
    parent = path.parent
    while parent != folder and parent.is_relative_to(folder):
        try:
            os.rmdir(parent)
        except OSError:
            break
        parent = parent.parent
