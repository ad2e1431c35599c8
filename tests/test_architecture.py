"""The intended layering holds (ARCHITECTURE.md): no import loop anywhere in sibtui, the
import contracts of pyproject.toml are kept, and the core type-checks.

Loops are looked for in grimp's graph, which holds every import statement: top-level, inside
functions (lazy) and under TYPE_CHECKING, so no loop can hide behind a late import."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import grimp
import pytest

from conftest import REPO

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("sibtui", cache_dir=None)


def _loops(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in nodes:
        if node not in index:
            visit(node)
    return found


def _module_edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}


def test_the_loop_finder_finds_a_loop():
    assert _loops(["a", "b", "c"], {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]
    assert _loops(["a", "b"], {"a": {"b"}}) == []


def test_no_module_imports_itself_back(graph):
    assert _loops(sorted(graph.modules), _module_edges(graph)) == []


def test_no_package_imports_itself_back(graph):
    """At every level (sibtui's packages, edit's subpackages...), siblings import one way only."""
    edges = _module_edges(graph)
    packages = sorted(module for module in graph.modules if graph.find_children(module))
    assert "sibtui.edit" in packages and "sibtui.edit.regen" in packages
    loops = {}
    for package in packages:
        children = sorted(graph.find_children(package))

        def owner(module: str, children=children) -> str | None:
            return next((c for c in children if module == c or module.startswith(c + ".")), None)

        sibling_edges: dict[str, set[str]] = {child: set() for child in children}
        for module, targets in edges.items():
            source = owner(module)
            if source is None:
                continue
            sibling_edges[source] |= {target for t in targets if (target := owner(t)) not in (None, source)}
        if found := _loops(children, sibling_edges):
            loops[package] = found
    assert loops == {}


def test_import_contracts_are_kept():
    result = subprocess.run([BIN / "lint-imports", "--no-cache", "--no-logo"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_core_type_checks():
    with tempfile.TemporaryDirectory() as cache:
        result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", cache], cwd=REPO,
                                capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


MAX_MODULE_LINES = 450  # ARCHITECTURE.md: a module past this has more than one job


def test_no_module_is_over_the_size_limit():
    sizes = {path.relative_to(REPO).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in (REPO / "sibtui").rglob("*.py")}
    assert len(sizes) > 100  # the walk found the package
    assert {path: lines for path, lines in sizes.items() if lines > MAX_MODULE_LINES} == {}
