"""The `csi` command: check, edit and export the register.

Finding problems and printing them never mix: the formatters below turn a list of
problems into lines, one function per output format.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

from .errors import CsiError, Problem, RegisterError
from .facts import Register, load_register
from .load import register_dir
from .model import STATUSES


def format_text(problems: list[Problem]) -> list[str]:
    """`path:line: message`, one per line, then a count."""
    count = len(problems)
    return [*map(str, problems), f"{count} error{'s' if count != 1 else ''}"]


def format_github(problems: list[Problem]) -> list[str]:
    """GitHub Actions annotations, which show on the changed lines of a pull request."""
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return escape(text).replace(":", "%3A").replace(",", "%2C")

    return [f"::error file={prop(p.path)},line={p.line}::{escape(p.message)}" for p in problems]


FORMATS: dict[str, Callable[[list[Problem]], list[str]]] = {
    "text": format_text,
    "github": format_github,
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
    try:
        register = load_register(folder)
    except RegisterError as error:
        for line in FORMATS[args.format](error.problems):
            print(line, file=sys.stdout if args.format == "github" else sys.stderr)
        return 1
    print(summary(register, args.folder or str(folder)))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import SCHEMA_FILES, file_schema, write_schemas
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
    from .edit import EditError, new_improvement, new_metric, new_snapshot
    from .load import display_path
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
        path = new_improvement(root, args.text)
    print(display_path(path))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from .edit import set_status
    from .load import display_path
    change = set_status(_register_option(args), args.id, args.status, args.note,
                        outcome=args.outcome)
    print(f"{display_path(change.path)}: {change.improvement} {change.old} → {change.new} "
          f"on {change.date}")
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
        from .spreadsheet import to_xlsx
        return to_xlsx(register, formula)
    from .export import to_csv, to_json
    return to_csv(register, formula) if chosen == "csv" else to_json(register, formula)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "schema": cmd_schema,
    "new": cmd_new,
    "status": cmd_status,
    "export": cmd_export,
}


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="csi", description="The continual improvement register.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate the register and list every error")
    check.add_argument("folder", nargs="?", help="the register folder (default: $CSI_REGISTER_DIR "
                                                  "or register/)")
    check.add_argument("--format", choices=sorted(FORMATS), default="text",
                       help="how to print errors (github: Actions annotations)")

    schema = commands.add_parser("schema", help="print or write the JSON Schemas for editors")
    schema.add_argument("--write", metavar="DIR", help="write one NAME.schema.json per file kind")
    _add_edit_commands(commands)
    return main


def _add_edit_commands(commands: argparse._SubParsersAction) -> None:
    from .scoring import DEFAULT_FORMULA
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
        return COMMANDS[args.command](args)
    except CsiError as error:
        print(f"csi: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
