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

from csi_macros.readings.facts import Register
from csi_macros.register.fields import format_keys
from csi_macros.i18n import LOCALE_DIR
from csi_macros.register.model import PRINCIPLES, STATUSES, STEPS, ModelAnswers
from csi_macros.site import addresses
from sitebuild import PROJECT, SHIPPED
from test_pages import register, render  # noqa: F401  (the register fixture)

DOCS = SHIPPED
PLAYBOOK = DOCS / "playbook"
PRINCIPLE_PAGES = DOCS / "principles"
GLOSSARY = LOCALE_DIR / "glossary.md"
LANGUAGES = ("de", "nb")


def step_page(step: int) -> Path:
    """The Markdown file of a step's page: `playbook/plan/` → `shipped/en/playbook/plan.md`."""
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


# --- The statuses move where the model puts them -------------------------------------------

def moves_on(page: Path) -> set[str]:
    """The statuses a page's `csi status` examples move an improvement to."""
    return set(re.findall(r"csi status CSI-\d+ (\w+)", text(page)))


def test_each_move_is_shown_on_the_step_that_makes_it() -> None:
    moves = {step: moves_on(step_page(step)) for step in STEPS}
    assert moves[4] == {"approved"}, "the one approval is at the end of step 4"
    assert moves[5] == {"in_progress", "implemented"}, "implemented when the last action is done"
    assert moves[6] == {"in_progress", "closed"}, "step 6: another turn, or closed, not met"
    assert moves[7] == {"closed"}
    assert "approved" not in moves[1] | moves[2] | moves[3] | moves[5] | moves[6] | moves[7]
    for step in (5, 6, 7):
        assert "rejected" not in moves[step], "rejected never follows work that was done"


def test_no_step_before_the_plan_approves() -> None:
    for step in (1, 2, 3):
        page = text(step_page(step)).lower()
        assert not re.search(r"approve, reject|approve or reject|for a decision: approve", page)
    review = text(step_page(6))
    assert "close or reject" not in review and "Target not met" in review
    assert "csi status CSI-0007 implemented" not in review


# --- ITIL 4's names ------------------------------------------------------------------------

V3_ASIDE = re.compile(r"\((?:[Ii]n )?ITIL v3:[^)]*\)")
"""An ITIL v3 name given in brackets after the ITIL 4 one: "(In ITIL v3: the CSI manager.)"."""


