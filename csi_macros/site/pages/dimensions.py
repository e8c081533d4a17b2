"""The four dimensions of service management, `dimensions/`: what the improvements touch.

"Think and work holistically" asks that every improvement consider all four dimensions.
The page counts, per dimension, the open and finished improvements that name it, lists
the open ones, and says which dimensions are neglected: those that no open improvement
touches, or that fewer than half as many open improvements touch as the average
dimension does.
"""

from __future__ import annotations

from ...readings import words
from ...i18n import N_, _, ngettext
from ...register.model import DIMENSIONS, Improvement
from .. import addresses
from .blocks import block, escape, improvements_table, link, table
from .context import Site
from .page import Heading, Page, Part, page

BASE = addresses.base_of(addresses.DIMENSIONS)
HOLISTIC = addresses.principle("think-and-work-holistically")
ABOUT: dict[str, str] = {
    "organizations-and-people": N_("Roles, skills, culture, staffing and the way teams are "
                                   "organised."),
    "information-and-technology": N_("The information and knowledge services need, and the "
                                     "tools and systems that manage it."),
    "partners-and-suppliers": N_("The organisation's relationships with the other "
                                 "organisations that design, deliver and support its "
                                 "services."),
    "value-streams-and-processes": N_("How the parts of the organisation work together to "
                                      "turn demand into value: the activities, their order "
                                      "and flow."),
}
"""What each dimension covers, after ITIL 4."""


def pages(site: Site) -> dict[str, Page]:
    return {"dimensions/index.md": dimensions_page(site)}


def neglected(open_counts: dict[str, int], any_open: bool) -> set[str]:
    """The dimensions no open improvement touches, or fewer than half as many as touch
    the average dimension (none while no improvement is open: there is nothing to weigh)."""
    if not any_open:
        return set()
    average = sum(open_counts.values()) / len(open_counts)
    return {id for id, count in open_counts.items() if count == 0 or count < average / 2}


def dimensions_page(site: Site) -> Page:
    register = site.register
    by_dimension: dict[str, list[Improvement]] = {id: [] for id in DIMENSIONS}
    for imp in register.improvements:
        for id in dict.fromkeys(imp.dimensions):
            by_dimension[id].append(imp)
    is_open = {imp.id: register.facts[imp.id].open for imp in register.improvements}
    still_open = {id: [imp for imp in imps if is_open[imp.id]]
                  for id, imps in by_dimension.items()}
    open_counts = {id: len(imps) for id, imps in still_open.items()}
    any_open = any(is_open.values())
    thin = neglected(open_counts, any_open)
    badge = ('<span class="csi-badge csi-flag csi-flag--neglected">'
             f'{escape(_("neglected"))}</span>')
    rows = [[f'<a href="#{id}">{escape(words.dimension(id))}</a>', str(open_counts[id]),
             str(len(by_dimension[id]) - open_counts[id]), badge if id in thin else ""]
            for id in DIMENSIONS]
    intro = ('<p class="csi-lead">' + escape(_(
        "ITIL 4 looks at every service through four dimensions. {holistic} means an "
        "improvement considers all four, so that fixing one does not move the problem into "
        "another. This page shows which dimensions the improvements touch.")).format(
            holistic=link(BASE, HOLISTIC, _("Thinking and working holistically"))) + "</p>")
    unnamed = sum(1 for imp in register.improvements if is_open[imp.id] and not imp.dimensions)
    headers = [_("Dimension"), _("Open improvements"), _("Finished"), _("Attention")]
    parts: list[Part] = [block(intro, table(headers, rows, label=_("Improvements by dimension")),
                               _verdict(thin, any_open), _unnamed(unnamed))]
    for id in DIMENSIONS:
        finished = len(by_dimension[id]) - open_counts[id]
        about = escape(_(ABOUT[id])) + (f" {badge}" if id in thin else "")
        more = escape(_("And {count} finished.").format(count=finished)) if finished else ""
        parts += [Heading(2, words.dimension(id), id=id),
                  block(f"<p>{about}</p>",
                        improvements_table(register, still_open[id], BASE,
                                           empty=_("No open improvement touches this dimension.")),
                        f'<p class="csi-hint">{more}</p>' if more else "")]
    return page(_("The four dimensions"), *parts)


def _verdict(thin: set[str], any_open: bool) -> str:
    """Which dimensions are neglected, in a sentence."""
    if not any_open:
        return f"<p>{escape(_('No improvement is open.'))}</p>"
    if not thin:
        return ("<p>" + escape(_("No dimension is neglected: open improvements touch each of "
                                 "them.")) + "</p>")
    names = ", ".join(words.dimension(id) for id in DIMENSIONS if id in thin)
    return "<p>" + escape(_("{neglected} {dimensions} (no open improvement touches it, or fewer "
                            "than half as many as the average dimension).")).format(
        neglected=f"<strong>{escape(_('Neglected:'))}</strong>", dimensions=escape(names)) + "</p>"


def _unnamed(count: int) -> str:
    """How many open improvements name no dimension (nothing when none)."""
    if not count:
        return ""
    return "<p>" + escape(ngettext("{count} open improvement names no dimension yet.",
                                   "{count} open improvements name no dimension yet.",
                                   count).format(count=count)) + "</p>"
