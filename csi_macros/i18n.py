"""The site in the organisation's language: message catalogues, numbers and dates.

English is the source language: every text the project generates is written in English in
the code and passes through this module on its way to a page, a chart, the feed or the
browser. The translations are gettext catalogues, one `.po` file per language in
`csi_macros/locale/<lang>/LC_MESSAGES/csi.po` (the template, `csi.pot`, is extracted from
the code with `scripts/translations extract`). They are compiled in memory when first used
(Babel's `read_po` and `write_mo`), so a fixed `.po` file needs no build step.

How code uses it::

    from .i18n import _, ngettext, N_, format_number, format_percent

    _("Did we get there?")                       # a text, translated
    _("{count} open").format(count=3)            # placeholders: str.format, named
    ngettext("{n} improvement", "{n} improvements", n).format(n=n)
    STATUS_WORDS = {"done": N_("done")}          # marked for extraction, translated later
    _(STATUS_WORDS["done"])                      #   ... with _() where it is shown
    pgettext("verdict", "on track")              # the same English with another meaning
    format_number(4.5)                           # "4.5", "4,5" in German
    format_percent(83.8)                         # "83.8%", "83,8 %" in German (83.8 is percent)
    format_date(day)                             # "4 March 2026", "4. März 2026"
    month_name(3), month_year(day)               # "March", "March 2026": chart labels, headings

Rules for texts:

- Mark every text a reader sees with `_()` (or `N_()` where it is defined, `_()` where
  shown). Whole sentences with named placeholders, never sentences glued from pieces: word
  order differs between languages.
- Register text (titles, descriptions, notes, units, names) is never translated: pass it
  in through a placeholder. Status and verdict words are translated where shown; YAML,
  CSS classes, data attributes, CSV/JSON keys and ids keep the English keys.
- ISO dates stay ISO where they are data (tables, exports, filenames); dates in prose use
  `format_date`.
- Texts in `csi.js` and `raise.js` are written `t("...")`; the plugin hands the browser
  their translations (`browser_messages`).

Which language is active: `using(code)` sets it for a block of work (a ContextVar, so forked
chart workers inherit it and nothing is left behind when the block ends); `active()` is the
`Language` in force, English outside any block. The plugin activates the language of
`plugins.csi.language`, else `theme.language`, for each build.

Translators: `csi translations check [--language de]` lists every missing or fuzzy
translation (a missing one falls back to English on the site, and the build logs how many).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools
import gettext as _gettext
import hashlib
import io
import json
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_symbol

SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "csi"


@dataclass(frozen=True)
class Language:
    """One language as the site uses it: its code, Babel locale, compiled translations and
    the catalogue's problems (untranslated or fuzzy messages)."""

    code: str
    locale: Locale
    translations: _gettext.NullTranslations
    catalogue: Catalog | None = None
    path: Path | None = None
    digest: str = ""  # changes whenever the catalogue's text does (chart cache keys)
    missing: tuple[str, ...] = field(default=())
    fuzzy: tuple[str, ...] = field(default=())
    broken: tuple[str, ...] = field(default=())  # placeholders differ from the English

    @property
    def key(self) -> str:
        """What decides output bytes besides the data: the code and the catalogue's text."""
        return f"{self.code}:{self.digest}"

    @property
    def tag(self) -> str:
        """The BCP 47 tag for HTML `lang` and Atom `xml:lang` (`de`, `pt-BR`)."""
        return self.code.replace("_", "-")


