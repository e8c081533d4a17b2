"""The metrics: `metrics/` and `metrics/<id>/`.

`metrics/` is the page a board reads, across the whole width: a row per metric (headline,
latest value, target, verdict, variation, assurance), those that need attention first
(`verdicts.ATTENTION_ORDER`), then Making Data Count's variation × assurance grid, then
every metric's verdict and chart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ...readings.behaviour import (COMMON_CAUSE, CONCERN, FAILS, HIT_AND_MISS, IMPROVEMENT, MIN_POINTS,
                         NO_TARGET, PASSES, TOO_FEW_POINTS, Behaviour)
from ...readings.evidence import Rebase
from ...readings import cadence, words
from ...i18n import N_, _, format_date, format_number, ngettext
from ...register.model import Metric
from ...readings.verdicts import ATTENTION_ORDER, NEEDS_ATTENTION, NO_TARGET as UNJUDGED, Verdict
from ...readings.facts import Point
from .. import addresses
from .blocks import (CARDS, NOTHING, behaviour_badges, block, card_labels, chart, date, escape,
                     improvement_link, improvements_table, late_mark, latest, latest_cell, link,
                     metric_link, quantity, signal_badge, table, target_cell, verdict,
                     verdict_as_of, verdict_badge)
from .context import Site
from .improvement import source_note
from .page import Heading, Page, Part, page
from .services import service_links
from ..text import text_html

INDEX_BASE = addresses.base_of(addresses.METRICS)
BASE = addresses.base_of(addresses.metric("X"))


def pages(site: Site) -> dict[str, Page]:
    """The metrics page and one page per metric, by source path."""
    files: dict[str, Page] = {"metrics/index.md": index_page(site)}
    for metric in site.register.metrics:
        files[addresses.metric_source(metric.id)] = metric_page(site, metric)
    return files


def index_page(site: Site) -> Page:
    """The page a board reads: every metric's headline and readings, those that need
    attention first, then Making Data Count's summary grid, then each metric's chart.
    It takes the whole width (no navigation, no outline) so that nothing scrolls."""
    register = site.register
    count = len(register.metrics)
    newest = max((found.newest for found in register.cadence.values()), default=None)
    # The build date is not the data's date: a board reads "as of" as the data's.
    counted = (ngettext("{count} metric, its newest value dated {newest}; page built on {date}.",
                        "{count} metrics, the newest value dated {newest}; page built on {date}.",
                        count) if newest else
               ngettext("{count} metric, as of {date}.", "{count} metrics, as of {date}.", count))
    intro = ('<p class="csi-lead">' + escape(counted.format(
        count=count, date=register.today.isoformat(),
        newest=newest.isoformat() if newest else "")) + " "
        + escape(_("Each verdict says whether the metric is getting where it should "
                   "({how}).")).format(how=link(INDEX_BASE, addresses.VERDICTS, _("how verdicts work")))
        + "</p>")
    parts: list[Part] = [block('<div class="csi-summary">', intro, board_table(site),
                               "</div>")]
    if register.metrics:
        parts += [Heading(2, _("Variation and assurance"), "summary-grid"),
                  block('<div class="csi-summary">', summary_grid(site), "</div>")]
    for metric in register.metrics:
        found = verdict(register, metric.id)
        reason = (f'<p>{verdict_badge(found, INDEX_BASE)} {escape(found.reason)}'
                  f'{late_mark(register, metric.id, INDEX_BASE, before=" ")}</p>' if found else "")
        more = link(INDEX_BASE, addresses.metric(metric.id),
                    _("More about {id}").format(id=metric.id))
        parts += [Heading(2, f"{metric.id} {metric.name}"),
                  block(reason, chart(register, f"metric-{metric.id}", INDEX_BASE),
                        f"<p>{more}</p>")]
    return page(_("Metrics"), *parts, hide=WIDE)


WIDE = ("navigation", "toc")
"""The side bars the metrics page hides, so that its table fits without scrolling."""

BOARD_GROUPS = ((0, NEEDS_ATTENTION, N_("Needs attention")),
                (NEEDS_ATTENTION, ATTENTION_ORDER.index(UNJUDGED), N_("On course")),
                (ATTENTION_ORDER.index(UNJUDGED), len(ATTENTION_ORDER), N_("Not judged yet")))
"""The board's groups by `verdicts.attention`: a special cause of concern, off track, at
risk, late; on track, target met; no target, no data."""


def board_table(site: Site) -> str:
    """A row per metric, grouped and ordered by `verdicts.attention`: its name and
    headline, latest value, target, verdict, variation and assurance."""
    register = site.register
    if not register.metrics:
        return f'<p class="csi-empty">{escape(_("No metrics."))}</p>'
    ranked = sorted(register.metrics, key=lambda m: (_rank(site, m), m.id))
    headers = [_("Metric"), _("Latest"), _("Target"), _("Verdict"), _("Variation"),
               _("Assurance")]
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    labels = card_labels(headers)
    groups = []
    for first, end, title in BOARD_GROUPS:
        members = [m for m in ranked if first <= _rank(site, m) < end]
        if not members:
            continue
        heading = escape(_("{group}: {count}").format(group=_(title), count=len(members)))
        rows = "\n".join(_board_row(site, m, labels) for m in members)
        groups.append(f'<tbody>\n<tr class="csi-group"><th scope="rowgroup" '
                      f'colspan="{len(headers)}">{heading}</th></tr>\n{rows}\n</tbody>')
    label = escape(_("Every metric, those that need attention first"))
    # Out of search, as the register's table is: each metric's page is indexed, and a
    # board of hundreds of metrics passes Zensical's search index limit.
    return (f'<div class="{CARDS} csi-board-table" role="region" aria-label="{label}" '
            f'tabindex="0" data-search-exclude>\n<table>\n<thead><tr>{head}</tr></thead>\n'
            + "\n".join(groups) + "\n</table>\n</div>")


def _rank(site: Site, metric: Metric) -> int:
    return site.register.attention[metric.id]


def _board_row(site: Site, metric: Metric, labels: list[str]) -> str:
    register = site.register
    name = (f'{metric_link(INDEX_BASE, metric)} {escape(metric.name)}'
            f'<br><span class="csi-headline">{escape(register.verdicts[metric.id].headline)}'
            "</span>")
    cells = [name, latest_cell(register, metric)
             + late_mark(register, metric.id, INDEX_BASE, before="<br>"), target_cell(metric),
             verdict_as_of(register, metric.id, INDEX_BASE),
             *behaviour_badges(register, metric.id, INDEX_BASE)]
    return "<tr>" + "".join(f"<td{label}>{cell}</td>" for label, cell in zip(labels, cells)) + "</tr>"


GRID_ROWS = (IMPROVEMENT, COMMON_CAUSE, CONCERN)
GRID_COLUMNS = (PASSES, HIT_AND_MISS, FAILS, NO_TARGET)


def summary_grid(site: Site) -> str:
    """Making Data Count's summary: variation down, assurance across, each metric in its
    cell as a link (a late one with its badge). Metrics whose latest phase has too few
    values for limits have neither reading: they share one row, "no limits yet", shown only
    when there are some."""
    register = site.register
    cells: dict[tuple[str, str], list[str]] = {}
    for metric in register.metrics:
        found = register.behaviour[metric.id]
        cells.setdefault((found.variation, found.assurance), []).append(
            metric_link(INDEX_BASE, metric) + late_mark(register, metric.id, INDEX_BASE,
                                                        before=" ", compact=True))
    head = (f'<th scope="col">{escape(_("Variation ↓ · assurance →"))}</th>'
            + "".join(f'<th scope="col">{signal_badge("assurance", a, INDEX_BASE)}</th>'
                      for a in GRID_COLUMNS))
    rows = []
    for variation in GRID_ROWS:
        rows.append(f'<tr><th scope="row">{signal_badge("variation", variation, INDEX_BASE)}</th>'
                    + "".join(f"<td>{_grid_cell(cells.get((variation, a), []))}</td>"
                              for a in GRID_COLUMNS) + "</tr>")
    unread = [found for (variation, _a), links in sorted(cells.items())
              if variation == TOO_FEW_POINTS for found in links]
    if unread:
        rows.append(f'<tr><th scope="row">{escape(_("no limits yet"))}</th>'
                    f'<td colspan="{len(GRID_COLUMNS)}">{_grid_cell(unread)}</td></tr>')
    caption = escape(_("Where each metric stands: is it changing (variation), and can it be "
                       "relied on to meet its target (assurance)?"))
    return (f'<div class="csi-table csi-grid" role="region" aria-label="'
            f'{escape(_("Variation and assurance"))}" tabindex="0" data-search-exclude>\n<table>\n'
            f"<caption>{caption}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>\n</div>")


def _grid_cell(links: list[str]) -> str:
    return ('<ul class="csi-grid__metrics">' + "".join(f"<li>{link}</li>" for link in links)
            + "</ul>") if links else NOTHING


def metric_page(site: Site, metric: Metric) -> Page:
    register = site.register
    parts: list[Part] = [
        block(_headline(register.verdicts[metric.id]), _fields(site, metric),
              source_note(site, "metrics/" + Path(metric.where.path).name))]
    if metric.description:
        parts += [Heading(2, _("Definition"), "definition"), text_html(metric.description)]
    drawn = chart(register, f"metric-{metric.id}", BASE)
    if drawn:
        parts += [Heading(2, _("Chart"), "chart"), drawn]
    advice = register.rebase_advice.get(metric.id)
    if advice:
        parts += [Heading(2, _("A lasting change: limits to recalculate"), "rebase"),
                  block(_rebase(site, metric, advice))]
    parts += [Heading(2, _("Values"), "values"), _values(site, metric),
              Heading(2, _("Improvements that aim to move it"), "improvements-that-aim-to-move-it"),
              improvements_table(register, register.improvements_by_metric[metric.id], BASE,
                                 empty=_("No improvement names this metric yet."))]
    return page(f"{metric.id} {metric.name}", *parts)


def _headline(found: Verdict) -> str:
    """The one sentence that says what the readings say together: first on the page."""
    return f'<p class="csi-lead csi-headline">{escape(found.headline)}</p>'


def _rebase(site: Site, metric: Metric, advice: Rebase) -> str:
    """Why the chart should start a new phase where the change began, why the months
    before read as special causes until it does, and (for editors) the line that does it."""
    register = site.register
    month = cadence.when(advice.date, register.cadence[metric.id].frequency)
    if not advice.improvement_id:
        return _shift_rebase(metric, advice, month)
    imp = register.improvement[advice.improvement_id]
    said = escape(_("{improvement} was implemented on {implemented}, and the metric has "
                    "moved for the better since {month}. Making Data Count recalculates the "
                    "process limits from a lasting change like this, made on purpose, so "
                    "that the values after it are read against the new process, not the "
                    "old one.")).format(
        improvement=improvement_link(BASE, imp) + " " + escape(imp.title),
        implemented=escape(format_date(advice.implemented)), month=escape(month))
    paragraphs = [f"<p>{said}</p>"]
    before = [v for v in register.behaviour[metric.id].latest.values
              if v.date < advice.date and v.label == CONCERN]
    if before:
        paragraphs.append("<p>" + escape(_(
            "Until then one mean and one set of limits span the values before and after the "
            "change. That is why the earlier values read as special causes of concern: they "
            "are not worse than they were, they are a different process from the one "
            "measured now.")) + "</p>")
    paragraphs.append(_rebase_line(metric, advice))
    return "\n".join(paragraphs)


def _shift_rebase(metric: Metric, advice: Rebase, month: str) -> str:
    """A shift the process is in now, no improvement named: read as its own phase, and
    rebased at its first date once it is known to be lasting and why."""
    said = escape(_("The metric has run on one side of its mean since {month}: the verdict "
                    "reads the values since then as a new, provisional process. Once the "
                    "change is understood and lasting, recalculate the limits from {date}, "
                    "where it began.")).format(month=escape(month),
                                                date=escape(format_date(advice.date)))
    return f"<p>{said}</p>\n" + _rebase_line(metric, advice)


def _rebase_line(metric: Metric, advice: Rebase) -> str:
    """For editors: the line that makes the rebase."""
    rebased = ", ".join(day.isoformat() for day in sorted({*metric.rebase, advice.date}))
    line = f"rebase: [{rebased}]"
    file = "metrics/" + Path(metric.where.path).name
    return ('<details class="csi-editors"><summary>' + escape(_("For the register’s editors"))
            + "</summary><p>" + escape(_("Add this line to {file} (csi check lists the same "
                                         "suggestion):")).format(file=f"<code>{escape(file)}</code>")
            + f"</p><pre><code>{escape(line)}</code></pre></details>")


def _fields(site: Site, metric: Metric) -> str:
    register = site.register
    target = metric.target
    now = latest(register, metric.id)
    found = verdict(register, metric.id)
    rows = [
        (escape(_("Unit")), escape(metric.unit)),
        (escape(_("Direction")), escape(words.direction(metric.direction))),
        (escape(_("Owner")), escape(metric.owner) if metric.owner else NOTHING),
        (escape(_("Services")), service_links(site, BASE, metric.services) or NOTHING),
        (escape(_("Baseline")), _on(quantity(metric.baseline.value, metric.unit),
                                    metric.baseline.date)),
        (escape(_("Target")), (quantity(target.value, metric.unit)
                               + (" " + escape(_("by {date}")).format(date=date(target.date))
                                  if target.date else "")) if target else NOTHING),
        (escape(_("Latest")), (_on(quantity(now.value, metric.unit), now.date) if now
                               else escape(_("not measured yet")))
         + late_mark(register, metric.id, BASE, before=" ")),
        (escape(_("Frequency")), _frequency(register.cadence[metric.id])),
        (escape(_("Verdict")), f"{verdict_badge(found, BASE)} {escape(found.reason)}" if found
         else NOTHING),
        (escape(_("Variation")), _reading("variation", register.behaviour[metric.id], metric)),
        (escape(_("Assurance")), _reading("assurance", register.behaviour[metric.id], metric,
                                          register.cadence[metric.id].frequency, found)),
    ]
    if metric.rebase:
        rows.append((escape(_("Rebased")), ", ".join(date(day) for day in metric.rebase)))
    body = "\n".join(f'<tr><th scope="row">{name}</th><td>{value}</td></tr>' for name, value in rows)
    caption = escape(_("{id} at a glance").format(id=metric.id))
    return (f'<div class="csi-table csi-fields">\n<table>\n<caption>{caption}'
            f"</caption>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>")


def _on(value_html: str, day: dt.date) -> str:
    """"4.5 hours on 2026-11-30", the value already HTML."""
    return escape(_("{value} on {date}")).format(value=value_html, date=date(day))


def _frequency(found: cadence.Cadence) -> str:
    """"monthly", or where that came from when the metric's file names no frequency."""
    word = words.frequency(found.frequency)
    if found.source == cadence.FROM_DATES:
        word = _("{frequency} (read from its dates)").format(frequency=word)
    elif found.source == cadence.FROM_DEFAULT:
        word = _("{frequency} (too few values to read it from their dates)").format(
            frequency=word)
    return escape(word)


