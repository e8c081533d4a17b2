"""`objectives/`: the vision, each objective traced to its metrics and improvements, and
the improvements not yet traced to any objective."""

from __future__ import annotations

from ...i18n import _
from ...register.model import STATUSES, Improvement, Objective
from .. import addresses
from .blocks import (block, chart, escape, flag_badges, improvement_link, metrics_table,
                     priority_badge, status_badge)
from .context import Site
from .improvement import source_note
from .page import Heading, Page, Part, page
from ..text import text_html

BASE = addresses.base_of(addresses.OBJECTIVES)


def pages(site: Site) -> dict[str, Page]:
    return {"objectives/index.md": objectives_page(site)}


def objectives_page(site: Site) -> Page:
    register = site.register
    organisation = register.organisation
    parts: list[Part] = [Heading(2, _("Vision"), "vision"), text_html(organisation.vision),
                         source_note(site, "register.yml")]
    for objective in organisation.objectives:
        parts += _objective(site, objective)
    untraced = [imp for imp in register.improvements if not imp.objectives]
    parts += [Heading(2, _("Not linked to any objective"), "no-objective"),
              block('<p class="csi-lead">' + escape(_(
                  "Improvements that no objective explains yet (only proposed and rejected ones "
                  "may stay like this).")) + "</p>",
                    _grouped(site, untraced, _("Every improvement serves an objective.")))]
    return page(_("Objectives"), *parts)


def _objective(site: Site, objective: Objective) -> list[Part]:
    register = site.register
    parts: list[Part] = [Heading(2, f"{objective.id} {objective.title}",
                                 addresses.objective_anchor(objective.id))]
    if objective.description:
        parts.append(text_html(objective.description))
    metrics = [register.metric[m] for m in objective.metrics]
    drawn = chart(register, f"objective-{objective.id}", BASE) if metrics else ""
    parts.append(block(f'<h3 class="csi-subheading">{escape(_("Measured by"))}</h3>',
                       metrics_table(register, metrics, BASE,
                                     label=_("Metrics of {id}").format(id=objective.id)),
                       drawn,
                       f'<h3 class="csi-subheading">{escape(_("Improvements serving it"))}</h3>',
                       _grouped(site, register.improvements_by_objective[objective.id],
                                _("No improvement serves this objective yet."))))
    return parts


def _grouped(site: Site, improvements: tuple[Improvement, ...] | list[Improvement],
             empty: str) -> str:
    """Improvements grouped by status, in the model's order."""
    if not improvements:
        return f'<p class="csi-empty">{escape(empty)}</p>'
    groups = []
    for status in STATUSES:
        members = [imp for imp in improvements if imp.status == status]
        if not members:
            continue
        items = "".join(f"<li>{improvement_link(BASE, imp)} {escape(imp.title)} "
                        f"{priority_badge(imp.priority)} {flag_badges(site.register.facts[imp.id])}"
                        "</li>" for imp in members)
        groups.append(f'<section class="csi-group"><p class="csi-group__title">{status_badge(status)} '
                      f'{len(members)}</p><ul class="csi-list">{items}</ul></section>')
    # No <div> inside the excluded <div>: Material's search parser would end the exclusion
    # where the first inner one closes.
    return '<div class="csi-groups" data-search-exclude>' + "\n".join(groups) + "</div>"