def catalogue_path(code: str, locale_dir: Path = LOCALE_DIR) -> Path | None:
    """The `.po` file for a language: `pt_BR`, then `pt`; None when there is none."""
    for candidate in _candidates(code):
        path = locale_dir / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def available_languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The languages with a catalogue, besides English."""
    return sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def language(code: str | None = None, locale_dir: Path = LOCALE_DIR) -> Language:
    """The `Language` for a code such as `de`, `nb`, `pt-BR` or `zh_Hant`.

    Raises `ValueError` for a code Babel does not know. A language without a catalogue
    gets English texts with its own numbers and dates, and every message counts missing.
    Compiled once per version of the catalogue: a `.po` file saved under `mkdocs serve`
    is read again."""
    code = (code or SOURCE_LANGUAGE).replace("-", "_")
    if _candidates(code)[-1] == SOURCE_LANGUAGE:  # English needs no catalogue: no file looked at
        return _language(code, locale_dir, None, 0)
    path = catalogue_path(code, locale_dir)
    stamp = path.stat().st_mtime_ns if path is not None else 0
    return _language(code, locale_dir, path, stamp)


@functools.lru_cache(maxsize=None)
def _language(code: str, locale_dir: Path, path: Path | None, _stamp: int) -> Language:
    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"unknown language {code!r}: use a code such as de, nb, fr or pt_BR")
    if _candidates(code)[-1] == SOURCE_LANGUAGE:
        return Language(code, locale, _gettext.NullTranslations())
    if path is None:
        template = read_template(locale_dir)
        return Language(code, locale, _gettext.NullTranslations(),
                        missing=tuple(str(m.id) for m in template if m.id))
    data = path.read_bytes()
    catalogue = read_po(io.BytesIO(data), locale=locale, domain=DOMAIN)
    # A translation whose {placeholders} differ from the English would fail or mislead
    # where it is filled in: it is left out (English shows) and reported.
    broken = []
    for message in catalogue:
        if message.id and _translated(message) and not _same_placeholders(message):
            broken.append(_msgid(message))
            message.string = ("",) * len(message.string) \
                if isinstance(message.string, (list, tuple)) else ""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)  # a fuzzy translation is not trusted
    compiled.seek(0)
    messages = [m for m in catalogue if m.id]
    return Language(code, locale, _gettext.GNUTranslations(compiled), catalogue, path,
                    hashlib.sha256(data).hexdigest()[:16],
                    missing=tuple(_msgid(m) for m in messages
                                  if not _translated(m) and _msgid(m) not in broken),
                    fuzzy=tuple(_msgid(m) for m in messages if m.fuzzy and _translated(m)),
                    broken=tuple(broken))


def read_template(locale_dir: Path = LOCALE_DIR) -> Catalog:
    """The template every catalogue is made from: all the English texts (`csi.pot`)."""
    with open(locale_dir / f"{DOMAIN}.pot", "rb") as file:
        return read_po(file, domain=DOMAIN)


_ACTIVE: ContextVar[Language | None] = ContextVar("csi_language", default=None)


def active() -> Language:
    """The language in force: the one `using` set, else English."""
    return _ACTIVE.get() or language(SOURCE_LANGUAGE)


@contextlib.contextmanager
def using(code: str | Language | None) -> Iterator[Language]:
    """Make `code` the language of everything inside the block, and put the old one back."""
    chosen = code if isinstance(code, Language) else language(code)
    token = _ACTIVE.set(chosen)
    try:
        yield chosen
    finally:
        _ACTIVE.reset(token)


def activate(code: str | Language | None) -> object:
    """Make `code` the language until `deactivate(token)`: for work that spans several
    calls, such as the events of one MkDocs build. Prefer `using` where a block will do."""
    return _ACTIVE.set(code if isinstance(code, Language) else language(code))


def deactivate(token: object) -> None:
    """Undo one `activate`."""
    _ACTIVE.reset(token)  # type: ignore[arg-type]


# -- texts ---------------------------------------------------------------------------------

def gettext(message: str) -> str:
    """`message` in the active language (English when it has no translation)."""
    return active().translations.gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, by the active language's plural rule."""
    return active().translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in a context (`msgctxt`): one English word with two meanings."""
    return active().translations.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a text for extraction where it is defined; `_()` translates it where shown."""
    return message


# -- numbers and dates ---------------------------------------------------------------------

