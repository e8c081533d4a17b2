"""The register pages: the table of every improvement, the board, and the changes.

- `register/` — one row per improvement, every column sortable and the rows filterable
  by status, priority, evidence (the strongest across its metrics) and flag in the browser (`assets/csi/csi.js`). Without JavaScript
  it is a plain table in id order and the controls stay hidden.
- `register/board/` — a column per status, a card per improvement.
- `register/changes/` — every log entry, newest first, grouped by month, with a filter
  for "changes since a date" (the last review).
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import groupby
from typing import Iterable

from ...readings import words
from ...i18n import N_, _, month_year, ngettext, using
from ...register.model import PRIORITIES, STATUSES, Improvement, LogEntry
from .. import addresses
from ...readings.evidence import EVIDENCE_STRENGTH, strongest_evidence
from .blocks import (CARDS, NOTHING, block, card_labels, chart, date, escape, flag_badges, flags_of,
                     improvement_link, link, number, priority_badge, priority_order, signal_badge,
                     status_badge,
                     status_label, status_order)
from .context import Site
from .page import Heading, Page, Part, page

BASE = addresses.base_of(addresses.REGISTER)
BOARD_BASE = addresses.base_of(addresses.BOARD)
CHANGES_BASE = addresses.base_of(addresses.CHANGES)
REGISTER_CHARTS = (("status", N_("Where the improvements stand")), ("roadmap", N_("Roadmap")),
                   ("value-effort", N_("Value against effort")))
_ID_NUMBER = re.compile(r"^(.*?)(\d+)$")
WIDE = ("navigation", "toc")
"""The side bars a page hides to have the whole width."""


def pages(site: Site) -> dict[str, Page]:
    """The register's own pages, by source path."""
    return {"register/index.md": register_page(site),
            "register/board.md": board_page(site),
            "register/changes.md": changes_page(site)}


# --- register/ ---------------------------------------------------------------------------

COLUMNS = (N_("Id"), N_("Title"), N_("Status"), N_("Model step"), N_("Priority"), N_("Owner"),
           N_("Value"), N_("Effort"), N_("Score"), N_("Target date"), N_("Flags"),
           N_("Evidence"))
NUMERIC = {"Model step", "Value", "Effort", "Score", "Status", "Priority", "Flags", "Evidence"}
NO_METRIC = "none"
"""The evidence filter's value for an improvement that names no metric."""


def register_page(site: Site) -> Page:
    register = site.register
    count = len(register.improvements)
    intro = ('<p class="csi-lead">' + escape(ngettext(
        "{count} improvement, as of {date}.", "{count} improvements, as of {date}.",
        count).format(count=count, date=register.today.isoformat())) + " "
        + escape(_("See them as a {board}, read the {changes}, or download the register as "
                   "{csv} or {json}.")).format(
            board=link(BASE, addresses.BOARD, _("board by model step")),
            changes=link(BASE, addresses.CHANGES, _("changes")),
            csv=link(BASE, addresses.CSV, "CSV"), json=link(BASE, addresses.JSON, "JSON"))
        + "</p>")
    parts: list[Part] = [block(intro, filters(TABLE_ID),
                               register_table(site, register.improvements, BASE))]
    for name, title in REGISTER_CHARTS:
        drawn = chart(register, name, BASE)
        if drawn:
            parts += [Heading(2, _(title), _slug(title)), drawn]
    return page(_("Register"), *parts, hide=WIDE)


TABLE_ID = "csi-register-table"


def filters(table_id: str) -> str:
    """The filter controls of the table `table_id`, hidden until the script runs (they do
    nothing without it)."""
    statuses = "".join(_checkbox("status", s, status_label(s)) for s in STATUSES)
    priorities = "".join(_checkbox("priority", p, words.priority(p)) for p in PRIORITIES)
    flags = "".join(_checkbox("flag", f, _("{flag} only").format(flag=words.flag(f)),
                              checked=False) for f in ("stale", "overdue"))
    evidence = "".join(_checkbox("evidence", _evidence_value(e), words.evidence(e))
                       for e in EVIDENCE_STRENGTH) + _checkbox("evidence", NO_METRIC,
                                                               _("no metric named"))
    return (f'<form class="csi-filters" data-csi-filters="{escape(table_id)}" hidden>\n'
            f'<fieldset><legend>{escape(_("Status"))}</legend>{statuses}</fieldset>\n'
            f'<fieldset><legend>{escape(_("Priority"))}</legend>{priorities}</fieldset>\n'
            f'<fieldset><legend>{escape(_("Flags"))}</legend>{flags}</fieldset>\n'
            f'<fieldset><legend>{escape(_("Evidence"))}</legend>{evidence}</fieldset>\n'
            '<p class="csi-filters__summary"><span data-csi-count role="status"></span> '
            f'<button type="reset" class="md-button">{escape(_("Show all"))}</button></p>\n</form>')


