"""One page per improvement, `register/<id>/`: every field of its file, rendered.

The page reads top to bottom like the file: the fields in a table, the description and
benefits, the answers to the model's questions under their headings (step 5 is the
action checklist), the log (newest first) and the outcome.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from ...readings.behaviour import (ALREADY_CHANGING, MIN_BEFORE, NO_SIGNAL_YET, NOT_IMPLEMENTED, RUN,
                         SIGNAL_OF_IMPROVEMENT, TOO_EARLY, TOO_FEW_BEFORE)
from ...readings.evidence import Evidence, strongest_evidence
from ...readings import words
from ...i18n import _, format_date, ngettext
from ...register.model import STEPS, Improvement
from .. import addresses
from .blocks import (NOTHING, block, date, escape, flag_badges, improvement_link, late_mark,
                     latest, link, number, priority_badge, quantity, signal_badge, status_badge,
                     status_label, table)
from .context import Site
from .page import Heading, Page, Part, page
from .services import service_links
from .tags import tag_links
from ..text import text_html

BASE = addresses.base_of(addresses.improvement("X"))


def _flag(name: str) -> str:
    """The stale or overdue mark beside a date."""
    return f'<span class="csi-badge csi-flag csi-flag--{name}">{escape(words.flag(name))}</span>'


def _check(done: bool) -> str:
    label, mark = (_("done"), "✓") if done else (_("to do"), "☐")
    return f'<span class="csi-check" role="img" aria-label="{escape(label)}">{mark}</span>'


# Which model answer answers which step (step 5 is the actions list).
MODEL_ANSWERS = {1: "vision", 2: "current_state", 3: "target_state", 4: "plan", 6: "review",
                 7: "momentum"}


def pages(site: Site, improvements: Iterable[Improvement] | None = None) -> dict[str, Page]:
    """Every improvement's page (or those of `improvements`), by source path."""
    chosen = site.register.improvements if improvements is None else improvements
    return {addresses.improvement_source(imp.id): improvement_page(site, imp) for imp in chosen}


def improvement_page(site: Site, imp: Improvement) -> Page:
    facts = site.register.facts[imp.id]
    summary = " ".join(part for part in (status_badge(imp.status), priority_badge(imp.priority),
                                         flag_badges(facts)) if part)
    parts: list[Part] = [
        block(f'<p class="csi-badges">{summary}</p>', moved_line(site, imp), _fields(site, imp),
              source_note(site, "improvements/" + Path(imp.where.path).name)),
        Heading(2, _("Description"), "description"), text_html(imp.description)]
    if imp.benefits:
        parts += [Heading(2, _("Expected benefits"), "expected-benefits"),
                  text_html(imp.benefits)]
    parts += _model(site, imp)
    if imp.metrics:
        parts += [Heading(2, _("Evidence"), "evidence"), _evidence(site, imp)]
    parts += [Heading(2, _("Log"), "log"), _log(imp)]
    if imp.outcome:
        parts += [Heading(2, _("Outcome"), "outcome"), text_html(imp.outcome)]
    return page(f"{imp.id} {imp.title}", *parts)


def moved_line(site: Site, imp: Improvement) -> str:
    """Did it move its metrics? One line in the summary box: the strongest evidence across
    them (`evidence.strongest_evidence`), linked to the Evidence section."""
    found = site.register.evidence(imp)
    strongest = strongest_evidence(found)
    if strongest is None:
        return ""
    word, count = strongest
    said = escape(ngettext(
        "Did it move its metrics? {evidence} for {count} of its {total} metric ({details}).",
        "Did it move its metrics? {evidence} for {count} of its {total} metrics ({details}).",
        len(found))).format(evidence=signal_badge("evidence", word, BASE), count=count,
                            total=len(found), details=f'<a href="#evidence">'
                            f'{escape(_("the evidence"))}</a>')
    return f'<p class="csi-moved">{said}</p>'


def source_note(site: Site, relative: str) -> str:
    """Where a record's file is, with a link to edit it when the site knows its repository."""
    path = site.context.source_path(relative)
    url = site.context.edit_url(relative)
    if url:
        return ('<p class="csi-source">' + escape(_("{edit_link} in the repository.")).format(
            edit_link=f'<a href="{escape(url)}" rel="nofollow">'
            + escape(_("Edit {path}")).format(path=f"<code>{escape(path)}</code>") + "</a>")
            + "</p>")
    return ('<p class="csi-source">' + escape(_("Source file: {path}")).format(
        path=f"<code>{escape(path)}</code>") + "</p>")


