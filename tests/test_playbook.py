"""The playbook and the principles as an ITIL 4 continual improvement practice owner reads
them: the steps table comes from the model's own map of statuses to steps, each status
moves where the model puts it, the pages use ITIL 4's names, every step says who does
what, all seven principles are considered, and the glossary that the German and
Norwegian texts follow is the one the catalogues keep."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from csi_macros.facts import Register
from csi_macros.fields import format_keys
from csi_macros.i18n import LOCALE_DIR
from csi_macros.model import PRINCIPLES, STATUSES, STEPS, ModelAnswers
from csi_macros.pages import addresses
from sitebuild import PROJECT
from test_pages import register, render  # noqa: F401  (the register fixture)

DOCS = PROJECT / "docs"
PLAYBOOK = DOCS / "playbook"
PRINCIPLE_PAGES = DOCS / "principles"
GLOSSARY = LOCALE_DIR / "glossary.md"
LANGUAGES = ("de", "nb")


def step_page(step: int) -> Path:
    """The Markdown file of a step's page: `playbook/plan/` → `docs/playbook/plan.md`."""
    return DOCS / (addresses.step(step).rstrip("/") + ".md")


def shipped_pages() -> list[Path]:
    """Every hand-written page the site ships: the playbook, the principles, the help."""
    return sorted(DOCS.rglob("*.md"))


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- The steps table is the model's --------------------------------------------------------

def steps_of(label: str) -> range:
    """The steps a status's label names: "1–3 What is …" → 1, 2, 3; "4 How …" → 4."""
    found = re.match(r"(\d)(?:–(\d))?\s", label)
    if not found:
        return range(0)
    first = int(found[1])
    return range(first, int(found[2] or first) + 1)


def expected_statuses(step: int) -> list[str]:
    """The statuses the model puts at a step, read from each status's own label."""
    return [s.id for s in STATUSES.values() if step in steps_of(s.step_label)]


def test_the_steps_table_is_the_model_s_map_of_statuses_to_steps(register: Register) -> None:
    table = render(register, "{{ steps_table() }}", "playbook/")
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", table, flags=re.S)
    assert len(rows) == len(STEPS) == 7
    answers = {int(spec.doc.split(" ", 1)[0]): name
               for name, spec in format_keys(ModelAnswers).items()}
    for step, row in zip(STEPS, rows):
        cells = re.split(r"</td><td[^>]*>", row)
        assert f'<a href="../{addresses.step(step)}">{step} {STEPS[step]}</a>' == cells[0]
        assert cells[1] == (f"<code>model.{answers[step]}</code>" if step in answers
                            else "<code>actions</code>")
        assert re.findall(r"<code>(\w+)</code>", cells[2]) == expected_statuses(step), step
    assert [expected_statuses(s) for s in STEPS] == [["proposed"]] * 3 + [
        ["approved"], ["in_progress"], ["implemented"], ["closed"]]


def test_each_step_s_page_lists_the_improvements_with_the_table_s_statuses(
        register: Register) -> None:
    for step in STEPS:
        listed = set(re.findall(r'href="\.\./\.\./register/([A-Z]+-\d+)/"',
                                render(register, f"{{{{ improvements_at_step({step}) }}}}")))
        wanted = {i.id for i in register.improvements if i.status in expected_statuses(step)}
        assert listed == wanted, step


def test_the_playbook_never_types_the_status_of_a_step_itself() -> None:
    index = text(PLAYBOOK / "index.md")
    assert "{{ steps_table() }}" in index and "{{ status_table() }}" in index
    statuses = "|".join(STATUSES)
    typed = re.compile(rf"^\|\s*[1-7]\b[^\n]*`({statuses})`", flags=re.M)
    for page in sorted(PLAYBOOK.glob("*.md")):
        assert not typed.search(text(page)), f"{page.name} types a step's status in a table"