def _checkbox(group: str, value: str, label: str, *, checked: bool = True) -> str:
    state = " checked" if checked else ""
    return (f'<label><input type="checkbox" name="{group}" value="{value}"{state}> '
            f"{escape(label)}</label>")


def register_table(site: Site, improvements: Iterable[Improvement], base: str, *,
                   table_id: str = TABLE_ID, label: str | None = None,
                   row_cache: dict[str, str] | None = None) -> str:
    """The register's table of `improvements`, sortable and filterable (with `filters`),
    on a page whose way to the site root is `base`. Tables on pages with the same `base`
    may share a `row_cache` (rows by id): an improvement's row is then made once, however
    many of those tables list it."""
    formula = escape(site.context.priority_formula)
    head = []
    for column in COLUMNS:
        kind = "number" if column in NUMERIC else "text"
        sort = ' aria-sort="ascending"' if column == "Id" else ""
        title = escape(_(column))
        if column == "Score":
            title += f' <span class="csi-formula">= {formula}</span>'
        head.append(f'<th scope="col" data-sort-type="{kind}"{sort}>{title}</th>')
    labels = card_labels([_(column) for column in COLUMNS])
    if row_cache is None:
        rows = "\n".join(_register_row(site, imp, base, labels) for imp in improvements)
    else:
        rows = "\n".join(row_cache.get(imp.id) or row_cache.setdefault(
            imp.id, _register_row(site, imp, base, labels)) for imp in improvements)
    # Listings stay out of the search index: a search should lead to the improvement's page.
    label = label or _("The register")
    return (f'<div class="{CARDS} csi-table--wide" role="region" aria-label="{escape(label)}" '
            f'tabindex="0" data-search-exclude>\n<table id="{escape(table_id)}" data-csi-sortable>\n'
            f'<thead><tr>{"".join(head)}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</div>')


def _register_row(site: Site, imp: Improvement, base: str, labels: list[str]) -> str:
    facts = site.register.facts[imp.id]
    score = site.scores[imp.id]
    flags = flags_of(facts)
    strongest = strongest_evidence(site.register.evidence(imp))
    cells = [
        (id_sort_key(imp.id), improvement_link(base, imp)),
        (None, escape(imp.title)),
        (str(status_order(imp.status)), status_badge(imp.status)),
        (str(facts.step or ""), _step_cell(words.step_label(imp.status))),
        (str(priority_order(imp.priority)), priority_badge(imp.priority)),
        (None, escape(imp.owner) if imp.owner else NOTHING),
        (_sort_number(imp.value), number(imp.value)),
        (_sort_number(imp.effort), number(imp.effort)),
        (_sort_number(score), number(score)),
        (imp.target_date.isoformat() if imp.target_date else "", date(imp.target_date)),
        (str(len(flags)), flag_badges(facts)),
        (str(EVIDENCE_STRENGTH.index(strongest[0])) if strongest else "",
         signal_badge("evidence", strongest[0], base) if strongest else NOTHING),
    ]
    tds = "".join(f'<td{label} data-sort="{escape(key)}">{html}</td>' if key is not None
                  else f"<td{label}>{html}</td>" for label, (key, html) in zip(labels, cells))
    return (f'<tr data-status="{imp.status}" data-priority="{imp.priority}" '
            f'data-flags="{" ".join(flags)}" '
            f'data-evidence="{_evidence_value(strongest[0]) if strongest else NO_METRIC}">'
            f"{tds}</tr>")


