"""Register → pages: Markdown (and data files) for every generated address of the site.

Each module renders one family of pages from a `Register`; none imports MkDocs.
All register text goes through `text.escape`, `text.escape_md` or `text.markdown_block`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteContext:
    """What pages need to know about the site around them."""

    repo_url: str | None = None
    edit_uri: str | None = None
    register_path: str = "register"  # the register folder, relative to the repository root
    site_url: str | None = None
    priority_formula: str = "value / effort"


def site_files(register, context: SiteContext) -> dict[str, str | bytes]:
    """Every generated file: its path in the site's sources (`register/CSI-0001.md`,
    `register.csv`, …) and its content. Markdown for pages, bytes for data files."""
    raise NotImplementedError  # filled in by the pages modules
