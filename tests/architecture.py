"""The package's import graph, read from its source: which module imports which, and the cycles.

Every ``import`` and ``from ... import`` counts, at module level and inside functions and
classes; only imports under ``if TYPE_CHECKING:`` are left out (they never run). Importing
``a.b.c`` also imports the packages ``a`` and ``a.b`` (their ``__init__`` runs first), except
the packages the importing module is itself inside, which are already being imported.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

Graph = Dict[str, Set[str]]


def module_names(root: Path) -> Dict[str, Path]:
    """Every module of the package at ``root`` by dotted name (``pkg.sub.mod``; a package is its ``__init__``)."""
    names: Dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterable[ast.stmt]:
    """The import statements of ``tree``, skipping the bodies of ``if TYPE_CHECKING:``."""
    stack: List[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        stack.extend(ast.iter_child_nodes(node))


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(root: Path) -> Graph:
    """``{module: the package modules it imports}`` for the package at ``root``."""
    modules = module_names(root)
    graph: Graph = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets: Set[str] = set()
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            source = _resolve(name, is_package, node)
            targets.add(source)
            # ``from pkg import sub`` imports the submodule ``pkg.sub`` when there is one.
            targets.update(f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in modules)
        own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1 + is_package)}
        for target in targets:
            parts = target.split(".")
            for i in range(1, len(parts) + 1):
                step = ".".join(parts[:i])
                if step in modules and step not in own and step != name:
                    graph[name].add(step)
    return graph


def find_cycle(graph: Graph) -> Optional[List[str]]:
    """One import cycle (``[a, b, ..., a]``), or ``None`` when the graph has none."""
    state: Dict[str, int] = {}  # 1: on the current path, 2: done
    path: List[str] = []

    def visit(node: str) -> Optional[List[str]]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def forbidden_imports(graph: Graph, wing: str, allowed: Iterable[str]) -> List[Tuple[str, str]]:
    """The imports from modules of ``wing`` into the package outside it and outside ``allowed``."""
    top = wing.split(".")[0]
    allowed = set(allowed) | {top}
    bad = []
    for module, targets in sorted(graph.items()):
        if module != wing and not module.startswith(wing + "."):
            continue
        for target in sorted(targets):
            if target == wing or target.startswith(wing + ".") or target in allowed:
                continue
            bad.append((module, target))
    return bad
