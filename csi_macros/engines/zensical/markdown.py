"""The Markdown extension Zensical's build uses for what the csi plugin does under MkDocs.

- A generated page's source is one line (`generate.MARKER`); its HTML and outline wait
  under the work folder's `pages/`. The page skips Markdown: its HTML is handed on
  untouched, and its outline becomes the page's table of contents (Python-Markdown's
  `toc` extension never sees headings inside raw HTML).
- Macro output in hand-written pages goes back in once Markdown is done
  (`macros.STASH`).
- Where a hand-written page holds `<!-- csi:raise-form -->`, the raise form goes in, in
  the site's language, its links made for Zensical's rewriting (see `macros`).

Zensical tells extensions which page is being rendered through its context preprocessor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ... import i18n
from . import project
from ...site.generate import MARKER
from .macros import STASH, source_folder
from ...site import addresses
from ...site.pages.raise_form import MARK as RAISE_FORM_MARK
from ...site.pages.raise_form import raise_form


def _page(md: Markdown) -> Any:
    """The page Zensical is rendering, or None outside a Zensical build."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:  # pragma: no cover - only Zensical loads this extension
        return None
    context = ContextPreprocessor.from_markdown(md)
    return context.page if context else None


class GeneratedPage(Preprocessor):
    """A generated page's one-line source: its HTML and outline are read, nothing parsed."""

    def __init__(self, md: Markdown, pages: Path) -> None:
        super().__init__(md)
        self.pages = pages
        self.found: tuple[str, list[dict[str, Any]]] | None = None
        self.placed: str | None = None

    def run(self, lines: list[str]) -> list[str]:
        self.found = self.placed = None
        content = [line for line in lines if line.strip()]
        if len(content) != 1 or not content[0].startswith(MARKER):
            return lines
        page = _page(self.md)
        stem = self.pages / str(page.path)[:-len(".md")]
        html = stem.with_name(stem.name + ".html").read_text(encoding="utf-8")
        toc = json.loads(stem.with_name(stem.name + ".toc.json").read_text(encoding="utf-8"))
        self.found = (html, toc)
        return []


class GeneratedOutline(Treeprocessor):
    """After the `toc` extension: the generated page's outline is the page's (`toc` found no
    headings in it). From here on the page's HTML may replace Markdown's."""

    def __init__(self, md: Markdown, generated: GeneratedPage) -> None:
        super().__init__(md)
        self.generated = generated

    def run(self, root: Any) -> None:
        if self.generated.found is not None:
            html, toc = self.generated.found
            self.md.toc_tokens = toc  # type: ignore[attr-defined]
            self.md.toc = ""  # type: ignore[attr-defined]
            self.generated.placed = html


class Finish(Postprocessor):
    """The generated page's HTML in place of Markdown's; else macro output and the raise
    form back into a hand-written page. (`toc` runs the postprocessors over its own small
    output too, before `GeneratedOutline`: that pass is left alone.)"""

    def __init__(self, md: Markdown, generated: GeneratedPage) -> None:
        super().__init__(md)
        self.generated = generated

    def run(self, text: str) -> str:
        if self.generated.found is not None:
            return self.generated.placed if self.generated.placed is not None else text
        text = STASH.restore(text)
        if RAISE_FORM_MARK in text:
            text = text.replace(RAISE_FORM_MARK, self._raise_form())
        return text

    def _raise_form(self) -> str:
        page = _page(self.md)
        state = project.STATE
        language = state.language if state else i18n.SOURCE_LANGUAGE
        prefix = state.prefix if state else ""
        source_base = addresses.page_base(source_folder(page)) + prefix
        with i18n.using(language):
            form = raise_form(source_base, state.register_path if state else "register")
        # Zensical rewrites the form's links as relative to the source file, except those
        # inside <noscript>: there they must already start from the page's address.
        note, found, rest = form.partition("</noscript>")
        if not found:
            return form
        url_base = addresses.page_base(getattr(page, "url", "")) + prefix
        return note.replace(f'href="{source_base}', f'href="{url_base}') + found + rest


class CsiExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"pages": ["", "the folder of the generated pages' HTML and outlines"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        generated = GeneratedPage(md, Path(self.getConfig("pages")))
        # Before everything else: the one line is not Markdown to parse.
        md.preprocessors.register(generated, "csi_generated_page", 100)
        md.treeprocessors.register(GeneratedOutline(md, generated), "csi_outline", 1)
        # After everything else, the raw HTML put back included.
        md.postprocessors.register(Finish(md, generated), "csi_finish", 0)


def makeExtension(**kwargs: Any) -> CsiExtension:
    return CsiExtension(**kwargs)
