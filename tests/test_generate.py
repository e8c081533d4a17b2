"""The generated tree written to a folder, as the Zensical adapter uses it: the layout of
a page's files, only changed files written, and what is no longer produced removed."""

from __future__ import annotations

import json
from pathlib import Path

from csi_macros.generate import MARKER, MANIFEST, mirror, page_source, source_tree, write_tree
from csi_macros.pages.page import Heading, Page


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
    from csi_macros.zensical_site import watch
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
