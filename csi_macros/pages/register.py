"""The register pages: the table of every improvement, the board, and the changes.

- `register/` — one row per improvement, every column sortable and the rows filterable
  by status, priority and flag in the browser (`assets/csi/csi.js`). Without JavaScript
  it is a plain table in id order and the controls stay hidden.
- `register/board/` — a column per status, a card per improvement.
- `register/changes/` — every log entry, newest first, grouped by month, with a filter
  for "changes since a date" (the last review).
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import groupby

from ..model import PRIORITIES, STATUSES, Improvement, LogEntry
from . import addresses
from .blocks import (NOTHING, block, chart, date, escape, flag_badges, flags_of, improvement_link,
                     link, number, priority_badge, priority_order, status_badge, status_label,
                     status_order)
from .context import Site
from .page import Heading, Page, Part, page

BASE = addresses.base_of(addresses.REGISTER)
BOARD_BASE = addresses.base_of(addresses.BOARD)
CHANGES_BASE = addresses.base_of(addresses.CHANGES)
REGISTER_CHARTS = (("status", "Where the improvements stand"), ("roadmap", "Roadmap"),
                   ("value-effort", "Value against effort"))
_ID_NUMBER = re.compile(r"^(.*?)(\d+)$")
WIDE = ("navigation", "toc")
"""The side bars a page hides to have the whole width."""


def pages(site: Site) -> dict[str, Page]:
    """The register's own pages, by source path."""
    return {"register/index.md": register_page(site),
            "register/board.md": board_page(site),
            "register/changes.md": changes_page(site)}


# --- register/ ---------------------------------------------------------------------------

COLUMNS = ("Id", "Title", "Status", "Model step", "Priority", "Owner", "Value", "Effort",
           "Score", "Target date", "Flags")
NUMERIC = {"Model step", "Value", "Effort", "Score", "Status", "Priority", "Flags"}


def register_page(site: Site) -> Page:
    register = site.register
    count = len(register.improvements)
    intro = (f'<p class="csi-lead">{count} improvement{"" if count == 1 else "s"}, as of '
             f'{register.today.isoformat()}. See them as a '
             f'{link(BASE, addresses.BOARD, "board by model step")}, read the '
             f'{link(BASE, addresses.CHANGES, "changes")}, or download the register as '
             f'{link(BASE, addresses.CSV, "CSV")} or {link(BASE, addresses.JSON, "JSON")}.</p>')
    parts: list[Part] = [block(intro, _filters(), _register_table(site))]
    for name, title in REGISTER_CHARTS:
        drawn = chart(register, name, BASE)
        if drawn:
            parts += [Heading(2, title), drawn]
    return page("Register", *parts, hide=WIDE)


def _filters() -> str:
    """The filter controls, hidden until the script runs (they do nothing without it)."""
    statuses = "".join(_checkbox("status", s, status_label(s)) for s in STATUSES)
    priorities = "".join(_checkbox("priority", p, p) for p in PRIORITIES)
    flags = "".join(_checkbox("flag", f, f"{f} only", checked=False) for f in ("stale", "overdue"))
    return ('<form class="csi-filters" data-csi-filters="csi-register-table" hidden>\n'
            f'<fieldset><legend>Status</legend>{statuses}</fieldset>\n'
            f'<fieldset><legend>Priority</legend>{priorities}</fieldset>\n'
            f'<fieldset><legend>Flags</legend>{flags}</fieldset>\n'
            '<p class="csi-filters__summary"><span data-csi-count role="status"></span> '
            '<button type="reset" class="md-button">Show all</button></p>\n</form>')


def _checkbox(group: str, value: str, label: str, *, checked: bool = True) -> str:
    state = " checked" if checked else ""
    return (f'<label><input type="checkbox" name="{group}" value="{value}"{state}> '
            f"{escape(label)}</label>")


def _register_table(site: Site) -> str:
    formula = escape(site.context.priority_formula)
    head = []
    for column in COLUMNS:
        kind = "number" if column in NUMERIC else "text"
        sort = ' aria-sort="ascending"' if column == "Id" else ""
        label = escape(column)
        if column == "Score":
            label += f' <span class="csi-formula">= <code>{formula}</code></span>'
        head.append(f'<th scope="col" data-sort-type="{kind}"{sort}>{label}</th>')
    rows = "\n".join(_register_row(site, imp) for imp in site.register.improvements)
    # Listings stay out of the search index: a search should lead to the improvement's page.
    return ('<div class="csi-table csi-table--wide" role="region" aria-label="The register" '
            'tabindex="0" data-search-exclude>\n<table id="csi-register-table" data-csi-sortable>\n'
            f'<thead><tr>{"".join(head)}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</div>')


