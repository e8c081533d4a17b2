"""The package's arrows point down: files → register → readings → site → engines. No import
loops, between modules or between the folders that name the layers, and only `engines/`
knows a site generator, so the core can feed MkDocs, Zensical or anything else."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "csi_macros"
ENGINES = "csi_macros.engines"
"""The folder that adapts the core to a site generator (MkDocs, Zensical): the only one that may
import it."""
GENERATORS = ("mkdocs", "material", "zensical", "mkdocs_macros")
SHARED = {"i18n", "parallel"}
"""Top-level modules every layer may use: they import nothing of ours."""
LAYERS = {
    "register": SHARED,
    "readings": {"register"} | SHARED,
    "site": {"readings", "register"} | SHARED,
    "edit": {"readings", "register"} | SHARED,
    "imports": {"edit", "readings", "register"} | SHARED,
    "init": {"edit", "readings", "register"} | SHARED,
    "engines": {"site", "readings", "register"} | SHARED,
}
"""Each sub-package of `csi_macros` and what it may import (the README's picture of the code)."""
MAX_TOP_LEVEL = 8
MAX_LINES = 500
DEPRECATED = {"csi_macros.zensical_macros": "csi_macros.engines.zensical.macros",
              "csi_macros.zensical_markdown": "csi_macros.engines.zensical.markdown"}


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


def test_only_the_engines_import_a_site_generator() -> None:
    known = modules()
    offenders = {name: sorted(other for other in imported(name, path, known, top_level=False)
                              if other.split(".")[0] in GENERATORS)
                 for name, path in known.items() if not name.startswith(ENGINES)}
    assert {name: found for name, found in offenders.items() if found} == {}


def the_room(name: str) -> str | None:
    """`register` for `csi_macros.register.model`, `i18n` for `csi_macros.i18n`; None for the
    package itself and for anything not ours."""
    parts = name.split(".")
    if parts[0] != "csi_macros" or len(parts) == 1:
        return None
    return parts[1]


def room_imports(known: dict[str, Path]) -> dict[str, set[str]]:
    """Which sub-package imports which (anywhere in its modules, lazy imports included)."""
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        room = the_room(name)
        if room is None:
            continue
        others = {the_room(other) for other in imported(name, path, known, top_level=False)}
        graph.setdefault(room, set()).update(others - {None, room})
    return graph


def test_each_layer_imports_only_the_layers_below_it() -> None:
    graph = room_imports(modules())
    assert set(LAYERS) <= set(graph)
    wrong = {room: sorted(graph[room] - allowed) for room, allowed in LAYERS.items()
             if graph[room] - allowed}
    assert wrong == {}


def test_no_two_sub_packages_import_each_other_round_a_circle() -> None:
    graph = room_imports(modules())
    graph = {room: {other for other in others if other in graph} for room, others in graph.items()}
    assert loops(graph) == []


def test_the_top_level_holds_little_but_the_layers() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL, top
    assert {path.parent.name for path in PACKAGE.glob("*/__init__.py")} == set(LAYERS)


def test_every_sub_package_says_what_it_is_for() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and len(docstring.split()) >= 8, init


def test_no_module_is_over_500_lines() -> None:
    long = {str(path.relative_to(PACKAGE)): lines for path in PACKAGE.rglob("*.py")
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


@pytest.mark.parametrize("old", sorted(DEPRECATED))
def test_an_old_import_path_still_works_and_says_it_is_deprecated(old: str) -> None:
    # In a fresh interpreter: a module is only imported (and warns) once per process.
    script = (f"import warnings; warnings.simplefilter('error', FutureWarning)\n"
              f"try:\n    import {old}\nexcept FutureWarning as warning:\n    print(warning)")
    said = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True).stdout
    assert DEPRECATED[old] in said and "deprecated" in said
    with pytest.warns(FutureWarning):
        sys.modules.pop(old, None)
        module = importlib.import_module(old)
    new = importlib.import_module(DEPRECATED[old])
    public = [name for name in module.__all__]
    assert public and all(getattr(module, name) is getattr(new, name) for name in public)
