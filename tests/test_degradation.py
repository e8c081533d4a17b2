"""Thin registers still make a whole site: empty places say so instead of failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from csi_macros.testing import metric, organisation, write_register
from sitebuild import Site, build_site

pytestmark = pytest.mark.build

BARE = {"id": "CSI-0001", "title": "Only what is required", "description": "Bare.",
        "raised": "2026-11-01", "status": "proposed", "priority": "low"}


@pytest.fixture(scope="module")
def thin(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("thin")
    register = write_register(
        root / "register",
        register=organisation(objectives=[{"id": "OBJ-1", "title": "Measured", "metrics": ["MTTR"]},
                                          {"id": "OBJ-2", "title": "Nothing linked yet"}]),
        improvements=[BARE], metrics=[metric()], snapshots=[])
    site = build_site(register, root / "site")
    assert site.returncode == 0, site.output
    return site


def test_an_improvement_with_only_required_fields_has_a_page(thin: Site) -> None:
    page = thin.page("/register/CSI-0001/")
    assert "Only what is required" in page and "Nothing logged yet." in page


def test_a_metric_without_snapshots_says_no_data(thin: Site) -> None:
    page = thin.page("/metrics/MTTR/")
    assert "no data" in page.lower()
    assert "No improvement names this metric yet." in page


def test_an_objective_with_nothing_linked_is_listed(thin: Site) -> None:
    page = thin.page("/objectives/")
    assert "Nothing linked yet" in page
    assert "CSI-0001" in page  # the proposed one without objectives shows as a gap


def test_a_register_without_improvements_builds(tmp_path: Path) -> None:
    register = write_register(tmp_path / "register", improvements=[], snapshots=[])
    site = build_site(register, tmp_path / "site")
    assert site.returncode == 0, site.output
    for address in ("/", "/register/", "/metrics/", "/objectives/", "/playbook/action/"):
        assert "<html" in site.page(address)
