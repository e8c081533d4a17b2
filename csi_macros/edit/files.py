"""Where the register's files are, and the ids they hold, read even from a register with errors.

An edit must work on a register that does not load (that is often why it is edited),
so these read names and single files, never the whole validated register.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from ..register.errors import RegisterError
from ..register.ids import ID_IN_NAME
from ..register.load import YAML_SUFFIXES, display_path
from ..register.model import IMPROVEMENT_ID, METRIC_ID, OBJECTIVE_ID
from ..register.source import read_document, to_plain_data
from .errors import EditError


def register_root(root: Path | str) -> Path:
    """The register folder, refused with a hint when it is not there."""
    root = Path(root)
    if not root.is_dir():
        raise EditError(f"register folder not found: {display_path(root)} "
                        "(give it with --register, or set CSI_REGISTER_DIR)")
    return root


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of `folder` in name order; none when there is no such folder."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())


def known_ids(root: Path) -> tuple[list[str], dict[str, str]]:
    """Objective ids and metric ids (→ file) as written, even in a register with errors."""
    return _objective_ids(root), _metric_files(root)


def _objective_ids(root: Path) -> list[str]:
    objectives: list[str] = []
    try:
        organisation = to_plain_data(read_document(root / "register.yml", "register.yml"))
        for objective in organisation.get("objectives") or []:
            if isinstance(objective, dict) and isinstance(objective.get("id"), str) \
                    and re.fullmatch(OBJECTIVE_ID, objective["id"]):
                objectives.append(objective["id"])
    except (RegisterError, AttributeError):
        pass  # a broken register.yml names no objectives; `csi check` says why
    return objectives


def _metric_files(root: Path) -> dict[str, str]:
    metrics: dict[str, str] = {}
    for path in yaml_files(root / "metrics"):
        try:
            metric_id = to_plain_data(read_document(path, path.name)).get("id")
        except (RegisterError, AttributeError):
            continue
        if isinstance(metric_id, str) and re.fullmatch(METRIC_ID, metric_id):
            metrics.setdefault(metric_id, display_path(path))
    return metrics


def id_argument(written: str, what: str = "") -> str:
    """An improvement id given on the command line, in capitals as file names hold it
    (`csi-0007` → `CSI-0007`); refused when it is not one."""
    improvement_id = written.strip().upper()
    if not re.fullmatch(IMPROVEMENT_ID, improvement_id):
        raise EditError(f"{what}{improvement_id!r} is not an improvement id like CSI-0007")
    return improvement_id


def improvement_file(root: Path | str, improvement_id: str) -> Path:
    """The file of an improvement, found by its name (`CSI-0007.yml`, `CSI-0007-slug.yml`)."""
    folder = Path(root) / "improvements"
    files = [p for p in yaml_files(folder)
             if p.stem == improvement_id or p.stem.startswith(improvement_id + "-")]
    if len(files) == 1:
        return files[0]
    if files:
        raise EditError(f"several files are named after {improvement_id}: "
                        + ", ".join(display_path(p) for p in files))
    raise EditError(f"no improvement {improvement_id}: no file {display_path(folder)}/"
                    f"{improvement_id}.yml or {improvement_id}-….yml"
                    + _did_you_mean(folder, improvement_id))


def _did_you_mean(folder: Path, improvement_id: str) -> str:
    known = sorted({f"{m.group(1)}-{m.group(2)}" for p in yaml_files(folder)
                    if (m := ID_IN_NAME.fullmatch(p.stem))})
    close = difflib.get_close_matches(improvement_id, known, n=3)
    return f"; did you mean {' or '.join(close)}?" if close else ""
