"""The services: `services/` (every service the register names) and a page per service.

Service owners look for their service, not for an improvement's id, and ask two things:
is my service improving, and did our improvements work? A service's page answers them
first: the catalogue's owner and description when `register.yml` has a catalogue, then
the metrics that measure the service (those that name it, and those its improvements aim
to move), each with its headline, verdict, variation and assurance, those that need
attention first; then whether each of its improvements moved its metrics (the evidence);
then the improvements in the register's own table (sortable and filterable), a chart of
them by status, and its recent changes. The services page counts, per service, its
metrics and how many of them need attention.

A service's address is `services/<slug>/`, the slug being its name in lower-case ASCII
words (`addresses.slug`): names may hold spaces, `&` and letters of any language, and an
address should survive being typed, mailed and pasted.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from ...readings.evidence import implemented_on
from ...readings.facts import Register, ServiceMetric
from ...i18n import _, ngettext
from ...register.model import Improvement
from ...readings.verdicts import NEEDS_ATTENTION
from .. import addresses
from .blocks import (NOTHING, behaviour_badges, block, chart, date, escape, improvement_link,
                     late_mark, link, metric_link, signal_badge, status_badge, table,
                     verdict_badge)
from .context import Site
from .page import Heading, Page, Part, page
from .register import WIDE, filters, register_table
from ..text import text_html

INDEX_BASE = addresses.base_of(addresses.SERVICES)
BASE = addresses.base_of(addresses.service("x"))
TABLE_ID = "csi-service-table"


def pages(site: Site) -> dict[str, Page]:
    """The services page and one page per service, by source path."""
    files: dict[str, Page] = {"services/index.md": index_page(site)}
    rows: dict[str, str] = {}  # an improvement naming several services: one row, made once
    for name, slug in site.service_slugs.items():
        files[addresses.service_source(slug)] = service_page(site, name, rows)
    return files


def service_links(site: Site, base: str, names: Iterable[str]) -> str:
    """Service names, each linked to its page, comma-separated."""
    return ", ".join(link(base, addresses.service(site.service_slugs[name]), name)
                     for name in names)


def chart_name(slug: str) -> str:
    """The name of a service's chart (see `charts.service`)."""
    return f"service-{slug}"


def needing_attention(register: Register, measured: Sequence[ServiceMetric]) -> int:
    """How many of a service's metrics need attention (`verdicts.attention`)."""
    return sum(_attention(register, entry) < NEEDS_ATTENTION for entry in measured)


def _attention(register: Register, entry: ServiceMetric) -> int:
    return register.attention[entry.metric.id]


def index_page(site: Site) -> Page:
    register = site.register
    names = register.services
    if not names:
        return page(_("Services"), '<p class="csi-empty">'
                    + escape(_("No improvement or metric names a service yet.")) + "</p>")
    catalogue = bool(register.service)
    intro = ('<p class="csi-lead">' + escape(ngettext(
        "{count} service named in the register, as of {date}.",
        "{count} services named in the register, as of {date}.", len(names)).format(
            count=len(names), date=register.today.isoformat())) + " "
        + escape(_("Each service's page says how the metrics that measure it are doing, "
                   "whether its improvements moved them, and what changed recently."))
        + (" " + escape(_("The owners are those of the service catalogue.")) if catalogue else "")
        + "</p>")
    rows = []
    for name in names:
        improvements = register.improvements_by_service[name]
        measured = register.service_metrics[name]
        still_open = sum(register.facts[imp.id].open for imp in improvements)
        needing = needing_attention(register, measured)
        entry = register.service.get(name)
        owner = [escape(entry.owner) if entry and entry.owner else NOTHING] if catalogue else []
        rows.append([link(INDEX_BASE, addresses.service(site.service_slugs[name]), name),
                     *owner, str(len(measured)),
                     f"<strong>{needing}</strong>" if needing else "0",
                     str(still_open), str(len(improvements) - still_open)])
    headers = [_("Service"), *([_("Owner")] if catalogue else []), _("Metrics"),
               _("Need attention"), _("Open improvements"), _("Finished")]
    return page(_("Services"), block(intro, table(headers, rows, label=_("Services"))))


def service_page(site: Site, name: str, rows: dict[str, str] | None = None) -> Page:
    register = site.register
    improvements = register.improvements_by_service[name]
    measured = register.service_metrics[name]
    entry = register.service.get(name)
    parts: list[Part] = [block(_owner(register, name), _summary(register, name))]
    if entry is not None and entry.description:
        parts.append(text_html(entry.description))
    parts += [Heading(2, _("Metrics that measure it"), "metrics"),
              _metrics(site, name, measured),
              Heading(2, _("Did its improvements work?"), "evidence"),
              _evidence(site, improvements),
              Heading(2, _("Improvements"), "improvements")]
    if improvements:
        parts.append(block(filters(TABLE_ID), register_table(
            site, improvements, BASE, table_id=TABLE_ID,
            label=_("Improvements naming {service}").format(service=name), row_cache=rows)))
        drawn = chart(register, chart_name(site.service_slugs[name]), BASE)
        if drawn:
            parts += [Heading(2, _("Improvements by status"), "by-status"), drawn]
    else:
        nothing = escape(_("No improvement names this service yet."))
        parts.append(f'<p class="csi-empty">{nothing}</p>')
    parts += [Heading(2, _("Recent changes"), "changes"), _changes(site, name)]
    return page(name, *parts, hide=WIDE)