def _last_change(site: Site, imp: Improvement) -> str:
    change = site.last_change(imp)
    if change is None:
        return ""
    return escape(_("{date} in commit {commit} ({subject})")).format(
        date=date(change.date), commit=f"<code>{escape(change.commit[:10])}</code>",
        subject=escape(change.subject))


def _fields(site: Site, imp: Improvement) -> str:
    """The record's fields as a table: the ones every improvement has, then those it sets."""
    register = site.register
    facts = register.facts[imp.id]
    rows = [
        (_("Status"), f"{escape(status_label(imp.status))}, {_step(facts.step, imp.status)}"),
        (_("Priority"), escape(words.priority(imp.priority))),
        (_("Owner"), escape(imp.owner) if imp.owner else NOTHING),
        (_("Raised"), date(imp.raised) + (" " + escape(_("by {name}")).format(
            name=escape(imp.raised_by)) if imp.raised_by else "")),
        (_("Target date"), date(imp.target_date) + (f" {_flag('overdue')}" if facts.overdue else "")),
        (_("Last activity"), date(facts.last_activity) + (f" {_flag('stale')}" if facts.stale else "")),
        (_("Value"), number(imp.value)),
        (_("Effort"), number(imp.effort)),
        (_("Priority score"), f'{number(site.scores[imp.id])} <span class="csi-formula">= '
                              f"{escape(site.context.priority_formula)}</span>"),
        (_("Objectives"), _lines(link(BASE, addresses.objective(o),
                                      f"{o} {register.objective[o].title}")
                                 for o in imp.objectives) or NOTHING),
    ]
    optional = [
        (_("Closed"), date(imp.closed) if imp.closed else ""),
        (_("Guiding principles"), ", ".join(link(BASE, addresses.principle(p), words.principle(p))
                                            for p in imp.principles)),
        (_("Dimensions"), ", ".join(link(BASE, addresses.dimension(d), words.dimension(d))
                                    for d in imp.dimensions)),
        (_("Services"), service_links(site, BASE, imp.services)),
        (_("Metrics"), _lines(_metric(site, m) for m in imp.metrics)),
        (_("Related"), _lines(f"{improvement_link(BASE, register.improvement[r])} "
                              f"{escape(register.improvement[r].title)} "
                              f"({escape(status_label(register.improvement[r].status))})"
                              for r in imp.related)),
        (_("Tags"), tag_links(site, BASE, imp.tags)),
        # Set by `csi import` when the sheet's id did not fit: findable by its old name.
        (_("Former id"), escape(str(imp.extra["former_id"])) if "former_id" in imp.extra
         and imp.extra["former_id"] is not None else ""),
        (_("File last changed"), _last_change(site, imp)),
    ]
    rows += [(name, value) for name, value in optional if value]
    body = "\n".join(f'<tr><th scope="row">{escape(name)}</th><td>{value}</td></tr>'
                     for name, value in rows)
    caption = escape(_("{id} at a glance").format(id=imp.id))
    return (f'<div class="csi-table csi-fields">\n<table>\n<caption>{caption}'
            f"</caption>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>")


def _step(step: int | None, status: str) -> str:
    if step is None:
        return escape(_("outside the model's steps"))
    return escape(_("at step {step}")).format(
        step=link(BASE, addresses.step(step), words.step_label(status)))


def _metric(site: Site, metric_id: str) -> str:
    metric = site.register.metric[metric_id]
    now = latest(site.register, metric_id)
    value = (escape(_("latest {value} ({date})")).format(value=quantity(now.value, metric.unit),
                                                          date=now.date) if now
             else escape(_("not measured yet")))
    return (f"{link(BASE, addresses.metric(metric_id), metric_id)} {escape(metric.name)}: {value}"
            + late_mark(site.register, metric_id, BASE, before=" "))


def _lines(items: Iterable[str]) -> str:
    """Items one per line (nothing when there are none)."""
    return "<br>".join(items)