def format_number(value: float, decimals: int = 2) -> str:
    """A value as people read it in the active language: at most `decimals` decimals, no
    trailing zeros, the locale's separators (12.5 / 12,5, 1,234 / 1.234, 0.25 / 0,25)."""
    return _formatted(value, decimals, active().locale)


@functools.lru_cache(maxsize=65536)
def _formatted(value: float, decimals: int, locale: Locale) -> str:
    # Pages show the same few values thousands of times (scores, values 1 to 5), and
    # Babel's formatting is the slow part of a register page: each is formatted once.
    text = format_decimal(value, "#,##0." + "#" * decimals if decimals else "#,##0",
                          locale=locale)
    return "0" if text.lstrip("-\u2212") == "0" else text


def decimal_symbol() -> str:
    """The active language's decimal separator: "." in English, "," in German."""
    return get_decimal_symbol(active().locale)


def format_percent(value: float, decimals: int = 1) -> str:
    """A percentage (83.8 means 83.8 %) with the locale's sign and spacing: `83.8%`,
    `83,8 %`."""
    locale = active().locale
    pattern = copy.copy(locale.percent_formats[None])
    pattern.frac_prec = (0, decimals)
    return pattern.apply(value / 100, locale)


def format_date(day: dt.date, form: str = "long") -> str:
    """A date in prose: `long` is `4 March 2026` / `4. März 2026`; also `medium`, `short`,
    `full` or a Babel pattern. Not for data: tables and exports keep ISO dates."""
    return _babel_format_date(day, form, locale=active().locale)


def month_name(month: int, width: str = "wide") -> str:
    """A month's name on its own (a chart's axis): `March`, `März`; `abbreviated` is
    `Mar`, `Mär`."""
    return active().locale.months["stand-alone"][width][month]


def month_year(day: dt.date) -> str:
    """A month of a year on its own, as a heading: `March 2026`, `März 2026`, `mars 2026`."""
    return _babel_format_date(day, "LLLL y", locale=active().locale)


# -- the browser ---------------------------------------------------------------------------

def browser_messages(script: str, lang: Language | None = None) -> dict[str, str]:
    """The translations a script (`csi.js`, `raise.js`) looks its `t("...")` texts up in:
    every translated message the template places in that file (English needs none)."""
    lang = lang or active()
    if lang.catalogue is None:
        return {}
    wanted = {m.id for m in read_template()
              if m.id and any(Path(path).name == script for path, _line in m.locations)}
    out: dict[str, str] = {}
    for message in lang.catalogue:
        if message.id in wanted and isinstance(message.id, str) and _translated(message) \
                and not message.fuzzy:
            out[message.id] = str(message.string)
    return dict(sorted(out.items()))


def with_messages(script: str, source: bytes, lang: Language | None = None) -> bytes:
    """A script with its translations in front, as the site serves it: `t(text)` inside the
    script looks `text` up in `csiMessages` and falls back to the English."""
    lang = lang or active()
    messages = json.dumps(browser_messages(script, lang), ensure_ascii=False, sort_keys=True)
    head = (f"// {script}: texts in {lang.tag}, from the message catalogue.\n"
            f"window.csiMessages = Object.assign(window.csiMessages || {{}}, {messages});\n")
    return head.encode() + source


# -- helpers -------------------------------------------------------------------------------

def _candidates(code: str) -> list[str]:
    parts = code.replace("-", "_").split("_")
    return ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]


def _translated(message) -> bool:  # type: ignore[no-untyped-def]
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(strings)


_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders of a text."""
    return set(_PLACEHOLDER.findall(text))


def _same_placeholders(message) -> bool:  # type: ignore[no-untyped-def]
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    wanted = set().union(*(placeholders(i) for i in ids))
    # A plural form may leave the count out ("one improvement"), never add a name.
    return all(placeholders(s) <= wanted and (len(ids) > 1 or placeholders(s) == wanted)
               for s in strings)


def _msgid(message) -> str:  # type: ignore[no-untyped-def]
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return f"{message.context}|{msgid}" if message.context else str(msgid)