def _register_row(site: Site, imp: Improvement) -> str:
    facts = site.register.facts[imp.id]
    score = site.scores[imp.id]
    flags = flags_of(facts)
    cells = [
        (id_sort_key(imp.id), improvement_link(BASE, imp)),
        (None, escape(imp.title)),
        (str(status_order(imp.status)), status_badge(imp.status)),
        (str(facts.step or ""), _step_cell(STATUSES[imp.status].step_label)),
        (str(priority_order(imp.priority)), priority_badge(imp.priority)),
        (None, escape(imp.owner) if imp.owner else NOTHING),
        (_sort_number(imp.value), number(imp.value)),
        (_sort_number(imp.effort), number(imp.effort)),
        (_sort_number(score), number(score)),
        (imp.target_date.isoformat() if imp.target_date else "", date(imp.target_date)),
        (str(len(flags)), flag_badges(facts)),
    ]
    tds = "".join(f'<td data-sort="{escape(key)}">{html}</td>' if key is not None else f"<td>{html}</td>"
                  for key, html in cells)
    return (f'<tr data-status="{imp.status}" data-priority="{imp.priority}" '
            f'data-flags="{" ".join(flags)}">{tds}</tr>')


def _step_cell(label: str) -> str:
    """The step's number ("5", "1–3", "—"): its question is too long for a column."""
    return escape(label.split(" ", 1)[0])


def id_sort_key(id: str) -> str:
    """An id that sorts as people expect: CSI-9 before CSI-10."""
    match = _ID_NUMBER.match(id)
    return f"{match.group(1)}{int(match.group(2)):012d}" if match else id


def _sort_number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


# --- register/board/ ---------------------------------------------------------------------

def board_page(site: Site) -> Page:
    register = site.register
    columns = []
    for status in STATUSES.values():
        cards = [imp for imp in register.improvements if imp.status == status.id]
        items = "\n".join(_card(site, imp) for imp in cards) or \
            '<li class="csi-card csi-card--empty">None</li>'
        columns.append(
            f'<section class="csi-board__column" aria-labelledby="board-{status.id}">\n'
            f'<h2 id="board-{status.id}">{status_badge(status.id)} '
            f'<span class="csi-board__count">{len(cards)}</span></h2>\n'
            f'<p class="csi-board__step">{_step_text(status.step, status.step_label)}</p>\n'
            f'<ul class="csi-board__cards">\n{items}\n</ul>\n</section>')
    intro = ('<p class="csi-lead">Every improvement by status, in the order of the continual '
             f'improvement model. The {link(BOARD_BASE, addresses.REGISTER, "register")} has the '
             "same improvements in one table.</p>")
    board = ('<div class="csi-board" role="region" aria-label="Board by status" tabindex="0" '
             'data-search-exclude>\n'
             + "\n".join(columns) + "\n</div>")
    # The board and the changes repeat what the improvements' own pages say: a search
    # should lead there, so these two stay out of the index.
    return page("Board", intro, board, hide=WIDE, searchable=False)


def _step_text(step: int | None, label: str) -> str:
    if step is None:
        return escape("Outside the model's steps" + (" (parked)" if "parked" in label else ""))
    return escape(f"Step {label}")


def _card(site: Site, imp: Improvement) -> str:
    facts = site.register.facts[imp.id]
    owner = f'<span class="csi-card__owner">{escape(imp.owner)}</span>' if imp.owner else ""
    return (f'<li class="csi-card">{improvement_link(BOARD_BASE, imp)} '
            f'{priority_badge(imp.priority)} {flag_badges(facts)}'
            f'<span class="csi-card__title">{escape(imp.title)}</span>{owner}</li>')


# --- register/changes/ -------------------------------------------------------------------

def changes_page(site: Site) -> Page:
    changes = site.changes
    intro = ("<p class=\"csi-lead\">Every dated entry of every improvement's log, newest first, "
             "grouped by month.</p>")
    if not changes:
        return page("Changes", intro, '<p class="csi-empty">No changes logged yet.</p>',
                    searchable=False)
    parts: list[Part] = [intro, _since_filter(site)]
    for month, entries in groupby(changes, key=lambda change: change.date.replace(day=1)):
        items = "\n".join(_change(change.improvement, change.entry) for change in entries)
        parts += [Heading(2, _month_name(month)),
                  f'<ol class="csi-changes" data-csi-changes data-search-exclude>\n{items}\n</ol>']
    return page("Changes", *parts, searchable=False)


def _since_filter(site: Site) -> str:
    oldest = site.changes[-1].date.isoformat()
    newest = site.changes[0].date.isoformat()
    return ('<form class="csi-filters csi-since" data-csi-since hidden>\n'
            '<label>Changes since <input type="date" name="since" '
            f'min="{oldest}" max="{newest}"></label>\n'
            '<span class="csi-since__hint">for example, the date of the last review</span>\n'
            '<button type="button" class="md-button" data-days="30">Last 30 days</button>\n'
            '<button type="button" class="md-button" data-days="90">Last 90 days</button>\n'
            '<button type="reset" class="md-button">All</button>\n'
            f'<p class="csi-filters__summary" data-csi-count role="status" '
            f'data-today="{site.register.today.isoformat()}"></p>\n</form>')


def _change(imp: Improvement, entry: LogEntry) -> str:
    moved = f" moved to {status_badge(entry.status)}" if entry.status else ""
    return (f'<li data-date="{entry.date.isoformat()}">{date(entry.date)} '
            f"{improvement_link(CHANGES_BASE, imp)} {escape(imp.title)}{moved}<br>"
            f"{escape(entry.note)}</li>")


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _month_name(month: dt.date) -> str:
    """"November 2026", whatever the build machine's locale."""
    return f"{MONTHS[month.month - 1]} {month.year}"
