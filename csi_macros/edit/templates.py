"""The commented templates `csi new` writes: valid files as they are, every optional key shown.

A template is the first documentation an editor reads, so it lists the allowed words
(statuses, priorities, principles, dimensions) from the model rather than by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path
from typing import Iterable

from ..register.model import DIMENSIONS, PRINCIPLES, PRIORITIES, STATUSES
from .yamltext import yaml_string


def choices(values: Iterable[str]) -> str:
    """Allowed words as a reader sees them: `proposed, approved, …`."""
    return ", ".join(values)


def _comment_list(values: Iterable[str]) -> str:
    return "\n".join(textwrap.wrap(choices(values), width=88, initial_indent="#   ",
                                    subsequent_indent="#   ", break_on_hyphens=False))


def schema_line(path: Path, kind: str) -> str:
    """The editor modeline naming the file's JSON Schema, when `csi schema --write schemas`
    has written it beside the register folder (VS Code's YAML extension reads it)."""
    schema = path.parent.parent.parent / "schemas" / f"{kind}.schema.json"
    if not schema.is_file():
        return ""
    relative = Path(os.path.relpath(schema, path.parent)).as_posix()
    return f"# yaml-language-server: $schema={relative}\n"


def improvement_template(improvement_id: str, title: str, today: dt.date,
                         objectives: list[str] = ()) -> str:
    """The text of a new improvement file: valid as it is, with every optional key shown."""
    example_objective = objectives[0] if objectives else "OBJ-1"
    known = f"; one or more of {choices(objectives)}" if objectives else ""
    pad = " " * max(1, 14 - len(example_objective))
    return f"""\
# {improvement_id}: one improvement of the continual improvement register.
# Every key is explained on the "Editing the register" page; check your work with `csi check`.
id: {improvement_id}
title: {yaml_string(title)}
description: |
  What is the opportunity or problem? Who is affected, and what does it cost today?
  (Replace this text; Markdown is welcome.)
raised: {today}
# raised_by: Service desk
# owner: Sam Owner            # required once the status is past proposed
status: proposed              # {choices(STATUSES)}
priority: medium              # {choices(PRIORITIES)}
# value: 3                    # expected value to stakeholders, 1 (low) to 5 (high)
# effort: 2                   # expected effort, 1 (small) to 5 (large)
# target_date: {today.year + 1}-03-31
# objectives: [{example_objective}]{pad}# required once the status is past proposed{known}
# principles: [{next(iter(PRINCIPLES))}]   # guiding principles, any of:
{_comment_list(PRINCIPLES)}
# dimensions: [{next(iter(DIMENSIONS))}]   # the four dimensions, any of:
{_comment_list(DIMENSIONS)}
# services: [Email]
# metrics: [P1-MTTR]
# benefits: |
#   The expected benefits, ideally quantified.
# model:                      # answers to the continual improvement model's questions
#   current_state: |
#     Where are we now?
#   target_state: |
#     Where do we want to be?
# actions:
#   - title: Write the runbook
#     owner: Sam Owner
#     due: {today.year + 1}-01-31
log:
  - date: {today}
    note: Raised.
    status: proposed
"""


def metric_template(metric_id: str, name: str, today: dt.date) -> str:
    """The text of a new metric file: valid as it is; replace the placeholders."""
    return f"""\
# {metric_id}: one metric of the continual improvement register.
id: {metric_id}
name: {yaml_string(name)}
# description: |
#   What it measures, how, and where the figures come from.
unit: "count"                 # %, hours, tickets, …
direction: higher_is_better   # or lower_is_better
baseline:                     # Where are we now? The value when tracking began.
  date: {today}
  value: 0                    # replace with the measured value
# target:                     # Where do we want to be, and by when?
#   value: 10
#   date: {today.year + 1}-06-30
# owner: Sam Owner
# services: [Email]           # the services it measures
# frequency: monthly          # or weekly, quarterly, yearly: how often a value is due
"""


def snapshot_template(date: dt.date, metric_ids: list[str]) -> str:
    """The text of a new snapshot file: every metric listed, none measured yet."""
    values = "".join(f"  {metric_id}:\n" for metric_id in metric_ids) if metric_ids else ""
    return f"""\
# Measurements taken on {date}. Fill in each value; leave it empty when it was not measured.
date: {date}
# source: the report or tool the figures come from
values:{'' if metric_ids else ' {}'}
{values}"""
