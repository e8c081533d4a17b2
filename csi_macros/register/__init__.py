"""The register: its files read with their line numbers, checked, and turned into a model.

`source` reads YAML keeping every value's line; `fields` and `model` define the records
and their rules once (the schema in `schema`, the checks in `rules` and the editing help
derive from them); `load` reads a register folder into a model, collecting `errors.Problem`s
as values; `history` reads what git knows of each file. `ids` reads improvement ids from
file names; `branches` reads every branch's files from git's objects, and `merging` what
merging the register into another branch would break (`csi check --against`). Nothing here
knows of readings, pages or site generators.
"""
