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

from .. import export, feed
from ..facts import Register
from . import assets, dimensions, improvement, metric, objectives, services, tags
from . import register as register_pages
from .context import Site, SiteContext
from .page import Heading, Page

__all__ = ["Heading", "Page", "Site", "SiteContext", "site_files"]


def site_files(register: Register, context: SiteContext) -> dict[str, Page | bytes]:
    """Every generated file: its path in the site's sources (`register/CSI-0001.md`,
    `register.csv`, …) and its content: a `Page` for pages, bytes for data files."""
    site = Site(register, context)
    files: dict[str, Page | bytes] = {}
    files.update(register_pages.pages(site))
    files.update(improvement.pages(site))
    files.update(metric.pages(site))
    files.update(objectives.pages(site))
    files.update(services.pages(site))
    files.update(dimensions.pages(site))
    files.update(tags.pages(site))
    files.update(assets.files())
    files[export.CSV_PATH] = export.to_csv(register, site.context.priority_formula)
    files[export.JSON_PATH] = export.to_json(register, site.context.priority_formula)
    files[feed.FEED_PATH] = feed.atom_feed(register, context.site_url)
    return files
