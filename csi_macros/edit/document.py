"""Key-level edits of a register file: set, add or remove a top-level key or a child of one.

Each edit changes only the lines of its key, and records what the file must then say
(`expected`), so `result()` can refuse a splice that reads back otherwise. A key that is
not there yet goes where the model's order puts it, after the nearest key before it.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from ..register.fields import format_keys
from ..register.model import Improvement
from .logentries import append_log
from .splice import Splice
from .yamltext import yaml_inline, yaml_key_lines


class Document(Splice):
    """One register file, edited key by key; every other byte is kept."""

    def set_scalar(self, name: str, value: str, *, keep_quotes: bool = True) -> None:
        """Replace a top-level scalar's text, keeping any comment after it; a word or a
        date keeps the quotes it had (`keep_quotes`), other text comes ready-quoted."""
        key, node = self.keys[name]
        quote = node.style if keep_quotes and node.style in ("'", '"') else ""
        self._replace_scalar(key, node, f"{quote}{value}{quote}")
        self.expected[name] = value

    def set_key(self, name: str, text: str, *, value: str | None = None) -> None:
        """Set a top-level key to YAML `text` (meaning `value`, when that differs): replace
        its value, or add it where the model's order puts it."""
        node = self.keys[name][1] if name in self.keys else None
        if isinstance(node, ScalarNode) and self.one_line(node):
            self.set_scalar(name, text, keep_quotes=value is None)
        else:
            if name in self.keys:
                self.remove_key(name)
            self.insert_lines(self._insertion_point(name), [f"{self.indent}{name}: {text}"])
        self.expected[name] = text if value is None else value

    def set_value(self, name: str, value: Any) -> None:
        """Set a top-level key to a plain value (see `yaml_key_lines`), in place when it
        is there, else where the model's order puts it."""
        lines = yaml_key_lines(name, value, self.indent)
        node = self.keys[name][1] if name in self.keys else None
        if isinstance(node, ScalarNode) and len(lines) == 1 and self.one_line(node):
            self.set_scalar(name, yaml_inline(value), keep_quotes=False)
        elif name in self.keys:
            start = self.line_start(self.keys[name][0].start_mark.index)
            self.remove_key(name)
            self.insert_lines(start, lines)
        else:
            self.insert_lines(self._insertion_point(name), lines)
        self.expected[name] = value

    def remove_key(self, name: str) -> None:
        """Remove a top-level key with its value (and a comment on its lines)."""
        key, _ = self.keys[name]
        self.edit(self.line_start(key.start_mark.index), self.after(name), "")
        self.expected.pop(name, None)

    def set_child(self, parent: str, child: str, value: Any) -> None:
        """Set `child` of the top-level mapping `parent` (`model`, `values`); `None` for a
        model answer removes it. Lines of other children are kept as they are."""
        data = self.expected.get(parent)
        merged = dict(data) if isinstance(data, dict) else {}
        merged[child] = value
        node = self.keys[parent][1] if parent in self.keys else None
        if not isinstance(node, MappingNode) or node.flow_style or not node.value:
            # Nothing to keep: the whole mapping is written anew, in block style.
            self._replace_mapping(parent, {k: v for k, v in merged.items() if v is not None
                                           or parent != "model"})
            return
        removes = value is None and parent == "model"  # an unanswered question goes
        children = {k.value: (k, v) for k, v in node.value}
        lines = yaml_key_lines(child, value, " " * node.value[0][0].start_mark.column)
        if child in children:
            self._replace_child(*children[child], value, lines, removes)
        elif not removes:
            self.insert_lines(self.line_end(self.content_end(node) - 1), lines)
        if removes:
            merged.pop(child)
        self.expected[parent] = merged

    def append_log(self, entry: dict[str, str]) -> None:
        """Add an entry at the end of `log:` in the style of the entries already there."""
        append_log(self, entry)

    # The pieces -------------------------------------------------------------------------

    def _replace_scalar(self, key: ScalarNode, node: Node, text: str) -> None:
        """Put `text` in place of a scalar's text; after the colon when it has none."""
        if node.start_mark.index == node.end_mark.index:  # `name:` with nothing after it
            colon = self.colon(key)
            self.edit(colon + 1, colon + 1, " " + text)
        else:
            self.edit(node.start_mark.index, node.end_mark.index, text)

    def _replace_child(self, key: ScalarNode, old: Node, value: Any, lines: list[str],
                       removes: bool) -> None:
        """Replace (or remove) one child's lines; a one-line value only its text."""
        start = self.line_start(key.start_mark.index)
        # An empty value (`review:`) has its marks where the next key starts.
        empty = isinstance(old, ScalarNode) and old.start_mark.index == old.end_mark.index
        last = self.colon(key) + 1 if empty else self.content_end(old)
        end = self.line_end(max(self.content_end(key), last) - 1)
        if removes:
            self.edit(start, end, "")
        elif isinstance(old, ScalarNode) and len(lines) == 1 and self.one_line(old):
            self._replace_scalar(key, old, yaml_inline(value))
        else:
            self.edit(start, end, self.lines(lines))

    def _replace_mapping(self, parent: str, data: dict[str, Any]) -> None:
        lines = [f"{self.indent}{parent}:"]
        for name, item in data.items():
            lines += yaml_key_lines(name, item, self.indent + "  ")
        if not data:
            lines = [f"{self.indent}{parent}: {{}}"]
        at = (self.line_start(self.keys[parent][0].start_mark.index) if parent in self.keys
              else self._insertion_point(parent))
        if parent in self.keys:
            self.remove_key(parent)
        self.insert_lines(at, lines)
        self.expected[parent] = data

    def _insertion_point(self, name: str) -> int:
        """After the nearest key that the model declares before `name`; else before all keys."""
        order = list(format_keys(Improvement))
        earlier = [k for k in order[:order.index(name)] if k in self.keys and k != name]
        if earlier:
            return self.after(earlier[-1])
        return self.line_start(self.root.start_mark.index)
