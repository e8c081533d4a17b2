"""The `csi` command: start, check, edit and export the register.

Finding problems and printing them never mix: the formatters below turn a list of
problems into lines, one function per output format.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable, NoReturn, Sequence

from .register.errors import CsiError, Problem, RegisterError
from .readings.facts import Register, load_register
from .readings.suggestions import suggestions
from .register.load import register_dir
from .register.model import STATUSES


def format_text(problems: list[Problem], kind: str = "error") -> list[str]:
    """`path:line: message`, one per line, then a count ("2 errors", "1 suggestion")."""
    count = len(problems)
    return [*map(str, problems), f"{count} {kind}{'s' if count != 1 else ''}"]


def format_github(problems: list[Problem], kind: str = "error") -> list[str]:
    """GitHub Actions annotations, which show on the changed lines of a pull request:
    errors as errors, suggestions as notices."""
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return escape(text).replace(":", "%3A").replace(",", "%2C")

    level = "error" if kind == "error" else "notice"
    return [f"::{level} file={prop(p.path)},line={p.line}::{escape(p.message)}" for p in problems]


def format_gitlab(problems: list[Problem], kind: str = "error") -> list[str]:
    """A GitLab code quality report (JSON, one line), which merge requests show: errors as
    major, suggestions as info. The lines people read go to the job's log as text."""
    severity = "major" if kind == "error" else "info"
    return [json.dumps([{
        "description": p.message, "check_name": p.rule or kind, "severity": severity,
        "fingerprint": hashlib.sha256(f"{p.path}:{p.line}:{p.message}".encode()).hexdigest(),
        "location": {"path": p.path, "lines": {"begin": p.line}}} for p in problems])]


FORMATS: dict[str, Callable[..., list[str]]] = {
    "text": format_text,
    "github": format_github,
    "gitlab": format_gitlab,
}


def summary(register: Register, folder: str) -> str:
    """One line: counts per kind and per status."""
    statuses = Counter(i.status for i in register.improvements)
    by_status = ", ".join(f"{statuses[s]} {s}" for s in STATUSES if statuses[s])
    return (f"{folder}: valid — {_count(register.improvements, 'improvement')} "
            f"({by_status or 'none'}), {_count(register.organisation.objectives, 'objective')}, "
            f"{_count(register.metrics, 'metric')}, {_count(register.snapshots, 'snapshot')}")


