"""Reading a register folder: which files count, how they are named, what comes out."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from pathlib import Path

import pytest

from csi_macros import RegisterError, load_register
from csi_macros.register.load import display_path, read_records, register_dir, register_files
from csi_macros.testing import (improvement, metric, organisation, snapshot, temporary_register,
                                write_register, yaml_text)

from conftest import BUILD_DATE

PROJECT = Path(__file__).resolve().parent.parent


def test_the_sample_register_is_valid() -> None:
    register = load_register(PROJECT / "register")
    assert register.improvements and register.metrics and register.snapshots


def test_yaml_and_yml_files_count_and_nothing_else(tmp_path: Path) -> None:
    root = write_register(tmp_path / "register", improvements={
        "CSI-0001.yml": improvement(), "CSI-0002.yaml": improvement("CSI-0002"),
        "README.md": "# Improvements\n", ".gitkeep": "", "notes.txt": "x: [", ".CSI-0003.yml": "x: ["},
        metrics={"MTTR.yaml": metric(), "README": "anything"}, snapshots={"2026-02-28.yaml": snapshot()})
    (root / "improvements" / "drafts").mkdir()
    (root / "improvements" / "drafts" / "CSI-0009.yml").write_text("not: [read")
    register = load_register(root, today=BUILD_DATE)
    assert [i.id for i in register.improvements] == ["CSI-0001", "CSI-0002"]
    assert [m.id for m in register.metrics] == ["MTTR"]
    assert [p.relative_to(root).as_posix() for p in register.files] == [
        "register.yml", "improvements/CSI-0001.yml", "improvements/CSI-0002.yaml",
        "metrics/MTTR.yaml", "snapshots/2026-02-28.yaml"]
    assert register_files(root) == list(register.files)


def test_register_yaml_may_replace_register_yml(tmp_path: Path) -> None:
    root = write_register(tmp_path / "register")
    (root / "register.yml").rename(root / "register.yaml")
    assert load_register(root, today=BUILD_DATE).organisation.organisation == "Example IT"


def test_register_yml_and_register_yaml_together_are_an_error(tmp_path: Path) -> None:
    root = write_register(tmp_path / "register")
    (root / "register.yaml").write_text(yaml_text(organisation(organisation="Other")))
    with contextlib.chdir(tmp_path), pytest.raises(RegisterError) as error:
        load_register("register", today=BUILD_DATE)
    assert [str(p) for p in error.value.problems] == [
        "register/register.yaml:1: both register.yml and register.yaml exist; keep only one "
        "(register.yml is read)"]


def test_a_missing_register_yml_is_reported_alone(tmp_path: Path) -> None:
    root = write_register(tmp_path / "register", improvements=[improvement()])
    (root / "register.yml").unlink()
    with contextlib.chdir(tmp_path), pytest.raises(RegisterError) as error:
        load_register("register", today=BUILD_DATE)
    assert [str(p) for p in error.value.problems] == [
        "register/register.yml:1: register.yml is missing (the organisation, vision and objectives)"]


def test_a_missing_register_folder_is_reported(tmp_path: Path) -> None:
    with contextlib.chdir(tmp_path), pytest.raises(RegisterError) as error:
        load_register("nowhere", today=BUILD_DATE)
    assert [str(p) for p in error.value.problems] == ["nowhere:1: register folder not found"]


def test_folders_may_be_missing(tmp_path: Path) -> None:
    root = tmp_path / "register"
    root.mkdir()
    (root / "register.yml").write_text(yaml_text(organisation(objectives=[{"id": "OBJ-1", "title": "T"}])))
    register = load_register(root, today=BUILD_DATE)
    assert (register.improvements, register.metrics, register.snapshots) == ((), (), ())


def test_files_are_named_relative_to_the_working_folder_or_in_full(tmp_path: Path) -> None:
    root = write_register(tmp_path / "a" / "register", improvements=[improvement(priority="x")])
    with contextlib.chdir(tmp_path):
        assert display_path(root / "register.yml") == "a/register/register.yml"
        with pytest.raises(RegisterError) as error:
            load_register(Path("a/register"), today=BUILD_DATE)
        assert error.value.problems[0].path == "a/register/improvements/CSI-0001.yml"
    with contextlib.chdir(root / "improvements"):
        with pytest.raises(RegisterError) as error:
            load_register(root, today=BUILD_DATE)
        assert error.value.problems[0].path == "CSI-0001.yml"
    with contextlib.chdir("/"):
        assert display_path(root / "register.yml") == (root / "register.yml").relative_to("/").as_posix()


def test_register_dir_follows_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("CSI_REGISTER_DIR", raising=False)
    assert register_dir(tmp_path) == (tmp_path / "register").resolve()
    monkeypatch.setenv("CSI_REGISTER_DIR", "fixtures/small")
    assert register_dir(tmp_path) == (tmp_path / "fixtures" / "small").resolve()
    monkeypatch.setenv("CSI_REGISTER_DIR", str(tmp_path / "elsewhere"))
    assert register_dir("/somewhere") == (tmp_path / "elsewhere").resolve()


def test_the_register_is_sorted_whatever_the_file_order() -> None:
    with temporary_register(
            improvements={"CSI-0010.yml": improvement("CSI-0010"), "CSI-0002-b.yml": improvement("CSI-0002"),
                          "CSI-0001-z.yml": improvement("CSI-0001")},
            snapshots={"2026-03-31.yml": snapshot("2026-03-31"), "2026-01-31-b.yml": snapshot("2026-01-31"),
                       "2026-02-28.yml": snapshot("2026-02-28", MTTR=None)}) as root:
        register = load_register(root, today=BUILD_DATE)
    assert [i.id for i in register.improvements] == ["CSI-0001", "CSI-0002", "CSI-0010"]
    assert [s.date.isoformat() for s in register.snapshots] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    assert [(p.date.isoformat(), p.value) for p in register.series["MTTR"]] == [
        ("2026-01-31", 8), ("2026-02-28", None), ("2026-03-31", 8)]


def test_empty_optional_keys_are_not_set() -> None:
    text = yaml_text(improvement(status="proposed")) + "raised_by:\nvalue: ~\ntarget_date: null\n" \
        "services:\nmodel:\n  plan:\nextra:\n"
    with temporary_register(improvements={"CSI-0001.yml": text}) as root:
        imp = load_register(root, today=BUILD_DATE).improvement["CSI-0001"]
    assert (imp.raised_by, imp.value, imp.target_date, imp.services, imp.model.plan, imp.extra) == (
        None, None, None, (), None, {})
    assert imp.where.of("target_date") == 12 and imp.where.of("model.plan") == 15


def test_records_are_read_even_when_the_rules_are_not_met(tmp_path: Path) -> None:
    root = write_register(tmp_path / "register", improvements=[improvement(value="high")])
    records = read_records(root)
    [imp] = records.improvements
    assert imp.where.invalid == {"value"} and imp.status == "approved"
    assert [p.message for p in records.problems] == ["value must be a whole number from 1 to 5; got 'high'"]


def test_extra_is_passed_on_as_ordinary_data() -> None:
    with temporary_register(register=organisation(extra={"contact": "x@example.org"}),
                            improvements={"CSI-0001.yml": yaml_text(improvement()) + "extra:\n  cost: 1e3\n"
                                          "  flags: [yes, true, ~, '3', 3]\n  when: 2026-01-01\n"}) as root:
        register = load_register(root, today=BUILD_DATE)
    assert register.organisation.extra == {"contact": "x@example.org"}
    assert register.improvement["CSI-0001"].extra == {
        "cost": 1000.0, "flags": ["yes", True, None, "3", 3], "when": "2026-01-01"}


def test_a_build_date_given_wins_over_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    root = write_register(tmp_path / "register", improvements=[improvement()])
    assert load_register(root, today=dt.date(2026, 2, 1)).today == dt.date(2026, 2, 1)
    with pytest.raises(RegisterError):
        load_register(root)  # 1970: every date is in the future


def test_register_yml_as_a_folder_is_reported_once(tmp_path: Path) -> None:
    root = write_register(tmp_path / "register")
    (root / "register.yml").unlink()
    (root / "register.yml").mkdir()
    with contextlib.chdir(tmp_path), pytest.raises(RegisterError) as error:
        load_register("register", today=BUILD_DATE)
    assert [str(p) for p in error.value.problems] == [
        "register/register.yml:1: is a folder, not a file; a register file is a YAML file "
        "(rename or move the folder)"]


def test_a_folder_linked_from_outside_is_refused(tmp_path: Path) -> None:
    root = write_register(tmp_path / "register", improvements=[improvement()])
    (root / "improvements").rename(tmp_path / "elsewhere")
    (root / "improvements").symlink_to(tmp_path / "elsewhere")
    with contextlib.chdir(tmp_path), pytest.raises(RegisterError) as error:
        load_register("register", today=BUILD_DATE)
    assert [str(p) for p in error.value.problems] == [
        "register/improvements:1: is a symbolic link leading outside the register folder; "
        "keep register files inside it"]


def test_a_loaded_register_is_set_aside_from_the_cycle_collector() -> None:
    """Later collections skip it (`gc.freeze`), and the collector stays on."""
    gc.unfreeze()
    try:
        register = load_register(PROJECT / "register", today=BUILD_DATE)
        assert gc.get_freeze_count() > len(register.improvements) and gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_large_register_is_read_by_every_core_as_by_one(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import csi_macros.register.load
    improvements = {f"CSI-{n:04d}.yml": improvement(f"CSI-{n:04d}") for n in range(1, 30)}
    root = write_register(tmp_path / "register", metrics=[metric()], snapshots=[snapshot()],
                          improvements={**improvements, "CSI-0030.yml": improvement(
                              "CSI-0030", value=9), "CSI-0031.yml": "id: [unclosed\n"})
    serial = read_records(root)
    monkeypatch.setattr(csi_macros.register.load, "_PARALLEL_MIN", 4)
    parallel = read_records(root)
    assert parallel.problems == serial.problems and len(serial.problems) == 2
    assert parallel.improvements == serial.improvements and len(serial.improvements) == 30
    assert (parallel.metrics, parallel.snapshots) == (serial.metrics, serial.snapshots)


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_cycle_collector_as_it_was(tmp_path: Path, enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        load_register(PROJECT / "register", today=BUILD_DATE)
        assert gc.isenabled() is enabled
        with pytest.raises(RegisterError):
            load_register(tmp_path, today=BUILD_DATE)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
