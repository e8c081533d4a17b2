"""The services: `services/` (every service the register names) and a page per service.

Service owners look for their service, not for an improvement's id. A service's page
holds what the register knows about it: the catalogue's owner and description when
`register.yml` has a catalogue, the improvements that name it (the register's own table,
sortable and filterable), a chart of them by status, the metrics that measure it with
their verdicts, and its recent changes.

A service's address is `services/<slug>/`, the slug being its name in lower-case ASCII
words (`addresses.slug`): names may hold spaces, `&` and letters of any language, and an
address should survive being typed, mailed and pasted.
"""

from __future__ import annotations

from typing import Iterable

from ..i18n import _, ngettext
from . import addresses
from .blocks import (NOTHING, block, chart, date, escape, improvement_link, link, metrics_table,
                     status_badge, table)
from .context import Site
from .page import Heading, Page, Part, page
from .register import WIDE, filters, register_table
from .text import text_html

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


def index_page(site: Site) -> Page:
    register = site.register
    names = register.services
    if not names:
        intro = ('<p class="csi-empty">' + escape(_(
            "No improvement or metric names a service yet. An improvement lists the services "
            "it affects under {key}, a metric the services it measures.")).format(
                key="<code>services:</code>") + "</p>")
        return page(_("Services"), intro)
    catalogue = (" " + escape(_("The service catalogue in {file} gives each its owner.")).format(
        file="<code>register.yml</code>") if register.service else "")
    intro = ('<p class="csi-lead">' + escape(ngettext(
        "{count} service named in the register, as of {date}.",
        "{count} services named in the register, as of {date}.", len(names)).format(
            count=len(names), date=register.today.isoformat())) + " "
        + escape(_("Each service's page holds the improvements that name it, the metrics that "
                   "measure it and its recent changes.")) + f"{catalogue}</p>")
    rows = []
    for name in names:
        improvements = register.improvements_by_service[name]
        still_open = sum(register.facts[imp.id].open for imp in improvements)
        entry = register.service.get(name)
        rows.append([link(INDEX_BASE, addresses.service(site.service_slugs[name]), name),
                     escape(entry.owner) if entry and entry.owner else NOTHING,
                     str(still_open), str(len(improvements) - still_open),
                     str(len(register.metrics_by_service[name]))])
    return page(_("Services"), block(intro, table(
        [_("Service"), _("Owner"), _("Open improvements"), _("Finished"), _("Metrics")], rows,
        label=_("Services"))))


def service_page(site: Site, name: str, rows: dict[str, str] | None = None) -> Page:
    register = site.register
    improvements = register.improvements_by_service[name]
    metrics = register.metrics_by_service[name]
    entry = register.service.get(name)
    still_open = sum(register.facts[imp.id].open for imp in improvements)
    summary = ('<p class="csi-lead">' + escape(
        ngettext("{open} open improvement and {done} finished name this service.",
                 "{open} open improvements and {done} finished name this service.",
                 still_open).format(open=still_open, done=len(improvements) - still_open)
        + " " + ngettext("{count} metric measures it.", "{count} metrics measure it.",
                         len(metrics)).format(count=len(metrics)))
        + f' {link(BASE, addresses.SERVICES, _("Every service"))}</p>')
    about = ""
    if entry is not None:
        about = ('<p class="csi-service-owner">' + escape(_("Service owner: {owner}")).format(
            owner=escape(entry.owner) if entry.owner else NOTHING) + "</p>")
    parts: list[Part] = [block(summary, about)]
    if entry is not None and entry.description:
        parts.append(text_html(entry.description))
    parts.append(Heading(2, _("Improvements"), "improvements"))
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
    no_metric = escape(_("No metric names this service yet (a metric's {key}).")).format(
        key="<code>services:</code>")
    parts += [Heading(2, _("Metrics that measure it"), "metrics"),
              block(metrics_table(register, metrics, BASE,
                                  label=_("Metrics of {service}").format(service=name)))
              if metrics else f'<p class="csi-empty">{no_metric}</p>',
              Heading(2, _("Recent changes"), "changes"), _changes(site, name)]
    return page(name, *parts, hide=WIDE)


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
