"""`objectives/`: the vision, each objective traced to its metrics and improvements, and
the improvements not yet traced to any objective."""

from __future__ import annotations

from ..model import STATUSES, Improvement, Objective
from . import addresses
from .blocks import (block, chart, escape, flag_badges, improvement_link, metrics_table,
                     priority_badge, status_badge)
from .context import Site
from .improvement import source_note
from .text import escape_md, markdown_block

BASE = addresses.base_of(addresses.OBJECTIVES)


def pages(site: Site) -> dict[str, str]:
    return {"objectives/index.md": objectives_page(site)}


def objectives_page(site: Site) -> str:
    register = site.register
    organisation = register.organisation
    parts = ["# Objectives", "## Vision", markdown_block(organisation.vision),
             block(source_note(site, "register.yml"))]
    for objective in organisation.objectives:
        parts += _objective(site, objective)
    untraced = [imp for imp in register.improvements if not imp.objectives]
    parts += ['## Not linked to any objective {#no-objective}',
              block('<p class="csi-lead">Improvements that no objective explains yet (only '
                    "proposed and rejected ones may stay like this).</p>",
                    _grouped(site, untraced, "Every improvement serves an objective."))]
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


def _objective(site: Site, objective: Objective) -> list[str]:
    register = site.register
    heading = (f"## {escape_md(objective.id)} {escape_md(objective.title)} "
               f"{{#{addresses.objective_anchor(objective.id)}}}")
    parts = [heading]
    if objective.description:
        parts.append(markdown_block(objective.description))
    metrics = [register.metric[m] for m in objective.metrics]
    drawn = chart(register, f"objective-{objective.id}", BASE) if metrics else ""
    parts.append(block('<h3 class="csi-subheading">Measured by</h3>',
                       metrics_table(register, metrics, BASE, label=f"Metrics of {objective.id}"),
                       drawn,
                       '<h3 class="csi-subheading">Improvements serving it</h3>',
                       _grouped(site, register.improvements_by_objective[objective.id],
                                "No improvement serves this objective yet.")))
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
        groups.append(f'<div class="csi-group"><p class="csi-group__title">{status_badge(status)} '
                      f'{len(members)}</p><ul class="csi-list">{items}</ul></div>')
    return '<div class="csi-groups" data-search-exclude>' + "\n".join(groups) + "</div>"