def _reading(kind: str, behaviour: Behaviour, metric: Metric, frequency: str = "monthly",
             found: Verdict | None = None) -> str:
    """A variation or assurance badge and what it means for this metric, in one sentence;
    where the process is changing, the assurance says its limits are the process's before
    the change began."""
    word = behaviour.variation if kind == "variation" else behaviour.assurance
    bounds = behaviour.latest.limits
    if word == TOO_FEW_POINTS:
        sentence = ngettext("{count} value since {date}: {least} are needed to set process "
                            "limits.", "{count} values since {date}: {least} are needed to set "
                            "process limits.", len(behaviour.latest.values)).format(
            count=len(behaviour.latest.values), date=format_date(behaviour.latest.start),
            least=MIN_POINTS)
    elif kind == "variation":
        sentence = {
            COMMON_CAUSE: _("The latest value is within what this process usually gives: "
                            "no sign that it has changed."),
            IMPROVEMENT: _("The latest value is a special cause, for the better: the process "
                           "has changed."),
            CONCERN: _("The latest value is a special cause, for the worse: the process has "
                       "changed and needs a look."),
        }[word]
    elif word == NO_TARGET or bounds is None or metric.target is None:
        sentence = ""
    else:
        decimals = (found.decimals if found else 2) + 1
        limits = _("Process limits {lower} to {upper}.").format(
            lower=format_number(bounds.lower, decimals), upper=format_number(bounds.upper, decimals))
        change = found.changing if found else None
        if change is not None:
            # Limits drawn across a change mix the old process and the new: they say
            # nothing about the target; the verdict reads the change itself.
            sentence = limits + " " + _(
                "The process has been changing since {start}: these limits are worked out over "
                "the values before and during the change, so they describe neither the old "
                "process nor the new one; the verdict judges the change by its pace or its new "
                "level instead.").format(start=cadence.when(change.start, frequency))
        else:
            sentence = limits + " " + {
                PASSES: _("Every value this process usually gives meets the target of {target}."),
                FAILS: _("This process will not meet the target of {target} unless it changes."),
                HIT_AND_MISS: _("This process meets the target of {target} {in_some} and "
                                "misses it in others."),
            }[word].format(target=format_number(metric.target.value, decimals),
                           in_some=cadence.in_some(frequency))
    badge = signal_badge(kind, word, BASE, frequency=frequency)
    return f"{badge} {escape(sentence)}" if sentence else badge