def _evidence_value(word: str) -> str:
    """An evidence word as a filter value: `signal of improvement` → `signal-of-improvement`."""
    return word.replace(" ", "-")


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
            f'<li class="csi-card csi-card--empty">{escape(_("None"))}</li>'
        columns.append(
            f'<section class="csi-board__column" aria-labelledby="board-{status.id}">\n'
            f'<h2 id="board-{status.id}">{status_badge(status.id)} '
            f'<span class="csi-board__count">{len(cards)}</span></h2>\n'
            f'<p class="csi-board__step">{_step_text(status.step, status.id)}</p>\n'
            f'<ul class="csi-board__cards">\n{items}\n</ul>\n</section>')
    intro = ('<p class="csi-lead">' + escape(_(
        "Every improvement by status, in the order of the continual improvement model. The "
        "{register} has the same improvements in one table.")).format(
            register=link(BOARD_BASE, addresses.REGISTER, _("register"))) + "</p>")
    board = (f'<div class="csi-board" role="region" aria-label="{escape(_("Board by status"))}" '
             'tabindex="0" data-search-exclude>\n'
             + "\n".join(columns) + "\n</div>")
    # The board and the changes repeat what the improvements' own pages say: a search
    # should lead there, so these two stay out of the index.
    return page(_("Board"), intro, board, hide=WIDE, searchable=False)


def _step_text(step: int | None, status: str) -> str:
    if step is None:
        return escape(_("Outside the model's steps (parked)") if status == "deferred"
                      else _("Outside the model's steps"))
    return escape(_("Step {label}").format(label=words.step_label(status)))


def _card(site: Site, imp: Improvement) -> str:
    facts = site.register.facts[imp.id]
    owner = f'<span class="csi-card__owner">{escape(imp.owner)}</span>' if imp.owner else ""
    return (f'<li class="csi-card">{improvement_link(BOARD_BASE, imp)} '
            f'{priority_badge(imp.priority)} {flag_badges(facts)}'
            f'<span class="csi-card__title">{escape(imp.title)}</span>{owner}</li>')


# --- register/changes/ -------------------------------------------------------------------

def changes_page(site: Site) -> Page:
    changes = site.changes
    intro = ('<p class="csi-lead">' + escape(_(
        "Every dated entry of every improvement's log, newest first, grouped by month."))
        + "</p>")
    if not changes:
        return page(_("Changes"), intro,
                    f'<p class="csi-empty">{escape(_("No changes logged yet."))}</p>',
                    searchable=False)
    parts: list[Part] = [intro, _since_filter(site)]
    for month, entries in groupby(changes, key=lambda change: change.date.replace(day=1)):
        items = "\n".join(_change(change.improvement, change.entry) for change in entries)
        parts += [Heading(2, _month_name(month), _month_anchor(month)),
                  f'<ol class="csi-changes" data-csi-changes data-search-exclude>\n{items}\n</ol>']
    return page(_("Changes"), *parts, searchable=False)


def _since_filter(site: Site) -> str:
    oldest = site.changes[-1].date.isoformat()
    newest = site.changes[0].date.isoformat()
    return ('<form class="csi-filters csi-since" data-csi-since hidden>\n'
            f'<label>{escape(_("Changes since"))} <input type="date" name="since" '
            f'min="{oldest}" max="{newest}"></label>\n'
            '<span class="csi-since__hint">'
            f'{escape(_("for example, the date of the last review"))}</span>\n'
            '<button type="button" class="md-button" data-days="30">'
            f'{escape(_("Last 30 days"))}</button>\n'
            '<button type="button" class="md-button" data-days="90">'
            f'{escape(_("Last 90 days"))}</button>\n'
            f'<button type="reset" class="md-button">{escape(_("All"))}</button>\n'
            f'<p class="csi-filters__summary" data-csi-count role="status" '
            f'data-today="{site.register.today.isoformat()}"></p>\n</form>')


def _change(imp: Improvement, entry: LogEntry) -> str:
    moved = (" " + escape(_("moved to {status}")).format(status=status_badge(entry.status))
             if entry.status else "")
    return (f'<li data-date="{entry.date.isoformat()}">{date(entry.date)} '
            f"{improvement_link(CHANGES_BASE, imp)} {escape(imp.title)}{moved}<br>"
            f"{escape(entry.note)}</li>")


def _month_name(month: dt.date) -> str:
    """"November 2026" ("November 2026", "november 2026"): the site's language, whatever
    the build machine's locale."""
    return month_year(month)


def _month_anchor(month: dt.date) -> str:
    """`november-2026` in every language: links to a month of the changes keep working."""
    with using("en"):
        return _slug(month_year(month))


def _slug(english: str) -> str:
    """A heading's anchor from its English text, so addresses stay the same in every
    language."""
    return re.sub(r"[^a-z0-9]+", "-", english.lower()).strip("-")
