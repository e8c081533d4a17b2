"""Register → pages: a `Page` (HTML and its outline) or a data file for every generated
address of the site.

Each module renders one family of pages from a `Register`; none imports MkDocs. All
register text goes through `text.escape` or `text.text_html` (and `text.escape_md` where
a macro's variable lands in a hand-written page's Markdown).

| module | pages |
|---|---|
| `register.py` | `register/` (the table), `register/board/`, `register/changes/` |
| `improvement.py` | `register/<id>/`, one per improvement |
| `metric.py` | `metrics/` and `metrics/<id>/` |
| `objectives.py` | `objectives/` |
| `services.py` | `services/` and `services/<slug>/`, one per service |
| `dimensions.py` | `dimensions/`, the four dimensions |
| `tags.py` | `tags/`, every tag with its improvements |
| `assets.py` | the site's own stylesheet and scripts, `assets/csi/*` |
| `../export.py`, `../feed.py` | `register.csv`, `register.json`, `feed.xml` |

`page.py` holds what a page is, `blocks.py` the HTML pieces pages share (badges, tables,
links), `addresses.py` where everything is, and `context.py` what the pages know about
the site around them.
"""

from __future__ import annotations

from functools import partial
from typing import Callable

from ...readings import export
from .. import feed
from ...readings.facts import Register
from . import assets, dimensions, improvement, metric, objectives, services, tags
from . import register as register_pages
from .context import Site, SiteContext
from .page import Heading, Page

__all__ = ["Heading", "Page", "Site", "SiteContext", "SitePart", "site_files", "site_parts"]


PART_SIZE = 500
"""How many improvements' pages one part of the site holds (see `site_parts`)."""

SitePart = Callable[[], dict[str, "Page | bytes"]]


def site_files(register: Register, context: SiteContext) -> dict[str, Page | bytes]:
    """Every generated file: its path in the site's sources (`register/CSI-0001.md`,
    `register.csv`, …) and its content: a `Page` for pages, bytes for data files."""
    files: dict[str, Page | bytes] = {}
    for part in site_parts(Site(register, context)):
        files.update(part())
    return files


def site_parts(site: Site) -> list[SitePart]:
    """The generated files in parts, each made on its own when called, in `site_files`'
    order: the register's pages, the improvements' pages `PART_SIZE` at a time, the
    metrics', … A build may share the parts among processes (`generate.write_parts`)."""
    improvements = site.register.improvements
    return [partial(register_pages.pages, site),
            *(partial(improvement.pages, site, improvements[start:start + PART_SIZE])
              for start in range(0, len(improvements), PART_SIZE)),
            partial(metric.pages, site), partial(objectives.pages, site),
            partial(services.pages, site), partial(dimensions.pages, site),
            partial(tags.pages, site), assets.files, partial(_data_files, site)]


def _data_files(site: Site) -> dict[str, Page | bytes]:
    register, formula = site.register, site.context.priority_formula
    return {export.CSV_PATH: export.to_csv(register, formula),
            export.JSON_PATH: export.to_json(register, formula),
            feed.FEED_PATH: feed.atom_feed(register, site.context.site_url)}
