"""Parts of the theme that come out the same on many pages, rendered once per place.

Material renders the site's tabs and its navigation on every page, and at 10,000
improvements that was a sixth of the warm build (10 s of Jinja). For a page outside the nav (every record
page) the two differ only by where the page stands, since their links are relative: every
improvement page in `register/` gets the same tabs and the same navigation. So the theme
renders them once per place and the other pages of that place reuse the text. Pages in the
nav are rendered as before: there the navigation marks the page and lists its headings.

Plain Python: pages and the nav are read by duck typing, and the templates in
`overrides/` call the cache (see `main.html`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import Any


class SharedFragments:
    """Rendered theme fragments by name and place, for one build."""

    def __init__(self) -> None:
        self._in_nav: frozenset[str] = frozenset()
        self._rendered: dict[tuple[str, str], str] = {}

    def reset(self, nav_urls: Iterable[str]) -> None:
        """A new build, with the URLs of the pages its nav lists."""
        self._in_nav = frozenset(nav_urls)
        self._rendered.clear()

    def __call__(self, name: str, page: Any, caller: Callable[[], str]) -> str:
        """The fragment `name` for `page`: rendered by `caller`, or the same text as on an
        earlier page of the same place (Jinja's `{% call %}` passes `caller`)."""
        place = self.place(getattr(page, "url", None))
        if place is None:
            return caller()
        key = (name, place)
        if key not in self._rendered:
            self._rendered[key] = caller()
        return self._rendered[key]

    def place(self, url: str | None) -> str | None:
        """What the links of a page outside the nav start from, or None when its fragments
        are its own.

        A page at `register/CSI-0001/` links to `../../metrics/` like every page in a
        folder of `register/`, as long as nothing the nav links to lies inside its own
        folder; a page at `register/CSI-0001.html` links like every page in `register/`.
        """
        if url is None or url in self._in_nav:
            return None
        if url.endswith("/"):
            if any(target.startswith(url) for target in self._in_nav):
                return None
            return "folder in " + posixpath.dirname(url.rstrip("/"))
        return "file in " + posixpath.dirname(url)
