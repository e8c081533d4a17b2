"""Start a register's project: `csi init` writes the files a new register needs.

`mkdocs.yml` (a few lines: everything else ships with the package), the register's first
file and folders, the CI workflow of the chosen forge, the pre-commit hook, `.gitignore`
and a README, from the templates in `templates/`, in English, German or Norwegian Bokmål;
with `--example`, a small sample register whose dates are counted back from today. A file
that exists is never overwritten.

| module | holds |
|---|---|
| `project` | `InitOptions`, `init_project`: the files rendered and written, kept ones listed |
| `example` | the sample register of `--example`: its records, dates and figures |
"""

from __future__ import annotations

from .project import (ENGINES, FORGES, LANGUAGES, REQUIREMENT, InitError, InitOptions,
                      InitResult, init_project, project_files)

__all__ = ["ENGINES", "FORGES", "InitError", "InitOptions", "InitResult", "LANGUAGES",
           "REQUIREMENT", "init_project", "project_files"]
