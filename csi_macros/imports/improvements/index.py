"""What an import needs to know of the register: ids and names, files, former ids.

Read from the files one by one, not from the loaded register: an import may have to
fix a register that does not load, and a file with errors must still be found.
"""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path

from ...edit.errors import EditError
from ...edit.files import ID_IN_NAME, known_ids, yaml_files
from ...register.errors import RegisterError
from ...register.load import display_path
from ...register.source import read_document, to_plain_data
from ..vocabulary import normal
from .keys import FORMER_ID


@dataclasses.dataclass
class RegisterIndex:
    """The register's objectives, metrics and improvements, by what a sheet may call them."""

    objectives: dict[str, str]  # normalised id or title → id
    metrics: dict[str, str]     # normalised id or name → id
    files: dict[str, Path]      # improvement id → file
    former: dict[str, str]      # former id → improvement id

    @classmethod
    def read(cls, root: Path) -> RegisterIndex:
        return cls(_objectives(root), _metrics(root), *_improvements(root))


def check_objective(chosen: str | None, index: RegisterIndex) -> None:
    """`--objective` names an objective of the register."""
    known = sorted(set(index.objectives.values()))
    if chosen is not None and chosen not in known:
        close = difflib.get_close_matches(chosen, known, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise EditError(f"--objective {chosen}: the register has no such objective; "
                        f"{hint}known: {', '.join(known)}")


def _objectives(root: Path) -> dict[str, str]:
    objectives: dict[str, str] = {}
    try:
        organisation = to_plain_data(read_document(root / "register.yml", "register.yml"))
        for objective in organisation.get("objectives") or []:
            if isinstance(objective, dict) and isinstance(objective.get("id"), str):
                objectives[normal(objective["id"])] = objective["id"]
                if isinstance(objective.get("title"), str):
                    objectives.setdefault(normal(objective["title"]), objective["id"])
    except (RegisterError, AttributeError):
        pass  # a broken register.yml knows no objectives; a row naming one is refused
    return objectives


def _metrics(root: Path) -> dict[str, str]:
    metrics: dict[str, str] = {}
    for metric_id, shown in known_ids(root)[1].items():
        metrics[normal(metric_id)] = metric_id
        try:
            name = to_plain_data(read_document(root / "metrics" / Path(shown).name,
                                               shown)).get("name")
        except (RegisterError, AttributeError):
            name = None
        if isinstance(name, str):
            metrics.setdefault(normal(name), metric_id)
    return metrics


def _improvements(root: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """Improvement id → file, and former id → improvement id."""
    files: dict[str, Path] = {}
    former: dict[str, str] = {}
    for path in yaml_files(root / "improvements"):
        try:
            data = to_plain_data(read_document(path, display_path(path)))
        except RegisterError:
            # Known by its name: a row for it is refused rather than made twice.
            named = ID_IN_NAME.fullmatch(path.stem)
            if named:
                files.setdefault(f"{named.group(1)}-{named.group(2)}", path)
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            files.setdefault(data["id"], path)
            extra = data.get("extra")
            if isinstance(extra, dict) and extra.get(FORMER_ID) is not None:
                former.setdefault(str(extra[FORMER_ID]), data["id"])
    return files, former
