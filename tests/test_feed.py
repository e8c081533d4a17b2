"""The Atom feed: newest changes first, deterministic, every text escaped, links that resolve."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from csi_macros import load_register
from csi_macros.site.feed import MAX_ENTRIES, atom_feed
from csi_macros.testing import improvement, temporary_register

A = "{http://www.w3.org/2005/Atom}"
TODAY = dt.date(2026, 11, 25)
HOSTILE = "<script>alert('x')</script> & {{ config }} \"quotes\" ]]> \x01"


def log(*entries: tuple[str, str, str | None]) -> list[dict[str, str]]:
    return [{"date": d, "note": n, **({"status": s} if s else {})} for d, n, s in entries]


def parsed(feed: bytes) -> ET.Element:
    assert feed.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(feed)


def sample_register():
    return temporary_register(improvements=[
        improvement("CSI-0001", title="Faster restore", log=log(
            ("2026-01-10", "Raised", "proposed"), ("2026-02-01", "Approved by the CAB", "approved"))),
        improvement("CSI-0002", title=HOSTILE, log=log(
            ("2026-03-05", HOSTILE, None), ("2026-02-01", "Same day as CSI-0001", None))),
        improvement("CSI-0003", title="No history yet"),
    ])


def test_entries_are_the_log_entries_newest_first() -> None:
    with sample_register() as root:
        feed = parsed(atom_feed(load_register(root, today=TODAY)))
    entries = feed.findall(f"{A}entry")
    assert [(e.findtext(f"{A}updated"), e.findtext(f"{A}summary")) for e in entries] == [
        ("2026-03-05T00:00:00Z", HOSTILE.replace("\x01", "\ufffd")),
        ("2026-02-01T00:00:00Z", "Approved by the CAB"),
        ("2026-02-01T00:00:00Z", "Same day as CSI-0001"),
        ("2026-01-10T00:00:00Z", "Raised"),
    ]
    assert feed.findtext(f"{A}updated") == "2026-03-05T00:00:00Z", "the newest log date, not now"
    assert entries[1].findtext(f"{A}title") == "CSI-0001 Faster restore is now approved"
    assert entries[1].find(f"{A}category").get("term") == "approved"
    assert len({e.findtext(f"{A}id") for e in entries}) == 4, "every entry has its own id"


def test_every_text_is_escaped() -> None:
    with sample_register() as root:
        feed = atom_feed(load_register(root, today=TODAY))
    assert b"<script>" not in feed and b"&lt;script&gt;" in feed
    titles = [e.findtext(f"{A}title") for e in parsed(feed).findall(f"{A}entry")]
    assert titles[0] == "CSI-0002 " + HOSTILE.replace("\x01", "\ufffd")


def test_links_are_absolute_under_site_url_and_relative_without() -> None:
    with sample_register() as root:
        register = load_register(root, today=TODAY)
        absolute = parsed(atom_feed(register, "https://itsm.example.org/csi"))
        relative = parsed(atom_feed(register, None))
    assert absolute.find(f"{A}entry/{A}link").get("href") == \
        "https://itsm.example.org/csi/register/CSI-0002/"
    assert [link.get("href") for link in absolute.findall(f"{A}link")] == [
        "https://itsm.example.org/csi/register/", "https://itsm.example.org/csi/feed.xml"]
    assert relative.find(f"{A}entry/{A}link").get("href") == "register/CSI-0002/"
    assert [link.get("rel") for link in relative.findall(f"{A}link")] == ["alternate"]
    assert absolute.findtext(f"{A}id") == relative.findtext(f"{A}id"), \
        "ids do not change when the site moves"


def test_the_same_register_gives_the_same_bytes() -> None:
    with sample_register() as root:
        first = atom_feed(load_register(root, today=TODAY))
        second = atom_feed(load_register(root, today=TODAY + dt.timedelta(days=30)))
    assert first == second


def test_at_most_fifty_entries() -> None:
    entries = [(f"2026-01-{day:02d}", f"Note {day}", None) for day in range(10, 31)]
    with temporary_register(improvements=[improvement(f"CSI-{n}", log=log(*entries))
                                          for n in range(1, 4)]) as root:
        feed = parsed(atom_feed(load_register(root, today=TODAY)))
    found = feed.findall(f"{A}entry")
    assert len(found) == MAX_ENTRIES == 50
    assert found[0].findtext(f"{A}summary") == "Note 30"
    assert found[0].find(f"{A}link").get("href") == "register/CSI-1/"


def test_a_register_without_log_entries() -> None:
    with temporary_register(improvements=[improvement("CSI-1", raised="2026-04-01")]) as root:
        feed = parsed(atom_feed(load_register(root, today=TODAY)))
    assert feed.findall(f"{A}entry") == []
    assert feed.findtext(f"{A}updated") == "2026-04-01T00:00:00Z"
    with temporary_register() as root:
        feed = parsed(atom_feed(load_register(root, today=TODAY)))
    assert feed.findtext(f"{A}updated") == "2026-11-25T00:00:00Z", "the build date, at worst"
