"""`csi renumber`: give an improvement another id, and change nothing else.

Two branches that each took the same id merge without a conflict (the files' names
differ) into a register with that id twice. Renumbering one of them renames its file
with its slug kept (`CSI-0023-laptop-loans.yml` → `CSI-0024-laptop-loans.yml`), changes
its `id:` line and the id in its header comment, and every `related` list elsewhere that
names it. Those are spliced into the files' text (`splice.py`), so comments, order and
quoting stay as they were. Log notes that mention the old id are history: they are left
as written, and listed.

All or nothing: the changes are made in a copy of the register first, and written only
when the copy checks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from pathlib import Path

from ruamel.yaml.nodes import ScalarNode, SequenceNode

from ..readings.facts import build_date
from ..register.branches import Place, ids_everywhere
from ..register.errors import RegisterError
from ..register.ids import id_of_name, slug_of_name
from ..register.load import display_path, register_files
from ..register.source import Mapping, Sequence, parse_document
from .errors import EditError
from .files import id_argument, improvement_file, register_root, yaml_files
from .new import choose_id
from .splice import Splice
from .transaction import FileWrite, problems_after, write_all


@dataclasses.dataclass(frozen=True)
class Mention:
    """A line that still names the old id, left as written."""

    path: Path
    line: int
    key: str
    """The top-level key it belongs to (`log`, `description`), or `comment`."""
    text: str

    def __str__(self) -> str:
        what = "a log entry: history, kept" if self.key == "log" else self.key
        return f"{display_path(self.path)}:{self.line}: ({what}) {self.text}"


@dataclasses.dataclass(frozen=True)
class Renumbering:
    """What `renumber` did, or in a dry run would do."""

    old: str
    new: str
    source: Path
    target: Path
    writes: list[FileWrite]
    related: list[Path]
    """Other files whose `related` lists now name the new id."""
    mentions: list[Mention]
    """Lines that still name the old id (log notes, text, comments), left as written."""
    unsure: list[Mention]
    """`related` lists left naming the old id because another file keeps that id."""
    written: bool
    header: bool = False
    """Whether the file's header comment named the old id (and now names the new one)."""

    def lines(self) -> list[str]:
        """What was done (or would be): the files, the lines left naming the old id, and
        in a dry run the diff; as `csi renumber` prints it."""
        verb = "" if self.written else "would be "
        header = ", and its header comment" if self.header else ""
        lines = [f"{verb}renamed: {display_path(self.source)} → {display_path(self.target)} "
                 f"(id: {self.old} → {self.new}{header})"]
        lines += [f"{verb}updated: {display_path(path)} (related: {self.old} → {self.new})"
                  for path in self.related]
        if self.unsure:
            lines.append(f"left naming {self.old}, which stays the id of another file (change "
                         f"each by hand if it means the renumbered one):")
            lines += [f"  {mention}" for mention in self.unsure]
        if self.mentions:
            lines.append(f"left as written (log notes are history; change the rest by hand "
                         f"if it should name {self.new}):")
            lines += [f"  {mention}" for mention in self.mentions]
        count = 1 + len(self.related)
        lines.append(f"{self.old} → {self.new}: {count} file{'s' if count != 1 else ''} "
                     f"{verb}written; the register {'checks' if self.written else 'would check'}"
                     + ("" if self.written else " (a dry run: nothing was written)"))
        if not self.written:
            lines += ["", self.diff().rstrip("\n")]
        return lines

    def diff(self) -> str:
        """The changes as `git diff` shows them (a rename as one file's diff)."""
        before = {w.path: w.before for w in self.writes if w.before is not None}
        after = {w.path: w.after for w in self.writes if w.after is not None}
        pairs = [(self.source, self.target)] + [(p, p) for p in self.related]
        out = []
        for old, new in pairs:
            lines = difflib.unified_diff(
                before[old].decode("utf-8").splitlines(True),
                after[new].decode("utf-8").splitlines(True),
                f"a/{display_path(old)}", f"b/{display_path(new)}")
            out += [line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                    for line in lines]
        return "".join(out)


def renumber(root: Path | str, old: str, new: str | None = None, *, file: Path | str | None = None,
             dry_run: bool = False, today: dt.date | None = None) -> Renumbering:
    """Give improvement `old` the id `new` (default: the next id free everywhere, as
    `csi new` takes it); `file` says which one when several files are named after `old`."""
    root = register_root(root)
    old = id_argument(old)
    today = today or build_date()
    source, others = _source(root, old, file)
    new = _new_id(root, old, new)
    target = source.with_name(new + slug_of_name(source.name, old))
    data = source.read_bytes()
    renamed, header = _renamed(source, data, old, new)
    writes = [FileWrite(source, data, None), FileWrite(target, None, renamed)]
    related, unsure = [], []
    for path in yaml_files(root / "improvements"):
        if path == source or old.encode("ascii") not in (data := path.read_bytes()):
            continue
        if others:  # the old id stays another file's: which one a list means is unknown
            unsure += _related_mentions(path, data, old)
            continue
        edited = _related_renamed(path, data, old, new)
        if edited is not None:
            writes.append(FileWrite(path, data, edited))
            related.append(path)
    problems = problems_after(root, writes, today)
    if problems:
        raise EditError(f"{old} was not renumbered, because the register would not check "
                        "afterwards (nothing was written):\n" + "\n".join(map(str, problems)))
    unsure_lines = {(m.path, m.line) for m in unsure}
    mentions = [m for m in _mentions(root, writes, old, {*others, source})
                if (m.path, m.line) not in unsure_lines]
    if not dry_run:
        write_all(writes)
    return Renumbering(old, new, source, target, writes, related, mentions, unsure,
                       written=not dry_run, header=header)


