"""csi new and csi status: new files pass `csi check`, status moves change only their lines."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csi_macros import load_register
from csi_macros.cli import main
from csi_macros.edit import (EditError, new_improvement, next_improvement_id, set_status,
                             slug, yaml_scalar, yaml_string)
from csi_macros.register.source import parse_document, to_plain_data
from csi_macros.testing import improvement, metric, snapshot, temporary_register, write_register

EPOCH = "1795564800"  # 2026-11-25 00:00 UTC
TODAY = dt.date(2026, 11, 25)

HOSTILE_TEXTS = [
    'He said "hi" \\ and left',
    "{{ config.site_name }} {% raw %}",
    "# not a comment",
    "- not a list",
    "key: value",
    "yes",
    "null",
    "~",
    "123",
    "2026-01-01",
    "tab\there",
    "emoji 🎉, accents é ü ß",
    "line\u2028separator and\u0085next line",
    "bell \x07 and delete \x7f",
    "<script>alert(1)</script>",
    "*alias &anchor !tag |pipe >fold",
    "'single quotes'",
    "@at `backtick` %percent",
    " leading and trailing spaces ",
    "[flow] {mapping}, comma",
]

COMMENTED = """\
# CSI-0007: restore P1 incidents faster.
# Owner: the service desk lead.

id: CSI-0007
title: 'Faster P1 restore'   # short and plain
description: >-
  Restores take too long,
  and people wait.
raised: 2026-01-10
owner: Sam Owner
status: approved  # moved by the CAB
priority: high
objectives:
- OBJ-1
actions:
    - title: Write the runbook
      done: true
log:
  - {date: 2026-01-10, note: raised}
  - date: 2026-02-01
    note: "Approved: by the CAB"   # after the March meeting
    status: approved

