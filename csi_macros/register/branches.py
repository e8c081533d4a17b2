"""The git repository a register is in, read from git's objects: branches, trees and files.

Nothing is checked out and the work tree is never touched. `git for-each-ref` names the
branches and one `git cat-file --batch` reads every tree or file asked for, in a single
process, so that the ids of 50 branches of 1,000 improvements are known in a few
hundredths of a second. Without git, or for a register outside any repository,
`find_repository` gives None and callers go on with the working tree alone.

`ids_everywhere` is what `csi new` and `csi renumber` ask: which improvement ids are taken,
in the working tree or on any local or remote-tracking branch, and where.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import subprocess
from pathlib import Path
from typing import Iterable, NamedTuple

from .errors import CsiError
from .ids import id_of_name

FILE_MODES = frozenset({b"100644", b"100755", b"120000"})
"""Tree entries that are files (a plain file, an executable one, a link), not folders."""

WORKING_TREE = "the working tree"
"""Where an id is taken when it is taken in the files on disk."""


class GitError(CsiError):
    """git could not do what was asked (a ref that does not exist, a broken repository)."""


class Place(NamedTuple):
    """A file that takes an improvement id, and where it is: the working tree, branches."""

    where: tuple[str, ...]
    name: str

    def __str__(self) -> str:
        """`CSI-0024-x.yml in the working tree`, `CSI-0024-x.yml on main, origin/main`."""
        branches = [w for w in self.where if w != WORKING_TREE]
        parts = [f"in {WORKING_TREE}"] if WORKING_TREE in self.where else []
        if branches:
            more = f" and {len(branches) - 3} more" if len(branches) > 3 else ""
            parts.append(f"on {', '.join(branches[:3])}{more}")
        return f"{self.name} {' and '.join(parts)}"


@dataclasses.dataclass(frozen=True)
class Repository:
    """The git repository holding a register folder, and that folder's path inside it."""

    top: Path
    folder: str
    """The register folder relative to the repository's top, `/`-separated; "" at the top."""
    hash_name: str = "sha1"

    def git(self, *args: str, stdin: bytes | None = None, ok: Iterable[int] = (0,)) -> bytes:
        """git's output for `args`, run at the repository's top; GitError when it fails."""
        try:
            done = subprocess.run(["git", "-C", str(self.top), *args], input=stdin,
                                  capture_output=True, env=_git_environment())
        except OSError as error:
            raise GitError(f"cannot run git: {error.strerror or error}") from None
        if done.returncode not in ok:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {said[0] if said else done.returncode}")
        return done.stdout

    def path(self, relative: str) -> str:
        """A path inside the register folder as a path inside the repository."""
        return f"{self.folder}/{relative}" if self.folder else relative

    # Refs ---------------------------------------------------------------------------

    def branches(self) -> dict[str, str]:
        """Every local and remote-tracking branch, by its short name, and its commit.

        `origin/HEAD` and other symbolic refs are left out: they name a branch listed anyway."""
        listed = self.git("for-each-ref", "--format=%(objectname)%00%(symref)%00%(refname)",
                          "refs/heads", "refs/remotes")
        found = {}
        for line in listed.decode("utf-8", "surrogateescape").splitlines():
            commit, symref, name = line.split("\0")
            if not symref:
                found[_short(name)] = commit
        return found

    def commit(self, ref: str) -> str:
        """The commit a branch, tag or commit names; GitError with a clear message if none."""
        if not ref or ref.startswith("-") or any(c in ref for c in "\0\n"):
            raise GitError(f"{ref!r} is not a branch, tag or commit")
        found = self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", ok=(0, 1, 128))
        if not found.strip():
            raise GitError(f"{ref!r} is not a branch, tag or commit in this repository "
                           "(a remote's branch is known once fetched: `git fetch`)")
        return found.decode("ascii").strip()

    def merge_base(self, one: str, other: str) -> str | None:
        """The commit two histories last shared; None when they share none (or HEAD has
        no commit yet)."""
        try:
            found = self.git("merge-base", one, other, ok=(0, 1))
        except GitError:
            return None
        return found.decode("ascii").strip() or None

    # Objects ------------------------------------------------------------------------

    def read(self, names: Iterable[str]) -> dict[str, bytes | None]:
        """The content of each named object (`<commit>:<path>`, an object id), None for a
        name that names nothing; all in one `git cat-file --batch`."""
        names = list(dict.fromkeys(names))
        if not names:
            return {}
        output = self.git("cat-file", "--batch", stdin="".join(f"{n}\n" for n in names)
                          .encode("utf-8", "surrogateescape"))
        found: dict[str, bytes | None] = {}
        at = 0
        for name in names:
            end = output.index(b"\n", at)
            header = output[at:end].split(b" ")
            if len(header) != 3:  # "<name> missing" or "<name> ambiguous"
                found[name], at = None, end + 1
                continue
            size = int(header[2])
            found[name] = output[end + 1:end + 1 + size]
            at = end + 1 + size + 1
        return found

    def folder_listings(self, commits: Iterable[str], folder: str) -> dict[str, frozenset[bytes]]:
        """The file names in `folder` (inside the register folder) of each commit (or ref),
        as git stores them (bytes: most are on every branch, so they are decoded once, by
        the caller); none where the folder is missing."""
        commits = list(commits)
        trees = self.read(f"{commit}:{self.path(folder)}" for commit in commits)
        parsed: dict[bytes, frozenset[bytes]] = {}
        listings = {}
        for commit in commits:
            tree = trees.get(f"{commit}:{self.path(folder)}")
            key = hashlib.sha1(tree or b"").digest()  # branches often share a tree
            if key not in parsed:
                parsed[key] = self._file_names(tree) if tree else frozenset()
            listings[commit] = parsed[key]
        return listings

    def files(self, commit: str) -> dict[str, str]:
        """The register's files in `commit`, each path relative to the register folder
        (`improvements/CSI-0007.yml`), and its object id."""
        listed = self.git("ls-tree", "-r", "-z", commit, "--", self.folder or ".")
        found = {}
        for entry in listed.split(b"\0"):
            if not entry:
                continue
            info, _, path = entry.partition(b"\t")
            mode, kind, oid = info.split(b" ")
            if mode not in FILE_MODES or kind != b"blob":
                continue
            text = path.decode("utf-8", "surrogateescape")
            relative = text[len(self.folder) + 1:] if self.folder else text
            found[relative] = oid.decode("ascii")
        return found

    def blob_id(self, data: bytes) -> str:
        """The object id git gives a file with these bytes (`git hash-object`)."""
        header = f"blob {len(data)}\0".encode("ascii")
        return hashlib.new(self.hash_name, header + data).hexdigest()

    def _file_names(self, tree: bytes) -> frozenset[bytes]:
        """The names of the files in a tree object (`<mode> <name>\\0<id>`, one after
        another), read by one regular expression: a thousand entries in a millisecond."""
        size = hashlib.new(self.hash_name).digest_size
        if size not in _TREE_ENTRIES:
            # A file's entry gives its name; any other (a folder) gives "" and is dropped.
            _TREE_ENTRIES[size] = re.compile(
                rb"(?:100644|100755|120000) ([^\0]*)\0.{%d}|[0-7]+ [^\0]*\0.{%d}" % (size, size),
                re.S)
        return frozenset(_TREE_ENTRIES[size].findall(tree)) - {b""}


