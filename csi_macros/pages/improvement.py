"""One page per improvement, `register/<id>/`: every field of its file, rendered.

The page reads top to bottom like the file: the fields in a table, the description and
benefits, the answers to the model's questions under their headings (step 5 is the
action checklist), the log (newest first) and the outcome.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..model import DIMENSIONS, PRINCIPLES, STATUSES, STEPS, Improvement
from . import addresses
from .blocks import (NOTHING, block, date, escape, flag_badges, improvement_link, latest, link,
                     number, priority_badge, quantity, status_badge, status_label)
from .context import Site
from .page import Heading, Page, Part, page
from .text import text_html

BASE = addresses.base_of(addresses.improvement("X"))
OVERDUE = '<span class="csi-badge csi-flag csi-flag--overdue">overdue</span>'
STALE = '<span class="csi-badge csi-flag csi-flag--stale">stale</span>'
DONE = '<span class="csi-check" role="img" aria-label="done">✓</span>'
TO_DO = '<span class="csi-check" role="img" aria-label="to do">☐</span>'

# Which model answer answers which step (step 5 is the actions list).
MODEL_ANSWERS = {1: "vision", 2: "current_state", 3: "target_state", 4: "plan", 6: "review",
                 7: "momentum"}


def pages(site: Site) -> dict[str, Page]:
    """Every improvement's page, by source path."""
    return {addresses.improvement_source(imp.id): improvement_page(site, imp)
            for imp in site.register.improvements}


def improvement_page(site: Site, imp: Improvement) -> Page:
    facts = site.register.facts[imp.id]
    summary = " ".join(part for part in (status_badge(imp.status), priority_badge(imp.priority),
                                         flag_badges(facts)) if part)
    parts: list[Part] = [
        block(f'<p class="csi-badges">{summary}</p>', _fields(site, imp),
              source_note(site, "improvements/" + Path(imp.where.path).name)),
        Heading(2, "Description"), text_html(imp.description)]
    if imp.benefits:
        parts += [Heading(2, "Expected benefits"), text_html(imp.benefits)]
    parts += _model(site, imp)
    parts += [Heading(2, "Log"), _log(imp)]
    if imp.outcome:
        parts += [Heading(2, "Outcome"), text_html(imp.outcome)]
    return page(f"{imp.id} {imp.title}", *parts)


def source_note(site: Site, relative: str) -> str:
    """Where a record's file is, with a link to edit it when the site knows its repository."""
    path = addresses.source_path(site.context, relative)
    url = addresses.edit_url(site.context, relative)
    if url:
        return (f'<p class="csi-source"><a href="{escape(url)}" rel="nofollow">Edit '
                f"<code>{escape(path)}</code></a> in the repository.</p>")
    return f'<p class="csi-source">Source file: <code>{escape(path)}</code></p>'


def _last_change(site: Site, imp: Improvement) -> str:
    change = site.last_change(imp)
    if change is None:
        return ""
    return (f"{date(change.date)} in commit <code>{escape(change.commit[:10])}</code> "
            f"({escape(change.subject)})")