def _summary(register: Register, name: str) -> str:
    """The service in two sentences: its metrics (and how many need attention), its
    improvements."""
    improvements = register.improvements_by_service[name]
    measured = register.service_metrics[name]
    still_open = sum(register.facts[imp.id].open for imp in improvements)
    needing = needing_attention(register, measured)
    metrics = ngettext("{count} metric measures it.", "{count} metrics measure it.",
                       len(measured)).format(count=len(measured))
    if needing:
        metrics += " " + ngettext("{count} needs attention.", "{count} need attention.",
                                  needing).format(count=needing)
    named = ngettext("{open} open improvement and {done} finished name this service.",
                     "{open} open improvements and {done} finished name this service.",
                     still_open).format(open=still_open, done=len(improvements) - still_open)
    return (f'<p class="csi-lead">{escape(metrics)} {escape(named)} '
            f'{link(BASE, addresses.SERVICES, _("Every service"))}</p>')


def _owner(register: Register, name: str) -> str:
    """The owner the service catalogue names (nothing without a catalogue entry)."""
    entry = register.service.get(name)
    if entry is None:
        return ""
    return ('<p class="csi-service-owner">' + escape(_("Service owner: {owner}")).format(
        owner=escape(entry.owner) if entry.owner else NOTHING) + "</p>")


def _metrics(site: Site, name: str, measured: Sequence[ServiceMetric]) -> str:
    """The metrics that measure the service, those needing attention first, each with
    its headline and readings, and how it is linked to the service."""
    register = site.register
    if not measured:
        return f'<p class="csi-empty">{escape(_("No metric measures this service yet."))}</p>'
    rows = []
    for entry in sorted(measured, key=lambda e: (_attention(register, e), e.metric.id)):
        metric = entry.metric
        rows.append([
            f"{metric_link(BASE, metric)} {escape(metric.name)}",
            escape(register.verdicts[metric.id].headline),
            verdict_badge(register.verdicts[metric.id], BASE)
            + late_mark(register, metric.id, BASE, before="<br>"),
            *behaviour_badges(register, metric.id, BASE),
            _linked(register, entry),
        ])
    hint = escape(_("Those that need attention first. A metric reached through an "
                    "improvement is one the improvement aims to move."))
    return block(f'<p class="csi-hint">{hint}</p>', table(
        [_("Metric"), _("In plain words"), _("Verdict"), _("Variation"), _("Assurance"),
         _("How it is linked")], rows, label=_("Metrics of {service}").format(service=name),
        listing=True))


def _linked(register: Register, entry: ServiceMetric) -> str:
    """"names this service", "reached through CSI-0004, CSI-0014", or both."""
    lines = [escape(_("names this service"))] if entry.named else []
    if entry.through:
        ids = ", ".join(improvement_link(BASE, register.improvement[id]) for id in entry.through)
        lines.append(escape(_("reached through {improvements}")).format(
            improvements=f'<span class="csi-ids">{ids}</span>'))
    return "<br>".join(lines)


def _evidence(site: Site, improvements: Sequence[Improvement]) -> str:
    """Did each of the service's improvements move the metrics it names? One row per
    improvement that has been implemented and names a metric, an evidence badge per metric
    (the others have nothing to read yet: they are counted, not listed)."""
    register = site.register
    read = [imp for imp in improvements if imp.metrics and implemented_on(imp) is not None]
    unread = len(improvements) - len(read)
    rest = ("<p>" + escape(ngettext(
        "{count} more improvement has no evidence yet: it names no metric, or is not "
        "implemented yet.",
        "{count} more improvements have no evidence yet: they name no metric, or are not "
        "implemented yet.", unread).format(count=unread)) + "</p>") if unread else ""
    if not read:
        return ('<p class="csi-empty">' + escape(_(
            "None of its improvements has evidence yet: that takes an improvement that names "
            "a metric and has been implemented.")) + "</p>")
    rows = []
    for imp in read:
        readings = "<br>".join(
            f"{metric_link(BASE, register.metric[e.metric_id])} "
            + signal_badge("evidence", e.signal, BASE)
            + late_mark(register, e.metric_id, BASE, before=" ") for e in register.evidence(imp))
        # The id leads to the improvement's own evidence, where each reading is explained.
        rows.append([link(BASE, addresses.improvement(imp.id) + "#evidence", imp.id,
                          title=imp.title) + f" {escape(imp.title)}",
                     status_badge(imp.status), readings])
    note = escape(_("“Moved after” is not “caused by”: other changes may have moved a metric "
                    "too. How to read this: {link}.")).format(
        link=link(BASE, "playbook/verdicts/#evidence", _("evidence")))
    return block(table([_("Improvement"), _("Status"), _("Evidence")], rows,
                       label=_("Evidence"), listing=True),
                 rest, f'<p class="csi-hint">{note}</p>')


def _changes(site: Site, name: str) -> str:
    changes = site.changes_by_service[name]
    if not changes:
        return f'<p class="csi-empty">{escape(_("No changes logged yet."))}</p>'
    moved = escape(_("moved to {status}"))
    items = "\n".join(
        f"<li>{date(c.date)} {improvement_link(BASE, c.improvement)} {escape(c.improvement.title)}"
        + (" " + moved.format(status=status_badge(c.entry.status)) if c.entry.status else "")
        + f"<br>{escape(c.entry.note)}</li>" for c in changes)
    return block(f'<ol class="csi-changes" data-search-exclude>\n{items}\n</ol>',
                 f'<p>{link(BASE, addresses.CHANGES, _("Every change"))}</p>')
