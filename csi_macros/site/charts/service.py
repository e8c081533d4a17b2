"""A chart per service: its improvements by status (`service-<slug>`, on the service's page).

Drawn as the register's own status chart is (`overview`), with only the statuses the
service's improvements have, so that a service with three improvements gets a small chart.
"""

from __future__ import annotations

from functools import lru_cache

from ...readings import words
from ...readings.facts import Register
from ...i18n import _
from ...register.model import STATUSES
from ..addresses import service_slugs
from .base import Chart, Table, load_style
from .overview import _status_group, _status_label

PREFIX = "service-"
_BAR_HEIGHT = 34   # pixels per status bar
_AXES_HEIGHT = 90  # the axis, its label and the margins


def chart_names(register: Register) -> list[str]:
    """A chart for every service that improvements name."""
    slugs = _slugs(register.services)
    return [PREFIX + slugs[name] for name in register.services
            if register.improvements_by_service[name]]


def service_of(register: Register, name: str) -> str | None:
    """The service a chart name is about, or None when it is not a service's chart."""
    if not name.startswith(PREFIX):
        return None
    by_slug = {slug: service for service, slug in _slugs(register.services).items()}
    service = by_slug.get(name[len(PREFIX):])
    return service if service and register.improvements_by_service[service] else None


def service_chart(register: Register, service: str) -> Chart:
    size = load_style().size
    counts = {status: 0 for status in STATUSES}
    for imp in register.improvements_by_service[service]:
        counts[imp.status] += 1
    present = [status for status in STATUSES if counts[status]]
    bars = [[_status_label(s), counts[s], _status_group(s)] for s in present]
    return Chart(
        name=PREFIX + _slugs(register.services)[service], subject=f"service {service}",
        title=_("Improvements naming {service}, by status").format(service=service),
        description=_("How many of the improvements that name this service stand at each "
                      "status."),
        alt=_("Bar chart of the improvements naming {service}, per status: {counts}.").format(
            service=service, counts=", ".join(f"{label} {count}" for label, count, _group in bars)),
        kind="status", width=size["width"], height=_AXES_HEIGHT + _BAR_HEIGHT * len(bars),
        narrow_height=_AXES_HEIGHT + _BAR_HEIGHT * len(bars),
        data={"bars": bars},
        table=Table((_("Status"), _("Model step"), _("Improvements")), tuple(
            (words.status(s), words.step_label(s), str(counts[s])) for s in present)))


@lru_cache(maxsize=2)
def _slugs(names: tuple[str, ...]) -> dict[str, str]:
    """The services' slugs, worked out once per register rather than once per chart."""
    return service_slugs(names)
