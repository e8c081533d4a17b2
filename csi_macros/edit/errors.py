"""The one error of editing, and the check every text argument of an edit passes first."""

from __future__ import annotations

from ..register.errors import CsiError


class EditError(CsiError):
    """An edit was refused or undone; the register is as it was."""


def text_argument(name: str, value: str, *, max_length: int | None = None) -> str:
    """`value` when it is text a file can hold: not blank, UTF-8, not too long."""
    if not value.strip():
        raise EditError(f"{name} must not be blank")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from a terminal's broken encoding) cannot be written.
        raise EditError(f"{name} is not valid UTF-8 text") from None
    if max_length is not None and len(value) > max_length:
        raise EditError(f"{name} must be at most {max_length} characters; got {len(value)}")
    return value
