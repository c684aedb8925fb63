"""Data flows one way: files → scenario → models → analysis → store/report/cli/web.

A lower layer never imports a higher one (checked on the source, so it cannot rot).
"""

from __future__ import annotations

import ast
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
