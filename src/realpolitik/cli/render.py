"""Presentation of forecasts and the model catalogue for the terminal (rich) and CSV."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from ..forecast import Forecast
from ..models import get, names
from ..wording import counted

__all__ = ["forecast_tables", "forecast_csv", "model_catalogue", "models_table"]


def _fmt(x: float | None, nd: int = 3) -> str:
    return "—" if x is None else f"{x:.{nd}f}"


def forecast_tables(f: Forecast, console: Console) -> None:
    """One row per issue, one column per model; status quo and known outcome alongside."""
    sc = f.scenario
    t = Table(
        title=f"{sc.name} — {counted(len(sc.actors), 'actor')} × "
        f"{counted(len(sc.issues), 'issue')} (seed {f.seed})",
        title_justify="left",
    )
    t.add_column("issue")
    t.add_column("scale (low … high)")
    for r in f.results:
        dyn = any(x.rounds for x in r.issues) or bool(r.rounds)
        t.add_column(r.model + (" ⟳" if dyn else ""), justify="right")
    show_sq = not any(r.model == "status-quo" for r in f.results)
    if show_sq:
        t.add_column("status quo", justify="right")
    t.add_column("known outcome", justify="right")
    for issue in sc.issues:
        cells = [issue.label, _scale(issue)]
        for r in f.results:
            fc = next((x for x in r.issues if x.issue == issue.id), None)
            flag = " ⚑" if fc and fc.details.get("flags") else ""
            cells.append(_fmt(fc.outcome) + flag if fc else "")
        if show_sq:
            cells.append(_fmt(issue.status_quo, 1))
        oc = issue.outcome
        cells.append("—" if oc is None else f"{oc.value:g}" + (f" ({oc.date})" if oc.date else ""))
        t.add_row(*cells)
    console.print(t)
    skipped = {
        (r.model, x.issue): x.details["skipped"]
        for r in f.results
        for x in r.issues
        if x.details.get("skipped")
    }
    if skipped:
        console.print(
            "— = not forecast: "
            + "; ".join(sorted({f"{m} ({why})" for (m, _), why in skipped.items()}))
        )
    if any(r.rounds or any(x.rounds for x in r.issues) for r in f.results):
        console.print("⟳ dynamic model: per-round trajectories with --format json")


def _end(value: float, label: str) -> str:
    label = label.split(":")[0].strip()  # "engagement: talks and aid" → "engagement"
    if label.startswith(f"{value:g}"):  # "4 years" needs no extra "4"
        return label
    return f"{value:g}" + (f" {label}" if label else "")


def _scale(issue: Any) -> str:
    """``0 engagement … 100 regime change``: whole labels (the table wraps them; cutting
    them gave a double "… …")."""
    return f"{_end(issue.low, issue.low_label)} … {_end(issue.high, issue.high_label)}"


def forecast_csv(f: Forecast) -> str:
    """Tidy CSV of outcomes: model, issue, outcome, low, high, status_quo, known_outcome."""
    from ..exports import forecast_csv as csv

    return csv(f)


def model_catalogue() -> list[dict[str, Any]]:
    """Every registered model: name, summary, flags and parameters with defaults."""
    out = []
    for n in names():
        cls = get(n)
        params = [
            {
                "name": k,
                "default": v.default,
                "type": str(v.annotation).replace("typing.", ""),
                "help": v.description or "",
            }
            for k, v in cls.Params.model_fields.items()
        ]
        out.append(
            {
                "name": n,
                "summary": cls.summary,
                "dynamic": cls.dynamic,
                "stochastic": cls.stochastic,
                "multidimensional": cls.multidimensional,
                "needs_status_quo": cls.needs_status_quo,
                "params": params,
            }
        )
    return out


def models_table(console: Console) -> None:
    t = Table(title="realpolitik models")
    for c in ("model", "kind", "what it does", "parameters (default)"):
        t.add_column(c)
    for m in model_catalogue():
        kind = (
            ", ".join(k for k in ("dynamic", "stochastic", "multidimensional") if m[k]) or "static"
        )
        ps = ", ".join(f"{p['name']}={p['default']}" for p in m["params"])
        t.add_row(m["name"], kind, m["summary"], ps)
    console.print(t)
