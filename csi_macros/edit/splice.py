"""A YAML file's text, the positions of its keys, and edits spliced in at those positions.

ruamel.yaml's round-trip composer gives the exact position of every key and value;
an edit replaces a range of the original text and leaves every other byte (comments,
quoting, blank lines, line endings) as it was. Dumping the round-trip tree instead would
re-indent every list to one style and re-space flow lists.

`Splice` knows text and positions only. What the edits mean (set a key, add a log
entry) is built on it in `document.py` and `logentries.py`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Self

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..register.errors import RegisterError
from ..register.source import parse_document, to_plain_data
from .errors import EditError


@dataclasses.dataclass
class Edit:
    """Replace `text[start:end]` with `text`; an insertion when `start == end`."""

    start: int
    end: int
    text: str


class Splice:
    """One YAML file: its text, the positions ruamel.yaml found, and pending edits.

    `expected` is what the file must read as once edited: each edit says what it means,
    and `result` refuses text that reads otherwise.
    """

    def __init__(self, text: str, prefix: str, newline: str, display: str) -> None:
        self.text = text
        self.prefix = prefix  # a byte-order mark, put back as it was
        self.newline = newline
        self.display = display
        self.edits: list[Edit] = []
        self.data: dict[str, Any] = to_plain_data(parse_document(text, display))
        self.expected: dict[str, Any] = dict(self.data)
        self.root = _block_mapping(text, display)
        self.keys: dict[str, tuple[ScalarNode, Node]] = {k.value: (k, v)
                                                         for k, v in self.root.value}

    @classmethod
    def read(cls, data: bytes, display: str) -> Self:
        """A file's bytes, with its byte-order mark and line endings noted to be kept."""
        prefix = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
        text = data.decode("utf-8")[len(prefix):]
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(text, prefix, newline, display)

    # Positions ----------------------------------------------------------------------

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """The index just after the line break of the line holding `index`."""
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end + 1

    def content_end(self, node: Node) -> int:
        """Where a value's last character is (block scalars and lists end past blank lines)."""
        if isinstance(node, MappingNode) and node.value and not node.flow_style:
            key, value = node.value[-1]
            return max(self.content_end(key), self.content_end(value))
        if isinstance(node, SequenceNode) and node.value and not node.flow_style:
            return self.content_end(node.value[-1])
        end = node.end_mark.index
        while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def after(self, name: str) -> int:
        """Where a line after top-level key `name` and its value begins."""
        key, value = self.keys[name]
        return self.line_end(max(self.content_end(key), self.content_end(value)) - 1)

    def colon(self, key: ScalarNode) -> int:
        return self.text.index(":", key.end_mark.index)

    def one_line(self, node: Node) -> bool:
        """Whether a scalar's text stays on its key's line (not a block scalar)."""
        return "\n" not in self.text[node.start_mark.index:self.content_end(node)]

    @property
    def indent(self) -> str:
        """The indentation of the top-level keys."""
        return " " * self.root.start_mark.column

    def lines(self, lines: list[str]) -> str:
        """Lines as text, each ended the way this file ends its lines."""
        return "".join(line + self.newline for line in lines)

    # Edits --------------------------------------------------------------------------

    def edit(self, start: int, end: int, text: str) -> None:
        self.edits.append(Edit(start, end, text))

    def insert_lines(self, index: int, lines: list[str]) -> None:
        """Insert whole lines at `index` (a line start, or the end of the text)."""
        # A last line without a line break gets one first.
        lead = self.newline if index == len(self.text) and self.text and \
            not self.text.endswith("\n") else ""
        self.edit(index, index, lead + self.lines(lines))

    # Result -------------------------------------------------------------------------

    def result(self) -> bytes:
        """The edited file's bytes, after checking it says exactly what was intended."""
        text = self._spliced()
        try:
            edited = to_plain_data(parse_document(text, self.display))
        except RegisterError as error:
            edited = error
        if edited != self.expected:
            raise self._unsafe()
        return (self.prefix + text).encode("utf-8")

    def _spliced(self) -> str:
        pieces, cursor = [], 0
        # Insertions go before a removal starting at the same place; otherwise the
        # order the edits were made in is kept (a new `log:` before a new `outcome:`).
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end > e.start)):
            if edit.start < cursor:  # two edits of one range: no safe order
                raise self._unsafe()
            pieces += [self.text[cursor:edit.start], edit.text]
            cursor = edit.end
        return "".join(pieces) + self.text[cursor:]

    def _unsafe(self) -> EditError:
        return EditError(f"{self.display}: cannot edit this file's layout safely; make the "
                         "change by hand")


def _block_mapping(text: str, display: str) -> MappingNode:
    """The file's top-level mapping, as positions; only block style can be spliced."""
    try:
        root = YAML(typ="rt").compose(text)
    except YAMLError as error:  # the project's loader accepted it: should not happen
        raise EditError(f"{display}: cannot edit this file: {error}") from None
    if not isinstance(root, MappingNode) or root.flow_style:
        raise EditError(f"{display}: only block-style files (key: value per line) can "
                        "be edited by csi; edit this one by hand")
    return root
