"""The generated tree written to a folder, as the Zensical adapter uses it: the layout of
a page's files, only changed files written (by forked workers on a large register), what
is no longer produced removed, and the built site published into the site folder."""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path

import pytest

import csi_macros.site.generate
from csi_macros import CsiError, i18n, load_register
from csi_macros.site.generate import (MARKER, MANIFEST, mirror, page_source, source_tree, write_parts,
                                 write_tree)
from csi_macros.site.pages import Site, SiteContext, site_files, site_parts
from csi_macros.site.pages.page import Heading, Page
from csi_macros.parallel import can_fork, fork_each
from csi_macros.engines.zensical.project import check_site_dir, publish

from conftest import BUILD_DATE

PROJECT = Path(__file__).resolve().parent.parent


def test_a_page_is_a_one_line_source_beside_its_html_and_outline() -> None:
    page = Page("CSI-0001 <b>Faster</b>", (Heading(1, "CSI-0001 <b>Faster</b>"), "<p>Body</p>",
                                          Heading(2, "Log")), hide=("navigation",),
                searchable=False)
    tree = source_tree({"register/CSI-0001.md": page, "register.csv": b"id\n"})
    source = tree["docs/register/CSI-0001/index.md"].decode()
    assert source.count("\n") == 6 and source.splitlines()[-1].startswith(MARKER)
    changed = source_tree({"register/CSI-0001.md": Page(page.title, page.parts[:2])})
    assert changed["docs/register/CSI-0001/index.md"].decode() != source  # its digest
    assert '"CSI-0001 &lt;b&gt;Faster&lt;/b&gt;"' in source  # escaped once: themes print it
    assert 'hide: ["navigation"]' in source and '"exclude": true' in source
    assert tree["pages/register/CSI-0001/index.html"].decode() == page.html()
    outline = json.loads(tree["pages/register/CSI-0001/index.toc.json"])
    assert [entry["id"] for entry in outline] == list(page.ids[:1])
    assert [child["id"] for child in outline[0]["children"]] == ["log"]
    assert tree["docs/register.csv"] == b"id\n"


def test_sources_are_index_pages_so_relative_links_stay_right() -> None:
    assert page_source("register/CSI-0001.md") == "register/CSI-0001/index.md"
    assert page_source("register/index.md") == "register/index.md"
    assert page_source("index.md") == "index.md"


def test_only_changed_files_are_written_and_stale_ones_removed(tmp_path: Path) -> None:
    first = write_tree(tmp_path, {"docs/a/index.md": b"A", "docs/b/index.md": b"B",
                                  "pages/b/index.html": b"<p>B</p>"})
    assert (first.written, first.unchanged, first.removed) == (3, 0, 0)
    (tmp_path / "docs" / "own.md").write_text("not ours")
    kept = (tmp_path / "docs" / "a" / "index.md").stat().st_mtime_ns
    second = write_tree(tmp_path, {"docs/a/index.md": b"A", "docs/c.md": b"C"})
    assert (second.written, second.unchanged, second.removed) == (1, 1, 2)
    assert (tmp_path / "docs" / "a" / "index.md").stat().st_mtime_ns == kept
    assert not (tmp_path / "docs" / "b").exists() and not (tmp_path / "pages").exists()
    assert (tmp_path / "docs" / "own.md").read_text() == "not ours"
    assert json.loads((tmp_path / MANIFEST).read_text()) == ["docs/a/index.md", "docs/c.md"]


def test_the_zensical_preview_notices_every_change_in_the_register(tmp_path: Path) -> None:
    """`csi serve --engine zensical` writes the sources again when the register changes:
    the watch it runs calls back on an edit, an added and a removed file."""
    import threading
    import time
    from csi_macros.engines.zensical.project import watch
    (tmp_path / "a.yml").write_text("one")
    calls: list[int] = []
    changed = threading.Event()
    stop = threading.Event()

    def on_change() -> None:
        calls.append(1)
        changed.set()

    thread = threading.Thread(target=watch, args=([tmp_path], on_change, 0.05, stop), daemon=True)
    thread.start()
    time.sleep(0.5)  # the watch has taken its first look
    try:
        for edit in (lambda: (tmp_path / "a.yml").write_text("two, longer"),
                     lambda: (tmp_path / "b.yml").write_text("new"),
                     lambda: (tmp_path / "a.yml").unlink()):
            changed.clear()
            edit()
            assert changed.wait(5)
    finally:
        stop.set()
        thread.join(5)
    assert len(calls) == 3


def test_a_site_is_published_by_writing_only_what_changed(tmp_path: Path) -> None:
    built, target, outside = tmp_path / "built", tmp_path / "site", tmp_path / "outside.txt"
    for relative, text in {"index.html": "home", "register/CSI-0001/index.html": "one",
                           "register/CSI-0002/index.html": "two", "a/b": "file"}.items():
        (built / relative).parent.mkdir(parents=True, exist_ok=True)
        (built / relative).write_text(text)
    assert mirror(built, target).summary() == "4 written, 0 unchanged, 0 removed"
    (built / "register/CSI-0002/index.html").write_text("two, edited")
    (target / "old").mkdir()
    (target / "old/page.html").write_text("gone")
    (target / "stray.txt").write_text("gone")
    outside.write_text("keep me")
    (target / "index.html").unlink()
    (target / "index.html").symlink_to(outside)  # a link where a file belongs: replaced
    (target / "a/b").unlink()
    (target / "a/b").mkdir()  # a folder where a file belongs: replaced
    assert mirror(built, target).summary() == "3 written, 1 unchanged, 2 removed"
    published = {path.relative_to(target).as_posix(): path.read_text()
                 for path in target.rglob("*") if path.is_file()}
    assert published == {"index.html": "home", "register/CSI-0001/index.html": "one",
                         "register/CSI-0002/index.html": "two, edited", "a/b": "file"}
    assert outside.read_text() == "keep me" and not (target / "index.html").is_symlink()


