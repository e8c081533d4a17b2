"""Zensical: the project it builds (`project`), from the site's settings (`config`), its
macros module (`macros`) and the Markdown extension that puts the generated pages in
(`markdown`).
"""
