"""The site: every generated page, chart and feed, as HTML and files, for any engine.

`generate` is the entry: it turns a `Register` into the site's files (`pages/` renders
the pages, `charts/` draws the SVG charts, `feed` the Atom feed, `assets/` the stylesheet
and scripts); `addresses` knows where everything lives and `text` escapes register text,
which is data, never Markdown or Jinja to run. No site generator is imported here.
"""
