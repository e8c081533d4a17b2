"""The pages the package ships: the home page, the playbook, the principles and the help.

They live in `shipped/<language>/` as Markdown, at the addresses the register format
gives them (`playbook/vision.md` is `/playbook/vision/`), and every engine publishes them
under the site's prefix unless the site has a hand-written page at the same place, which
wins, as a theme override does. A page missing in the site's language is the English one.

They are the package's own text, not register text: their live lists are macro calls
(`{{ improvements_at_step(1) }}`), rendered by mkdocs-macros when the site lists it, else by
`render` here with the same macros. Register text only ever reaches them through a macro's
output, which waits in the stash until Markdown is done, so it never meets Jinja.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Iterable, Iterator, Mapping

import jinja2

from ..register.errors import CsiError

SHIPPED = resources.files("csi_macros.site") / "shipped"

MARKDOWN_EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {}, "attr_list": {}, "def_list": {}, "md_in_html": {}, "tables": {},
    "toc": {}, "pymdownx.details": {}, "pymdownx.superfences": {}, "pymdownx.tasklist": {},
}
"""The Markdown extensions the shipped pages are written for (each engine switches on those
a site has not)."""
SOURCE_LANGUAGE = "en"
"""Every page exists in English; other languages may lack some (help pages stay English)."""


@dataclass(frozen=True)
class ShippedFile:
    """One shipped file: where it goes below the register's root, what it holds, and the
    language it is written in."""

    path: str
    content: bytes
    language: str

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")

    def title(self) -> str:
        """The page's title: its front matter's `title`, else its first heading."""
        text = self.content.decode("utf-8")
        front = re.match(r"---\n(.*?)\n---\n", text, re.S)
        if front:
            found = re.search(r"^title:\s*(.+)$", front[1], re.M)
            if found:
                return found[1].strip().strip("'\"")
        heading = re.search(r"^# (.+)$", text, re.M)
        return heading[1].strip() if heading else self.path


def foreign(files: Iterable[ShippedFile], language: str) -> dict[str, ShippedFile]:
    """The shipped pages not in the site's `language` (help pages that stay English), by
    path: their content says its language, and the navigation names it."""
    code = language.replace("-", "_").split("_")[0].lower()
    return {item.path: item for item in files if item.is_page and item.language != code}


def in_its_language(markdown: str, item: ShippedFile) -> str:
    """A page's Markdown (its front matter, if any, kept first) inside a block marked with
    the language it is written in, for screen readers (`md_in_html` reads what is inside
    as Markdown)."""
    front = re.match(r"---\n.*?\n---\n", markdown, re.S)
    head, body = (markdown[:front.end()], markdown[front.end():]) if front else ("", markdown)
    return f'{head}<div lang="{item.language}" markdown="1">\n\n{body}\n\n</div>\n'


def language_note(item: ShippedFile, language: str) -> str:
    """" (English)" after the title of a page written in another language than the site's,
    in the site's words for that language."""
    from babel import Locale, UnknownLocaleError
    try:
        name = Locale.parse(language.replace("-", "_")).languages.get(item.language, item.language)
    except (ValueError, UnknownLocaleError):
        name = item.language
    return f"{item.title()} ({name})"


def languages() -> list[str]:
    """The languages the package has pages in."""
    return sorted(entry.name for entry in SHIPPED.iterdir() if entry.is_dir())


def shipped_files(language: str) -> list[ShippedFile]:
    """Every shipped file, each in `language` where the package has it, else in English."""
    code = language.replace("-", "_").split("_")[0].lower()
    own = dict(_files(SHIPPED / code)) if code != SOURCE_LANGUAGE and code in languages() else {}
    found = []
    for path, english in _files(SHIPPED / SOURCE_LANGUAGE):
        if path in own:
            found.append(ShippedFile(path, own[path].read_bytes(), code))
        else:
            found.append(ShippedFile(path, english.read_bytes(), SOURCE_LANGUAGE))
    return found


def _files(folder: Traversable, below: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.name.startswith((".", "__")):
            continue
        if entry.is_dir():
            yield from _files(entry, f"{below}{entry.name}/")
        else:
            yield f"{below}{entry.name}", entry


def replaced_by(path: str, hand_written: Iterable[str]) -> str | None:
    """The hand-written file (by its path in the docs folder) that takes the shipped page
    `path`'s place: the same path, or `X/index.md` for `X.md` and back."""
    candidates = {path}
    if path.endswith("/index.md"):
        candidates.add(path[:-len("/index.md")] + ".md")
    elif path.endswith(".md") and not path.endswith("index.md"):
        candidates.add(path[:-len(".md")] + "/index.md")
    return next((name for name in sorted(hand_written) if name in candidates), None)


_ENVIRONMENT = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                                  autoescape=False)


def render(markdown: str, macros: Mapping[str, Any], variables: Mapping[str, Any],
           page: Any, name: str) -> str:
    """A shipped page's Markdown with its macro calls made (`page` is what the macros read
    their address from; `name` names the page in an error)."""
    try:
        template = _ENVIRONMENT.from_string(markdown)
        return template.render(page=page, **macros, **variables)
    except jinja2.TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{name}:{line}" if line else name
        raise CsiError(f"{where}: {error}") from None


_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$|`[^`\n]+`", re.M | re.S)
_CALL = re.compile(r"\{\{-?\s*(?P<name>[A-Za-z_]\w*)\s*(?:\(|\||-?\}\})")


def macro_calls(markdown: str, names: Iterable[str]) -> list[tuple[int, str]]:
    """Where a hand-written page calls one of the register's macros or variables `names`
    (line, name), code blocks and code spans aside (they show a call, they do not make it)."""
    wanted = set(names)
    blanked = _CODE.sub(lambda found: re.sub(r"[^\n]", " ", found[0]), markdown)
    return [(blanked.count("\n", 0, found.start()) + 1, found["name"])
            for found in _CALL.finditer(blanked) if found["name"] in wanted]


def no_macros_plugin(page: str, calls: list[tuple[int, str]]) -> str:
    """The message for a hand-written page that calls the register's macros in a site that
    does not list the macros plugin."""
    line, name = calls[0]
    return (f"{page}:{line}: calls the register's macro {name!r}, which needs the macros "
            "plugin: add `- macros` under `plugins:` in mkdocs.yml, or remove the call")