# tags help the board
tags: [speed,   p1]
"""


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed from `before` and added in `after`; everything else is equal."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def run(*args: str) -> int:
    return main([str(a) for a in args])


# --- csi new ---------------------------------------------------------------------------------

def test_new_improvement_passes_check_right_away(capsys: pytest.CaptureFixture[str]) -> None:
    with temporary_register() as root:
        assert run("new", "--register", root, "Faster P1 restore") == 0
        printed = capsys.readouterr().out.strip()
        path = root / "improvements" / "CSI-0001-faster-p1-restore.yml"
        assert Path(printed).resolve() == path.resolve()
        assert run("check", root) == 0
        created = load_register(root).improvement["CSI-0001"]
        assert (created.title, created.raised, created.status, created.priority) == \
            ("Faster P1 restore", TODAY, "proposed", "medium")
        assert created.description.strip()
        text = path.read_text(encoding="utf-8")
        assert "# owner:" in text and "# objectives:" in text, "optional keys shown as comments"


def test_new_uses_the_register_s_dominant_prefix_and_padding() -> None:
    with temporary_register(improvements={
            "OPS-07-a.yml": improvement("OPS-07"), "OPS-12.yml": improvement("OPS-12"),
            "CSI-0001.yml": improvement("CSI-0001")}) as root:
        assert next_improvement_id(root) == "OPS-13"
        path = new_improvement(root, "Another one")
        assert path.name == "OPS-13-another-one.yml"
        load_register(root)
    with temporary_register() as root:
        assert next_improvement_id(root) == "CSI-0001"
    with temporary_register(improvements=[improvement("CSI-0099")]) as root:
        assert next_improvement_id(root) == "CSI-0100"
    with temporary_register(improvements=[improvement("CSI-9")]) as root:
        assert next_improvement_id(root) == "CSI-10", "the number may outgrow its padding"


@pytest.mark.parametrize("title", HOSTILE_TEXTS)
def test_new_quotes_any_title_safely(title: str) -> None:
    with temporary_register() as root:
        new_improvement(root, title)
        assert load_register(root).improvement["CSI-0001"].title == title


def test_new_refuses_blank_and_overlong_titles(capsys: pytest.CaptureFixture[str]) -> None:
    with temporary_register() as root:
        assert run("new", "--register", root, "   ") == 1
        assert "title must not be blank" in capsys.readouterr().err
        assert run("new", "--register", root, "x" * 121) == 1
        assert "at most 120 characters; got 121" in capsys.readouterr().err
        assert not list((root / "improvements").iterdir())
        assert run("new", "--register", root, "x" * 120) == 0


def test_new_metric_and_snapshot_pass_check() -> None:
    with temporary_register() as root:
        assert run("new", "--register", root, "--metric", "P1-MTTR", 'Restore "P1"') == 0
        assert run("new", "--register", root, "--snapshot", "2026-11-01") == 0
        assert run("check", root) == 0
        register = load_register(root)
        assert register.metric["P1-MTTR"].name == 'Restore "P1"'
        assert register.snapshots[0].values == {"MTTR": None, "P1-MTTR": None}
        assert (root / "snapshots" / "2026-11-01.yml").is_file()


def test_new_snapshot_of_an_empty_register_has_no_values() -> None:
    with temporary_register(metrics=[], register={
            "organisation": "X", "vision": "V", "objectives": [{"id": "OBJ-1", "title": "T"}]}) as root:
        assert run("new", "--register", root, "--snapshot", "2026-11-01") == 0
        assert load_register(root).snapshots[0].values == {}


@pytest.mark.parametrize("args, message", [
    (["--metric", "p1-mttr", "Name"], "metric id 'p1-mttr' must be capitals"),
    (["--metric", "MTTR", "Name"], "metric MTTR already exists"),
    (["--snapshot", "2026-02-30"], "must be a real date"),
    (["--snapshot", "26-02-01"], "must be a real date"),
    (["--snapshot", "2026-11-26"], "is in the future (the build date is 2026-11-25)"),
    (["--snapshot", "2026-02-28"], "already exists; nothing was written"),
    (["--snapshot", "2026-02-28", "extra"], "takes no name"),
    ([], "give a title"),
])
def test_new_refuses_bad_ids_dates_and_existing_files(
        args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with temporary_register(snapshots=[snapshot("2026-02-28")]) as root:
        before = sorted((p, p.read_bytes()) for p in root.rglob("*.yml"))
        assert run("new", "--register", root, *args) == 1
        assert message in capsys.readouterr().err
        assert sorted((p, p.read_bytes()) for p in root.rglob("*.yml")) == before


def test_new_undoes_a_file_that_would_break_the_register(capsys) -> None:
    # Another file already holds MTTR's value for that date; an empty MTTR would clash.
    with temporary_register(snapshots={"2026-10-31-servicenow.yml": snapshot("2026-10-31")}) as root:
        assert run("new", "--register", root, "--snapshot", "2026-10-31") == 1
        error = capsys.readouterr().err
        assert "2026-10-31.yml was not created, because the register would not be valid" in error
        assert "metric 'MTTR' already has a value for 2026-10-31" in error
        assert not (root / "snapshots" / "2026-10-31.yml").exists()


def test_new_follows_the_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772323200")  # 2026-03-01
    with temporary_register() as root:
        new_improvement(root, "Dated")
        assert load_register(root).improvement["CSI-0001"].raised == dt.date(2026, 3, 1)


def test_new_files_name_their_schema_when_it_is_written() -> None:
    with temporary_register() as root:
        assert run("schema", "--write", root.parent / "schemas") == 0
        new_improvement(root, "With a schema")
        assert run("new", "--register", root, "--snapshot", "2026-11-01") == 0
        first = (root / "improvements" / "CSI-0001-with-a-schema.yml").read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/improvement.schema.json"
        snapshot_file = (root / "snapshots" / "2026-11-01.yml").read_text()
        assert snapshot_file.startswith("# yaml-language-server: $schema=../../schemas/snapshot")
        load_register(root)


def test_new_needs_an_existing_register_folder(tmp_path: Path, capsys) -> None:
    assert run("new", "--register", tmp_path / "missing", "Title") == 1
    assert "register folder not found" in capsys.readouterr().err


def test_register_folder_defaults_to_csi_register_dir(monkeypatch, capsys) -> None:
    with temporary_register() as root:
        monkeypatch.setenv("CSI_REGISTER_DIR", str(root))
        assert run("new", "From the environment") == 0
        assert (root / "improvements" / "CSI-0001-from-the-environment.yml").is_file()


# --- csi status ---------------------------------------------------------------------------

def commented_register(**files):
    return temporary_register(improvements={"CSI-0007-faster.yml": COMMENTED}, **files)


def test_status_changes_only_the_status_line_and_adds_a_log_entry() -> None:
    with commented_register() as root:
        path = root / "improvements" / "CSI-0007-faster.yml"
        assert run("status", "--register", root, "CSI-0007", "in_progress",
                   "--note", "Work started") == 0
        removed, added = changed_lines(COMMENTED, path.read_text(encoding="utf-8"))
        assert removed == ["status: approved  # moved by the CAB\n"]
        assert added == ["status: in_progress  # moved by the CAB\n",
                         "  - date: 2026-11-25\n",
                         "    note: Work started\n",
                         "    status: in_progress\n"]
        imp = load_register(root).improvement["CSI-0007"]
        assert imp.status == "in_progress"
        assert (imp.log[-1].date, imp.log[-1].note, imp.log[-1].status) == \
            (TODAY, "Work started", "in_progress")


def test_closing_needs_an_outcome(capsys: pytest.CaptureFixture[str]) -> None:
    with commented_register() as root:
        path = root / "improvements" / "CSI-0007-faster.yml"
        assert run("status", "--register", root, "CSI-0007", "closed", "--note", "Done") == 1
        assert "needs an outcome to become closed: add --outcome" in capsys.readouterr().err
        assert path.read_text(encoding="utf-8") == COMMENTED


def test_closing_sets_closed_and_outcome_and_reopening_removes_closed() -> None:
    with commented_register() as root:
        path = root / "improvements" / "CSI-0007-faster.yml"
        assert run("status", "--register", root, "CSI-0007", "closed", "--note", "Done",
                   "--outcome", "Restores take 1 hour: see the March report") == 0
        closed_text = path.read_text(encoding="utf-8")
        removed, added = changed_lines(COMMENTED, closed_text)
        assert removed == ["status: approved  # moved by the CAB\n"]
        assert added == ["status: closed  # moved by the CAB\n",
                         "closed: 2026-11-25\n",
                         "  - date: 2026-11-25\n",
                         "    note: Done\n",
                         "    status: closed\n",
                         'outcome: "Restores take 1 hour: see the March report"\n']
        imp = load_register(root).improvement["CSI-0007"]
        assert (imp.status, imp.closed, imp.outcome) == \
            ("closed", TODAY, "Restores take 1 hour: see the March report")

        assert run("status", "--register", root, "CSI-0007", "in_progress",
                   "--note", "Reopened: it regressed") == 0
        removed, added = changed_lines(closed_text, path.read_text(encoding="utf-8"))
        assert removed == ["status: closed  # moved by the CAB\n", "closed: 2026-11-25\n"]
        assert added == ["status: in_progress  # moved by the CAB\n",
                         "  - date: 2026-11-25\n",
                         '    note: "Reopened: it regressed"\n',
                         "    status: in_progress\n"]
        assert load_register(root).improvement["CSI-0007"].closed is None


def test_rejecting_with_an_outcome_already_in_the_file() -> None:
    text = COMMENTED.replace("tags:", "outcome: |\n  Not worth it.\ntags:")
    with temporary_register(improvements={"CSI-0007.yml": text}) as root:
        assert run("status", "--register", root, "CSI-0007", "rejected", "--note", "No") == 0
        imp = load_register(root).improvement["CSI-0007"]
        assert (imp.status, imp.closed, imp.outcome) == ("rejected", TODAY, "Not worth it.\n")
        assert imp.log[-1].note == "No", "a note of 'No' stays text"


@pytest.mark.parametrize("outcome", ["outcome: |\n  Old text,\n  two lines.\n\n",
                                     "outcome: 'Old'   # to be rewritten\n"])
def test_a_new_outcome_replaces_the_old_one(outcome: str) -> None:
    text = COMMENTED.replace("# tags help", outcome + "# tags help")
    with temporary_register(improvements={"CSI-0007.yml": text}) as root:
        path = root / "improvements" / "CSI-0007.yml"
        set_status(root, "CSI-0007", "closed", "Done", outcome="New outcome")
        removed, added = changed_lines(text, path.read_text(encoding="utf-8"))
        assert [line for line in removed if not line.startswith("status:")] == \
            [line + "\n" for line in outcome.splitlines() if line]
        assert [line for line in added if line.startswith("outcome:")] == \
            ["outcome: New outcome" + ("   # to be rewritten" if "#" in outcome else "") + "\n"]
        assert load_register(root).improvement["CSI-0007"].outcome == "New outcome"


def test_a_file_without_log_gets_one_at_the_end() -> None:
    text = COMMENTED.split("log:")[0]
    with temporary_register(improvements={"CSI-0007.yml": text}) as root:
        path = root / "improvements" / "CSI-0007.yml"
        assert run("status", "--register", root, "csi-0007", "implemented", "--note", "Live") == 0
        after = path.read_text(encoding="utf-8")
        assert after == text.replace("status: approved", "status: implemented") + (
            "log:\n- date: 2026-11-25\n  note: Live\n  status: implemented\n"
        ), "the file's own list style (dashes at the key's column) is followed"


@pytest.mark.parametrize("log, expected", [
    ("log:\n", "log:\n  - date: 2026-11-25\n    note: Go\n    status: in_progress\n"),
    ("log: ~   # none yet\n",
     "log:   # none yet\n  - date: 2026-11-25\n    note: Go\n    status: in_progress\n"),
    ("log: []\n", "log: [{date: 2026-11-25, note: Go, status: in_progress}]\n"),
    ("log:\n  - {date: 2026-01-10, note: a}\n",
     "log:\n  - {date: 2026-01-10, note: a}\n  - {date: 2026-11-25, note: Go, status: in_progress}\n"),
    ("log:\n    -   date: 2026-01-10\n        note: a\n",
     "log:\n    -   date: 2026-01-10\n        note: a\n"
     "    -   date: 2026-11-25\n        note: Go\n        status: in_progress\n"),
])
def test_log_entries_follow_the_file_s_style(log: str, expected: str) -> None:
    head = "id: CSI-0001\ntitle: T\ndescription: D\nraised: 2026-01-10\nowner: Sam\n" \
           "status: approved\npriority: low\nobjectives: [OBJ-1]\n"
    with temporary_register(improvements={"CSI-0001.yml": head + log}) as root:
        set_status(root, "CSI-0001", "in_progress", "Go")
        after = (root / "improvements" / "CSI-0001.yml").read_text(encoding="utf-8")
        assert after == head.replace("approved", "in_progress") + expected


def test_line_endings_and_byte_order_mark_are_kept() -> None:
    text = "\ufeff" + COMMENTED.replace("\n", "\r\n")
    with temporary_register(improvements={"CSI-0007.yml": text.encode("utf-8")}) as root:
        path = root / "improvements" / "CSI-0007.yml"
        set_status(root, "CSI-0007", "deferred", "Parked until spring")
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.count(b"\n") == data.count(b"\r\n")
        removed, added = changed_lines(text, data.decode("utf-8"))
        assert removed == ["status: approved  # moved by the CAB\r\n"]
        assert len(added) == 4


@pytest.mark.parametrize("args, message", [
    (["CSI-0007", "done"], "unknown status 'done'; expected one of proposed, approved, "
                           "in_progress, implemented, closed, rejected, deferred"),
    (["CSI-0070", "closed"], "no improvement CSI-0070"),
    (["not-an-id", "closed"], "is not an improvement id"),
    (["CSI-0007", "approved"], "CSI-0007 is already approved"),
    (["CSI-0008", "approved"], "owner is required when status is approved"),
])
def test_status_refusals_leave_every_file_alone(args: list[str], message: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    proposed = improvement("CSI-0008", status="proposed", owner=None)
    with commented_register() as root:
        write_register(root, improvements=[proposed])
        before = sorted((p, p.read_bytes()) for p in root.rglob("*.yml"))
        assert run("status", "--register", root, *args, "--note", "x") == 1
        assert message in capsys.readouterr().err
        assert sorted((p, p.read_bytes()) for p in root.rglob("*.yml")) == before


def test_status_refuses_to_edit_a_file_with_errors() -> None:
    with temporary_register(improvements=[improvement("CSI-0001", priority="urgent")]) as root:
        with pytest.raises(EditError, match="has errors; fix them first"):
            set_status(root, "CSI-0001", "in_progress", "Go")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=st.text(min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_any_note_reads_back_exactly(note: str) -> None:
    with temporary_register(improvements=[improvement("CSI-0001")]) as root:
        set_status(root, "CSI-0001", "in_progress", note)
        assert load_register(root).improvement["CSI-0001"].log[-1].note == note


# --- YAML text helpers ---------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_yaml_string_and_scalar_read_back_exactly(text: str) -> None:
    for written in (yaml_string(text), yaml_scalar(text), yaml_scalar(text, flow=True)):
        assert to_plain_data(parse_document(f"key: {written}\n", "test.yml"))["key"] == text


def test_slug() -> None:
    assert slug("Faster P1 restore!") == "faster-p1-restore"
    assert slug("Résumé des incidents — Überblick") == "resume-des-incidents-uberblick"
    assert slug("日本語") == ""
    assert len(slug("word " * 40)) <= 48 and not slug("word " * 40).endswith("-")


# --- The "Raise an improvement" form (docs/raise.md + assets/raise.js) ------------------------

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = PROJECT / "csi_macros" / "site" / "shipped" / "en"
RAISE_JS = PROJECT / "csi_macros" / "site" / "assets" / "raise.js"
RAISE_PAGE = SHIPPED / "raise.md"
NODE_DRIVER = """
const raise = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; }).on("end", () => {
  const request = JSON.parse(input);
  const answer = {
    constants: {STATUSES: raise.STATUSES, PRIORITIES: raise.PRIORITIES, PRINCIPLES: raise.PRINCIPLES,
                IMPROVEMENT_ID: raise.IMPROVEMENT_ID, OBJECTIVE_ID: raise.OBJECTIVE_ID,
                TITLE_MAX: raise.TITLE_MAX},
    forms: request.forms.map((values) => {
      const problems = raise.validate(values, request.today);
      return {problems, name: problems.length ? null : raise.fileName(values),
              yaml: problems.length ? null : raise.toYaml(values)};
    }),
    quoted: request.texts.map(raise.quote),
    slugs: request.texts.map(raise.slug),
    url: raise.newFileUrl("https://github.com/acme/csi/", "github", "main", "register/improvements",
                          "CSI-0001-a.yml", "id: CSI-0001\\ntitle: \\"a & b\\"\\n"),
  };
  process.stdout.write(JSON.stringify(answer));
});
"""


def form(**overrides):
    values = {"id": "CSI-0042", "title": "Faster P1 restore", "description": "Restores are slow.",
              "raised": "2026-11-20", "raised_by": "", "owner": "", "status": "proposed",
              "priority": "medium", "value": "", "effort": "", "target_date": "", "closed": "",
              "outcome": "", "objectives": [], "principles": []}
    return {**values, **overrides}


def run_form(forms: list[dict], texts: list[str] = ()) -> dict:
    import json
    import shutil
    import subprocess
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    request = json.dumps({"today": str(TODAY), "forms": forms, "texts": list(texts)})
    result = subprocess.run(["node", "-e", NODE_DRIVER, str(RAISE_JS)], input=request,
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def test_form_rules_are_the_model_s() -> None:
    from csi_macros.register.model import IMPROVEMENT_ID, OBJECTIVE_ID, PRINCIPLES, PRIORITIES, STATUSES
    from csi_macros.edit import TITLE_MAX
    constants = run_form([])["constants"]
    assert constants == {"STATUSES": list(STATUSES), "PRIORITIES": list(PRIORITIES),
                         "PRINCIPLES": list(PRINCIPLES), "IMPROVEMENT_ID": f"^{IMPROVEMENT_ID}$",
                         "OBJECTIVE_ID": f"^{OBJECTIVE_ID}$", "TITLE_MAX": TITLE_MAX}
    from csi_macros.site.pages.raise_form import MARK, raise_form
    page = RAISE_PAGE.read_text(encoding="utf-8")
    assert "render_macros: false" in page and "{{" not in page, "the page never goes through Jinja"
    assert MARK in page, "the plugin puts the form where the page asks for it"
    import re
    form = raise_form("../")
    select = lambda name: re.findall(r'<option value="([^"]+)"', form.split(f'name="{name}"')[1]
                                     .split("</select>")[0])
    assert select("status") == list(STATUSES)
    assert select("priority") == list(PRIORITIES)
    assert re.findall(r'name="principles" value="([^"]+)"', form) == list(PRINCIPLES)
    assert '<script src="../assets/csi/raise.js"></script>' in form


def test_form_files_pass_the_register_s_own_checks() -> None:
    committed = dict(status="in_progress", owner="Sam O'Neil", objectives=["OBJ-1"], value="4",
                     effort="2", target_date="2027-02-28", principles=["focus-on-value"],
                     raised_by="Service desk")
    forms = [form(), form(id="OPS-7", **committed),
             form(id="CSI-0043", status="closed", owner="Sam", objectives=["OBJ-1"],
                  closed="2026-11-24", outcome="Done:\n\n* restores take 1 hour"),
             form(id="CSI-0044", status="rejected", closed="2026-11-25", outcome="Not now")]
    forms += [form(id=f"CSI-{100 + i}", title=text.strip() or "x", description=text,
                   owner=text, status="approved", objectives=["OBJ-1"])
              for i, text in enumerate(HOSTILE_TEXTS) if text.strip()]
    answers = run_form(forms)["forms"]
    with temporary_register() as root:
        for answer in answers:
            assert answer["problems"] == []
            (root / "improvements" / answer["name"]).write_text(answer["yaml"], encoding="utf-8")
        register = load_register(root, today=TODAY)
    for values in forms:
        imp = register.improvement[values["id"]]
        assert (imp.title, imp.description, imp.status, imp.priority) == \
            (values["title"], values["description"], values["status"], values["priority"])
        assert imp.owner == (values["owner"] or None)
        assert list(imp.objectives) == values["objectives"]
        assert imp.log[0].date == imp.raised == dt.date(2026, 11, 20)
    assert register.improvement["OPS-7"].value == 4
    assert register.improvement["OPS-7"].target_date == dt.date(2027, 2, 28)
    assert register.improvement["CSI-0042"].closed is None
    assert (register.improvement["CSI-0043"].closed, register.improvement["CSI-0043"].outcome) == \
        (dt.date(2026, 11, 24), "Done:\n\n* restores take 1 hour")
    assert answers[1]["name"] == "OPS-7-faster-p1-restore.yml"


def test_form_refuses_what_csi_check_refuses() -> None:
    cases = {
        "id": form(id="csi-1"),
        "title": form(title="x" * 121),
        "description": form(description="  \n "),
        "raised": form(raised="2026-11-26"),
        "owner": form(status="approved", objectives=["OBJ-1"]),
        "objectives": form(status="approved", owner="Sam"),
        "closed": form(status="closed", owner="Sam", objectives=["OBJ-1"], closed="2026-11-19",
                       outcome="x"),
        "outcome": form(status="rejected", closed="2026-11-25"),
        "target_date": form(target_date="2026-02-30"),
    }
    answers = run_form(list(cases.values()))["forms"]
    for field, answer in zip(cases, answers):
        assert [problem[0] for problem in answer["problems"]] == [field], answer
    assert answers[1]["problems"][0][1] == "title must be at most 120 characters; got 121"
    assert run_form([form(title="é" * 120)])["forms"][0]["problems"] == [], \
        "120 characters, counted like Python counts them"
    assert run_form([form(objectives=["OBJ-x"])])["forms"][0]["problems"][0][0] == "objectives"


def test_form_quotes_and_slugs_like_csi_new() -> None:
    import random
    generator = random.Random(7)
    alphabet = [chr(c) for c in [*range(0, 0x250), *range(0x2000, 0x2030), 0xfeff, 0xfffe,
                                 0x1f389, 0x10ffff, 0x0301]]
    texts = HOSTILE_TEXTS + ["".join(generator.choice(alphabet) for _ in range(20))
                             for _ in range(100)]
    texts += ["Faster P1 restore!", "Résumé des incidents — Überblick", "word " * 40, "日本語"]
    answer = run_form([], texts)
    assert answer["quoted"] == [yaml_string(text) for text in texts]
    assert answer["slugs"] == [slug(text) for text in texts]
    assert answer["url"] == ("https://github.com/acme/csi/new/main/register/improvements"
                             "?filename=CSI-0001-a.yml&value=id%3A%20CSI-0001%0Atitle%3A%20%22a%20%26%20b%22%0A")


@pytest.mark.browser
def test_the_form_in_a_browser_writes_a_file_the_register_accepts(tmp_path: Path) -> None:
    """The page's own form and script, without the rest of the site: type, then download."""
    from browser_harness import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
    require_chromium()
    from playwright.sync_api import sync_playwright
    from csi_macros.site.pages.raise_form import raise_form
    page_text = RAISE_PAGE.read_text(encoding="utf-8")
    form_html = raise_form("../")
    form_html = form_html[form_html.index("<form id=\"csi-raise\""):form_html.index("</form>") + 7]
    style = page_text[page_text.index("<style>"):page_text.index("</style>") + 8]
    theme = "<style>.md-button { display: inline-block; }</style>"  # as Material does
    (tmp_path / "assets" / "csi").mkdir(parents=True)
    (tmp_path / "assets" / "csi" / "raise.js").write_bytes(RAISE_JS.read_bytes())
    linked = form_html.replace('data-repo-url=""', 'data-repo-url="https://github.com/acme/csi"')
    for folder, html in (("raise", form_html), ("linked", linked)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.html").write_text(
            f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Raise</title>{theme}'
            f'{style}<body>{html}<script src="../assets/csi/raise.js"></script></body></html>',
            encoding="utf-8")
    server = serve(tmp_path)
    url = next(server)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url + "/raise/")
            assert not page.is_visible("#csi-raise-open"), "no repository known: no web editor"
            assert not page.is_visible("#csi-raise-closed"), "closed only when closing"
            page.goto(url + "/linked/")
            page.fill("#csi-raise-title", 'Faster "P1" restore')
            assert page.input_value("#csi-raise-yaml") == "", "no file while the id is missing"
            page.click("#csi-raise-copy")
            assert "id is required" in page.inner_text("#csi-raise-errors")
            page.fill("#csi-raise-id", "CSI-0042")
            page.fill("#csi-raise-description", "Restores are <b>slow</b>.\n\nVery slow.")
            page.select_option("#csi-raise-status", "approved")
            assert "owner is required" in page.inner_text("#csi-raise-errors")
            page.fill("#csi-raise-owner", "Sam")
            page.fill("#csi-raise-objectives", "OBJ-1")
            page.check("#csi-raise-p1")
            assert page.is_visible("#csi-raise-open")
            with page.expect_download() as download:
                page.click("#csi-raise-download")
            name = download.value.suggested_filename
            text = Path(download.value.path()).read_text(encoding="utf-8")
            raised = page.input_value("#csi-raise-raised")
            browser.close()
    finally:
        server.close()
    assert errors == []
    assert name == "CSI-0042-faster-p1-restore.yml"
    with temporary_register() as root:
        (root / "improvements" / name).write_text(text, encoding="utf-8")
        imp = load_register(root, today=dt.date.fromisoformat(raised)).improvement["CSI-0042"]
    assert (imp.title, imp.status, imp.owner, imp.principles) == \
        ('Faster "P1" restore', "approved", "Sam", ("focus-on-value",))
    assert imp.description == "Restores are <b>slow</b>.\n\nVery slow."
