"""Zensical: the project it builds (`project`), its macros extension (`macros`) and the
Markdown extension that puts the generated pages in (`markdown`).
"""
