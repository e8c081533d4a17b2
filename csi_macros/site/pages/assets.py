"""The site's own stylesheet and scripts, published under `assets/csi/`.

They ship inside the package (`csi_macros/assets/`) and reach the site as generated
files, so a project needs no copy of them in its docs; mkdocs.yml loads them with
`extra_css` and `extra_javascript`. Nothing is fetched from elsewhere: the site works
offline.
"""

from __future__ import annotations

from importlib import resources

from ...i18n import with_messages
from .. import addresses

SUFFIXES = (".css", ".js")


def files() -> dict[str, bytes]:
    """Every asset by its place in the site: `assets/csi/csi.css`, `assets/csi/csi.js`, …
    Each script starts with the translations of its texts into the site's language."""
    folder = resources.files("csi_macros.site") / "assets"
    return {addresses.ASSETS + entry.name: _published(entry.name, entry.read_bytes())
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.is_file() and entry.name.endswith(SUFFIXES)}


def _published(name: str, content: bytes) -> bytes:
    return with_messages(name, content) if name.endswith(".js") else content
