"""Deprecated: the Markdown extension is `csi_macros.engines.zensical.markdown`.

A `markdown_extensions:` entry that names `csi_macros.zensical_markdown` keeps working for one
release, with a warning; the project the build writes uses the new path.
"""

import warnings

from .engines.zensical.markdown import CsiExtension, makeExtension

warnings.warn("csi_macros.zensical_markdown is deprecated and goes in the next release: "
              "name csi_macros.engines.zensical.markdown instead", FutureWarning, stacklevel=2)

__all__ = ["CsiExtension", "makeExtension"]
