"""The search index reads a lighter view of each page, and finds the same words in it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from material.plugins.search.plugin import SearchIndex
from mkdocs.commands.build import build
from mkdocs.config import load_config

import csi_macros.engines.mkdocs.plugin
from csi_macros.engines.mkdocs.search import search_view
from hostile import hostile_register
from sitebuild import BUILD_EPOCH, ENGINES, PROJECT, build_site
from test_pages import rich_register

from csi_macros.register.model import STATUSES
from csi_macros.testing import improvement, metric, organisation, snapshot, write_register


def same_words(index: object) -> object:
    """An index with every run of white space as one space: search splits words at white
    space and shows its text as HTML, so runs of it are all the same to a reader."""
    if isinstance(index, dict):
        return {key: same_words(value) for key, value in index.items()}
    if isinstance(index, list):
        return [same_words(value) for value in index]
    return re.sub(r"\s+", " ", index) if isinstance(index, str) else index


def index_entries(html: str) -> object:
    """What Material's search index makes of a page's content."""
    index = SearchIndex()
    index.add_entry_from_context(SimpleNamespace(content=html, toc=[], url="page/", meta={},
                                                 title="Page"))
    return same_words(index.entries)


PAGE = """<h1 id="csi-1">CSI-1 A &amp; B<a class="headerlink" href="#csi-1" title="Permanent link">&para;</a></h1>
<p class="csi-badges"><span class="csi-badge">in progress</span> <span>high</span></p>
<div class="csi-table"><table><caption>CSI-1 at a glance</caption><tbody>
<tr><th scope="row">Owner</th><td><a href="../x/">Sam &lt;Owner&gt;</a><br>two</td></tr>
</tbody></table></div>
<div class="csi-groups" data-search-exclude><section><ul><li>hidden <em>a</em></li></ul></section></div>
<h2 id="log">Log<a class="headerlink" href="#log" title="Permanent link">&para;</a></h2>
<ol class="csi-log"><li>2026-01-01 <em>moved</em> <code>x &lt; y</code></li></ol>
<pre><code><span class="k">def</span> f():
    return 1</code></pre>
<details class="note"><summary>More</summary><h3 id="inside">Inside</h3><p>in</p></details>
<p>after the block</p>
<script>var s = "<span>not a tag</span>";</script>
<ol data-csi-changes data-search-exclude>
<li>gone</li></ol>
<p>end</p>"""


def test_the_view_keeps_what_the_index_reads() -> None:
    assert index_entries(search_view(PAGE)) == index_entries(PAGE)
    view = search_view(PAGE)
    assert "hidden" not in view and "gone" not in view and "headerlink" not in view
    assert "<span" not in view.split("<script>")[0] and "<table" not in view
    assert '<span>not a tag</span>' in view, "script text is left alone"
    assert "<details" in view, "blocks stay: a heading inside one ends its section there"


def test_excluded_elements_go_whole_however_deep() -> None:
    nested = '<p>a</p><div data-search-exclude><div><div>b</div></div>c</div><p>d</p>'
    assert search_view(nested) == "<p>a</p><p>d</p>"


def test_an_unclosed_excluded_element_leaves_the_page_to_the_parser() -> None:
    broken = '<p>a</p><div data-search-exclude><p>b</p>'
    assert search_view(broken) == "<p>a</p><div data-search-exclude><p>b</p>"


def built_index(register: Path, site: Path, monkeypatch: pytest.MonkeyPatch, *,
                light: bool) -> dict:
    monkeypatch.setenv("CSI_REGISTER_DIR", str(register))
    monkeypatch.setenv("CSI_CHART_CACHE", str(site.parent / "charts"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    monkeypatch.setattr(csi_macros.engines.mkdocs.plugin, "search_view", search_view if light else str)
    build(load_config(str(PROJECT / "mkdocs.yml"), site_dir=str(site)))
    return same_words(json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("kind", ["sample", "rich", "hostile"])
def test_every_page_is_indexed_as_from_the_whole_page(kind: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    register = {"sample": lambda: PROJECT / "register",
                "rich": lambda: rich_register(tmp_path / "register"),
                "hostile": lambda: hostile_register(tmp_path / "register")}[kind]()
    light = built_index(register, tmp_path / "light", monkeypatch, light=True)
    whole = built_index(register, tmp_path / "whole", monkeypatch, light=False)
    assert len(light["docs"]) > 20
    assert light == whole


def crowded_register(root: Path, improvements: int) -> Path:
    """A register whose improvements all share one owner, service, tag, objective, metric and
    related improvement, spread over every status: every list the site draws grows with it."""
    def record(n: int) -> dict:
        status = list(STATUSES)[n % len(STATUSES)]
        done = {"closed": "2026-10-01", "outcome": "It went."} \
            if status in ("closed", "rejected") else {}
        return improvement(f"CSI-{n:04d}", status=status, services=["Email"], tags=["crowd"],
                           metrics=["MTTR"], principles=["focus-on-value"],
                           related=["CSI-0002" if n == 1 else "CSI-0001"],
                           dimensions=["value-streams-and-processes"], value=3, effort=2, **done)
    return write_register(
        root, register=organisation(), metrics=[metric(target={"value": 4, "date": "2027-06-30"})],
        snapshots=[snapshot(f"2026-{month:02d}-20", MTTR=8 + month % 3) for month in range(1, 12)]
        + [snapshot(f"2025-{month:02d}-28", MTTR=9 + month % 2) for month in range(1, 13)],
        improvements=[record(n) for n in range(1, improvements + 1)])


def words_by_section(entries: list[dict]) -> dict[str, int]:
    """How many words the search index holds for each section (page and heading)."""
    return {entry["location"]: len(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", entry["text"])))
            for entry in entries}


@pytest.mark.parametrize("engine", ENGINES)
def test_no_section_of_the_search_index_grows_with_the_register(engine: str,
                                                                tmp_path: Path) -> None:
    """Lists of improvements, metrics and changes stay out of the search index (each item has
    a page of its own): a section that grew with the register would, at 10,000 improvements,
    pass Zensical's limit on the words of one section and fail the build."""
    sections = {}
    for size in (14, 56):
        site = build_site(crowded_register(tmp_path / f"register-{size}", size),
                          tmp_path / f"site-{size}", engine=engine,
                          extra_env={"CSI_CHART_CACHE": str(tmp_path / "charts")})
        assert site.returncode == 0, site.output
        sections[size] = words_by_section(site.search_entries())
    small, large = sections[14], sections[56]
    assert len(large) > len(small) + 40, "each improvement has a page of its own"
    grown = {location: (small[location], large[location]) for location in small
             if large.get(location, 0) > small[location] * 1.25 + 10}
    assert not grown, f"sections whose words grew with the register (14 → 56): {grown}"
