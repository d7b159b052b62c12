"""The start-up warm-up: what it loads, in what order, and why loading from two threads is safe."""

from __future__ import annotations

import ast
from pathlib import Path

from app_ui import warmup

ROOT = Path(__file__).resolve().parents[2]


def _top_level_imports(path: Path, known: set[str]) -> set[str]:
    """Our modules `path` imports at its top level (importing a.b.c loads a and a.b too)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        for name in names:
            parts = name.split(".")
            found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return found & known


def _module_graph() -> dict[str, set[str]]:
    files: dict[str, Path] = {}
    for package in ("app_ui", "scoring"):
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            files[name.removesuffix(".__init__")] = path
    known = set(files)
    return {name: _top_level_imports(path, known) - {name} for name, path in files.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, or [] (depth-first search with colours)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_our_modules_import_one_another_without_cycles() -> None:
    # The warm-up thread and a script run may import the same modules at once; Python's
    # per-module locks make that safe only without cycles (two threads entering a cycle from
    # opposite ends would deadlock).
    graph = _module_graph()
    assert len(graph) > 100  # the walk found the packages
    assert _cycle(graph) == []


def test_a_cycle_is_found() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]


def test_the_frame_and_the_first_pages_load_first() -> None:
    names = [f"{name}.{sub}".rstrip(".") for name, sub in warmup.modules()]
    assert names[0] == "logging"  # app.py's own imports come first, in its order
    assert names.index("app_ui.links") < names.index("app_ui.views.standing")  # then overview
    assert names.index("app_ui.views.result") < names.index("app_ui.views.departments")
    assert len(names) == len(set(names))
    assert not any(name.startswith("__future__") for name in names)


def test_warm_up_loads_every_page_module() -> None:
    import sys

    warmup._load()
    for name, sub in warmup.modules():
        assert name in sys.modules
        assert not sub or f"{name}.{sub}" in sys.modules or hasattr(sys.modules[name], sub)
