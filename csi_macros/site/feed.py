"""An Atom feed of the register's changes, built from the improvements' log entries.

Subscribing to `feed.xml` tells people when an improvement moves on. The feed holds
the newest entries (newest first) and depends only on the register: its `updated` is
the newest log date, never the time of the build, so two builds give the same bytes.
All text goes through ElementTree, which escapes it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..readings import words
from ..readings.facts import Register
from ..i18n import _, active
from ..register.model import Improvement, LogEntry

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50
FEED_PATH = "feed.xml"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Entry ids must never change; they are names in this namespace, not addresses.
_NAMESPACE = uuid.UUID("6f1c9a52-3d4e-5b7a-9c0e-2a8f4b6d1e37")


@dataclass(frozen=True)
class FeedEntry:
    """One change: a log entry of an improvement."""

    improvement: Improvement
    entry: LogEntry
    ordinal: int  # its place among the improvement's entries of the same date

    @property
    def date(self) -> dt.date:
        return self.entry.date


def feed_entries(register: Register, limit: int = MAX_ENTRIES) -> list[FeedEntry]:
    """The newest log entries across the register, newest first (ties: by id, then the
    later entry in the file first)."""
    found = []
    for imp in register.improvements:
        seen: dict[dt.date, int] = {}
        for position, entry in enumerate(imp.log):
            seen[entry.date] = seen.get(entry.date, 0) + 1
            found.append((position, FeedEntry(imp, entry, seen[entry.date])))
    found.sort(key=lambda item: (-item[1].date.toordinal(), item[1].improvement.id, -item[0]))
    return [entry for _, entry in found[:limit]]


def atom_feed(register: Register, site_url: str | None = None) -> bytes:
    """The Atom feed (UTF-8 XML). Links are absolute under `site_url` when it is set,
    else relative to the feed's own address at the site's root (`feed.xml`)."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries = feed_entries(register)
    name = register.organisation.organisation
    feed = ET.Element("feed", xmlns=ATOM)
    feed.set(_XML_LANG, active().tag)  # the language of the feed's own words, not the notes'
    _text(feed, "title", _("{organisation}: continual improvement register").format(
        organisation=name))
    _text(feed, "subtitle", _("Changes to the improvements of the register, newest first."))
    _text(feed, "id", _urn(name, "feed"))
    _text(feed, "updated", _timestamp(_updated(register, entries)))
    _text(ET.SubElement(feed, "author"), "name", name)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=base + "register/")
    if base:
        ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=base + FEED_PATH)
    for item in entries:
        feed.append(_entry(item, name, base))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(item: FeedEntry, name: str, base: str) -> ET.Element:
    imp, log = item.improvement, item.entry
    element = ET.Element("entry")
    title = (_("{id} {title} is now {status}").format(id=imp.id, title=imp.title,
                                                      status=words.status(log.status))
             if log.status else f"{imp.id} {imp.title}")
    _text(element, "title", title)
    _text(element, "id", _urn(name, f"{imp.id}/{log.date}/{item.ordinal}"))
    _text(element, "updated", _timestamp(log.date))
    ET.SubElement(element, "link", rel="alternate", type="text/html",
                  href=f"{base}register/{imp.id}/")
    _text(element, "summary", log.note)
    if log.status:
        ET.SubElement(element, "category", term=log.status)
    return element


def _updated(register: Register, entries: list[FeedEntry]) -> dt.date:
    if entries:
        return entries[0].date
    raised = [imp.raised for imp in register.improvements]
    return max(raised) if raised else register.today


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("\ufffd", text)
    if tag in ("title", "subtitle", "summary"):
        element.set("type", "text")
    return element


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _urn(organisation: str, name: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"{organisation}/{name}").urn
