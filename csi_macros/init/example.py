"""`csi init --example`: a small register that a first site can show, valid on the day it is
written and for weeks after.

Five improvements, one at each stage of the continual improvement model (proposed,
approved, in progress, implemented, closed), and three metrics with a baseline and a year of
monthly snapshots. Every date is counted back from the day it runs, so nothing reads as
stale, overdue or late: the newest snapshot is the last month's end, every open
improvement has an entry from the last 90 days, and every target and due date lies ahead.
One metric improves after the closed improvement (its evidence shows a signal), one after
the implemented one is too recent to tell, and one stays steady. The words are in
`templates/<language>/example.yml`; the figures and dates are here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from ..edit.yamltext import yaml_key_lines

TEMPLATES = Path(__file__).parent / "templates"

FIGURES = {
    # The baseline, then twelve monthly values, oldest first.
    "P1-MTTR": [6.2, 5.8, 6.5, 6.1, 6.7, 6.0, 5.1, 4.7, 4.5, 4.6, 4.2, 4.3, 4.1],
    "FIRST-CONTACT": [61, 62, 60, 63, 61, 64, 62, 63, 61, 64, 62, 66, 68],
    "CHANGE-SUCCESS": [91.7, 92.4, 91.1, 93.0, 92.2, 91.5, 92.8, 92.0, 93.1, 91.9, 92.6, 92.3,
                       93.2],
}
DIRECTIONS = {"P1-MTTR": "lower_is_better", "FIRST-CONTACT": "higher_is_better",
              "CHANGE-SUCCESS": "higher_is_better"}
TARGETS = {"P1-MTTR": 4.5, "FIRST-CONTACT": 70, "CHANGE-SUCCESS": 95}
REBASE = {"P1-MTTR": 6}
"""The month (an index into the thirteen) from which a metric's process changed: the first
value after CSI-0001 was implemented, where `csi check` would advise the rebase."""
OBJECTIVE_METRICS = {"OBJ-1": "P1-MTTR", "OBJ-2": "FIRST-CONTACT", "OBJ-3": "CHANGE-SUCCESS"}


def month_ends(today: dt.date, count: int) -> list[dt.date]:
    """The last days of the `count` months before today's, oldest first."""
    ends, day = [], today.replace(day=1) - dt.timedelta(days=1)
    while len(ends) < count:
        ends.append(day)
        day = day.replace(day=1) - dt.timedelta(days=1)
    return ends[::-1]


def month_end_after(today: dt.date, months: int) -> dt.date:
    """The last day of the month `months` after today's."""
    year, month = divmod(today.month - 1 + months + 1, 12)
    return dt.date(today.year + year, month + 1, 1) - dt.timedelta(days=1)


def example_files(organisation: str, language: str, today: dt.date) -> dict[str, str]:
    """The sample register's files, by their path in the project."""
    words = yaml.safe_load((TEMPLATES / language / "example.yml").read_text(encoding="utf-8"))
    months = month_ends(today, 13)
    files = {"register/register.yml": register_file(organisation, words, today)}
    for metric_id in FIGURES:
        files[f"register/metrics/{metric_id}.yml"] = metric_file(metric_id, words, months,
                                                                today)
    for record in improvements(words, months, today):
        slug = words["improvements"][record["id"]]["slug"]
        files[f"register/improvements/{record['id']}-{slug}.yml"] = text_of(record)
    for index, day in enumerate(months[1:], start=1):
        files[f"register/snapshots/{day}.yml"] = text_of({
            "date": day.isoformat(), "source": words["source"],
            "values": {metric_id: values[index] for metric_id, values in FIGURES.items()}})
    return files


def register_file(organisation: str, words: dict[str, Any], today: dt.date) -> str:
    objectives = [{"id": objective_id, "title": title,
                   "metrics": [OBJECTIVE_METRICS[objective_id]]}
                  for objective_id, title in words["objectives"].items()]
    return text_of({"organisation": organisation, "vision": words["vision"],
                    "objectives": objectives})


def metric_file(metric_id: str, words: dict[str, Any], months: list[dt.date],
                today: dt.date) -> str:
    said = words["metrics"][metric_id]
    index = list(FIGURES).index(metric_id)
    record = {
        "id": metric_id, "name": said["name"], "description": said["description"],
        "unit": said["unit"], "direction": DIRECTIONS[metric_id],
        "baseline": {"date": months[0].isoformat(), "value": FIGURES[metric_id][0]},
        "target": {"value": TARGETS[metric_id],
                   "date": month_end_after(today, 6 + 3 * index).isoformat()},
        "owner": words["owners"][index], "services": [words["services"][index]]}
    if metric_id in REBASE:
        record["rebase"] = [months[REBASE[metric_id]].isoformat()]
    return text_of(record)


