"""What merging this register into another branch would break: `csi check --against REF`.

Two branches can each add an improvement under the same id. Their files have different
names (`CSI-0023-laptop-loans.yml`, `CSI-0023-printer-queue.yml`), so git merges both
without a conflict, and the merged register fails with a duplicate id, on the branch that
publishes. A branch can also name, in `related`, `objectives` or `metrics`, something
that the other branch has removed or renumbered since the two parted.

Both are found before the merge, from git's objects alone: REF's files, and those of the
merge base (the commit where HEAD and REF last shared history), which tells what this
register adds from what REF took away. Only files that differ from the merge base are
read: a file this branch did not touch is merged as REF has it.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Iterator

from .branches import GitError, Repository, find_repository, git_problem
from .errors import CsiError, Problem, RegisterError
from .ids import id_of_name, slug_of_name
from .load import FOLDERS, ORGANISATION_FILES, YAML_SUFFIXES, display_path
from .source import Mapping, Sequence, parse_document

RENUMBER = "csi renumber {id}"
"""The command that gives an improvement the next id free everywhere."""


@dataclasses.dataclass
class Side:
    """The register as one commit holds it: files, and the ids each kind defines."""

    files: dict[str, str]
    """Path inside the register folder → object id."""
    improvements: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    """Improvement id → the paths named after it."""
    metrics: set[str] = dataclasses.field(default_factory=set)
    objectives: set[str] = dataclasses.field(default_factory=set)

    def defines(self, kind: str, item: str) -> bool:
        return item in (self.improvements if kind == "improvement" else
                        self.metrics if kind == "metric" else self.objectives)


def against_problems(root: Path | str, ref: str, *, renumber: str = RENUMBER) -> list[Problem]:
    """The problems merging the register at `root` (its working tree) into `ref` would
    have: an improvement id it adds that `ref` holds in another file, and a reference
    to something `ref` no longer has. `renumber` is the fixing command, `{id}` in it."""
    root = Path(root)
    repository = find_repository(root)
    if repository is None:
        raise CsiError(f"--against {ref}: {display_path(root)} is not in a git repository "
                       f"that can be read ({git_problem(root)})")
    try:
        commit = repository.commit(ref)
        base = repository.merge_base("HEAD", commit)
        theirs = _side(repository, commit)
        common = _side(repository, base) if base else Side({})
    except GitError as error:
        raise CsiError(f"--against {ref}: {error}") from None
    return sorted(_Comparison(root, ref, theirs, common, renumber, repository).problems())


class _Comparison:
    """The working tree's changed files read against REF and the merge base."""

    def __init__(self, root: Path, ref: str, theirs: Side, common: Side, renumber: str,
                 repository: Repository) -> None:
        self.root, self.ref, self.theirs, self.common = root, ref, theirs, common
        self.renumber = renumber
        self.files = working_files(root)
        self.changed = {relative: path for relative, path in self.files.items()
                        if common.files.get(relative) != _blob_id(repository, path)}

    def problems(self) -> Iterator[Problem]:
        for relative, path in self.changed.items():
            display = display_path(path)
            try:
                document = parse_document(path.read_bytes().decode("utf-8-sig"), display)
            except (RegisterError, OSError, UnicodeDecodeError):
                continue  # `csi check` reports why the file cannot be read
            folder = relative.partition("/")[0]
            if folder == "improvements":
                yield from self._taken(relative, display, document)
                for key, kind in (("related", "improvement"), ("objectives", "objective"),
                                  ("metrics", "metric")):
                    yield from self._gone(display, document, key, kind)
            elif folder == "snapshots":
                values = document.get("values")
                if isinstance(values, Mapping):
                    for metric in values:
                        yield from self._reference(display, values.key_lines[metric],
                                                   "values", "metric", metric)
            elif relative in ORGANISATION_FILES:
                for objective in _items(document.get("objectives")):
                    if isinstance(objective, Mapping):
                        yield from self._gone(display, objective, "metrics", "metric")

    def _taken(self, relative: str, display: str, document: Mapping) -> Iterator[Problem]:
        """The id this file adds, when REF holds it in a file that the merge would keep."""
        improvement_id = document.get("id")
        if not isinstance(improvement_id, str) or \
                relative in self.common.improvements.get(improvement_id, ()):
            return  # not added here: the merge base had this file with this id
        for other in self.theirs.improvements.get(improvement_id, ()):
            if other == relative or other in self.files or \
                    other in self.common.improvements.get(improvement_id, ()):
                continue  # the same file; one this branch has; one it renamed or removed
            yield Problem(display, document.key_lines.get("id", document.line), (
                f"improvement id {improvement_id} is also taken on {self.ref}, by "
                f"{display_path(self.root / other)}; merged, the register would have it "
                f"twice: give this one the next id free everywhere with "
                f"`{self.renumber.format(id=improvement_id)}`"), "against")

    def _gone(self, display: str, record: Mapping, key: str, kind: str) -> Iterator[Problem]:
        listed = record.get(key)
        if isinstance(listed, Sequence):
            for item, line in zip(listed, listed.item_lines):
                if isinstance(item, str):
                    yield from self._reference(display, line, key, kind, item)

    def _reference(self, display: str, line: int, key: str, kind: str,
                   item: str) -> Iterator[Problem]:
        """A reference to what the merge base had and REF no longer has."""
        if self.theirs.defines(kind, item) or not self.common.defines(kind, item):
            return
        if kind == "improvement":
            where = self._renumbered(item)
            fix = (f"renumbered there: write {where[0]} ({display_path(self.root / where[1])})"
                   if where else "removed there")
        else:
            fix = "removed or renamed there"
        yield Problem(display, line, f"{key} names {kind} {item}, which {self.ref} no longer "
                                     f"has ({fix})", "against")

    def _renumbered(self, old: str) -> tuple[str, str] | None:
        """The id and file that REF gave an improvement the merge base had, found by the
        slug its file name kept (`csi renumber` keeps it)."""
        for path in self.common.improvements[old]:
            slug = slug_of_name(path.rpartition("/")[2], old)
            if slug.startswith("-"):
                for improvement_id, paths in self.theirs.improvements.items():
                    for other in paths:
                        if other.endswith(f"/{improvement_id}{slug}") and \
                                improvement_id not in self.common.improvements:
                            return improvement_id, other
        return None