def _count(items: Sequence[object], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def cmd_check(args: argparse.Namespace) -> int:
    folder = Path(args.folder) if args.folder else register_dir()
    name = args.folder or str(folder)
    # GitLab's report goes to standard output, for a file; the text to the job's log.
    report = args.format == "gitlab"
    against = _against(folder, args.against) if args.against else []
    try:
        register = load_register(folder)
    except RegisterError as error:
        _print_problems(sorted({*error.problems, *against}), args.format)
        return 1
    if against:
        _print_problems(against, args.format)
        return 1
    found = suggestions(register)
    if report:
        print(*format_gitlab(found, "suggestion"))
    readable = sys.stderr if report else sys.stdout
    print(summary(register, name), file=readable)
    if args.against:
        print(f"{name}: nothing clashes with {args.against}: no id it holds in another "
              "file, no reference to anything it no longer has", file=readable)
    if found:
        print("\n".join(FORMATS["text" if report else args.format](found, "suggestion")),
              file=readable)
    return 0


def _print_problems(problems: list[Problem], chosen: str) -> None:
    if chosen == "gitlab":  # the report on standard output, the text for the job's log
        print(*format_gitlab(problems))
        chosen = "text"
    stream = sys.stdout if chosen == "github" else sys.stderr
    print("\n".join(FORMATS[chosen](problems)), file=stream)


def _against(folder: Path, ref: str) -> list[Problem]:
    """What merging the register into `ref` would break (`merging.py`), the fixing
    command naming the register folder when it is not the default one."""
    from .register.merging import RENUMBER, against_problems
    if not folder.is_dir():
        return []  # the check says the folder is missing
    default = register_dir()
    option = "" if folder.resolve() == default else f" --register {shlex.quote(str(folder))}"
    return against_problems(folder, ref, renumber=RENUMBER + option)


def cmd_schema(args: argparse.Namespace) -> int:
    from .register.schema import SCHEMA_FILES, file_schema, write_schemas
    if not args.write:
        print(json.dumps({name: file_schema(name) for name in SCHEMA_FILES}, indent=2,
                         ensure_ascii=False))
        return 0
    for target in write_schemas(Path(args.write)):
        print(target.as_posix())
    return 0


# --- Editing and exporting (csi new, csi status, csi export) -----------------------------

def _register_option(args: argparse.Namespace) -> Path:
    return Path(args.register) if args.register else register_dir()


def cmd_new(args: argparse.Namespace) -> int:
    from .edit import EditError, choose_id, new_improvement, new_metric, new_snapshot, register_root
    from .register.load import display_path
    root = _register_option(args)
    if args.snapshot is not None:
        if args.text is not None:
            raise EditError("csi new --snapshot DATE takes no name")
        path = new_snapshot(root, args.snapshot)
    elif args.text is None:
        raise EditError('give a title (csi new "Title"), or use --metric ID "Name" or '
                        "--snapshot DATE")
    elif args.metric is not None:
        path = new_metric(root, args.metric, args.text)
    else:
        chosen = choose_id(register_root(root))
        path = new_improvement(root, args.text, improvement_id=chosen.id)
        if chosen.note():
            print(display_path(path), flush=True)
            print(f"note: {chosen.note()}", file=sys.stderr)
            return 0
    print(display_path(path))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from .edit import set_status
    from .register.load import display_path
    change = set_status(_register_option(args), args.id, args.status, args.note,
                        outcome=args.outcome)
    print(f"{display_path(change.path)}: {change.improvement} {change.old} → {change.new} "
          f"on {change.date}")
    return 0


def cmd_renumber(args: argparse.Namespace) -> int:
    from .edit.renumber import renumber
    done = renumber(_register_option(args), args.old, args.new, file=args.file,
                    dry_run=args.dry_run)
    for line in done.lines():
        print(line)
    return 0


EXPORT_FORMATS = ("csv", "json", "xlsx")


def cmd_export(args: argparse.Namespace) -> int:
    from .edit import EditError
    chosen = args.format or (Path(args.output).suffix.lstrip(".").lower() if args.output else "")
    chosen = chosen if chosen in EXPORT_FORMATS else "csv"
    if chosen == "xlsx" and not args.output and sys.stdout.isatty():
        raise EditError("an .xlsx file is binary: write it to a file with -o register.xlsx")
    register = load_register(_register_option(args))
    data = _export(register, chosen, args.formula)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _export(register: Register, chosen: str, formula: str) -> bytes:
    if chosen == "xlsx":
        from .readings.spreadsheet import to_xlsx
        return to_xlsx(register, formula)
    from .readings.export import to_csv, to_json
    return to_csv(register, formula) if chosen == "csv" else to_json(register, formula)


# --- Translations (csi translations extract|update|check) ---------------------------------

def cmd_translations(args: argparse.Namespace) -> int:
    from . import translations
    from .i18n import available_languages
    from .register.load import display_path
    if args.action == "extract":
        print(display_path(translations.extract()))
        return 0
    if args.action == "update":
        for path in translations.update(languages=args.language or None):
            print(display_path(path))
        return 0
    complete = True
    for code in args.language or available_languages():
        try:
            report = translations.check(code)
        except ValueError as error:
            raise CsiError(str(error)) from None
        for line in report.lines():
            print(line)
        complete = complete and report.complete
    return 0 if complete else 1


# --- Importing (csi import improvements|snapshots) -----------------------------------------

def cmd_import(args: argparse.Namespace) -> int:
    from .imports import (ImportRefused, ImprovementOptions, SnapshotOptions,
                          import_improvements, import_snapshots)
    mapping = Path(args.mapping) if args.mapping else None
    try:
        if args.kind == "improvements":
            result = import_improvements(_register_option(args), args.file, ImprovementOptions(
                mapping, args.objective, args.month_first, args.sheet, args.dry_run))
        else:
            result = import_snapshots(_register_option(args), args.file, SnapshotOptions(
                mapping, args.month_first, args.sheet, args.dry_run, args.source, args.update))
    except ImportRefused as refused:
        for line in refused.problems:
            print(line, file=sys.stderr)
        for line in refused.hints:
            print(line, file=sys.stderr)
        count = len(refused.problems)
        print(f"{count} problem{'s' if count != 1 else ''}; nothing was written", file=sys.stderr)
        return 1
    for line in result.lines(args.kind):
        print(line)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .init.command import run
    return run(args)


ENGINES = ("mkdocs", "zensical")
"""What `csi build` and `csi serve` build with: MkDocs with Material (the default and
the reference), or Zensical from the same mkdocs.yml (`engines/zensical/project.py`)."""


def _config_file(args: argparse.Namespace) -> Path:
    config = Path(args.config_file)
    if not config.is_file():
        raise CsiError(f"{config}: no such file (give mkdocs.yml with -f)")
    return config


def _zensical() -> Any:
    """The Zensical adapter, loaded only when asked for, logging as MkDocs does."""
    from .engines.zensical import project as zensical_site
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    return zensical_site


def cmd_build(args: argparse.Namespace) -> int:
    config = _config_file(args)
    if args.engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config)]
        command += ["-d", args.site_dir] if args.site_dir else []
        command += ["--strict"] if args.strict else []
        return subprocess.run(command).returncode
    zensical_site = _zensical()
    try:
        zensical_site.build(config, Path(args.site_dir) if args.site_dir else None,
                            strict=args.strict)
    except CsiError:
        raise
    except Exception as error:  # Zensical reports its own errors as exceptions
        print(f"csi: zensical build failed: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    config = _config_file(args)
    if args.engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config)]
        command += ["-a", args.dev_addr] if args.dev_addr else []
        return subprocess.run(command).returncode
    _zensical().serve(config, args.dev_addr)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "build": cmd_build,
    "serve": cmd_serve,
    "translations": cmd_translations,
    "check": cmd_check,
    "schema": cmd_schema,
    "new": cmd_new,
    "status": cmd_status,
    "renumber": cmd_renumber,
    "export": cmd_export,
    "import": cmd_import,
}


