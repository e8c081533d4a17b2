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
import subprocess
from pathlib import Path
from typing import Iterable

from .errors import CsiError
from .ids import id_of_name

FILE_MODES = frozenset({b"100644", b"100755", b"120000"})
"""Tree entries that are files (a plain file, an executable one, a link), not folders."""

WORKING_TREE = "the working tree"
"""Where an id is taken when it is taken in the files on disk."""


class GitError(CsiError):
    """git could not do what was asked (a ref that does not exist, a broken repository)."""


@dataclasses.dataclass(frozen=True)
class Place:
    """Where an improvement id is taken: a branch (or the working tree) and a file name."""

    where: str
    name: str

    def __str__(self) -> str:
        return self.name if self.where == WORKING_TREE else f"{self.name} on {self.where}"


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

    def folder_listings(self, commits: Iterable[str], folder: str) -> dict[str, list[str]]:
        """The file names in `folder` (inside the register folder) of each commit (or ref);
        no names where the folder is missing."""
        commits = list(commits)
        trees = self.read(f"{commit}:{self.path(folder)}" for commit in commits)
        parsed: dict[bytes, list[str]] = {}
        listings = {}
        for commit in commits:
            tree = trees.get(f"{commit}:{self.path(folder)}")
            if tree is None:
                listings[commit] = []
                continue
            key = hashlib.sha1(tree).digest()  # branches mostly share their trees
            if key not in parsed:
                parsed[key] = list(self._file_names(tree))
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

    def _file_names(self, tree: bytes) -> Iterable[str]:
        size = hashlib.new(self.hash_name).digest_size
        at = 0
        while at < len(tree):
            space = tree.index(b" ", at)
            nul = tree.index(b"\0", space)
            if tree[at:space] in FILE_MODES:
                yield tree[space + 1:nul].decode("utf-8", "surrogateescape")
            at = nul + 1 + size


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
    """Every improvement id taken, with the places that take it: `working` (the file names
    in the working tree's `improvements/`), then every branch's own and the checked-out
    commit's (`HEAD`, for a detached checkout). Only the working tree without git."""
    taken: dict[str, list[Place]] = {}
    for name in working:
        if (improvement_id := id_of_name(name)) is not None:
            taken.setdefault(improvement_id, []).append(Place(WORKING_TREE, name))
    repository = find_repository(root)
    if repository is None:
        return taken
    try:
        tips = {**repository.branches(), "HEAD": "HEAD"}
        listings = repository.folder_listings(dict.fromkeys(tips.values()),
                                              "improvements")
    except GitError:
        return taken  # a repository git cannot read: as without git
    for branch, commit in tips.items():
        for name in listings[commit]:
            improvement_id = id_of_name(name)
            # A detached checkout's commit counts where no branch or file holds the id.
            if improvement_id is not None and (branch != "HEAD" or improvement_id not in taken):
                taken.setdefault(improvement_id, []).append(Place(branch, name))
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
