"""The `csi import` command's arguments and help (the command itself is `cli.cmd_import`)."""

from __future__ import annotations

import argparse

IMPORT_EPILOG = """\
examples:
  csi import improvements register.xlsx --dry-run     see what would change, write nothing
  csi import improvements register.xlsx               then do it
  csi import improvements servicenow.csv --mapping servicenow.yml --objective OBJ-1
  csi import snapshots figures.xlsx                   a date column, one column per metric
  csi import snapshots kpis.csv --source "Monthly service report" --update

What is read:
  improvements  one row per improvement, the header in row 1. Headers such as ID, Title,
                Description, Date raised, Owner, Status, Priority, Target date, Date
                complete, Benefits, Outcome are recognised (case and spacing ignored), and
                so is every column of `csi export`, so export, edit in Excel, import back.
  snapshots     long: Date, Metric, Value[, Source] per row; or wide: a Date column and
                one column per metric (its id or its name).
Dates: real Excel dates, 2026-04-15, or day first 15/04/2026 (--month-first for US files).
A mapping file (YAML) says what other columns and values mean:
  columns: {Size: effort, Notes: ignore, Cost centre: extra.cost_centre}
  values: {status: {Open: proposed}, effort: {Small: 1, Large: 5}}
  defaults: {priority: medium}
Nothing is written unless every row can be imported and the register stays valid;
every problem is reported as FILE:ROW: message. More: the "Bringing your register in"
page of the site, /importing/.
"""


def add_parser(commands: argparse._SubParsersAction) -> None:
    """`csi import improvements|snapshots`, with its options."""
    formatter = argparse.RawDescriptionHelpFormatter
    importer = commands.add_parser(
        "import", help="bring improvements or monthly figures in from .xlsx or .csv files",
        description="Bring your register in from the spreadsheets you already have: the "
                    "improvement list, or the monthly figures of your metrics.",
        epilog=IMPORT_EPILOG, formatter_class=formatter)
    kinds = importer.add_subparsers(dest="kind", required=True, metavar="WHAT")
    helps = {"improvements": "rows of improvements: new files, or updates of the ids the "
                             "register has",
             "snapshots": "monthly figures: one snapshot file per date"}
    for kind, text in helps.items():
        sub = kinds.add_parser(kind, help=text, description=text[0].upper() + text[1:] + ".",
                               epilog=IMPORT_EPILOG, formatter_class=formatter)
        sub.add_argument("file", metavar="FILE", help="an .xlsx workbook or a .csv file")
        sub.add_argument("--register", metavar="DIR",
                         help="the register folder (default: $CSI_REGISTER_DIR or register/)")
        sub.add_argument("--dry-run", action="store_true",
                         help="print what would be created and a diff of every change; "
                              "write nothing")
        sub.add_argument("--mapping", metavar="FILE",
                         help="a YAML file saying what other columns and values mean")
        sub.add_argument("--month-first", action="store_true",
                         help="read 04/15/2026 as 15 April (US files); default: day first")
        sub.add_argument("--sheet", metavar="NAME",
                         help="the workbook's sheet to read (default: the first one with "
                              "recognised headers)")
        if kind == "improvements":
            sub.add_argument("--objective", metavar="ID",
                             help="the objective (e.g. OBJ-1) for rows that need one and "
                                  "name none")
        else:
            sub.add_argument("--source", metavar="TEXT",
                             help="where the figures came from, for new snapshot files")
            sub.add_argument("--update", action="store_true",
                             help="replace values the register already holds differently "
                                  "(default: refuse them as conflicts)")