def files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_forked_workers_share_the_calls_and_keep_their_order() -> None:
    if not can_fork() or (os.cpu_count() or 1) < 2:
        pytest.skip("sharing work needs fork, from a single-threaded process, and two cores")

    def call(index: int) -> tuple[int, int]:  # a local function: it cannot be sent, only inherited
        time.sleep(0.02)
        return index * index, os.getpid()

    results = fork_each(call, 30, least=2)
    assert [square for square, _pid in results] == [index * index for index in range(30)]
    workers = {pid for _square, pid in results}
    assert len(workers) >= 2 and os.getpid() not in workers
    assert {pid for _square, pid in fork_each(call, 3, least=4)} == {os.getpid()}


def test_parts_written_by_workers_are_the_site_made_in_one_piece(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    register = load_register(PROJECT / "register", today=BUILD_DATE)
    parts = site_parts(Site(register, SiteContext()))
    assert len(parts) == 9  # the register's pages, the improvements', the metrics', …
    with i18n.using("de"):  # the workers write in the build's language
        whole = source_tree(site_files(register, SiteContext()))
        monkeypatch.setattr(csi_macros.site.generate, "PARALLEL_PARTS", 1)
        shared = write_parts(tmp_path / "shared", parts)
        monkeypatch.setattr(csi_macros.site.generate, "PARALLEL_PARTS", len(parts) + 1)
        alone = write_parts(tmp_path / "alone", parts)
        again = write_parts(tmp_path / "shared", parts)
    assert "Verbesserung" in whole["pages/register/index.html"].decode()
    assert sorted(shared.paths) == sorted(alone.paths) == sorted(whole)
    assert shared.written == alone.written == len(whole)
    assert files_under(tmp_path / "shared") == files_under(tmp_path / "alone") == whole
    assert again.written == 0 and sorted(again.paths) == sorted(whole)


def test_what_workers_wrote_is_kept_and_removed_when_no_longer_made(tmp_path: Path) -> None:
    def part(name: str):
        return lambda: {f"register/{name}.md": Page(name, (Heading(1, name),))}

    first = write_parts(tmp_path, [part("CSI-0001"), part("CSI-0002")])
    assert write_tree(tmp_path, {"docs/index.md": b"Home"}, first).summary() == \
        "7 written, 0 unchanged, 0 removed"
    second = write_parts(tmp_path, [part("CSI-0001")])
    assert write_tree(tmp_path, {"docs/index.md": b"Home"}, second).summary() == \
        "0 written, 4 unchanged, 3 removed"
    assert sorted(files_under(tmp_path)) == [
        MANIFEST, "docs/index.md", "docs/register/CSI-0001/index.md",
        "pages/register/CSI-0001/index.html", "pages/register/CSI-0001/index.toc.json"]


def write_files_in(folder: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text)


def test_the_built_site_and_the_site_folder_trade_places(tmp_path: Path) -> None:
    built, target = tmp_path / "work" / "site", tmp_path / "public"
    write_files_in(built, {"index.html": "new", "register/CSI-0001/index.html": "one"})
    publish(built, target)  # no site folder yet: the built site becomes it
    assert files_under(target) == {"index.html": b"new", "register/CSI-0001/index.html": b"one"}
    write_files_in(built, {"index.html": "newer"})
    write_files_in(target, {"stray.txt": "not part of the site"})
    publish(built, target)
    assert files_under(target) == {"index.html": b"newer"}
    assert "stray.txt" in files_under(built)  # the old site, for Zensical to empty


@pytest.mark.parametrize("failing", ["every rename", "the built site's"])
def test_a_site_folder_that_cannot_trade_places_becomes_a_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    built, target = tmp_path / "work" / "site", tmp_path / "public"
    write_files_in(built, {"index.html": "new"})
    write_files_in(target, {"index.html": "old", "stray.txt": "gone"})
    rename = os.rename

    def across_file_systems(source: Path, destination: Path) -> None:
        if failing == "every rename" or Path(source) == built:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        rename(source, destination)

    monkeypatch.setattr(os, "rename", across_file_systems)
    publish(built, target)
    assert files_under(target) == files_under(built) == {"index.html": b"new"}
    assert not (tmp_path / "work" / "site.previous").exists()


def test_a_site_folder_is_refused_where_a_build_would_replace_the_project(tmp_path: Path) -> None:
    project, docs = tmp_path / "project", tmp_path / "project" / "docs"
    docs.mkdir(parents=True)
    (tmp_path / "file.txt").write_text("a file")
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    checks = {"keep": [project / "mkdocs.yml", docs], "outside": [docs]}
    assert check_site_dir(project / "site", **checks) == (project / "site").resolve()
    for site_dir, message in ((project, "it holds"), (tmp_path, "it holds"),
                              (docs / "site", "it lies in"), (docs, "it holds"),
                              (tmp_path / "file.txt", "is not a folder"),
                              (tmp_path / "link", "is not a folder")):
        with pytest.raises(CsiError, match=message):
            check_site_dir(site_dir, **checks)
