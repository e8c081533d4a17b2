"""Deprecated: the macros module is `csi_macros.engines.zensical.macros`.

A Zensical `macros` plugin whose `modules:` names `csi_macros.zensical_macros` keeps working
for one release, with a warning; the project the build writes uses the new path.
"""

import warnings

from .engines.zensical.macros import STASH, define_env

warnings.warn("csi_macros.zensical_macros is deprecated and goes in the next release: "
              "name csi_macros.engines.zensical.macros instead", FutureWarning, stacklevel=2)

__all__ = ["STASH", "define_env"]