def _fields(site: Site, imp: Improvement) -> str:
    """The record's fields as a table: the ones every improvement has, then those it sets."""
    register = site.register
    facts = register.facts[imp.id]
    rows = [
        ("Status", f"{status_label(imp.status)}, {_step(facts.step, STATUSES[imp.status].step_label)}"),
        ("Priority", imp.priority),
        ("Owner", escape(imp.owner) if imp.owner else NOTHING),
        ("Raised", date(imp.raised) + (f" by {escape(imp.raised_by)}" if imp.raised_by else "")),
        ("Target date", date(imp.target_date) + (f" {OVERDUE}" if facts.overdue else "")),
        ("Last activity", date(facts.last_activity) + (f" {STALE}" if facts.stale else "")),
        ("Value", number(imp.value)),
        ("Effort", number(imp.effort)),
        ("Priority score", f'{number(site.scores[imp.id])} <span class="csi-formula">= <code>'
                           f"{escape(site.context.priority_formula)}</code></span>"),
        ("Objectives", _lines(link(BASE, addresses.objective(o), f"{o} {register.objective[o].title}")
                              for o in imp.objectives) or NOTHING),
    ]
    optional = [
        ("Closed", date(imp.closed) if imp.closed else ""),
        ("Guiding principles", ", ".join(link(BASE, addresses.principle(p), PRINCIPLES[p])
                                         for p in imp.principles)),
        ("Dimensions", escape(", ".join(DIMENSIONS[d] for d in imp.dimensions))),
        ("Services", escape(", ".join(imp.services))),
        ("Metrics", _lines(_metric(site, m) for m in imp.metrics)),
        ("Related", _lines(f"{improvement_link(BASE, register.improvement[r])} "
                           f"{escape(register.improvement[r].title)} "
                           f"({status_label(register.improvement[r].status)})"
                           for r in imp.related)),
        ("Tags", escape(", ".join(imp.tags))),
        ("File last changed", _last_change(site, imp)),
    ]
    rows += [(name, value) for name, value in optional if value]
    body = "\n".join(f'<tr><th scope="row">{name}</th><td>{value}</td></tr>' for name, value in rows)
    return (f'<div class="csi-table csi-fields">\n<table>\n<caption>{escape(imp.id)} at a glance'
            f"</caption>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>")


def _step(step: int | None, label: str) -> str:
    if step is None:
        return "outside the model's steps"
    return f"at step {link(BASE, addresses.step(step), label)}"


def _metric(site: Site, metric_id: str) -> str:
    metric = site.register.metric[metric_id]
    now = latest(site.register, metric_id)
    value = (f"latest {quantity(now.value, metric.unit)} ({now.date})" if now
             else "not measured yet")
    return f"{link(BASE, addresses.metric(metric_id), metric_id)} {escape(metric.name)}: {value}"


def _lines(items: Iterable[str]) -> str:
    """Items one per line (nothing when there are none)."""
    return "<br>".join(items)


def _model(site: Site, imp: Improvement) -> list[Part]:
    """The answers to the model's questions, each under its question (step 5: the actions)."""
    parts: list[Part] = []
    for step, question in STEPS.items():
        if step == 5:
            if imp.actions:
                parts += [Heading(3, f"5 {question}"), _actions(site, imp)]
            continue
        answer = getattr(imp.model, MODEL_ANSWERS[step])
        if answer:
            parts += [Heading(3, f"{step} {question}"), text_html(answer)]
    if not parts:
        parts = [block('<p class="csi-empty">No answers to the model\'s questions yet.</p>')]
    return [Heading(2, "The continual improvement model"), *parts]


def _actions(site: Site, imp: Improvement) -> str:
    """The actions as a checklist: done ones ticked, overdue ones marked."""
    facts = site.register.facts[imp.id]
    items = []
    for index, action in enumerate(imp.actions):
        details = ", ".join(part for part in (f"owner {action.owner}" if action.owner else "",
                                              f"due {action.due}" if action.due else "") if part)
        overdue = f" {OVERDUE}" if index in facts.overdue_actions else ""
        items.append(f'<li class="csi-action--{"done" if action.done else "open"}">'
                     f"{DONE if action.done else TO_DO} {escape(action.title)}"
                     + (f" ({escape(details)})" if details else "") + f"{overdue}</li>")
    return block(f'<p class="csi-progress">{facts.actions_done} of {facts.actions_total} done.</p>',
                 '<ul class="csi-actions">\n' + "\n".join(items) + "\n</ul>")


def _log(imp: Improvement) -> str:
    """The log as a timeline, newest first (the file lists it newest last)."""
    if not imp.log:
        return block('<p class="csi-empty">Nothing logged yet.</p>')
    entries = sorted(enumerate(imp.log), key=lambda item: (item[1].date, item[0]), reverse=True)
    items = []
    for _, entry in entries:
        moved = f" {status_badge(entry.status)}" if entry.status else ""
        items.append(f"<li>{date(entry.date)}{moved} {escape(entry.note)}</li>")
    return block('<p class="csi-hint">Newest first.</p>',
                 '<ol class="csi-log">\n' + "\n".join(items) + "\n</ol>")

