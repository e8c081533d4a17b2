"""The `csi` command: check the register (and, in later modules, edit and export it).

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
    return (f"{folder}: valid — {len(register.improvements)} improvements ({by_status or 'none'}), "
            f"{len(register.organisation.objectives)} objectives, {len(register.metrics)} metrics, "
            f"{len(register.snapshots)} snapshots")


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
    from .schema import SCHEMA_FILES, file_schema
    if not args.write:
        print(json.dumps({name: file_schema(name) for name in SCHEMA_FILES}, indent=2))
        return 0
    out = Path(args.write)
    out.mkdir(parents=True, exist_ok=True)
    for name in SCHEMA_FILES:
        target = out / f"{name}.schema.json"
        target.write_text(json.dumps(file_schema(name), indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        print(target)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "schema": cmd_schema,
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
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CsiError as error:
        print(f"csi: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
