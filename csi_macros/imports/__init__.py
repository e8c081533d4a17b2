"""Bring a register in from the spreadsheets people already have: `csi import`.

    import_improvements(root, "register.xlsx")          # the improvement list
    import_snapshots(root, "monthly-figures.csv")       # the monthly figures

The pieces, in the order an import runs: `sheets` reads an .xlsx or .csv file into a
table; `vocabulary` knows the headers and words people use; `mapping` reads a user's
mapping file; `values` reads cells (dates, numbers, lists, statuses); `improvements`
and `snapshots` plan the file changes; `changes` checks the planned register in a copy
and writes it, all or nothing.
"""

from __future__ import annotations

from .changes import FileChange, ImportRefused, ImportResult
from .improvements import Options as ImprovementOptions
from .improvements import import_improvements
from .snapshots import Options as SnapshotOptions
from .snapshots import import_snapshots

__all__ = ["FileChange", "ImportRefused", "ImportResult", "ImprovementOptions",
           "SnapshotOptions", "import_improvements", "import_snapshots"]
