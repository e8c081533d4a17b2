"""MkDocs: the `csi` plugin (`plugin`), the macros hand-written pages call (`macros`),
and the build's helpers (`fragments`, `compact`, `search`).
"""