@pytest.mark.parametrize("page", shipped_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_no_page_uses_an_itil_v3_name_but_in_brackets(page: Path) -> None:
    plain = " ".join(V3_ASIDE.sub("", text(page)).split())
    for v3 in (r"CSI manager", r"change board", r"change advisory board", r"\bCAB\b"):
        assert not re.search(v3, plain, flags=re.I), v3
    assert not re.search(r"mean time to restore(?! service)", plain, flags=re.I)
    assert not re.search(r"(?<!organizations and )\bpeople, information and technology",
                         plain, flags=re.I), "the first dimension is organizations and people"


def test_the_v3_names_that_are_given_follow_their_itil_4_names() -> None:
    roles = " ".join(text(PLAYBOOK / "roles.md").split())
    assert "## Continual improvement practice owner (In ITIL v3: the CSI manager.)" in roles
    assert re.search(r"change enablement practice \(in ITIL v3: change management, where a "
                     r"change advisory board, CAB,", roles)


def test_the_index_frames_the_practice() -> None:
    index = " ".join(text(PLAYBOOK / "index.md").split())
    for expected in ("general management practices", "service value system",
                     "*improve*", "*continual service improvement* (CSI)",
                     "*continual improvement register*", "deferred for a better time",
                     "six questions, and one action"):
        assert expected in index, expected
    assert "seven questions" not in index
    measurement = " ".join(text(PLAYBOOK / "measurement.md").split())
    assert "ITIL v3's *seven-step improvement process*" in measurement
    assert "ITIL 4 no longer has it" in measurement and "*measurement and reporting*" in measurement


# --- Who does what -------------------------------------------------------------------------

RACI = "| Responsible | Accountable | Consulted | Informed |"


def who_of(page: Path) -> list[str]:
    """The four cells of a step page's "Who" line."""
    found = re.search(r"^## Who\n\n" + re.escape(RACI) + r"\n\|---\|---\|---\|---\|\n\|(.*)\|$",
                      text(page), flags=re.M)
    assert found, f"{page.name} has no Who line"
    return [cell.strip() for cell in found[1].split("|")]


def test_every_step_says_who_and_roles_sums_them_up_the_same() -> None:
    summary = {}
    for line in text(PLAYBOOK / "roles.md").splitlines():
        found = re.match(r"\| \[(\d) [^]]+\]\(([\w-]+\.md)\) \|(.*)\|$", line)
        if found:
            summary[int(found[1])] = (found[2], [c.strip() for c in found[3].split("|")])
    assert sorted(summary) == list(STEPS)
    for step in STEPS:
        cells = who_of(step_page(step))
        assert len(cells) == 4 and all(cells[:3]), step
        assert summary[step] == (step_page(step).name, cells), step


def test_the_step_pages_carry_what_a_practitioner_expects() -> None:
    vision, _, target, plan, action, review, momentum = (
        " ".join(text(step_page(s)).split()) for s in STEPS)
    assert "probably not needed" in vision and "revisit them" in vision
    assert re.search(r"\| `critical` \| .* \|\n\| `high` \|", text(step_page(1)))
    for expected in ("critical success factors", "key performance indicator",
                     "what counts as met", "measurement window", "Value", "Effort",
                     "`priority_formula`"):
        assert expected.lower() in target.lower(), expected
    for score in range(1, 6):
        assert len(re.findall(rf"^\| {score} \| ", text(step_page(3)), flags=re.M)) == 2, score
    for expected in ("Risks", "Budget", "Change enablement", "Communication", "sponsor"):
        assert expected in plan, expected
    assert "change authority" in action
    assert "realised benefits with the benefits promised" in review
    assert "Hand the metric to the service owner" in momentum


# --- The principles -----------------------------------------------------------------------

def test_all_seven_principles_are_considered_every_time() -> None:
    index = " ".join(text(PRINCIPLE_PAGES / "index.md").split())
    assert "all seven be considered every time" in index
    assert "one or two" not in index and "ticking" not in index
    for principle in PRINCIPLES:
        assert f"({principle}.md)" in index, principle
    value = " ".join(text(PRINCIPLE_PAGES / "focus-on-value.md").split())
    for role in ("**users**", "**customer**, who defines", "**sponsor**, who authorises"):
        assert role in value, role
    assert "customers who pay" not in value


# --- The glossary for translators ----------------------------------------------------------

def glossary() -> list[dict[str, str]]:
    """The glossary's rows: `en`, `de`, `nb`, `notes`, `catalogues`."""
    rows = []
    for line in text(GLOSSARY).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (line.startswith("| ") and len(cells) == 5
                and cells[0] not in ("English (ITIL 4)", "---")):
            rows.append(dict(zip(("en", "de", "nb", "notes", "catalogues"), cells)))
    return rows


def bare(term: str) -> str:
    """A term without its bracketed part: "value (1 to 5)" → "value"."""
    return re.sub(r"\s*\([^)]*\)", "", term).strip()


def stems(term: str) -> list[str]:
    """The words of a term as they start in any inflection: "kontinuierliche Verbesserung"
    → "konti", "verbe"."""
    return [word[:5].lower() for word in re.findall(r"\w+", bare(term)) if len(word) > 3]


def catalogue(code: str) -> dict[str, str]:
    with (LOCALE_DIR / code / "LC_MESSAGES" / "csi.po").open("rb") as file:
        return {m.id: m.string for m in read_po(file) if m.id and isinstance(m.id, str)}


def test_the_glossary_names_the_terms_translators_need() -> None:
    rows = {row["en"]: row for row in glossary()}
    assert not str(GLOSSARY.relative_to(PROJECT)).startswith("docs"), "not a page of the site"
    for term in ("continual improvement", "continual improvement register", "guiding principles",
                 "organizations and people", "practice owner", "continual improvement practice owner",
                 "change authority", "change enablement", "critical success factor (CSF)",
                 "key performance indicator (KPI)", "mean time to restore service (MTRS)",
                 "service value system (SVS)", "general management practice"):
        assert term in rows, term
        assert rows[term]["de"] and rows[term]["nb"], term
    assert rows["guiding principles"]["de"] == "Leitprinzipien"
    assert rows["continual improvement"]["de"] == "kontinuierliche Verbesserung"
    assert rows["organizations and people"]["de"] == "Organisationen und Menschen"
    for name in [*PRINCIPLES.values(), *STEPS.values()]:
        assert name in rows, name
    assert all("*house*" in row["notes"] for row in rows.values() if row["nb"]), \
        "no Norwegian edition of ITIL 4: every Norwegian term is a house term, and says so"


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_catalogues_follow_the_glossary(code: str) -> None:
    messages = catalogue(code)
    wrong = []
    for row in glossary():
        english, term = bare(row["en"]), row[code]
        if row["catalogues"] not in ("exact", "every"):
            continue
        exact = [m for m in messages if m.rstrip(".").lower() == english.lower()]
        assert exact or row["catalogues"] == "every", f"no message is exactly {english!r}"
        wrong += [f"{m!r} → {messages[m]!r}, not {bare(term)!r}" for m in exact
                  if messages[m].rstrip(".").lower() != bare(term).lower()]
        if row["catalogues"] == "every":
            within = re.compile(rf"\b{re.escape(english)}\b", flags=re.I)
            holding = [m for m in messages if within.search(m)]
            assert holding, f"no catalogue message holds {english!r}"
            wrong += [f"{m!r} → {messages[m]!r} lacks {term!r}" for m in holding
                      if not all(stem in messages[m].lower() for stem in stems(term))]
    assert wrong == []


# --- The German and Norwegian pages --------------------------------------------------------

@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_has_the_home_page_the_playbook_and_the_principles(code: str) -> None:
    """A German or Norwegian site reads the home page, the playbook and the principles in
    its language, "How verdicts work" included; only the help pages stay English."""
    folder = SHIPPED.parent / code
    wanted = ["index.md", *(f"playbook/{p.name}" for p in PLAYBOOK.glob("*.md")),
              *(f"principles/{p.name}" for p in PRINCIPLE_PAGES.glob("*.md"))]
    assert "playbook/vision.md" in wanted and "principles/focus-on-value.md" in wanted
    assert "playbook/verdicts.md" in wanted
    assert sorted(page for page in wanted if not (folder / page).is_file()) == []
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.md")) == sorted(wanted)


def test_the_german_pages_use_the_glossary_s_names() -> None:
    """The principles, the steps and the roles by the glossary's German names, the same
    words the catalogue gives the generated pages."""
    de = SHIPPED.parent / "de"
    rows = {row["en"]: row["de"] for row in glossary()}
    for slug, name in PRINCIPLES.items():
        assert text(de / "principles" / f"{slug}.md").startswith(
            f"---\nrender_macros: true\n---\n\n# {rows[name]}\n"), slug
        assert f"[{rows[name]}]({slug}.md)" in text(de / "principles" / "index.md"), slug
    for step, name in STEPS.items():
        heading = text(step_page(step).parent.parent.parent / "de" / "playbook"
                       / step_page(step).name).split("\n# ", 1)[1].split("\n", 1)[0]
        assert heading == f"{step} {rows[name]}", step
    pages = " ".join(" ".join(text(p).split()) for p in de.rglob("*.md"))
    for english in ("continual improvement practice owner", "improvement board",
                    "service owner", "change authority", "guiding principles"):
        assert rows[english] in pages, english
    assert "Verbesserungsregister" not in pages and "CSI-Manager" not in pages
    assert " du " not in pages and " dein" not in pages, "Sie, as the catalogue says"