def improvements(words: dict[str, Any], months: list[dt.date],
                 today: dt.date) -> list[dict[str, Any]]:
    """The five improvements, closed first, each with its log counted back from today."""
    said = words["improvements"]
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    owners, services = words["owners"], words["services"]
    steps = ("proposed", "approved", "in_progress", "implemented", "closed")
    # Each improvement's log: its dates, oldest first, one step further at each.
    logs = {
        "CSI-0001": [months[0] + dt.timedelta(days=3), months[1] + dt.timedelta(days=9),
                     months[2] + dt.timedelta(days=4), months[5] + dt.timedelta(days=1), ago(24)],
        "CSI-0002": [months[5] + dt.timedelta(days=6), months[6] + dt.timedelta(days=5),
                     months[7] + dt.timedelta(days=2), ago(45)],
        "CSI-0003": [months[8] + dt.timedelta(days=8), ago(80), ago(33)],
        "CSI-0004": [ago(75), ago(19)],
        "CSI-0005": [ago(11)],
    }
    shape = {
        "CSI-0001": ("high", 4, 2, "OBJ-1", "P1-MTTR", 0, "focus-on-value",
                     "value-streams-and-processes"),
        "CSI-0002": ("medium", 4, 3, "OBJ-2", "FIRST-CONTACT", 1,
                     "start-where-you-are", "information-and-technology"),
        "CSI-0003": ("high", 3, 3, "OBJ-3", "CHANGE-SUCCESS", 2, "optimize-and-automate",
                     "information-and-technology"),
        "CSI-0004": ("medium", 3, 2, "OBJ-2", None, 1, "keep-it-simple-and-practical",
                     "partners-and-suppliers"),
        "CSI-0005": ("low", 2, 1, None, None, 2, "think-and-work-holistically",
                     "organizations-and-people"),
    }
    records = []
    for improvement_id, dates in logs.items():
        texts = said[improvement_id]
        priority, value, effort, objective, metric, who, principle, dimension = \
            shape[improvement_id]
        status = steps[len(dates) - 1]
        record: dict[str, Any] = {
            "id": improvement_id, "title": texts["title"], "description": texts["description"],
            "raised": dates[0].isoformat(), "raised_by": words["raised_by"]}
        if status != "proposed":
            record["owner"] = owners[who]
        record.update({"status": status, "priority": priority, "value": value,
                       "effort": effort})
        if status in ("approved", "in_progress"):
            record["target_date"] = month_end_after(today, 4 if status == "in_progress"
                                                    else 7).isoformat()
        if status == "closed":
            record["closed"] = dates[-1].isoformat()
        if objective:
            record["objectives"] = [objective]
        record.update({"principles": [principle], "dimensions": [dimension],
                       "services": [services[who]]})
        if metric:
            record["metrics"] = [metric]
        if "benefits" in texts:
            record["benefits"] = texts["benefits"]
        if texts.get("actions"):
            # The first action is done; the others are done once the work is implemented,
            # else due in the weeks ahead.
            finished = status in ("implemented", "closed")
            record["actions"] = [
                {"title": title, "owner": owners[who],
                 "due": (dates[1] + dt.timedelta(days=21 * (n + 1)) if finished or n == 0
                         else today + dt.timedelta(days=30 * n)).isoformat(),
                 "done": finished or n == 0}
                for n, title in enumerate(texts["actions"])]
        record["log"] = [{"date": day.isoformat(), "note": note, "status": steps[n]}
                         for n, (day, note) in enumerate(zip(dates, texts["notes"]))]
        if status == "closed":
            record["outcome"] = texts["outcome"]
        records.append(record)
    return records


def text_of(record: dict[str, Any]) -> str:
    """A record as YAML, written as a person would: block text, one-line lists."""
    return "\n".join(_lines(record, "")) + "\n"


def _lines(mapping: dict[str, Any], indent: str) -> list[str]:
    lines = []
    for key, value in mapping.items():
        if isinstance(value, dict):
            lines += [f"{indent}{key}:", *_lines(value, indent + "  ")]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{indent}{key}:")
            for item in value:
                first, *rest = _lines(item, indent + "    ")
                lines += [f"{indent}  - {first.lstrip()}", *rest]
        else:
            lines += yaml_key_lines(key, value, indent)
    return lines
