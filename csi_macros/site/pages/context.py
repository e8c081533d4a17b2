"""What the pages know about the site around them, and the lookups they share.

`Site` is made once per build: every lookup a page family needs (scores, the log
newest first, improvements by principle) is computed on first use and then shared, so
no page walks the whole register again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urljoin

from ...readings.facts import Register
from ..feed import FeedEntry, feed_entries
from ...register.history import Change, last_changes
from ...register.model import Improvement
from ...readings.scoring import DEFAULT_FORMULA, Formula, parse_formula
from .. import addresses


RECENT_CHANGES = 10
"""How many changes a service's page shows."""


@dataclass(frozen=True)
class SiteContext:
    """What pages need to know about the site around them."""

    repo_url: str | None = None
    edit_uri: str | None = None
    register_path: str = "register"
    """The register folder, relative to the repository root; "" when the register lies
    outside the project, and file paths are then shown relative to the register folder
    (a path of the build machine never reaches the site)."""
    site_url: str | None = None
    priority_formula: str = DEFAULT_FORMULA

    def source_path(self, relative: str) -> str:
        """A register file as the repository names it: `register/improvements/CSI-0007.yml`
        (or `improvements/CSI-0007.yml` for a register outside the project)."""
        folder = self.register_path.rstrip("/")
        return f"{folder}/{relative}" if folder else relative

    def edit_url(self, relative: str) -> str | None:
        """The repository's edit page for a register file, when the site knows its repository.

        MkDocs' `edit_uri` leads from `repo_url` to the docs folder (`edit/main/docs/`); the
        register lives beside that folder, so its files are one level up (`edit/main/`). This
        assumes mkdocs.yml and docs/ sit at the repository's root, as MkDocs' own default does.
        None when there is no repository, edit links are off (`edit_uri: ""`), the edit address
        is a query (`?path=`) rather than a path, or the register lies outside the project.
        """
        if not self.repo_url or not self.edit_uri or not self.register_path:
            return None
        if "?" in self.edit_uri or "#" in self.edit_uri:
            return None
        path = self.source_path(relative)
        if path.startswith(("/", "../")) or ":" in path.split("/", 1)[0]:
            return None
        docs = self.edit_uri.rstrip("/")
        repository = docs.rsplit("/", 1)[0] + "/" if "/" in docs else ""
        root = self.repo_url if self.repo_url.endswith("/") else self.repo_url + "/"
        return urljoin(root, repository + path)


@dataclass
class Site:
    """The register and its site: what every page family reads, computed once."""

    register: Register
    context: SiteContext = field(default_factory=SiteContext)

    @cached_property
    def formula(self) -> Formula:
        """The checked priority formula (CsiError when mkdocs.yml's is not a formula)."""
        return parse_formula(self.context.priority_formula)

    @cached_property
    def scores(self) -> dict[str, float | None]:
        """Each improvement's priority score, by id (None: no score)."""
        return {imp.id: self.formula.score(imp) for imp in self.register.improvements}

    @cached_property
    def changes(self) -> list[FeedEntry]:
        """Every log entry of the register, newest first (the feed's order)."""
        return feed_entries(self.register, limit=sum(len(i.log) for i in self.register.improvements))

    @cached_property
    def file_changes(self) -> dict[Path, Change]:
        """The last commit of every register file, from one walk of git's history; empty
        outside a git clone (a shallow clone knows its one commit)."""
        return last_changes(self.register.root, self.register.root)

    def last_change(self, imp: Improvement) -> Change | None:
        return self.file_changes.get(Path(imp.where.path).resolve())

    @cached_property
    def service_slugs(self) -> dict[str, str]:
        """Each service's address segment (`services/<slug>/`), by name."""
        return addresses.service_slugs(self.register.services)

    @cached_property
    def tag_slugs(self) -> dict[str, str]:
        """Each tag's anchor on the tags page (`tags/#tag-<slug>`), by tag."""
        return addresses.slugs(tag for imp in self.register.improvements for tag in imp.tags)

    @cached_property
    def changes_by_service(self) -> dict[str, list[FeedEntry]]:
        """The newest changes of the improvements naming each service, newest first."""
        found: dict[str, list[FeedEntry]] = {name: [] for name in self.register.services}
        for change in self.changes:
            for name in dict.fromkeys(change.improvement.services):
                if len(found[name]) < RECENT_CHANGES:
                    found[name].append(change)
        return found

    @cached_property
    def by_principle(self) -> dict[str, tuple[Improvement, ...]]:
        """The improvements that apply each guiding principle, in id order."""
        found: dict[str, list[Improvement]] = defaultdict(list)
        for imp in self.register.improvements:
            for principle in imp.principles:
                found[principle].append(imp)
        return {principle: tuple(imps) for principle, imps in found.items()}
