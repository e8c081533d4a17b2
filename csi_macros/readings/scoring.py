"""The priority score: a small formula over an improvement's numbers, set in mkdocs.yml.

    plugins:
      - csi:
          priority_formula: "value * priority / effort"

A formula may use numbers, `+ - * /`, parentheses and these names: `value` and `effort`
(the improvement's 1–5 scores), `priority` (critical 4, high 3, medium 2, low 1), and
`reach` and `confidence` (numbers under the improvement's `extra`, when it has them).
It is read into a syntax tree and checked once; it is never handed to Python's `eval`.
An improvement lacking a number the formula uses gets no score, never a guessed one.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..register.errors import CsiError
from ..register.model import Improvement

if TYPE_CHECKING:
    from .facts import Register

DEFAULT_FORMULA = "value / effort"
PRIORITY_WEIGHTS: dict[str, int] = {"critical": 4, "high": 3, "medium": 2, "low": 1}
NAMES = ("value", "effort", "priority", "reach", "confidence")
"""Every name a formula may use."""
EXTRA_NAMES = ("reach", "confidence")
"""The names read from an improvement's `extra`."""
MAX_LENGTH = 200  # a score formula is a line, not a program

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_SIGNS = (ast.UAdd, ast.USub)


@dataclass(frozen=True)
class Formula:
    """A checked priority formula, ready to score improvements."""

    text: str
    tree: ast.expr
    names: frozenset[str]

    def score(self, imp: Improvement) -> float | None:
        """The improvement's score, or None when it lacks a number the formula uses (or the
        formula divides by zero for it)."""
        known = variables(imp)
        if any(known[name] is None for name in self.names):
            return None
        try:
            result = _evaluate(self.tree, known)
        except (ZeroDivisionError, OverflowError):
            return None
        return result if math.isfinite(result) else None


def parse_formula(text: str) -> Formula:
    """Read and check a formula; CsiError says what is wrong with it."""
    shown = f"priority_formula {text!r}"
    if not text.strip():
        raise CsiError(f"{shown} is empty; the default is {DEFAULT_FORMULA!r}")
    if len(text) > MAX_LENGTH:
        raise CsiError(f"{shown[:60]}…' is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        raise CsiError(f"{shown} is not a formula ({error.msg}); write for example "
                       f"{DEFAULT_FORMULA!r}") from None
    names = set()
    for node in ast.walk(tree):
        problem = _disallowed(node)
        if problem:
            raise CsiError(f"{shown}: {problem}; a formula may use numbers, + - * /, "
                           "parentheses and the names " + ", ".join(NAMES))
        if isinstance(node, ast.Name):
            names.add(node.id)
    return Formula(text, tree, frozenset(names))


def variables(imp: Improvement) -> dict[str, float | None]:
    """The numbers a formula can use for an improvement (None: not given)."""
    known: dict[str, float | None] = {"value": imp.value, "effort": imp.effort,
                                      "priority": PRIORITY_WEIGHTS[imp.priority]}
    for name in EXTRA_NAMES:
        known[name] = _number(imp.extra.get(name))
    return known


def scores(register: Register, formula: str = DEFAULT_FORMULA) -> dict[str, float | None]:
    """Every improvement's score, by id."""
    checked = parse_formula(formula)
    return {imp.id: checked.score(imp) for imp in register.improvements}


def _disallowed(node: ast.AST) -> str | None:
    """Why a node may not appear in a formula, or None when it may."""
    if isinstance(node, ast.BinOp):
        return None if type(node.op) in _OPERATORS else f"the operator {_symbol(node.op)} is not allowed"
    if isinstance(node, ast.UnaryOp):
        return None if isinstance(node.op, _SIGNS) else f"the operator {_symbol(node.op)} is not allowed"
    if isinstance(node, ast.Constant):
        ok = isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
        return None if ok else f"{node.value!r} is not a number"
    if isinstance(node, ast.Name):
        return None if node.id in NAMES else f"unknown name '{node.id}'"
    if isinstance(node, (ast.operator, ast.unaryop, ast.expr_context)):
        return None  # the parts of the nodes checked above
    return f"'{ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__}' " \
           "is not allowed"


def _symbol(op: ast.AST) -> str:
    return {ast.Pow: "**", ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@",
            ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<",
            ast.RShift: ">>", ast.Not: "not", ast.Invert: "~"}.get(type(op), type(op).__name__)


def _evaluate(node: ast.expr, known: dict[str, Any]) -> float:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return float(known[node.id])
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, known)
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.BinOp)  # parse_formula let nothing else through
    left, right = _evaluate(node.left, known), _evaluate(node.right, known)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    return left / right


def _number(raw: object) -> float | None:
    """A number from `extra`; text, booleans and anything else count as not given."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None
    try:
        number = float(raw)
    except OverflowError:  # an integer too big for a float
        return None
    return number if math.isfinite(number) else None
