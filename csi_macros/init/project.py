"""`csi init`: the files of a new register's project, written where none exists yet.

The files come from the templates beside this module (`templates/`), rendered with Jinja
under delimiters of their own (`<< name >>`, `<% if … %>`), which leave the CI files'
`${{ … }}` and `$VARIABLE` alone, as Copier does. Language-neutral files are at the top of
`templates/`; the register's first file and the README are in each language's folder.
Nothing is ever overwritten: a file that exists is kept, and said to be.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import __version__
from ..edit.errors import EditError
from ..edit.yamltext import yaml_scalar

TEMPLATES = Path(__file__).parent / "templates"

LANGUAGES = ("en", "de", "nb")
"""The languages a project starts in: its theme's language and the words of its first files."""
ENGINES = ("mkdocs", "zensical")
FORGES = ("github", "gitlab", "none")

SITE_NAMES = {"en": "Continual improvement register",
              "de": "Register der kontinuierlichen Verbesserung",
              "nb": "Register for kontinuerlig forbedring"}
"""mkdocs.yml's `site_name`, shown after the organisation's name (as the site's catalogues
say it: "{organisation}: continual improvement register")."""

REQUIREMENT = f"csi-register=={__version__}"
"""What the CI workflow and the pre-commit hook install: this version, from the package index."""

CI_FILES = {"github": ".github/workflows/publish.yml", "gitlab": ".gitlab-ci.yml"}
CI_TEMPLATES = {"github": "github.yml", "gitlab": "gitlab-ci.yml"}
KEPT_FOLDERS = ("register/improvements", "register/metrics", "register/snapshots", "docs")
"""Folders written with a `.gitkeep`, so that git keeps them while they are empty (MkDocs
needs `docs/` even when every page ships with the package)."""


class InitError(EditError):
    """`csi init` was given an option or a folder it cannot start a project with."""


@dataclass(frozen=True)
class InitOptions:
    """What `csi init` was asked for (its command-line options)."""

    organisation: str
    language: str = "en"
    engine: str = "mkdocs"
    ci: str = "github"
    example: bool = False

    def __post_init__(self) -> None:
        name = self.organisation.strip()
        if not name or any(ord(c) < 0x20 or c == "\x7f" for c in self.organisation):
            raise InitError(f"--organisation {self.organisation!r}: give the organisation's "
                            "name on one line, e.g. --organisation \"Example IT\"")
        object.__setattr__(self, "organisation", name)
        for option, value, allowed in (("--language", self.language, LANGUAGES),
                                       ("--engine", self.engine, ENGINES),
                                       ("--ci", self.ci, FORGES)):
            if value not in allowed:
                raise InitError(f"{option} {value}: expected one of {', '.join(allowed)}")


@dataclass
class InitResult:
    """What `init_project` did: files written and kept (relative to the folder), notes."""

    folder: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def commands(options: InitOptions) -> dict[str, str]:
    """The commands the project's files name, for the chosen engine."""
    engine = " --engine zensical" if options.engine == "zensical" else ""
    return {"serve": f"csi serve{engine}", "build": f"csi build{engine} --strict"}


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
        variable_start_string="<<", variable_end_string=">>", block_start_string="<%",
        block_end_string="%>", comment_start_string="<#", comment_end_string="#>",
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters["yaml"] = yaml_scalar
    return env


def requirement(engine: str) -> str:
    """What the CI workflow and the hook install: this version, with Zensical when it builds."""
    return REQUIREMENT if engine == "mkdocs" else REQUIREMENT.replace("==", "[zensical]==")


def project_files(options: InitOptions, today: dt.date, *,
                  example: bool | None = None) -> dict[str, str]:
    """Every file of the new project, by its path in the project, in the order written;
    with the sample register when `example` (default: `options.example`)."""
    from .example import example_files
    env = environment()
    values = {"organisation": options.organisation, "version": __version__,
              "language": options.language, "engine": options.engine, "ci": options.ci,
              "site_name": SITE_NAMES[options.language], "requirement": requirement(options.engine),
              **commands(options)}

    def render(name: str) -> str:
        return env.get_template(name).render(values)

    lang = options.language
    files = {"mkdocs.yml": render("mkdocs.yml"),
             "register/register.yml": render(f"{lang}/register.yml")}
    if options.example if example is None else example:
        files.update(example_files(options.organisation, lang, today))
    files.update({f"{folder}/.gitkeep": "" for folder in KEPT_FOLDERS})
    if options.ci in CI_FILES:
        files[CI_FILES[options.ci]] = render(CI_TEMPLATES[options.ci])
    files[".pre-commit-config.yaml"] = render("pre-commit-config.yaml")
    files[".gitignore"] = render("gitignore")
    files["README.md"] = render(f"{lang}/README.md")
    return files


def check_folder(folder: Path) -> None:
    """Refuse a folder that is a file, or that cannot be made or written in."""
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                raise InitError(f"{folder}: {part} is a file, not a folder")
            if part == folder and not os.access(part, os.W_OK | os.X_OK):
                raise InitError(f"{folder}: this folder cannot be written in")
            break


def init_project(folder: Path, options: InitOptions, today: dt.date) -> InitResult:
    """Write the project's files into `folder` (made when missing), keeping every file that
    exists. With `options.example`, the sample register is written only into a register
    that has no file yet: it is all or nothing, so that it stays valid."""
    check_folder(folder)
    result = InitResult(folder)
    register = folder / "register"
    example = options.example
    if example and ((register / "register.yml").exists() or _register_has_files(register)):
        result.notes.append("the register has files already: the example was not written")
        example = False
    files = project_files(options, today, example=example)
    try:
        for path, text in files.items():
            if _write_new(folder / path, text):
                result.written.append(path)
            else:
                result.kept.append(path)
    except OSError as error:
        raise InitError(f"{folder}: {error.strerror or error}") from None
    result.notes += _notes(folder, result)
    return result


def _register_has_files(register: Path) -> bool:
    return any(path.suffix in (".yml", ".yaml") for kind in ("improvements", "metrics",
                                                              "snapshots")
               for path in (register / kind).glob("*") if path.is_file())


def _write_new(path: Path, text: str) -> bool:
    """Write `text` to a new file at `path`; False, and nothing written, when it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        return False
    return True


PINNED = re.compile(r"csi-register(?:\[[a-z,]+\])?==([0-9A-Za-z.+-]+)")


def _notes(folder: Path, result: InitResult) -> list[str]:
    """What a kept file may need: the csi plugin in a kept mkdocs.yml, the version a kept
    CI workflow or hook pins."""
    notes = []
    if "mkdocs.yml" in result.kept:
        text = (folder / "mkdocs.yml").read_text(encoding="utf-8", errors="replace")
        if not re.search(r"^\s*-\s*['\"]?csi['\"]?\s*:?\s*(#.*)?$", text, flags=re.M) and \
                not re.search(r"^plugins:\s*\[[^\]]*\bcsi\b", text, flags=re.M):
            notes.append("mkdocs.yml has no csi plugin: add `- csi` under its `plugins:` "
                         "(the site's /publishing/ page)")
    for path in result.kept:
        if path in (*CI_FILES.values(), ".pre-commit-config.yaml"):
            text = (folder / path).read_text(encoding="utf-8", errors="replace")
            older = sorted({found for found in PINNED.findall(text) if found != __version__})
            if older:
                notes.append(f"{path} installs csi-register {', '.join(older)}, this is "
                             f"{__version__}: change its version to upgrade")
    return notes
