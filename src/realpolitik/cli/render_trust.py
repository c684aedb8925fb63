"""Terminal presentation of what makes a forecast trustworthy: prediction intervals, each
model's track record against compromise with the verdict, and the flags (see
:mod:`realpolitik.backtest.trust`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["trust_tables"]


def trust_tables(f: Any, a: Any, console: Console, intervals: bool = True) -> None:
    """Intervals per issue × model (unless the caller showed them: ``--draws``), the track
    record per model, the verdict, the flags."""
    from ..analysis.diagnostics import flags_of

    models = [r.model for r in f.results]
    if intervals:
        _intervals(f, a, console, models)
    _records_and_flags(f, a, console, models, flags_of(f))


def _intervals(f: Any, a: Any, console: Console, models: list[str]) -> None:
    t = Table(title="80% prediction intervals (model error from real outcomes; with --draws "
              "also input uncertainty)", title_justify="left")
    t.add_column("issue")
    for m in models:
        t.add_column(m, justify="right")
    for issue in f.scenario.issues:
        cells = [issue.label]
        for m in models:
            iv = a.interval(m, issue.id, 0.8)
            cells.append("—" if iv is None else f"{iv[0]:.0f}–{iv[1]:.0f}")
        t.add_row(*cells)
    console.print(t)
    borrowed = sorted(m for m in models if a.basis[m].startswith("no error record"))
    note = f"Margins from {a.source}"
    if borrowed:
        note += f"; {', '.join(borrowed)} have no error record of their own: compromise's errors"
    console.print(note + ". (realpolitik calibrate: held-out coverage)", markup=False)


def _records_and_flags(f: Any, a: Any, console: Console, models: list[str],
                       flags: list[tuple[str, str, dict[str, Any]]]) -> None:
    if a.records:
        r = Table(title="Track record: error vs compromise (points of 100; < 0 = more accurate; "
                  "95% interval)", title_justify="left")
        for c in ("model", "shipped cases", "DEU III"):
            r.add_column(c, justify="left" if c == "model" else "right")
        for m in models:
            recs = {x.source.split(" (")[0]: x for x in a.records.get(m, [])}
            r.add_row(m, *(recs[s].text() if s in recs else "—"
                           for s in ("shipped cases", "DEU III")))
        console.print(r)
        console.print(a.verdict, markup=False)
    if flags:
        label = {i.id: i.label for i in f.scenario.issues}
        console.print("⚑ flags:", markup=False)
        for model, issue, fl in flags:
            console.print(f"  ⚑ {model} · {label[issue]}: {fl['message']}", markup=False)
