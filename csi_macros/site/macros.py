"""Macros for hand-written pages: live lists and figures from the register.

A page opts in with `render_macros: true` in its front matter and writes, for example,
`{{ improvements_at_step(5) }}`. Every macro returns a block of HTML in which register
text is escaped; it is inserted once, never read by Jinja again, so `{{ … }}` inside
register text stays text.

Macro output is HTML, and a thousand-row table costs Python-Markdown more to pass over
than the rest of the site's pages together; given a `Stash`, the macros leave a
placeholder in the page's Markdown instead, and the HTML goes back in once Markdown is done.

Hand-written pages live at different depths (`index.md`, `playbook/action.md`), and
links in raw HTML are not rewritten by MkDocs, so each macro reads the current page
from the template's context (`jinja2.pass_context`) and links relative to its address.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable

from jinja2 import pass_context
from jinja2.runtime import Context

from ..readings import words
from ..readings.behaviour import CONCERN
from ..register.errors import CsiError
from ..readings.facts import Register, statuses_at
from ..register.fields import format_keys
from ..i18n import _, format_number, ngettext
from ..register.model import FILE_KINDS, PRINCIPLES, STATUSES, STEPS
from .pages import Site
from . import addresses
from .pages.improvement import MODEL_ANSWERS
from .pages.blocks import (block, chart, date, escape, improvement_link, improvements_table,
                           late_mark, link, metrics_table, signal_badge, status_badge,
                           status_label, table, verdict_badge)
from .text import escape_md, text_html
from ..register.rules import rule_docs
from ..readings.verdicts import NEEDS_ATTENTION

Render = Callable[..., str]

MACRO_NAMES = ("improvements_at_step", "improvements_applying", "field_reference", "status_table",
               "steps_table", "rules_reference", "headline_figures", "recent_changes", "vision",
               "chart", "metrics_table", "signals")
"""The macros hand-written pages may call (the methods of `Macros` of the same names)."""


class Stash:
    """Macro output kept out of page Markdown until Markdown has run.

    `put` returns a placeholder, an HTML comment that Python-Markdown passes through as it
    is; `restore` puts the HTML back in the page Markdown made.
    """

    PLACEHOLDER = re.compile(r"<!--csi-macro:(\d+)-->")

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def put(self, html: str) -> str:
        self.blocks.append(html.strip("\n"))
        return f"\n\n<!--csi-macro:{len(self.blocks) - 1}-->\n\n"

    def restore(self, html: str) -> str:
        if "<!--csi-macro:" not in html:
            return html
        return self.PLACEHOLDER.sub(lambda found: self.blocks[int(found[1])], html)


def page_macros(register: Register, stash: Stash | None = None,
                address: Callable[[Any], str] | None = None,
                prefix: str = "") -> dict[str, Callable[..., str]]:
    """The macros hand-written pages may call, by name; with a `stash`, their HTML waits
    there and the page's Markdown gets a placeholder. Links start from the page's
    `address` (default: its `url`; Zensical reads links in raw HTML as relative to the
    page's source file instead) and lead into the register's folder, `prefix`
    ("improvement/", or "" when the register is at the site's root)."""
    macros = Macros(Site(register))
    return {name: _on_page(getattr(macros, name), stash, address or _url, prefix)
            for name in MACRO_NAMES}


def _url(page: Any) -> str:
    return getattr(page, "url", "") or ""


VARIABLE_NAMES = ("organisation", "register_today")


def page_variables(register: Register) -> dict[str, str]:
    """Variables for hand-written pages. `organisation` is escaped for page Markdown."""
    return {"organisation": escape_md(register.organisation.organisation),
            "register_today": register.today.isoformat()}


def _on_page(render: Render, stash: Stash | None, address: Callable[[Any], str],
             prefix: str) -> Callable[..., str]:
    """A Jinja macro that passes `render` the way from the current page to the register's
    root (the site's, then the prefix's folder)."""

    @pass_context
    @functools.wraps(render)
    def macro(context: Context, *args: Any, **kwargs: Any) -> str:
        base = addresses.page_base(address(context.get("page"))) + prefix
        html = render(base, *args, **kwargs)
        return stash.put(html) if stash is not None else html

    return macro


class Macros:
    """The macros' bodies: each takes the page's `base` first, then the page's arguments."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.register = site.register

    def improvements_at_step(self, base: str, step: int) -> str:
        """The improvements now at a model step (steps 1 to 3 share the proposed ones)."""
        if step not in STEPS:
            raise CsiError(f"improvements_at_step({step!r}): the steps are numbered 1 to 7")
        found = self.register.at_step(step)
        return block(improvements_table(self.register, found, base,
                                        empty=_("No improvement is at this step right now.")))

    def improvements_applying(self, base: str, principle: str) -> str:
        """The improvements that apply a guiding principle."""
        if principle not in PRINCIPLES:
            raise CsiError(f"improvements_applying({principle!r}): unknown principle; the "
                           "principles are " + ", ".join(PRINCIPLES))
        found = self.site.by_principle.get(principle, ())
        return block(improvements_table(self.register, found, base,
                                        empty=_("No improvement names this principle yet.")))

    def field_reference(self, base: str, kind: str) -> str:
        """Every key of a file kind: its type, whether it is required, and what it means."""
        if kind not in FILE_KINDS:
            raise CsiError(f"field_reference({kind!r}): unknown kind; the kinds are "
                           + ", ".join(FILE_KINDS))
        rows = []
        for name, spec in format_keys(FILE_KINDS[kind]).items():
            required = "yes" if spec.required else (spec.required_note or "no")
            rows.append([f"<code>{escape(name)}</code>", escape(spec.type.describe()),
                         escape(required), escape(spec.doc)])
        return block(table(["Key", "Type", "Required", "Meaning"], rows))

    def status_table(self, base: str) -> str:
        """Every status: its model step, whether it is open, and how many improvements have it."""
        counts = {status: 0 for status in STATUSES}
        for imp in self.register.improvements:
            counts[imp.status] += 1
        rows = []
        for status in STATUSES.values():
            openness = ((_("open") if status.can_be_stale else _("open, never stale"))
                        if status.open else _("done"))
            now = link(base, f"{addresses.REGISTER}?status={status.id}", str(counts[status.id]),
                       title=_("the {status} improvements").format(status=status_label(status.id)))
            rows.append([f"<code>{status.id}</code> {status_badge(status.id)}",
                         escape(words.step_label(status.id)), escape(openness), now])
        return block(table([_("Status"), _("Model step"), _("Open?"), _("Now")], rows))

    def steps_table(self, base: str) -> str:
        """The model's seven steps: each linked to its page, with where its answer is
        recorded and the status of the improvements it lists, from the model's own map of
        statuses to steps (`statuses_at`), so the playbook never says it twice."""
        rows = []
        for step in STEPS:
            answer = f"model.{MODEL_ANSWERS[step]}" if step in MODEL_ANSWERS else "actions"
            statuses = " ".join(f"<code>{status}</code> {status_badge(status)}"
                                for status in statuses_at(step))
            rows.append([link(base, addresses.step(step), f"{step} {words.step_question(step)}"),
                         f"<code>{escape(answer)}</code>", statuses])
        return block(table([_("Step"), _("Its answer is recorded in"),
                            _("Status of the improvements it lists")], rows))

    def rules_reference(self, base: str) -> str:
        """The rules that tie keys and files together, from the checks themselves."""
        items = "\n".join(f"<li><code>{escape(name)}</code>: {escape(' '.join(doc.split()))}</li>"
                          for name, doc in rule_docs())
        return block(f'<ul class="csi-rules">\n{items}\n</ul>')

    def headline_figures(self, base: str) -> str:
        """The register in five numbers, each linking to the matching rows of the register."""
        register = self.register
        facts = register.facts
        open_statuses = ",".join(s.id for s in STATUSES.values() if s.open)
        year = register.today.year
        closed = sum(1 for i in register.improvements
                     if i.status == "closed" and i.closed and i.closed.year == year)
        figures = [
            (sum(f.open for f in facts.values()), _("open improvements"),
             f"?status={open_statuses}"),
            (sum(i.status == "in_progress" for i in register.improvements),
             words.status("in_progress"), "?status=in_progress"),
            (closed, _("closed in {year}").format(year=year), "?status=closed"),
            (sum(f.stale for f in facts.values()), words.flag("stale"), "?flag=stale"),
            (sum(f.overdue for f in facts.values()), words.flag("overdue"), "?flag=overdue"),
        ]
        items = "\n".join(
            f'<li><a href="{escape(base + addresses.REGISTER + query)}">'
            f'<span class="csi-figure__number">{format_number(count)}</span> '
            f'<span class="csi-figure__label">{escape(label)}</span></a></li>'
            for count, label, query in figures)
        return block(f'<ul class="csi-figures">\n{items}\n</ul>',
                     '<p class="csi-hint">'
                     + escape(_("As of {date}.")).format(date=date(register.today)) + "</p>")

    def recent_changes(self, base: str, n: int = 8) -> str:
        """The newest log entries of the register, newest first."""
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise CsiError(f"recent_changes({n!r}): give how many entries to show (1 or more)")
        changes = self.site.changes[:n]
        more = f'<p>{link(base, addresses.CHANGES, _("Every change"))}</p>'
        if not changes:
            return block(f'<p class="csi-empty">{escape(_("No changes logged yet."))}</p>')
        items = "\n".join(
            f"<li>{date(c.date)} {improvement_link(base, c.improvement)} {escape(c.improvement.title)}"
            + (" " + escape(_("moved to {status}")).format(status=status_badge(c.entry.status))
               if c.entry.status else "")
            + f"<br>{escape(c.entry.note)}</li>"
            for c in changes)
        return block(f'<ol class="csi-changes">\n{items}\n</ol>', more)

    def vision(self, base: str) -> str:
        """The organisation's vision, rendered from register.yml."""
        return block(text_html(self.register.organisation.vision, "csi-text csi-vision"))

    def chart(self, base: str, name: str) -> str:
        """A chart with its text alternative and data (see `charts.py` for the names)."""
        return chart(self.register, name, base)

    def signals(self, base: str) -> str:
        """The metrics that need attention, for the home page: every special cause of
        concern, then off track, then at risk, then late, each with its verdict, its late
        mark and its headline, or a line saying none does. It names every metric it counts
        (register format v1.3); past `ATTENTION_SHOWN` the rest are named without headlines,
        then a link to the board."""
        register = self.register
        rank = register.attention
        needing = sorted((m for m in register.metrics if rank[m.id] < NEEDS_ATTENTION),
                         key=lambda m: (rank[m.id], m.id))
        if not needing:
            return block(f'<p class="csi-signals csi-signals--none">'
                         f'{escape(_("No metric needs attention: none is off track, at risk, late or a special cause of concern."))}'
                         "</p>")
        items = "\n".join(
            f"<li>{link(base, addresses.metric(m.id), m.id)} {escape(m.name)}"
            # A late metric's mark comes before its verdict: the reading is an old one.
            + late_mark(register, m.id, base, before=" ")
            + f" {verdict_badge(register.verdicts[m.id], base)}"
            + (f' {signal_badge("variation", CONCERN, base)}'
               if register.behaviour[m.id].variation == CONCERN else "")
            + f'<br><span class="csi-headline">{escape(register.verdicts[m.id].headline)}</span></li>'
            for m in needing[:ATTENTION_SHOWN])
        items += "".join(
            f"\n<li>{link(base, addresses.metric(m.id), m.id)} {escape(m.name)}"
            + late_mark(register, m.id, base, before=" ")
            + f" {verdict_badge(register.verdicts[m.id], base)}</li>"
            for m in needing[ATTENTION_SHOWN:])
        lead = ngettext("{count} metric needs attention:", "{count} metrics need attention:",
                        len(needing)).format(count=len(needing))
        more = (f"<p>{link(base, addresses.METRICS, _('Every metric'))}</p>"
                if len(needing) > ATTENTION_SHOWN else "")
        return block(f'<div class="csi-signals" role="note"><p>{escape(lead)}</p>'
                     f'<ul class="csi-list">{items}</ul>{more}</div>')

    def metrics_table(self, base: str) -> str:
        """Every metric: baseline, target, latest value and verdict."""
        return block(metrics_table(self.register, self.register.metrics, base))


ATTENTION_SHOWN = 8
"""The home page gives the headlines of this many metrics that need attention, and names
the rest."""