def _model(site: Site, imp: Improvement) -> list[Part]:
    """The answers to the model's questions, each under its question (step 5: the actions)."""
    parts: list[Part] = []
    for step, question in STEPS.items():
        # The anchors stay English (`5-take-action`): addresses are the same in every language.
        anchor = re.sub(r"[^a-z0-9]+", "-", f"{step} {question}".lower()).strip("-")
        if step == 5:
            if imp.actions:
                parts += [Heading(3, f"5 {words.step_question(5)}", anchor), _actions(site, imp)]
            continue
        answer = getattr(imp.model, MODEL_ANSWERS[step])
        if answer:
            parts += [Heading(3, f"{step} {words.step_question(step)}", anchor),
                      text_html(answer)]
    if not parts:
        parts = [block('<p class="csi-empty">'
                       + escape(_("No answers to the model's questions yet.")) + "</p>")]
    return [Heading(2, _("The continual improvement model"), "the-continual-improvement-model"),
            *parts]


def _actions(site: Site, imp: Improvement) -> str:
    """The actions as a checklist: done ones ticked, overdue ones marked."""
    facts = site.register.facts[imp.id]
    items = []
    for index, action in enumerate(imp.actions):
        details = ", ".join(part for part in (
            _("owner {name}").format(name=action.owner) if action.owner else "",
            _("due {date}").format(date=action.due) if action.due else "") if part)
        overdue = f" {_flag('overdue')}" if index in facts.overdue_actions else ""
        items.append(f'<li class="csi-action--{"done" if action.done else "open"}">'
                     f"{_check(action.done)} {escape(action.title)}"
                     + (f" ({escape(details)})" if details else "") + f"{overdue}</li>")
    progress = _("{done} of {total} done.").format(done=facts.actions_done,
                                                    total=facts.actions_total)
    return block(f'<p class="csi-progress">{escape(progress)}</p>',
                 '<ul class="csi-actions">\n' + "\n".join(items) + "\n</ul>")


def _log(imp: Improvement) -> str:
    """The log as a timeline, newest first (the file lists it newest last)."""
    if not imp.log:
        return block(f'<p class="csi-empty">{escape(_("Nothing logged yet."))}</p>')
    entries = sorted(enumerate(imp.log), key=lambda item: (item[1].date, item[0]), reverse=True)
    items = []
    for _position, entry in entries:
        moved = f" {status_badge(entry.status)}" if entry.status else ""
        items.append(f"<li>{date(entry.date)}{moved} {escape(entry.note)}</li>")
    return block(f'<p class="csi-hint">{escape(_("Newest first."))}</p>',
                 '<ol class="csi-log">\n' + "\n".join(items) + "\n</ol>")


def _evidence(site: Site, imp: Improvement) -> str:
    """Did this improvement work? A row per metric it names: the values before the date it
    was implemented against those after it (`evidence.metric_evidence`)."""
    register = site.register
    found = register.evidence(imp)
    day = next((e.date for e in found if e.date), None)
    intro = (_("Did this improvement work? The values of each metric before it was implemented "
               "(on {date}) set a mean and process limits; the values after it are read "
               "against them.").format(date=format_date(day)) if day else
             _("Did this improvement work? Once it is implemented, the values of each metric "
               "before that date set a mean and process limits, and the values after it are "
               "read against them."))
    rows = []
    for evidence in found:
        metric = register.metric[evidence.metric_id]
        rows.append([link(BASE, addresses.metric(metric.id), metric.id), escape(metric.name),
                     signal_badge("evidence", evidence.signal, BASE)
                     + late_mark(register, metric.id, BASE, before="<br>"),
                     # No date yet, no before or after: nothing to count.
                     _mean_of(evidence.before_mean, len(evidence.before), metric.unit)
                     if evidence.date else NOTHING,
                     _mean_of(evidence.after_mean, len(evidence.after), metric.unit)
                     if evidence.date else NOTHING,
                     escape(evidence_sentence(evidence, metric.name))])
    # Translated templates are escaped first, then given their HTML pieces.
    note = escape(_("“Moved after” is not “caused by”: other changes may have moved a metric "
                    "too. How to read this: {link}.")).format(
        link=link(BASE, addresses.VERDICTS + "#evidence", _("evidence")))
    return block(f'<p class="csi-lead">{escape(intro)}</p>',
                 # Figures, not words people search for: kept out of the search index.
                 table([_("Id"), _("Metric"), _("Evidence"), _("Before"), _("After"),
                        _("In plain words")], rows, label=_("Evidence"), listing=True),
                 f'<p class="csi-hint">{note}</p>')


