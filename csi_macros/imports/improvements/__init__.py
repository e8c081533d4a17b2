"""`csi import improvements`: rows of a sheet become improvement files.

A row whose id names an improvement of the register updates it, field by field, with
the same text-level editing as `csi status`: only the lines of changed fields move,
and a status change adds its log entry. Any other row becomes a new file: it keeps its
id when the id fits the register's pattern, else it gets the next free one and the
old id is kept under `extra: {former_id: …}`, which the record page shows and search
finds (and which a later import of the same sheet uses to find the record again).

The modules, each importing only those above it:

| module | holds |
|---|---|
| `keys` | the keys a sheet may give, grouped by how a cell for them is read |
| `report` | `Report`: problems, notes, ignored columns, and the mapping hints for unknown words |
| `index` | `RegisterIndex`: the register's objectives, metrics, files and former ids |
| `columns` | which column gives which key |
| `context` | `Options` and `Context`: one import's inputs and what its steps add to |
| `entries` | actions and log entries, as a sheet's lines and as a file's mappings |
| `cells` | a row's cells read into values by key |
| `ids` | the id each row's improvement will have |
| `records` | a row for no improvement becomes a new record |
| `newfile` | a new file's text, checked to read back exactly |
| `updates` | a row for an improvement updates its file field by field |
| `plan` | `import_improvements`: every row planned, then written all or nothing |
"""

from __future__ import annotations

from .context import Options
from .newfile import improvement_text
from .plan import import_improvements

__all__ = ["Options", "import_improvements", "improvement_text"]
