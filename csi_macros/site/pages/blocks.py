"""The HTML pieces pages share: blocks, links, badges and tables.

Everything returned here is HTML in which register text is escaped. Generated pages
are made of it (see `page.py`); the macros of hand-written pages put it in their Markdown
with `block()`, whose blank lines make Python-Markdown keep it as one raw HTML block and
never read Markdown inside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Sequence

from ...readings import cadence, words
from ...readings.facts import ImprovementFacts, Point, Register
from ...i18n import _, format_number, format_percent
from ...register.model import PRIORITIES, STATUSES, Improvement, Metric
from ...readings.verdicts import NO_DATA, NO_TARGET, Verdict
from .. import addresses, charts
from ..text import escape

NOTHING = '<span class="csi-none">—</span>'
"""What an empty cell or field shows."""


def block(*parts: str) -> str:
    """HTML parts as one block (in page Markdown: one raw HTML block)."""
    return "\n\n" + "\n".join(part for part in parts if part) + "\n\n"


def link(base: str, address: str, text: str, *, title: str | None = None) -> str:
    """A link from a page (whose way to the site root is `base`) to a site address."""
    hint = f' title="{escape(title)}"' if title else ""
    return f'<a href="{escape(base + address)}"{hint}>{escape(text)}</a>'


def status_label(status: str) -> str:
    """A status as people read it, in the site's language: `in_progress` → "in progress"."""
    return words.status(status)


def status_badge(status: str) -> str:
    return f'<span class="csi-badge csi-status csi-status--{status}">{status_label(status)}</span>'


def priority_badge(priority: str) -> str:
    return (f'<span class="csi-badge csi-priority csi-priority--{priority}">'
            f"{escape(words.priority(priority))}</span>")


def flag_badges(facts: ImprovementFacts) -> str:
    """The stale and overdue badges an improvement has (nothing when it has neither)."""
    badges = []
    if facts.stale:
        badges.append('<span class="csi-badge csi-flag csi-flag--stale" title="'
                      + escape(_("no dated entry for longer than the register allows"))
                      + f'">{escape(words.flag("stale"))}</span>')
    if facts.overdue:
        badges.append('<span class="csi-badge csi-flag csi-flag--overdue" title="'
                      + escape(_("the target date has passed"))
                      + f'">{escape(words.flag("overdue"))}</span>')
    return " ".join(badges)


def flags_of(facts: ImprovementFacts) -> list[str]:
    """The names of an improvement's flags, for filters and exports."""
    return [name for name, on in (("stale", facts.stale), ("overdue", facts.overdue)) if on]


def date(value: dt.date | None) -> str:
    """A date as the register writes it (YYYY-MM-DD), or the empty mark."""
    return value.isoformat() if value else NOTHING


def number(value: float | None) -> str:
    return format_number(value) if value is not None else NOTHING


def quantity(value: float | None, unit: str) -> str:
    """A value with its unit, in the site's language: "2.5 hours", "87%" ("2,5 hours",
    "87 %"); the unit is register text, never translated."""
    if value is None:
        return NOTHING
    if unit == "%":
        return escape(format_percent(value, 2))
    return f"{escape(format_number(value))} {escape(unit)}"


def improvement_link(base: str, imp: Improvement) -> str:
    return link(base, addresses.improvement(imp.id), imp.id, title=imp.title)


