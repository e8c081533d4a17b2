"""The engines that publish the site: the only code that imports a site generator.

`mkdocs/` is the MkDocs plugin (and its macros for hand-written pages); `zensical/`
builds the same site with Zensical. Both are thin: they hand the site's files from
`site/` to their engine and add nothing of the register's own.
"""
