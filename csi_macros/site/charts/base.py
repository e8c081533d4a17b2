"""What every chart shares: its description (`Chart`, `Table`), the style file, and how a
description becomes the HTML around the picture.

Every chart is first described by a `Chart`: its name, title, caption, text alternative,
the table of data behind it, and `data` — exactly what is drawn, as plain JSON values.
Drawing reads nothing else, so the SHA-256 of that data, the style file
(`style.toml`, or the project's `charts/style.toml`), `CHART_VERSION` and the matplotlib version names the picture.

Each chart is drawn twice from that one description: wide for desks (`charts/<name>.svg`)
and narrow for phones (`charts/narrow/<name>.svg`, see `[narrow]` in the style file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ...register.errors import CsiError
from ...i18n import _, active
from ..text import escape

CHART_VERSION = 7
"""Bump when the drawing code changes what a chart looks like: every cached chart is redrawn."""

STYLE_PATH = Path(__file__).resolve().parent / "style.toml"
"""The one place for the charts' colours, fonts and sizes, as the package ships it."""

PROJECT_STYLE = "charts/style.toml"
"""Where a project may keep a style of its own, relative to its mkdocs.yml."""

_project: Path | None = None

# Settings that keep the SVG byte-identical and register text inert: they are not a
# matter of taste, so they live here rather than in the style file.
FIXED_RC: dict[str, Any] = {
    "svg.hashsalt": "csi-register",  # clip-path and marker ids from content, not random
    "svg.fonttype": "none",          # text stays text: smaller, searchable, no glyph paths
    "text.parse_math": False,        # a `$` in a name is a dollar, never mathtext
    "text.usetex": False,
}


def use_project_style(project: Path | None) -> None:
    """Charts of builds from now on use `project`'s own `charts/style.toml` (`project`: the
    folder of mkdocs.yml, never the folder the command runs in) when it has one, else the
    shipped style. Forked workers inherit the choice."""
    global _project
    _project = project


def style_path() -> Path:
    """The style file charts are drawn with: the project's own, else the shipped one."""
    if _project is not None and (_project / PROJECT_STYLE).is_file():
        return _project / PROJECT_STYLE
    return STYLE_PATH


@dataclass(frozen=True)
class Table:
    """The data behind a chart, as a table for people and screen readers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """One chart, described before (and without) drawing it."""

    name: str          # the file is charts/<name>.svg
    subject: str       # what it is about, for error messages
    title: str
    description: str   # one sentence for the caption
    alt: str           # the text alternative
    kind: str          # which drawing function draws it
    width: int         # the wide version's size in pixels
    height: int
    data: dict[str, Any]  # exactly what is drawn, as JSON values
    table: Table
    narrow_height: int  # the narrow version's height; its width is the style's

    def size(self, style: Style, narrow: bool) -> tuple[int, int]:
        """Width and height of the wide or the narrow version, in pixels."""
        return (style.narrow["width"], self.narrow_height) if narrow else (self.width, self.height)

    def key(self, style: Style, narrow: bool = False) -> str:
        """The SHA-256 of everything that decides the bytes of this chart's wide or narrow
        version, the language of its words (and its catalogue's text) included."""
        material = [CHART_VERSION, _matplotlib_version(), style.digest, self.name, self.kind,
                    narrow, self.size(style, narrow), self.data, active().key]
        text = json.dumps(material, sort_keys=True, separators=(",", ":"), allow_nan=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def picture_path(name: str, narrow: bool = False) -> str:
    """Where a chart's wide or narrow version lives in the site."""
    return f"charts/narrow/{name}.svg" if narrow else f"charts/{name}.svg"


# ----------------------------------------------------------------------------- style

@dataclass(frozen=True)
class Style:
    """charts/style.toml, read: sizes, colours, matplotlib settings, and its digest."""

    size: dict[str, int]
    colours: dict[str, Any]
    rc: dict[str, Any]
    digest: str
    narrow: dict[str, Any]     # [narrow]: the phone version's sizes
    narrow_rc: dict[str, Any]  # [narrow.rc]: what differs from `rc` in the phone version

    def matplotlib_rc(self, narrow: bool = False) -> dict[str, Any]:
        """The rcParams to draw with: the file's (with the narrow version's on top for
        phones), the ink colour, and the fixed ones."""
        ink, grid = self.colours["ink"], self.colours["grid"]
        rc = {**self.rc, **self.narrow_rc} if narrow else self.rc
        return {**rc, "text.color": ink, "axes.labelcolor": ink, "axes.edgecolor": ink,
                "axes.titlecolor": ink, "xtick.color": ink, "ytick.color": ink,
                "legend.labelcolor": ink, "grid.color": grid, **FIXED_RC}


def load_style(path: Path | None = None) -> Style:
    """The chart style; re-read when the file changes (`mkdocs serve` picks edits up)."""
    path = path or style_path()
    try:
        stat = path.stat()
    except OSError as error:
        raise CsiError(f"{path}: the chart style file is missing ({error.strerror})") from None
    return _read_style(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _read_style(path: Path, mtime_ns: int, size: int) -> Style:
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        narrow = dict(data["narrow"])
        return Style(size=dict(data["size"]), colours=dict(data["colours"]), rc=dict(data["rc"]),
                     digest=hashlib.sha256(raw).hexdigest(), narrow_rc=dict(narrow.pop("rc")),
                     narrow=narrow)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError) as error:
        raise CsiError(f"{path}: the chart style file cannot be read: {error}") from None


@lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    return version("matplotlib")



def table_html(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
    body = "\n".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                     for row in table.rows)
    if not table.rows:
        body = (f'<tr><td colspan="{len(table.headers)}">{escape(_("Nothing to show yet."))}'
                "</td></tr>")
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def as_date(text: str) -> dt.date:
    """A date of a chart's data (kept there as ISO text: JSON has no dates)."""
    return dt.date.fromisoformat(text)