def metric_link(base: str, metric: Metric) -> str:
    return link(base, addresses.metric(metric.id), metric.id, title=metric.name)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, label: str | None = None,
          listing: bool = False) -> str:
    """A table of HTML cells under plain-text headers. With a `label`, the table scrolls
    sideways in a box of its own that the keyboard can reach (wide tables on phones). A
    `listing` of improvements or metrics stays out of the search index, so that searching
    leads to their own pages (and a listing of thousands never passes Zensical's limit on
    one section of its index). On a phone each row is a card (`card_labels`)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    labels = card_labels(headers)
    body = "\n".join("<tr>" + "".join(f"<td{labels[index]}>{cell}</td>"
                                      for index, cell in enumerate(row)) + "</tr>"
                     for row in rows)
    scroll = f' role="region" aria-label="{escape(label)}" tabindex="0"' if label else ""
    exclude = " data-search-exclude" if listing else ""
    return (f'<div class="{CARDS}"{scroll}{exclude}>\n<table>\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>\n</div>")


CARDS = "csi-table csi-table--cards"
"""The classes of a table whose rows turn into cards on a phone (`assets/csi.css`)."""


def card_labels(headers: Sequence[str]) -> list[str]:
    """Each cell's `data-label` attribute: its column's header, which names the field when
    a narrow screen shows the row as a card. The first cell is the card's title and needs
    no label."""
    return [""] + [f' data-label="{escape(header)}"' for header in headers[1:]]


def improvements_table(register: Register, improvements: Sequence[Improvement], base: str, *,
                       empty: str | None = None) -> str:
    """The short table of improvements that hand-written and metric pages show."""
    if not improvements:
        return f'<p class="csi-empty">{escape(empty or _("None."))}</p>'
    rows = []
    for imp in improvements:
        facts = register.facts[imp.id]
        rows.append([improvement_link(base, imp), escape(imp.title), status_badge(imp.status),
                     priority_badge(imp.priority), escape(imp.owner) if imp.owner else NOTHING,
                     flag_badges(facts)])
    return table([_("Id"), _("Title"), _("Status"), _("Priority"), _("Owner"), _("Flags")], rows,
                 listing=True)


def latest(register: Register, metric_id: str) -> Point | None:
    """A metric's latest measured value (None before the first snapshot measures it)."""
    found = verdict(register, metric_id)
    return found.latest if found else None


def verdict(register: Register, metric_id: str) -> Verdict | None:
    """A metric's verdict, when the register has verdicts."""
    verdicts = getattr(register, "verdicts", None)
    return verdicts.get(metric_id) if verdicts else None


def explained_badge(kind: str, key: str, word: str, base: str, *, title: str = "",
                    said: str = "", frequency: str = cadence.DEFAULT) -> str:
    """A verdict, variation, assurance or evidence word as a badge that links to its line in
    the glossary of "How verdicts work" and carries that line's meaning for screen readers
    (visually hidden text), or `said`, the line that applies to this one metric; either in
    the words of the metric's period (`frequency`). The class keeps the English key
    (`csi-verdict--off-track`)."""
    slug = key.replace(":", "").replace(" ", "-")
    href = f"{base}{addresses.VERDICTS}#{words.glossary_anchor(kind, key)}"
    hint = f' title="{escape(title)}"' if title else ""
    said = said or words.meaning(kind, key, frequency)
    sr = f'<span class="csi-sr">: {escape(said)}</span>' if said else ""
    return (f'<a class="csi-badge csi-{kind} csi-{kind}--{escape(slug)}" href="{escape(href)}"'
            f"{hint}>{escape(word)}{sr}</a>")


def verdict_badge(found: Verdict | None, base: str) -> str:
    if found is None:
        return NOTHING
    return explained_badge("verdict", found.status, words.verdict(found.status), base,
                           title=found.reason, said=words.cause(found.cause, found.frequency),
                           frequency=found.frequency)


def verdict_as_of(register: Register, metric_id: str, base: str) -> str:
    """A metric's verdict badge, and for a late metric the date its reading is as of
    ("on track as of July 31, 2026"): a verdict on old data is not today's answer."""
    badge = verdict_badge(verdict(register, metric_id), base)
    found = getattr(register, "cadence", {}).get(metric_id)
    judged = verdict(register, metric_id)
    if found is None or not found.late or judged is None or judged.status in (NO_TARGET, NO_DATA):
        return badge
    return badge + f' <span class="csi-as-of">{escape(cadence.as_of_date(found))}</span>'