def _values(site: Site, metric: Metric) -> str:
    """The baseline, then every snapshot's value in date order, each with its process
    behaviour class when its phase is long enough to read; a row for each gap and, for a
    late metric, one for the values due since its newest (`_missing_rows`)."""
    classes = {(v.date, v.value): v.label for v in site.register.behaviour[metric.id].values}
    found = site.register.cadence[metric.id]
    rows = [[date(metric.baseline.date), quantity(metric.baseline.value, metric.unit),
             escape(_("baseline")), _variation(classes.get((metric.baseline.date,
                                                            metric.baseline.value)))]]
    unmeasured: list[Point] = []
    for point in site.register.series[metric.id]:
        if point.value is None:
            if not any(gap.after < point.date < gap.until for gap in found.gaps):
                rows.append([date(point.date), f'<span class="csi-none">'
                             f'{escape(_("not measured"))}</span>',
                             escape(point.source) if point.source else NOTHING, NOTHING])
            else:  # said once, in its gap's row
                unmeasured.append(point)
            continue
        rows.append([date(point.date), quantity(point.value, metric.unit),
                     escape(point.source) if point.source else NOTHING,
                     _variation(classes.get((point.date, point.value)))])
    _missing_rows(rows, found, unmeasured)
    return table([_("Date"), _("Value"), _("Source"), _("Process behaviour")], rows)


