"""The message catalogues' upkeep: extract the English texts, update and check catalogues.

- `extract()` reads every marked text out of the package (Python: `_`, `gettext`,
  `ngettext`, `pgettext`, `N_`; `csi.js` and `raise.js`: `t`) into the template
  `csi_macros/locale/csi.pot`, with where each text is used.
- `update()` brings every catalogue (`<lang>/LC_MESSAGES/csi.po`) in line with the
  template: new texts arrive untranslated, changed ones are marked fuzzy, gone ones are kept
  as obsolete (`#~`) so no translator's work is lost.
- `check()` lists what a language lacks: untranslated and fuzzy messages, which the site
  shows in English.

`csi translations extract|update|check` runs them; see docs/publishing.md, "Languages".
"""

from __future__ import annotations

import ast
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, available_languages, language
from .register.load import display_path

PACKAGE = Path(__file__).parent
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "t": None}
COMMENT_TAG = "Translators:"
HEADER = ("# The English texts of the continual improvement register's site: the template of\n"
          "# every catalogue. Made by `csi translations extract`; do not edit by hand.")


def extract_python(fileobj: BinaryIO, keywords: Iterable[str], comment_tags: Iterable[str],
                   options: dict[str, Any]) -> Iterator[tuple[int, str, tuple[str | None, ...],
                                                              list[str]]]:
    """Babel's extraction method for Python, read with `ast`: it also finds the calls inside
    f-strings (`f"<h3>{_('Measured by')}</h3>"`), which a token scanner sees as one string
    before Python 3.12. A `# Translators:` comment on the lines just above a call goes with
    its message."""
    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()
    names = set(keywords)
    tags = tuple(comment_tags)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else None
        if name not in names or not node.args:
            continue
        messages = tuple(arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                         else None for arg in node.args)
        yield node.lineno, name, messages, _comments_above(lines, node.lineno, tags)


def _comments_above(lines: list[str], lineno: int, tags: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        found.insert(0, lines[index].strip().lstrip("#").strip())
        index -= 1
    start = next((i for i, text in enumerate(found) if text.startswith(tags)), None) \
        if tags else None
    return found[start:] if start is not None else []


METHODS = [("**/assets/*.js", "javascript"), ("**.py", extract_python)]


def template() -> Catalog:
    """Every marked text of the package, as a fresh template catalogue."""
    catalogue = Catalog(project="csi-register", domain=DOMAIN, charset="utf-8",
                        msgid_bugs_address="", copyright_holder="", fuzzy=False,
                        header_comment=HEADER)
    for filename, line, message, comments, context in extract_from_dir(
            PACKAGE, METHODS, keywords=KEYWORDS, comment_tags=(COMMENT_TAG,),
            strip_comment_tags=True):
        if "tests" in Path(filename).parts:
            continue
        catalogue.add(message, None, [(f"csi_macros/{filename}", line)],
                      auto_comments=comments, context=context)
    return catalogue


def extract(locale_dir: Path = LOCALE_DIR) -> Path:
    """Write the template `csi.pot`; returns its path."""
    path = locale_dir / f"{DOMAIN}.pot"
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, template(), omit_header=False)
    return path


def update(locale_dir: Path = LOCALE_DIR, languages: list[str] | None = None) -> list[Path]:
    """Bring the catalogues of `languages` (every one by default) in line with the template;
    a language without a catalogue gets a new one. Returns the paths written."""
    with open(locale_dir / f"{DOMAIN}.pot", "rb") as file:
        pot = read_po(file, domain=DOMAIN)
    written = []
    for code in languages or available_languages(locale_dir):
        path = locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            with open(path, "rb") as file:
                catalogue = read_po(file, locale=code, domain=DOMAIN)
        else:
            catalogue = Catalog(locale=code, domain=DOMAIN, charset="utf-8", fuzzy=False,
                                project="csi-register",
                                header_comment=f"# The site's texts in {code}: fill in every "
                                               "msgstr; `csi translations check` lists what "
                                               "is left.")
            path.parent.mkdir(parents=True, exist_ok=True)
        catalogue.update(pot, update_header_comment=False)
        _write(path, catalogue, omit_header=False)
        written.append(path)
    return written


@dataclass(frozen=True)
class Report:
    """What one language's catalogue lacks."""

    code: str
    path: Path | None
    total: int
    missing: tuple[str, ...]
    fuzzy: tuple[str, ...]
    broken: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing and not self.fuzzy and not self.broken

    def lines(self) -> list[str]:
        where = display_path(self.path) if self.path else f"(no catalogue for {self.code})"
        out = [f"{where}: {message_line(m)}: missing translation" for m in self.missing]
        out += [f"{where}: {message_line(m)}: fuzzy translation (shown in English until "
                "checked and the fuzzy flag removed)" for m in self.fuzzy]
        out += [f"{where}: {message_line(m)}: the translation's {{placeholders}} differ from "
                "the English (shown in English)" for m in self.broken]
        done = self.total - len(self.missing) - len(self.fuzzy) - len(self.broken)
        out.append(f"{self.code}: {done} of {self.total} messages translated"
                   + ("" if self.complete else
                      f"; {len(self.missing)} missing, {len(self.fuzzy)} fuzzy, "
                      f"{len(self.broken)} broken (shown in English)"))
        return out


def check(code: str, locale_dir: Path = LOCALE_DIR) -> Report:
    """What `code` lacks against the template: a message counts missing when the template
    has it and the catalogue has no translation for it (or has it only as obsolete)."""
    lang = language(code, locale_dir)
    with open(locale_dir / f"{DOMAIN}.pot", "rb") as file:
        pot = read_po(file, domain=DOMAIN)
    if code.replace("-", "_").split("_")[0] == SOURCE_LANGUAGE:
        return Report(code, None, len(_ids(pot)), (), ())
    known = set(lang.missing) | set(lang.fuzzy) | set(lang.broken)
    translated = set(_ids(lang.catalogue)) - known if lang.catalogue is not None else set()
    missing = tuple(m for m in _ids(pot) if m not in translated
                    and m not in lang.fuzzy and m not in lang.broken)
    fuzzy = tuple(m for m in _ids(pot) if m in lang.fuzzy)
    broken = tuple(m for m in _ids(pot) if m in lang.broken)
    return Report(code, lang.path, len(_ids(pot)), missing, fuzzy, broken)


def message_line(msgid: str) -> str:
    context, _, text = msgid.rpartition("|")
    return f"{text!r}" + (f" (context {context!r})" if context else "")


def _ids(catalogue: Catalog) -> list[str]:
    out = []
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        out.append(f"{message.context}|{msgid}" if message.context else str(msgid))
    return out


def _write(path: Path, catalogue: Catalog, *, omit_header: bool) -> None:
    buffer = io.BytesIO()
    # Sorted by text, no line numbers: a change to the code moves no message in the diff.
    write_po(buffer, catalogue, width=96, omit_header=omit_header, sort_output=True,
             include_lineno=False)
    # Left alone when only the creation date would change: no churn in the history.
    if path.is_file() and _undated(path.read_bytes()) == _undated(buffer.getvalue()):
        return
    path.write_bytes(buffer.getvalue())


def _undated(text: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", text)
