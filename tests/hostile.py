"""A register written by an attacker: a payload in every text field of every file kind.

Everything here must reach the reader as text. `PAYLOAD` mixes what breaks HTML
(tags, handlers, closing-tag breakers, attribute breakers), Markdown (raw HTML,
`javascript:` links, table pipes) and Jinja (expressions that would read the file system
or loop for ever) — all of it inert if the site treats register text as data.
"""

from __future__ import annotations

from pathlib import Path

from csi_macros.register.model import PRINCIPLES
from csi_macros.testing import write_register

JINJA_OS = "{{ config.__class__.__init__.__globals__['os'].popen('touch /tmp/csi-pwned').read() }}"
JINJA_LOOP = "{% for i in range(999999999) %}{{ i }}{% endfor %}"

PAYLOAD = " ".join([
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=\"alert('xss-img')\">",
    "[click me](javascript:alert('xss-md-link'))",
    "<a href=\"javascript:alert('xss-html-link')\">html link</a>",
    "\"><svg onload=alert('xss-attr')>",
    "'; alert('xss-quote'); '",
    "</textarea></title></style></script><!--",
    "| pipe | breaker |",
    "{: onclick=\"alert('xss-attr-list')\"}",
    "{{ 7 * 7 }}",
    JINJA_OS,
    JINJA_LOOP,
    "$x^2$ & <b>bold?</b>",
])

SHORT = "<script>alert('t')</script>{{ 7*7 }}|\"><b onmouseover=alert(1)>"
"""For fields with a length limit (titles are at most 120 characters)."""

MARKERS = ("{{ 7 * 7 }}", "<script>alert('xss-script')</script>", "| pipe | breaker |")
"""Fragments of PAYLOAD that must appear, literally, as text on the pages that show it."""


def hostile_register(root: Path) -> Path:
    """Write the hostile register under `root` and return its folder."""
    organisation = {
        "organisation": SHORT,
        "vision": PAYLOAD,
        "objectives": [{"id": "OBJ-1", "title": PAYLOAD, "description": PAYLOAD,
                        "metrics": ["EVIL-1"]},
                       {"id": "OBJ-2", "title": SHORT}],
        "extra": {"note": PAYLOAD},
    }
    common = {
        "description": PAYLOAD, "raised_by": PAYLOAD, "owner": PAYLOAD, "priority": "high",
        "value": 4, "effort": 2, "objectives": ["OBJ-1"], "principles": sorted(PRINCIPLES),
        "services": [PAYLOAD, SHORT], "metrics": ["EVIL-1"], "benefits": PAYLOAD,
        "model": {key: PAYLOAD for key in ("vision", "current_state", "target_state", "plan",
                                           "review", "momentum")},
        "actions": [{"title": PAYLOAD, "owner": PAYLOAD, "due": "2026-01-31", "done": False},
                    {"title": SHORT, "done": True}],
        "tags": [PAYLOAD, SHORT], "extra": {"anything": PAYLOAD},
    }
    improvements = [
        {"id": "CSI-0001", "title": SHORT, "raised": "2026-01-05", "status": "in_progress",
         "target_date": "2026-03-01", "related": ["CSI-0002"],
         "log": [{"date": "2026-01-06", "note": PAYLOAD, "status": "approved"},
                 {"date": "2026-02-01", "note": PAYLOAD, "status": "in_progress"}], **common},
        {"id": "CSI-0002", "title": SHORT, "raised": "2026-02-05", "status": "closed",
         "closed": "2026-06-30", "outcome": PAYLOAD,
         "log": [{"date": "2026-06-30", "note": PAYLOAD, "status": "closed"}], **common},
    ]
    metric = {"id": "EVIL-1", "name": SHORT, "description": PAYLOAD, "unit": SHORT,
              "direction": "higher_is_better", "owner": PAYLOAD,
              "baseline": {"date": "2026-01-01", "value": 10},
              "target": {"value": 20, "date": "2026-12-31"}, "extra": {"x": PAYLOAD}}
    snapshots = [{"date": f"2026-{month:02d}-28", "source": PAYLOAD, "values": {"EVIL-1": 10 + month}}
                 for month in range(1, 11)]
    return write_register(root / "register", register=organisation, improvements=improvements,
                          metrics=[metric], snapshots=snapshots)
