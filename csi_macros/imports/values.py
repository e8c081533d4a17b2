"""Cell values as people write them, read into the register's values.

Each reader takes a cell's value (text from CSV; text, numbers and dates from Excel)
and returns the register's value, or raises `Unreadable` with a message that says
what was expected. None means an empty cell.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from typing import Any, Iterable

from .vocabulary import normal

EXCEL_EPOCH = dt.date(1899, 12, 30)


class Unreadable(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """Any cell as text: whole numbers without `.0`, dates as YYYY-MM-DD."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) or \
            value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value)


def one_line(value: Any) -> str:
    """Text for a one-line field: runs of white space (line breaks too) become one space."""
    return " ".join(cell_text(value).split())


def paragraphs(value: Any) -> str:
    """Text for a Markdown field: Windows line breaks and trailing spaces gone, and a
    final line break after more than one line (as a YAML block keeps it)."""
    lines = [line.rstrip() for line in cell_text(value).replace("\r\n", "\n")
             .replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip("\n")
    return text + "\n" if "\n" in text else text


def same_text(a: Any, b: Any) -> bool:
    """Whether two texts say the same thing once spreadsheet noise (line endings, trailing
    spaces, a final line break) is set aside."""
    return paragraphs(a if a is not None else "") == paragraphs(b if b is not None else "")


# --- Dates ---------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                  r"(?:Z|[+-]\d{2}:?\d{2})?)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?"
                      r"(?:\s*[AaPp][Mm])?)?")
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
_WORDY = re.compile(r"(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-,]+(\d{4})|([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")


_MONTH = re.compile(r"(\d{4})-(\d{1,2})|(\d{1,2})[/.](\d{4})|([A-Za-z]+)\.?[\s\-]+(\d{4})")


def month_end(value: Any) -> str | None:
    """The last day of a month written without a day (`2026-10`, `10/2026`, `Oct 2026`),
    as YYYY-MM-DD; None for anything else. Monthly figures are often labelled so."""
    match = _MONTH.fullmatch(cell_text(value).strip()) if isinstance(value, str) else None
    if match is None:
        return None
    if match.group(1):
        year, month = int(match.group(1)), int(match.group(2))
    elif match.group(3):
        year, month = int(match.group(4)), int(match.group(3))
    else:
        year, month = int(match.group(6)), _MONTHS.get(match.group(5).lower(), 0)
    if not 1 <= month <= 12:
        return None
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).isoformat()


def read_date(value: Any, *, month_first: bool = False) -> str:
    """A date as YYYY-MM-DD from an Excel date, ISO text (a time after it is dropped),
    `15/04/2026` or `15.04.2026` (day first, or month first with `month_first`), or
    `15 Apr 2026`."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise Unreadable(f"expected a date; got the number {cell_text(value)} (format the "
                         "column as dates in the spreadsheet, or write YYYY-MM-DD)")
    text = cell_text(value).strip()
    if match := _ISO.fullmatch(text):
        year, month, day = map(int, match.groups())
    elif match := _NUMERIC.fullmatch(text):
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if len(match.group(3)) == 2:
            year += 2000
        day, month = (second, first) if month_first else (first, second)
    elif match := _WORDY.fullmatch(text):
        day_text, month_text, year_text = (match.group(1), match.group(2), match.group(3)) \
            if match.group(1) else (match.group(5), match.group(4), match.group(6))
        month = _MONTHS.get(month_text.lower(), 0)
        day, year = int(day_text), int(year_text)
    else:
        raise Unreadable(f"expected a date (YYYY-MM-DD, or {_order(month_first)}); got {text!r}")
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        hint = "" if month_first else " (for month-first US dates use --month-first)"
        raise Unreadable(f"{text!r} is not a real date, read {_order(month_first)}{hint}") \
            from None


def _order(month_first: bool) -> str:
    return "month first: 04/15/2026" if month_first else "day first: 15/04/2026"


# --- Numbers --------------------------------------------------------------------------------

_THOUSANDS = {",": re.compile(r"[-+]?\d{1,3}(,\d{3})+"), ".": re.compile(r"[-+]?\d{1,3}(\.\d{3})+")}
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def read_number(value: Any, *, decimal_comma: bool = False) -> tuple[float | int, bool]:
    """A finite number and whether it was written with `%`. Text may use a decimal comma
    (`83,8`) or thousands separators (`1,460`, `1.460` in a semicolon file, `1 460`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Unreadable(f"expected a number; got {cell_text(value)!r}")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise Unreadable("expected a finite number")
        return _tidy(value), False
    text = "".join(value.split()).replace("\u2212", "-")  # spaces of any kind group digits
    percent = text.endswith("%")
    text = text.rstrip("%")
    decimal, grouping = (",", ".") if decimal_comma else (".", ",")
    if "," in text and "." in text:
        decimal = max(",", ".", key=text.rfind)
        text = text.replace("." if decimal == "," else ",", "")
    elif grouping in text and _THOUSANDS[grouping].fullmatch(text):
        text = text.replace(grouping, "")
    text = text.replace(",", ".") if decimal == "," or "," in text else text
    if not _NUMBER.fullmatch(text):
        raise Unreadable(f"expected a number; got {value.strip()!r}")
    return _tidy(float(text)), percent


def _tidy(number: float | int) -> float | int:
    """Whole numbers as int; others rounded off the float noise of `0.838 * 100`."""
    if isinstance(number, int):
        return number
    rounded = float(f"{number:.12g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2 ** 53 else rounded


def read_whole(value: Any, low: int, high: int) -> int:
    try:
        number, _ = read_number(value)
    except Unreadable:
        raise Unreadable(f"expected a whole number from {low} to {high}; got "
                         f"{cell_text(value)!r}") from None
    if not isinstance(number, int) or not low <= number <= high:
        raise Unreadable(f"expected a whole number from {low} to {high}; got {cell_text(value)}")
    return number


# --- Lists and choices -------------------------------------------------------------------------

def read_list(value: Any) -> list[str]:
    """A cell holding several items: one per line, or separated by `;` (as `csi export`
    writes them), or else by commas."""
    text = cell_text(value)
    separator = "\n" if "\n" in text.strip() else ";" if ";" in text else ","
    items = [" ".join(item.split()) for item in text.replace(";", separator).split(separator)]
    return [item for item in items if item]


def choose(word: str, known: dict[str, str], what: str) -> str:
    """The meaning of `word` in `known` (normalised word → meaning), or `Unreadable`
    with a close match."""
    meaning = known.get(normal(word))
    if meaning is not None:
        return meaning
    raise Unreadable(f"unknown {what} {word!r}{did_you_mean(word, known)}")


def did_you_mean(word: str, known: dict[str, str] | Iterable[str], cutoff: float = 0.6) -> str:
    """`; did you mean X?` for the closest known word (normalised), or nothing."""
    choices = list(known)
    close = difflib.get_close_matches(normal(word), choices, n=1, cutoff=cutoff)
    if not close:
        return ""
    meaning = known[close[0]] if isinstance(known, dict) else close[0]
    return f"; did you mean {meaning}?"
