"""The macros module Zensical's macros extension loads (`define_env`, as mkdocs-macros
modules have): the same macros and variables the csi plugin gives mkdocs-macros.

Zensical calls `define_env` for every page it renders with macros, in the process that
`project.prepare` ran in: the register is the one it loaded, and the macros are made
once per build. Macro output waits in the shared `STASH` until Markdown is done, and
`markdown` puts it back, as the csi plugin does under MkDocs. Zensical may run the
Markdown step in threads of its own, so each macro runs in the site's language itself.
Zensical reads relative links in raw HTML as relative to the page's source file (it rewrites
them as it does Markdown links), so the macros link from the source's folder.
"""

from __future__ import annotations

import functools
import posixpath
from typing import Any, Callable

from ... import i18n
from . import project
from ...register.errors import CsiError
from ...site.macros import Stash, page_macros, page_variables

STASH = Stash()
"""Macro output of this process's builds, restored by `markdown`."""

_MADE: dict[int, tuple[dict[str, Callable[..., str]], dict[str, str]]] = {}


def define_env(env: Any) -> None:
    """Hand Zensical's macros extension the csi macros and variables."""
    state = project.STATE
    if state is None:
        raise CsiError("the csi macros need the register: build with "
                       "`csi build --engine zensical`, which writes and builds the Zensical project")
    key = id(state)
    if key not in _MADE:
        _MADE.clear()
        with i18n.using(state.language):
            macros = {name: _in_language(macro, state.language)
                      for name, macro in page_macros(state.register, STASH,
                                                     source_folder, state.prefix).items()}
            _MADE[key] = (macros, page_variables(state.register))
    macros, variables = _MADE[key]
    for name, macro in macros.items():
        env.macro(macro, name)
    env.variables.update(variables)


def source_folder(page: Any) -> str:
    """Where links in a page's raw HTML start from under Zensical, which reads them as
    relative to the page's source file: `playbook/action.md` → `playbook/`, `editing.md` → ""."""
    folder = posixpath.dirname(str(getattr(page, "path", "") or ""))
    return folder + "/" if folder else ""


def _in_language(macro: Callable[..., str], language: str) -> Callable[..., str]:
    @functools.wraps(macro)
    def in_language(*args: Any, **kwargs: Any) -> str:
        with i18n.using(language):
            return macro(*args, **kwargs)

    return in_language
