"""The `csi init` command: its arguments, and what it prints.

What it wrote and what it kept, one line each, then the next three commands. A bad option
or folder is one line naming it, with exit status 2, as argparse says a bad option.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from .project import ENGINES, FORGES, LANGUAGES, InitError, InitOptions, init_project


def add_parser(commands: argparse._SubParsersAction) -> None:
    """`csi init [FOLDER] --organisation NAME [--language] [--engine] [--ci] [--example]`."""
    init = commands.add_parser(
        "init", help="start a register's project: mkdocs.yml, register/, CI, pre-commit",
        description="Write the project of a new continual improvement register into FOLDER: "
                    "mkdocs.yml, register/register.yml and its folders, the CI workflow, a "
                    "pre-commit hook, .gitignore and a README. A file that exists is never "
                    "overwritten. Then `csi check` passes and `csi build --strict` builds "
                    "the site, whose /publishing/ page says how to publish and upgrade it.")
    init.add_argument("folder", nargs="?", default=".", metavar="FOLDER",
                      help="where (default: the current folder; made when missing)")
    init.add_argument("--organisation", required=True, metavar="NAME",
                      help='the organisation\'s name, shown on every page, e.g. "Example IT"')
    init.add_argument("--language", default="en", choices=LANGUAGES,
                      help="the site's language, and that of the first files (default: en)")
    init.add_argument("--engine", default="mkdocs", choices=ENGINES,
                      help="what the site is built with: MkDocs with Material (default) or "
                           "Zensical")
    init.add_argument("--ci", default="github", choices=FORGES,
                      help="the CI workflow to write: GitHub Actions (default), GitLab CI, "
                           "or none")
    init.add_argument("--example", action="store_true",
                      help="also a small sample register, so that the first site shows "
                           "something")


def run(args: argparse.Namespace) -> int:
    from ..readings.facts import build_date
    folder = Path(args.folder)
    try:
        options = InitOptions(args.organisation, args.language, args.engine, args.ci,
                              args.example)
        result = init_project(folder, options, build_date())
    except InitError as error:
        print(f"csi init: {error}", file=sys.stderr)
        return 2
    for path in result.written:
        print(f"wrote  {path}")
    for path in result.kept:
        print(f"kept   {path} (it exists)")
    for note in result.notes:
        print(f"note: {note}")
    print(f"{len(result.written)} written, {len(result.kept)} kept. Next:")
    for line in next_commands(folder, options):
        print(f"  {line}")
    return 0


def next_commands(folder: Path, options: InitOptions) -> list[str]:
    """The three commands to run next: preview, raise, commit (from the project's folder)."""
    there = "" if folder.resolve() == Path.cwd().resolve() else f"cd {shlex.quote(str(folder))} && "
    engine = " --engine zensical" if options.engine == "zensical" else ""
    commit = ("git add . && git commit" if _in_git(folder.resolve())
              else "git init && git add . && git commit")
    return [f"{there}csi serve{engine}    # preview the site at http://127.0.0.1:8000/",
            'csi new "Faster P1 restores"    # raise an improvement; then csi check',
            f'{commit} -m "A continual improvement register"']


def _in_git(folder: Path) -> bool:
    return any((part / ".git").exists() for part in (folder, *folder.parents))