_TREE_ENTRIES: dict[int, re.Pattern[bytes]] = {}
"""The pattern of a tree's entries, by the length of an object id (SHA-1 or SHA-256)."""


def find_repository(root: Path | str) -> Repository | None:
    """The git repository whose work tree holds the folder `root`; None without git, for a
    folder outside every repository, or one git will not read (not the owner's)."""
    root = Path(root)
    if not root.is_dir():
        return None
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel",
                               "--show-prefix", "--show-object-format"],
                              capture_output=True, env=_git_environment())
    except OSError:
        return None
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(lines) < 2:
        return None
    hash_name = lines[2] if len(lines) > 2 and lines[2] in ("sha1", "sha256") else "sha1"
    return Repository(Path(lines[0]), lines[1].rstrip("/"), hash_name)


def git_problem(root: Path | str) -> str:
    """Why `root` has no repository to read, in one line (for options that need one)."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"],
                              capture_output=True, env=_git_environment())
    except OSError:
        return "git is not installed (or cannot be run)"
    said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return said[0].removeprefix("fatal: ") if said else "not a git repository"


def ids_everywhere(root: Path, working: Iterable[str]) -> dict[str, list[Place]]:
    """Every improvement id taken, and the files that take it, each with where it is:
    `working` (the file names in the working tree's `improvements/`), every local and
    remote-tracking branch, and the checked-out commit (`HEAD`) where nothing else has the
    file. The working tree alone without git."""
    where: dict[bytes, list[str]] = {name.encode("utf-8", "surrogateescape"): [WORKING_TREE]
                                     for name in working}
    repository = find_repository(root)
    if repository is not None:
        try:
            tips = {**repository.branches(), "HEAD": "HEAD"}
            listings = repository.folder_listings(dict.fromkeys(tips.values()), "improvements")
        except GitError:
            tips, listings = {}, {}  # a repository git cannot read: as without git
        # Most files are on every branch: those are placed at once, the others one by one.
        common = frozenset.intersection(*listings.values()) if listings else frozenset()
        everywhere = [b for b in tips if b != "HEAD"] or ["HEAD"]
        for name in common:
            where.setdefault(name, []).extend(everywhere)
        for branch, commit in tips.items():
            for name in listings[commit] - common:
                found = where.get(name)
                if found is None:
                    where[name] = [branch]
                elif branch != "HEAD":  # a detached checkout counts where nothing else does
                    found.append(branch)
    taken: dict[str, list[Place]] = {}
    for raw, branches in where.items():
        name = raw.decode("utf-8", "surrogateescape")
        improvement_id = id_of_name(name)
        if improvement_id is not None:
            taken.setdefault(improvement_id, []).append(Place(tuple(branches), name))
    return taken


def _short(refname: str) -> str:
    for prefix in ("refs/heads/", "refs/remotes/"):
        if refname.startswith(prefix):
            return refname[len(prefix):]
    return refname


def _git_environment() -> dict[str, str]:
    """The environment for git: messages in English (they are quoted to the user as they
    are), and no pager or prompt."""
    return {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}
