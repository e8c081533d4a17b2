"""Edit the register from the command line: new files from templates, and status moves.

Both kinds of edit leave the register valid or leave it alone: the result is checked
with `load_register`, and an edit that would add a problem is undone and reported.

A status move changes only the lines it means to. The file is parsed with ruamel.yaml's
round-trip composer, which gives the exact position of every key and value, and the
change is spliced into the original text at those positions. Dumping the round-trip
tree instead would re-indent every list to one style and re-space flow lists; splicing
keeps every other byte (comments, quoting, blank lines, line endings) as it was.

The modules, each importing only those above it:

| module | holds |
|---|---|
| `errors` | `EditError`; the check of a text argument |
| `yamltext` | YAML text written by hand: scalars, one-line values, blocks, keys |
| `files` | where the register's files are and the ids they hold, even with errors |
| `transaction` | problems before and after; a file created or replaced, or left alone |
| `splice` | `Splice`: a file's text, its keys' positions, pending edits, the result |
| `logentries` | a log entry appended in the style of the file's log |
| `document` | `Document`: key-level edits on a `Splice` (a key or a child of one) |
| `templates` | the commented templates of `csi new` |
| `new` | `csi new`: the id free on every branch, slugs, `new_improvement`, `new_metric`, `new_snapshot` |
| `status` | `csi status`: `set_status` |
"""

from __future__ import annotations

from .document import Document
from .errors import EditError
from .files import improvement_file, known_ids, register_root
from .new import (TITLE_MAX, IdChoice, choose_id, new_improvement, new_metric, new_snapshot,
                  next_improvement_id, slug)
from .status import StatusChange, set_status
from .templates import improvement_template, metric_template, snapshot_template
from .yamltext import yaml_block, yaml_inline, yaml_key_lines, yaml_scalar, yaml_string

__all__ = ["Document", "EditError", "IdChoice", "StatusChange", "TITLE_MAX", "choose_id",
           "improvement_file",
           "improvement_template", "known_ids", "metric_template", "new_improvement",
           "new_metric", "new_snapshot", "next_improvement_id", "register_root",
           "set_status", "slug", "snapshot_template", "yaml_block", "yaml_inline",
           "yaml_key_lines", "yaml_scalar", "yaml_string"]