def _source(root: Path, old: str, file: Path | str | None) -> tuple[Path, list[Path]]:
    """The file to renumber, and the other files named after the same id."""
    named = [p for p in yaml_files(root / "improvements") if id_of_name(p.name) == old]
    if file is not None:
        chosen = Path(file)
        match = [p for p in named if chosen.exists() and p.resolve() == chosen.resolve()]
        if not match:
            raise EditError(f"--file {file}: not one of the files named after {old}"
                            + (": " + ", ".join(display_path(p) for p in named) if named else ""))
        return match[0], [p for p in named if p != match[0]]
    if len(named) > 1:
        raise EditError(f"{len(named)} files are named after {old}: "
                        + ", ".join(display_path(p) for p in named)
                        + "; say which one to renumber with --file FILE")
    return improvement_file(root, old), []  # the one, or an error that says why none


def _new_id(root: Path, old: str, new: str | None) -> str:
    """The id asked for when it is free everywhere, else the next id free everywhere."""
    if new is None:
        return choose_id(root).id
    new = id_argument(new, "NEW: ")
    if new == old:
        raise EditError(f"{old} is already {old}: give another id, or none for the next free one")
    names = [path.name for path in yaml_files(root / "improvements")]
    places = ids_everywhere(root, names).get(new)
    if places:
        raise EditError(f"{new} is taken ({_where(places)}); give another id, or none "
                        f"for the next one free everywhere ({choose_id(root).id})")
    return new


def _where(places: list[Place]) -> str:
    return "; ".join(map(str, places))


def _renamed(source: Path, data: bytes, old: str, new: str) -> tuple[bytes, bool]:
    """The renumbered file's bytes, its `id:` line and its header comment changed; and
    whether the header comment named the old id."""
    document = Splice.read(data, display_path(source))
    if "id" not in document.keys or not isinstance(document.keys["id"][1], ScalarNode):
        raise EditError(f"{document.display}: has no `id:` line to change; fix the file first")
    key, node = document.keys["id"]
    quote = node.style if node.style in ("'", '"') else ""
    document.edit(node.start_mark.index, node.end_mark.index, f"{quote}{new}{quote}")
    document.expected["id"] = new
    header_end = document.line_start(document.root.start_mark.index)
    header = document.text[:header_end]
    lines = header.splitlines(keepends=True)
    changed = "".join(_id_word(old).sub(new, line) if line.lstrip().startswith("#") else line
                      for line in lines)
    if changed != header:
        document.edit(0, header_end, changed)
    return document.result(), changed != header


def _related_renamed(path: Path, data: bytes, old: str, new: str) -> bytes | None:
    """The file's bytes with `old` in its `related` list changed to `new`; None when its
    list does not name `old`."""
    document = Splice.read(data, display_path(path))
    node = document.keys.get("related", (None, None))[1]
    if not isinstance(node, SequenceNode):
        return None
    items = [item for item in node.value if isinstance(item, ScalarNode) and item.value == old]
    for item in items:
        quote = item.style if item.style in ("'", '"') else ""
        document.edit(item.start_mark.index, item.end_mark.index, f"{quote}{new}{quote}")
    if not items:
        return None
    document.expected["related"] = [new if r == old else r for r in document.data["related"]]
    return document.result()


def _related_mentions(path: Path, data: bytes, old: str) -> list[Mention]:
    """The lines of `related` that name `old`, as mentions."""
    try:
        document = parse_document(data.decode("utf-8-sig"), display_path(path))
    except (RegisterError, UnicodeDecodeError):
        return []  # `csi check` reports why the file cannot be read
    related = document.get("related")
    if not isinstance(related, Sequence):
        return []
    lines = data.decode("utf-8-sig").splitlines()
    return [Mention(path, line, "related", lines[line - 1].strip())
            for item, line in zip(related, related.item_lines) if item == old]


def _mentions(root: Path, writes: list[FileWrite], old: str, holders: set[Path]) -> list[Mention]:
    """Every line of the register, once renumbered, that still names `old`, outside the
    files that keep it as their id."""
    after = {w.path: w.after for w in writes}
    paths = [p for p in register_files(root) if p not in holders and p not in after] + \
        [w.path for w in writes if w.after is not None]
    word = _id_word(old)
    found = []
    for path in sorted(paths):
        data = after.get(path) or path.read_bytes()
        if old.encode("ascii") not in data:
            continue
        text = data.decode("utf-8-sig", "replace")
        keys = _top_level_lines(text, path)
        for number, line in enumerate(text.splitlines(), start=1):
            if word.search(line):
                key = "comment" if line.lstrip().startswith("#") else \
                    max(((n, k) for k, n in keys.items() if n <= number), default=(0, "comment"))[1]
                found.append(Mention(path, number, key, line.strip()))
    return found


def _top_level_lines(text: str, path: Path) -> dict[str, int]:
    try:
        document = parse_document(text, display_path(path))
    except RegisterError:
        return {}  # an unreadable file: its lines are named by number only
    return dict(document.key_lines) if isinstance(document, Mapping) else {}


def _id_word(improvement_id: str) -> re.Pattern[str]:
    """`improvement_id` as a whole word: not `CSI-00231`, not `XCSI-0023`."""
    return re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(improvement_id)}(?![0-9])")