class Parser(argparse.ArgumentParser):
    """Errors in one line that names the bad option, exit status 2, as argparse's own."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    from . import __version__
    main = Parser(prog="csi", description="The continual improvement register.")
    main.add_argument("--version", action="version", version=f"csi-register {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from .init.command import add_parser as add_init
    add_init(commands)

    check = commands.add_parser("check", help="validate the register and list every error")
    check.add_argument("folder", nargs="?", help="the register folder (default: $CSI_REGISTER_DIR "
                                                  "or register/)")
    check.add_argument("--format", choices=sorted(FORMATS), default="text",
                       help="how to print errors (github: Actions annotations; gitlab: a "
                            "code quality report on standard output, the text on stderr)")
    check.add_argument("--against", metavar="REF",
                       help="also check what merging into REF (a branch, tag or commit, e.g. "
                            "origin/main) would break: an improvement id REF holds in another "
                            "file, a reference to something REF no longer has")

    schema = commands.add_parser("schema", help="print or write the JSON Schemas for editors")
    schema.add_argument("--write", metavar="DIR", help="write one NAME.schema.json per file kind")
    _add_site_commands(commands)
    _add_edit_commands(commands)
    from .imports.command import add_parser as add_import
    add_import(commands)
    _add_translation_commands(commands)
    return main


def _add_site_commands(commands: argparse._SubParsersAction) -> None:
    engine_help = ("mkdocs (default: MkDocs with Material) or zensical (the same site from "
                   "the same mkdocs.yml; the site's /publishing/ page)")
    build = commands.add_parser("build", help="build the site with MkDocs or Zensical")
    build.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="FILE",
                       help="the project's mkdocs.yml (default: ./mkdocs.yml)")
    build.add_argument("-d", "--site-dir", metavar="DIR",
                       help="where the site goes (default: mkdocs.yml's site_dir)")
    build.add_argument("--strict", action="store_true", help="fail on warnings")
    build.add_argument("--engine", choices=ENGINES, default="mkdocs", help=engine_help)
    serve = commands.add_parser("serve", help="preview the site; rebuilds when the register "
                                              "or a page changes")
    serve.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="FILE",
                       help="the project's mkdocs.yml (default: ./mkdocs.yml)")
    serve.add_argument("-a", "--dev-addr", metavar="IP:PORT",
                       help="where to serve (default: 127.0.0.1:8000 / localhost:8000)")
    serve.add_argument("--engine", choices=ENGINES, default="mkdocs", help=engine_help)


def _add_translation_commands(commands: argparse._SubParsersAction) -> None:
    translations = commands.add_parser(
        "translations", help="the site's message catalogues: check, extract, update",
        description="check: list every missing or fuzzy translation (exit 1 when any); "
                    "extract: write the template csi.pot from the code; update: bring the "
                    "catalogues in line with the template.")
    translations.add_argument("action", choices=("check", "extract", "update"))
    translations.add_argument("--language", action="append", metavar="CODE",
                              help="only this language, e.g. de (repeatable; default: every "
                                   "shipped catalogue)")


def _add_edit_commands(commands: argparse._SubParsersAction) -> None:
    from .readings.scoring import DEFAULT_FORMULA
    register_help = "the register folder (default: $CSI_REGISTER_DIR or register/)"

    new = commands.add_parser(
        "new", help="create a file from a template: an improvement (the next free id), "
                    "a metric or a snapshot; prints its path",
        description='csi new "Title" | csi new --metric ID "Name" | csi new --snapshot DATE')
    new.add_argument("text", nargs="?", metavar="TITLE",
                     help="the improvement's title (or, with --metric, the metric's name)")
    kind = new.add_mutually_exclusive_group()
    kind.add_argument("--metric", metavar="ID", help="create metrics/ID.yml instead")
    kind.add_argument("--snapshot", metavar="DATE",
                      help="create snapshots/DATE.yml listing every metric, values empty")
    new.add_argument("--register", metavar="DIR", help=register_help)

    status = commands.add_parser(
        "status", help="move an improvement to a new status and log it",
        description="Changes only the status line, the new log entry and `closed` "
                    "(and `outcome` when given); the register must stay valid.")
    status.add_argument("id", metavar="ID", help="the improvement's id, e.g. CSI-0007")
    status.add_argument("status", metavar="NEW_STATUS", help=", ".join(STATUSES))
    status.add_argument("--note", required=True, help="the log entry's note: what happened")
    status.add_argument("--outcome", help="what happened, or why it was rejected (needed to "
                                          "close or reject when the file has no outcome)")
    status.add_argument("--register", metavar="DIR", help=register_help)

    renumber = commands.add_parser(
        "renumber", help="give an improvement another id: renames its file, changes its id "
                         "and every related list that names it",
        description="Give improvement OLD the id NEW (default: the next id free everywhere, as "
                    "csi new takes it): the file is renamed with its slug kept, its id: line, "
                    "header comment and every related list naming OLD change, nothing else. "
                    "Log notes naming OLD are history: left as written, and listed. Nothing "
                    "is written unless the register checks afterwards.")
    renumber.add_argument("old", metavar="OLD", help="the id to change, e.g. CSI-0023")
    renumber.add_argument("new", nargs="?", metavar="NEW",
                          help="the id to give it (default: the next one free everywhere)")
    renumber.add_argument("--file", metavar="FILE",
                          help="which file to renumber, when two files share OLD (after a merge)")
    renumber.add_argument("--dry-run", action="store_true",
                          help="print the changes as a diff; write nothing")
    renumber.add_argument("--register", metavar="DIR", help=register_help)

    export = commands.add_parser("export", help="write the register as CSV, JSON or Excel")
    export.add_argument("--format", choices=EXPORT_FORMATS,
                        help="default: from the -o file's extension, else csv")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    export.add_argument("--formula", default=DEFAULT_FORMULA,
                        help="the priority score's formula: the csi plugin's priority_formula "
                             f"in mkdocs.yml, when you changed it (default: {DEFAULT_FORMULA})")
    export.add_argument("--register", metavar="DIR", help=register_help)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        try:
            return COMMANDS[args.command](args)
        finally:
            sys.stdout.flush()  # here, where a closed pipe can be caught
    except CsiError as error:
        print(f"csi: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`csi check | head -1`): as the Python docs advise (the note
        # on SIGPIPE in `signal`), point stdout at devnull so that the flush at exit does
        # not fail again, and exit 1 without a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
