"""The metrics: `metrics/` (every metric, its verdict and chart) and `metrics/<id>/`."""

from __future__ import annotations

from pathlib import Path

from ..model import Metric
from ..verdicts import measurements
from . import addresses
from .blocks import (NOTHING, block, chart, date, escape, improvements_table, latest, link,
                     metrics_table, quantity, table, verdict, verdict_badge)
from .context import Site
from .improvement import source_note
from .page import Heading, Page, Part, page
from .text import text_html

INDEX_BASE = addresses.base_of(addresses.METRICS)
BASE = addresses.base_of(addresses.metric("X"))
VERDICTS_PAGE = "playbook/verdicts/"


def pages(site: Site) -> dict[str, Page]:
    """The metrics page and one page per metric, by source path."""
    files: dict[str, Page] = {"metrics/index.md": index_page(site)}
    for metric in site.register.metrics:
        files[addresses.metric_source(metric.id)] = metric_page(site, metric)
    return files


def index_page(site: Site) -> Page:
    register = site.register
    count = len(register.metrics)
    intro = (f'<p class="csi-lead">{count} metric{"" if count == 1 else "s"}, as of '
             f"{register.today.isoformat()}. Each verdict says whether the metric is getting "
             f'where it should ({link(INDEX_BASE, VERDICTS_PAGE, "how verdicts work")}).</p>')
    parts: list[Part] = [block(intro, metrics_table(register, register.metrics, INDEX_BASE))]
    for metric in register.metrics:
        found = verdict(register, metric.id)
        reason = f'<p>{verdict_badge(found)} {escape(found.reason)}</p>' if found else ""
        more = f'<p>{link(INDEX_BASE, addresses.metric(metric.id), f"More about {metric.id}")}</p>'
        parts += [Heading(2, f"{metric.id} {metric.name}"),
                  block(reason, chart(register, f"metric-{metric.id}", INDEX_BASE), more)]
    return page("Metrics", *parts)


def metric_page(site: Site, metric: Metric) -> Page:
    register = site.register
    parts: list[Part] = [
        block(_fields(site, metric),
              source_note(site, "metrics/" + Path(metric.where.path).name))]
    if metric.description:
        parts += [Heading(2, "Definition"), text_html(metric.description)]
    drawn = chart(register, f"metric-{metric.id}", BASE)
    if drawn:
        parts += [Heading(2, "Chart"), drawn]
    parts += [Heading(2, "Values"), _values(site, metric),
              Heading(2, "Improvements that aim to move it"),
              improvements_table(register, register.improvements_by_metric[metric.id], BASE,
                                 empty="No improvement names this metric yet.")]
    return page(f"{metric.id} {metric.name}", *parts)


def _fields(site: Site, metric: Metric) -> str:
    register = site.register
    target = metric.target
    now = latest(register, metric.id)
    found = verdict(register, metric.id)
    rows = [
        ("Unit", escape(metric.unit)),
        ("Direction", "higher is better" if metric.direction == "higher_is_better"
         else "lower is better"),
        ("Owner", escape(metric.owner) if metric.owner else NOTHING),
        ("Baseline", f"{quantity(metric.baseline.value, metric.unit)} on {date(metric.baseline.date)}"),
        ("Target", (quantity(target.value, metric.unit)
                    + (f" by {date(target.date)}" if target.date else "")) if target else NOTHING),
        ("Latest", f"{quantity(now.value, metric.unit)} on {date(now.date)}" if now
         else "not measured yet"),
        ("Verdict", f"{verdict_badge(found)} {escape(found.reason)}" if found else NOTHING),
    ]
    body = "\n".join(f'<tr><th scope="row">{name}</th><td>{value}</td></tr>' for name, value in rows)
    return (f'<div class="csi-table csi-fields">\n<table>\n<caption>{escape(metric.id)} at a '
            f"glance</caption>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>")


def _values(site: Site, metric: Metric) -> str:
    """The baseline, then every snapshot's value in date order (gaps say "not measured")."""
    rows = [[date(metric.baseline.date), quantity(metric.baseline.value, metric.unit), "baseline"]]
    for point in measurements(metric, site.register.series[metric.id]):
        value = quantity(point.value, metric.unit) if point.value is not None else \
            '<span class="csi-none">not measured</span>'
        rows.append([date(point.date), value, escape(point.source) if point.source else NOTHING])
    return table(["Date", "Value", "Source"], rows)