def _mean_of(mean: float | None, count: int, unit: str) -> str:
    """"mean 4.2 hours (8 values)", or the count alone when there is no mean."""
    values = ngettext("{count} value", "{count} values", count).format(count=count)
    if mean is None:
        return escape(values)
    return escape(_("mean {value} ({values})")).format(value=quantity(mean, unit),
                                                       values=escape(values))


def evidence_sentence(evidence: Evidence, name: str) -> str:
    """One sentence in plain words: what the values after the date did. It says "moved
    after", never "caused by"."""
    day = format_date(evidence.date) if evidence.date else ""
    before, after = len(evidence.before), len(evidence.after)
    better = evidence.signal == SIGNAL_OF_IMPROVEMENT
    if evidence.signal == NOT_IMPLEMENTED:
        return _("Not implemented yet: there is no date yet to compare {metric} before and "
                 "after.").format(metric=name)
    if evidence.signal == TOO_FEW_BEFORE:
        return ngettext("Only {count} value of {metric} before {date}: at least {least} are "
                        "needed to set the limits the later values are read against.",
                        "Only {count} values of {metric} before {date}: at least {least} are "
                        "needed to set the limits the later values are read against.",
                        before).format(count=before, metric=name, date=day, least=MIN_BEFORE)
    if evidence.signal == TOO_EARLY:
        return ngettext("Too early to tell: {metric} has {count} value after {date}, within "
                        "the limits set before; {least} are needed to see a run.",
                        "Too early to tell: {metric} has {count} values after {date}, within "
                        "the limits set before; {least} are needed to see a run.",
                        after).format(count=after, metric=name, date=day, least=RUN)
    if evidence.signal == NO_SIGNAL_YET:
        return _("No signal yet: none of the {count} values of {metric} after {date} lies "
                 "beyond the limits set before, and no {least} in a row lie on one side of the "
                 "earlier mean.").format(count=after, metric=name, date=day, least=RUN)
    if evidence.signal == ALREADY_CHANGING:
        return already_changing_sentence(evidence, name)
    since = format_date(evidence.since) if evidence.since else day
    if evidence.single is not None:
        return (_("{metric} moved after {date}, for the better, but on one value only: "
                  "{single} lies beyond the limit set by the {count} values before.") if better
                else _("{metric} moved after {date}, for the worse, but on one value only: "
                       "{single} lies beyond the limit set by the {count} values before.")
                ).format(metric=name, date=day, single=format_date(evidence.single),
                         count=before)
    if evidence.reason == "limit":
        return (_("{metric} moved after {date}, for the better, from {since}: a value since "
                  "then lies beyond the limit set by the {count} values before.") if better else
                _("{metric} moved after {date}, for the worse, from {since}: a value since then "
                  "lies beyond the limit set by the {count} values before.")
                ).format(metric=name, date=day, since=since, count=before)
    return (_("{metric} moved after {date}, for the better, from {since}: {least} or more "
              "values in a row since then lie on the better side of the earlier mean.") if better
            else _("{metric} moved after {date}, for the worse, from {since}: {least} or more "
                   "values in a row since then lie on the worse side of the earlier mean.")
            ).format(metric=name, date=day, since=since, least=RUN)


def already_changing_sentence(evidence: Evidence, name: str) -> str:
    """The metric was already moving before the improvement: which way, since when, and
    what its pace did after."""
    facts = dict(metric=name, date=format_date(evidence.date) if evidence.date else "",
                 began=format_date(evidence.began) if evidence.began else "")
    said = (_("{metric} was already improving before {date} (since {began}): the values "
              "before cannot show what this improvement did.") if evidence.better else
            _("{metric} was already getting worse before {date} (since {began}): the values "
              "before cannot show what this improvement did.")).format(**facts)
    pace = _pace_after(evidence)
    return f"{said} {pace}" if pace else said


def _pace_after(evidence: Evidence) -> str:
    """What the pace did after the date: kept up, slowed, quickened or turned."""
    before, after = evidence.pace_before, evidence.pace_after
    if evidence.after and after is None:
        count = len(evidence.after)
        return ngettext("Only {count} value since: too early to say what the pace did after it.",
                        "Only {count} values since: too early to say what the pace did after it.",
                        count).format(count=count)
    if before is None or after is None or before == 0:
        return ""
    ratio = after / before
    if ratio <= 0:
        return _("After it, the movement stopped or turned.")
    if ratio < 0.8:
        return _("After it, the change slowed.")
    if ratio > 1.25:
        return _("After it, the change quickened.")
    return _("After it, the change kept its pace.")
