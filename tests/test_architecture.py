"""Data flows one way: files → scenario → models → analysis → store/report/cli/web.

A lower layer never imports a higher one (checked on the source, so it cannot rot).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "realpolitik"
LAYERS = ["scenario", "models", "analysis", "backtest", "store", "report", "web", "cli"]
FORBIDDEN = {
    "scenario": set(LAYERS) - {"scenario"},
    "models": set(LAYERS) - {"scenario", "models"},
    "analysis": {"backtest", "store", "report", "web", "cli"},
    "data": {"models", "backtest", "store", "report", "web", "cli"},
    "backtest": {"report", "web", "cli"},
    "store": {"report", "web", "cli"},
    "report": {"web", "cli"},
    # drafting reads articles into a scenario: it may use scenario and data, nothing above
    "draft": {"models", "analysis", "backtest", "store", "report", "web", "cli"},
}


def _imports(path: Path) -> set[str]:
    """Top-level realpolitik subpackages that ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(PKG).parts
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = list(rel[:-1])[: len(rel) - node.level]
                parts = base + (node.module.split(".") if node.module else [])
                if not parts:  # `from .. import x` at the package root
                    parts = [a.name for a in node.names]
            elif node.module and node.module.startswith("realpolitik."):
                parts = node.module.split(".")[1:]
            else:
                continue
            out.add(parts[0])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names
                    if a.name.startswith("realpolitik.")}
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_higher_ones(layer):
    bad = {}
    for path in (PKG / layer).rglob("*.py"):
        hits = _imports(path) & FORBIDDEN[layer]
        if hits:
            bad[str(path.relative_to(PKG))] = sorted(hits)
    assert not bad, f"{layer} imports from higher layers: {bad}"


# Inside a layer, each package has its own rules: a model family uses the shared model modules
# but never another family; in analysis, strategy may use uncertainty, not the other way round.
FAMILIES = ("eum", "exchange", "smp")
SUBPACKAGE_RULES = {
    # (layer, subpackage or module) → subpackages/modules of the same layer it must not import
    **{("models", f): set(FAMILIES) - {f} for f in FAMILIES},
    **{("models", m): set(FAMILIES) for m in ("base", "registry", "ties", "libm", "reference",
                                             "nash")},
    ("analysis", "uncertainty"): {"strategy", "alliance", "diagnostics"},
    ("analysis", "alliance"): {"uncertainty", "strategy", "diagnostics"},
    ("analysis", "strategy"): {"alliance", "diagnostics"},
}


def _same_layer_imports(path: Path) -> set[str]:
    """Subpackages/modules of its own layer (``models/eum`` → ``eum``) that ``path`` imports."""
    rel = path.relative_to(PKG).parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            parts = list(rel[:-1])[: len(rel) - node.level] + (
                node.module.split(".") if node.module else [])
        elif node.module and node.module.startswith("realpolitik."):
            parts = node.module.split(".")[1:]
        else:
            continue
        if parts[:1] == [rel[0]]:
            out |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names}
    return out


@pytest.mark.parametrize(("layer", "part"), sorted(SUBPACKAGE_RULES))
def test_subpackages_import_only_what_their_rule_allows(layer, part):
    base = PKG / layer / part
    files = list(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]
    assert files and all(f.exists() for f in files), f"{layer}/{part} is gone: update the rule"
    bad = {str(f.relative_to(PKG)): sorted(hits) for f in files
           if (hits := _same_layer_imports(f) - {part} & SUBPACKAGE_RULES[layer, part])}
    assert not bad, f"{layer}/{part} imports what its rule forbids: {bad}"


def _module_graph() -> dict[str, set[str]]:
    """Every module of the package → the package's modules it imports when it runs: imports at
    module level and inside functions, not those under ``if TYPE_CHECKING:`` (types only)."""
    def name(p: Path) -> str:
        parts = list(p.relative_to(PKG.parent).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    modules = {name(p): p for p in PKG.rglob("*.py")}

    def runtime_nodes(body: list[ast.stmt]):
        for n in body:
            if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test):
                yield from runtime_nodes(n.orelse)
                continue
            yield n
            for child in ast.iter_child_nodes(n):
                if isinstance(child, ast.stmt):
                    yield from runtime_nodes([child])

    graph: dict[str, set[str]] = {}
    for mod, path in modules.items():
        package = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        edges = graph.setdefault(mod, set())
        for n in runtime_nodes(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(n, ast.ImportFrom):
                if n.level:
                    base = package.split(".")[: len(package.split(".")) - (n.level - 1)]
                    target = ".".join(base + ([n.module] if n.module else []))
                else:
                    target = n.module or ""
                for a in n.names:  # `from pkg import module` names a module; else the package
                    hit = next((t for t in (f"{target}.{a.name}", target) if t in modules), None)
                    if hit and hit != mod:
                        edges.add(hit)
            elif isinstance(n, ast.Import):
                edges |= {a.name for a in n.names if a.name in modules and a.name != mod}
    return graph


def test_no_import_cycle_between_modules():
    """Each module imports only downward: the import graph is acyclic (strongly connected
    components of one module each), so a module's folder tells what it may import."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    graph = _module_graph()
    names = sorted(graph)
    ix = {n: i for i, n in enumerate(names)}
    pairs = [(ix[a], ix[b]) for a in names for b in graph[a]]
    rows, cols = zip(*pairs, strict=True)
    matrix = csr_matrix(([1] * len(pairs), (rows, cols)), shape=(len(names), len(names)))
    _, label = connected_components(matrix, directed=True, connection="strong")
    groups: dict[int, list[str]] = {}
    for n, lab in zip(names, label, strict=True):
        groups.setdefault(int(lab), []).append(n)
    cycles = [sorted(g) for g in groups.values() if len(g) > 1]
    assert len(graph) > 100 and len(pairs) > 200  # the graph was read, not empty
    assert not cycles, f"import cycles: {cycles}"


def test_the_cycle_check_finds_a_cycle(tmp_path, monkeypatch):
    """The check above can fail: two modules importing each other inside functions are found."""
    pkg = tmp_path / "realpolitik"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "sub" / "b.py").write_text("from . import a\n")
    (pkg / "sub" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f\n")
    monkeypatch.setattr(sys.modules[__name__], "PKG", pkg)
    graph = _module_graph()
    assert graph["realpolitik.sub.a"] == {"realpolitik.sub.b"}
    assert graph["realpolitik.sub.b"] == {"realpolitik.sub.a"}
    assert graph["realpolitik.sub.c"] == set()  # types only
