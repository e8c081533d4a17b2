"""Two builds of the same commit with the same SOURCE_DATE_EPOCH are byte-identical."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sitebuild import ENGINES, PROJECT, build_site

pytestmark = pytest.mark.build


def digest(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("engine", ENGINES)
def test_same_commit_same_epoch_same_bytes(tmp_path: Path, engine: str) -> None:
    first = build_site(PROJECT / "register", tmp_path / "one", engine=engine,
                       extra_env={"CSI_CHART_CACHE": str(tmp_path / "cache-one")})
    second = build_site(PROJECT / "register", tmp_path / "two", engine=engine,
                        extra_env={"CSI_CHART_CACHE": str(tmp_path / "cache-two")})
    assert first.returncode == 0, first.output
    assert second.returncode == 0, second.output
    one, two = digest(first.root), digest(second.root)
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert any(name.endswith(".svg") for name in one)
    search = "search.json" if engine == "zensical" else "search/search_index.json"
    assert {"register.csv", "register.json", "sitemap.xml", search} <= one.keys()


def test_another_epoch_changes_the_as_of_date(tmp_path: Path) -> None:
    later = build_site(PROJECT / "register", tmp_path / "later", epoch="1800000000")  # 2027-01-15
    assert later.returncode == 0, later.output
    assert "2027-01-15" in (later.root / "index.html").read_text(encoding="utf-8")