def signal_badge(kind: str, key: str, base: str, *, title: str = "",
                 frequency: str = cadence.DEFAULT) -> str:
    """A process behaviour word as a badge: `kind` is variation, assurance or evidence;
    the class keeps the English key (`csi-variation--special-cause-concern`)."""
    word = {"variation": words.variation, "assurance": words.assurance,
            "evidence": words.evidence}[kind](key)
    return explained_badge(kind, key, word, base, title=title, frequency=frequency)


def late_mark(register: Register, metric_id: str, base: str, *, before: str = "",
              compact: bool = False) -> str:
    """A late metric's mark: the badge `late`, linked to its meaning in the glossary, and
    the date of its newest value ("late no value since July 31, 2026"), after `before`
    (`"<br>"`); `compact`, the badge alone, the date its title (the summary grid's cells);
    nothing when its values keep coming (`Register.cadence`)."""
    found = getattr(register, "cadence", {}).get(metric_id)
    if found is None or not found.late:
        return ""
    since = cadence.since(found)
    if compact:
        return before + explained_badge("data", "late", words.data("late"), base, title=since)
    badge = explained_badge("data", "late", words.data("late"), base)
    return f'{before}<span class="csi-late">{badge} {escape(since)}</span>'


def behaviour_badges(register: Register, metric_id: str, base: str) -> tuple[str, str]:
    """A metric's variation and assurance badges (nothing when the register has none)."""
    found = getattr(register, "behaviour", {}).get(metric_id)
    if found is None:
        return NOTHING, NOTHING
    period = getattr(register, "cadence", {}).get(metric_id)
    frequency = period.frequency if period else cadence.DEFAULT
    return (signal_badge("variation", found.variation, base, frequency=frequency),
            signal_badge("assurance", found.assurance, base, frequency=frequency))


def headline(register: Register, metric: Metric) -> str:
    """A metric's name with its headline under it, for its row in a table of metrics."""
    found = verdict(register, metric.id)
    said = (f'<br><span class="csi-headline">{escape(found.headline)}</span>'
            if found and found.headline else "")
    return escape(metric.name) + said


def target_cell(metric: Metric) -> str:
    """"95% by 2026-12-31", or the empty mark."""
    target = metric.target
    if target is None:
        return NOTHING
    return quantity(target.value, metric.unit) + (
        " " + escape(_("by {date}").format(date=target.date)) if target.date else "")


def latest_cell(register: Register, metric: Metric) -> str:
    """"87% (2026-10-31)", or the empty mark."""
    now = latest(register, metric.id)
    return quantity(now.value, metric.unit) + f" ({now.date})" if now else NOTHING


def metrics_table(register: Register, metrics: Sequence[Metric], base: str, *,
                  label: str | None = None) -> str:
    """Every given metric with its headline, baseline, target, latest value, verdict,
    variation and assurance."""
    if not metrics:
        return f'<p class="csi-empty">{escape(_("No metrics."))}</p>'
    rows = []
    for metric in metrics:
        rows.append([
            metric_link(base, metric), headline(register, metric),
            quantity(metric.baseline.value, metric.unit) + f" ({metric.baseline.date})",
            target_cell(metric),
            latest_cell(register, metric) + late_mark(register, metric.id, base, before="<br>"),
            verdict_as_of(register, metric.id, base),
            *behaviour_badges(register, metric.id, base),
            escape(words.direction(metric.direction)),
        ])
    return table([_("Id"), _("Metric"), _("Baseline"), _("Target"), _("Latest"), _("Verdict"),
                  _("Variation"), _("Assurance"), _("Direction")], rows,
                 label=label or _("Metrics"), listing=True)


def chart(register: Register, name: str, base: str) -> str:
    """A chart's HTML block from `charts.chart_html`, or nothing while charts has none."""
    render = getattr(charts, "chart_html", None)
    return render(register, name, base) if render is not None else ""


def status_order(status: str) -> int:
    """Statuses in the model's order, for sorting."""
    return list(STATUSES).index(status)


def priority_order(priority: str) -> int:
    """critical first."""
    return PRIORITIES.index(priority)
