"""The package's arrows point down: no import loops, and only the glue knows the site
generator, so the core can feed MkDocs, Zensical or anything else."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "csi_macros"
GLUE = {"csi_macros.plugin", "csi_macros.macros", "csi_macros.zensical_site",
        "csi_macros.zensical_macros", "csi_macros.zensical_markdown"}
"""The modules that adapt the core to a site generator (MkDocs, Zensical), and may import it."""
GENERATORS = ("mkdocs", "material", "zensical")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path], *, top_level: bool) -> set[str]:
    """The modules `name` imports: at its top level, or anywhere in it."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body if top_level else ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] \
                if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            submodules = {f"{target}.{alias.name}" for alias in node.names} & known.keys()
            found.update(submodules or {target})
    return found - {name}


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a circle (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_the_package_has_no_import_loops() -> None:
    known = modules()
    graph = {name: imported(name, path, known, top_level=True) & known.keys()
             for name, path in known.items()}
    assert loops(graph) == []


def test_the_loop_finder_finds_a_loop() -> None:
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_the_glue_imports_a_site_generator() -> None:
    known = modules()
    offenders = {name: sorted(other for other in imported(name, path, known, top_level=False)
                              if other.split(".")[0] in GENERATORS)
                 for name, path in known.items() if name not in GLUE}
    assert {name: found for name, found in offenders.items() if found} == {}