def working_files(root: Path) -> dict[str, Path]:
    """The register's files on disk, by their path inside the register folder."""
    found = {}
    for name in ORGANISATION_FILES:  # the first one there is read, as the loader does
        if (root / name).is_file():
            found[name] = root / name
            break
    for folder in FOLDERS:
        try:
            entries = list(os.scandir(root / folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(YAML_SUFFIXES) and not entry.name.startswith(".") \
                    and entry.is_file():
                found[f"{folder}/{entry.name}"] = Path(entry.path)
    return found


def _side(repository: Repository, commit: str) -> Side:
    """The register in `commit`: its files, and the ids they define (improvements by
    their file names, metrics and objectives from the files themselves)."""
    side = Side({path: oid for path, oid in repository.files(commit).items()
                 if _register_file(path)})
    for path in side.files:
        if path.startswith("improvements/"):
            improvement_id = id_of_name(path.rpartition("/")[2])
            if improvement_id is not None:
                side.improvements.setdefault(improvement_id, []).append(path)
    wanted = {path: oid for path, oid in side.files.items()
              if path.startswith("metrics/") or path in ORGANISATION_FILES}
    texts = repository.read(wanted.values())
    for path, oid in wanted.items():
        document = _parsed(texts.get(oid), path)
        if path.startswith("metrics/"):
            if isinstance(document.get("id"), str):
                side.metrics.add(document["id"])
        else:
            side.objectives.update(o["id"] for o in _items(document.get("objectives"))
                                   if isinstance(o, Mapping) and isinstance(o.get("id"), str))
    return side


def _register_file(path: str) -> bool:
    folder, _, name = path.rpartition("/")
    return (path in ORGANISATION_FILES or folder in FOLDERS) and \
        name.endswith(YAML_SUFFIXES) and not name.startswith(".")


def _parsed(data: bytes | None, path: str) -> Mapping | dict[str, Any]:
    try:
        return parse_document(data.decode("utf-8-sig"), path) if data is not None else {}
    except (RegisterError, UnicodeDecodeError):
        return {}  # a broken file there defines nothing


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, Sequence) else []


def _blob_id(repository: Repository, path: Path) -> str | None:
    try:
        return repository.blob_id(path.read_bytes())
    except OSError:
        return None
