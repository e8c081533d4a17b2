"""Synthetic registers in format v1, of any size, the same every time for a given seed."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

from csi_macros.register.model import DIMENSIONS, PRINCIPLES, PRIORITIES

STATUS_MIX = ["proposed"] * 3 + ["approved"] * 2 + ["in_progress"] * 3 + ["implemented", "closed",
                                                                            "closed", "rejected", "deferred"]
WORDS = ("incident change release service desk backlog restore patch monitoring capacity "
         "availability knowledge supplier contract onboarding automation survey alert").split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(6, 14)) for _ in range(rng.randint(2, 4)))


def write_synthetic(root: Path, improvements: int, *, months: int = 36, seed: int = 1,
                    today: dt.date = dt.date(2026, 11, 25)) -> Path:
    """Write a register with `improvements` records, improvements/25 metrics (at least 4),
    `months` monthly snapshots and a handful of objectives; return its folder."""
    rng = random.Random(seed)
    n_metrics = max(4, improvements // 25)
    metric_ids = [f"M{index:04d}" for index in range(1, n_metrics + 1)]
    objective_ids = [f"OBJ-{index}" for index in range(1, 6)]
    start = dt.date(today.year - months // 12, today.month, 1)
    for folder in ("improvements", "metrics", "snapshots"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    _dump(root / "register.yml", {
        "organisation": "Synthetic IT", "vision": _paragraph(rng),
        "objectives": [{"id": o, "title": _sentence(rng, 4), "description": _paragraph(rng),
                        "metrics": metric_ids[i::len(objective_ids)][:5]}
                       for i, o in enumerate(objective_ids)]})
    for index, metric in enumerate(metric_ids):
        _dump(root / "metrics" / f"{metric}.yml", {
            "id": metric, "name": _sentence(rng, 3), "description": _paragraph(rng),
            "unit": rng.choice(["%", "hours", "tickets"]),
            "direction": "higher_is_better" if index % 2 else "lower_is_better",
            "baseline": {"date": start, "value": 50},
            "target": {"value": 70 if index % 2 else 30, "date": today + dt.timedelta(days=180)}})
    for month in range(months):
        date = _month_end(start, month)
        _dump(root / "snapshots" / f"{date}.yml", {
            "date": date, "source": "synthetic",
            "values": {m: round(50 + (month * (1 if i % 2 else -1)) * rng.uniform(0.2, 0.8), 2)
                       for i, m in enumerate(metric_ids)}})
    for index in range(1, improvements + 1):
        _dump(root / "improvements" / f"CSI-{index:05d}.yml", _improvement(rng, index, metric_ids,
                                                                           objective_ids, start, today))
    return root


def _improvement(rng, index, metric_ids, objective_ids, start, today) -> dict:
    status = rng.choice(STATUS_MIX)
    raised = start + dt.timedelta(days=rng.randint(0, (today - start).days - 60))
    record = {
        "id": f"CSI-{index:05d}", "title": _sentence(rng, rng.randint(3, 8)).rstrip("."),
        "description": _paragraph(rng), "raised": raised, "raised_by": "Service desk",
        "owner": f"Owner {rng.randint(1, 40)}", "status": status,
        "priority": rng.choice(PRIORITIES), "value": rng.randint(1, 5), "effort": rng.randint(1, 5),
        "target_date": raised + dt.timedelta(days=rng.randint(60, 400)),
        "objectives": rng.sample(objective_ids, 2), "principles": rng.sample(sorted(PRINCIPLES), 2),
        "dimensions": rng.sample(sorted(DIMENSIONS), 1), "services": ["Email", "Service desk"],
        "metrics": rng.sample(metric_ids, 2), "benefits": _paragraph(rng),
        "model": {"current_state": _paragraph(rng), "target_state": _paragraph(rng)},
        "actions": [{"title": _sentence(rng, 5), "owner": "Team", "done": bool(rng.randint(0, 1)),
                     "due": raised + dt.timedelta(days=30 * (n + 1))} for n in range(3)],
        "log": [{"date": raised + dt.timedelta(days=10), "note": _sentence(rng, 8)},
                {"date": min(today, raised + dt.timedelta(days=40)), "note": _sentence(rng, 8),
                 "status": status}],
        "tags": ["synthetic"],
    }
    if status in ("closed", "rejected"):
        record["closed"] = min(today, raised + dt.timedelta(days=50))
        record["outcome"] = _paragraph(rng)
    return record


def _month_end(start: dt.date, offset: int) -> dt.date:
    year, month = divmod(start.month - 1 + offset + 1, 12)
    return dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