def _variation(label: str | None) -> str:
    return signal_badge("variation", label, BASE) if label else NOTHING


def _missing_rows(rows: list[list[str]], found: cadence.Cadence,
                  unmeasured: list[Point]) -> None:
    """A row at each gap, "no value for 3 months", just before the value that ends it, its
    date cell the dates the missing values were due and its source the snapshots that left
    the metric unmeasured there; for a late metric, a last row for the values due since its
    newest ("no value for 3 months, late"). `rows` start with their date, in date order."""
    for gap in reversed(found.gaps):
        due = found.missing_dates(gap)
        sources = sorted({p.source for p in unmeasured
                          if gap.after < p.date < gap.until and p.source})
        said = f'<span class="csi-gap">{escape(cadence.missing_text(gap, found.frequency))}</span>'
        at = next(index for index, row in enumerate(rows) if row[0] == date(gap.until))
        rows.insert(at, [_span(due), said, escape(_("not measured in: {sources}").format(
            sources="; ".join(sources))) if sources else NOTHING, NOTHING])
    if found.late and found.overdue:
        due = tuple(cadence.add_periods(found.newest, step, found.frequency)
                    for step in range(1, found.overdue + 1))
        gap = cadence.Gap(found.newest, due[-1], found.overdue)
        rows.append([_span(due), '<span class="csi-gap">' + escape(_("{missing}, late").format(
            missing=cadence.missing_text(gap, found.frequency))) + "</span>", NOTHING, NOTHING])


def _span(due: tuple[dt.date, ...]) -> str:
    """The dates missing values were due: "2026-08-31 – 2026-10-31"."""
    return date(due[0]) + (f" – {date(due[-1])}" if len(due) > 1 else "")
