"""``realpolitik cohesion`` (from data) and ``realpolitik alliance`` (from a scenario)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..scenario import Problem, ScenarioError
from .app import OutFormat, _load, app, out, user_errors

__all__ = ["cohesion", "alliance", "data_based"]


def _data_errors() -> tuple[type[Exception], ...]:
    from ..data import DataError
    from ..data.countrycodes import CountryCodeError

    return DataError, CountryCodeError


@app.command()
@user_errors
def cohesion(
    a: Annotated[str, typer.Argument(help="first state (ISO3, ISO2, COW abbreviation or code)")],
    b: Annotated[str, typer.Argument(help="second state")],
    start: Annotated[int, typer.Option("--from", help="first year")] = 1991,
    end: Annotated[int, typer.Option("--to", help="last year")] = 2019,
    data: Annotated[Path | None, typer.Option(
        "--data", help="data folder (default $REALPOLITIK_DATA or ../shared/data/ir)")] = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
) -> None:
    """Dyad-year cohesion from real data: UN votes, ATOP alliances, military spending."""
    from ..analysis.alliance.cohesion_data import cohesion_command

    try:
        text = cohesion_command(a, b, start, end, data, format.value)
    except (*_data_errors(), ValueError) as e:
        raise ScenarioError([Problem(str(e), field="cohesion")]) from None
    sys.stdout.write(text.rstrip("\n") + "\n")


def data_based(members: list[Any], year: int | None, data_dir: Path | None
               ) -> dict[str, Any] | None:
    """UN-vote and alliance measures of the alliance's country pair in the scenario's year."""
    countries = sorted({m.country for m in members if m.country})
    if len(countries) != 2 or year is None:
        return {"available": False,
                "reason": "needs exactly two member countries and a scenario date"}
    from ..analysis.alliance.cohesion_data import cohesion_panel, panel_json

    try:
        panel = cohesion_panel(countries[0], countries[1], year, year, data_dir)
    except (*_data_errors(), ValueError, OSError) as e:
        return {"available": False, "reason": str(e)}
    row = panel_json(panel, year, year)["years"][0]
    return {"available": True, "dyad": countries, "year": year, **row}


def survival_based(members: list[Any], year: int | None, data_dir: Path | None
                   ) -> dict[str, Any]:
    """P(the pair's ATOP alliance ends within 5 years of the scenario's year), from the
    grouped-time Cox model fitted on the years before (``survival forecast A B --year Y``)."""
    countries = sorted({m.country for m in members if m.country})
    if len(countries) != 2 or year is None:
        return {"available": False,
                "reason": "needs exactly two member countries and a scenario date"}
    from ..analysis.alliance.survival import forecast as fc
    from ..analysis.alliance.survival.table import load_table

    try:
        sd = load_table(data_dir)
        last = int(sd.table["year"].max())
        row = fc.forecast_year(sd, countries[0], countries[1], min(year, last))
    except (*_data_errors(), ValueError, OSError) as e:
        return {"available": False, "reason": str(e)}
    return {"available": True, "dyad": countries, "year": row["year"],
            "scenario_year": year, "model": row["model"], "p_end_5y": row["p_end_5y"],
            "interval_90": row["interval_90"], "ended_within_5y": row["ended_within_5y"],
            "spell_start": row["spell_start"], "drivers": row["drivers"]}


@app.command()
@user_errors
def alliance(
    scenario: Annotated[Path, typer.Argument(help="scenario file with declared groups")],
    model: Annotated[str | None, typer.Option(
        "--model", "-m", help="dynamic model for round-by-round dynamics, e.g. eum")] = None,
    seed: Annotated[int, typer.Option(help="seed for the model run")] = 0,
    data: Annotated[Path | None, typer.Option("--data", help="data folder for the data-based "
                                              "congruence of the same pair")] = None,
    survival: Annotated[bool, typer.Option(
        "--survival", help="add each two-country alliance's P(ending within 5 years) in the "
        "scenario's year, from the survival model fitted on the years before it")] = False,
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
) -> None:
    """Alliance strain per declared alliance: interest congruence, risk sharing, dynamics,
    beside the data-based congruence of the same pair in the scenario's year (and, with
    --survival, its survival forecast)."""
    from ..analysis.alliance.cohesion import alliance_strains
    from ..forecast import forecast

    sc = _load(scenario, None)
    fc = forecast(sc, [model], seed=seed, trace=True) if model else None  # dyads: strains
    strains = alliance_strains(sc, fc)
    if not strains:
        raise ScenarioError([Problem("no alliance declared: give actors a shared group",
                                     file=str(scenario), field="groups")])
    year = int(sc.date[:4]) if sc.date and sc.date[:4].isdigit() else None
    actors = {a.id: a for a in sc.actors}
    rows = [{**s.to_dict(), "data": data_based([actors[m] for m in s.members], year, data)}
            for s in strains]
    if survival:
        for r, s in zip(rows, strains, strict=True):
            r["survival"] = survival_based([actors[m] for m in s.members], year, data)
    if format is OutFormat.json:
        doc = {"schema": "realpolitik.alliance/1", "scenario": sc.name,
               "hash": sc.content_hash(), "date": sc.date, "model": model, "seed": seed,
               "alliances": rows}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return
    for r in rows:
        _alliance_table(r)


def _f(x: Any) -> str:
    return "—" if x is None else f"{x:.3f}"


def _alliance_table(r: dict[str, Any]) -> None:
    t = Table(title=f"{r['alliance']}: strain {_f(r['strain'])} ({r['verdict']})",
              title_justify="left")
    t.add_column("component")
    t.add_column("value", justify="right")
    t.add_column("what it measures")
    t.add_row("interest congruence", _f(r["congruence"]),
              "salience-weighted agreement of positions, −1 … 1")
    for pair, c in r["pair_congruence"].items():
        t.add_row(f"  {pair}", _f(c), "pair congruence")
    t.add_row("risk balance", _f(r["risk_balance"]),
              "smallest stake / largest on " + ", ".join(r["security_issues"]))
    for m, share in r["risk_shares"].items():
        t.add_row(f"  {m}", f"{share:.1%}", "share of the alliance's stake")
    dyn = r.get("dynamics")
    if dyn:
        t.add_row("congruence trend", _f(dyn["trend"]),
                  f"{dyn['model']}: last − first round ({dyn['rounds']} rounds)")
        t.add_row("challenge rate", _f(dyn["challenge_rate"]),
                  "share of dyad-rounds where partners challenge each other")
    for name, v in r["components"].items():
        t.add_row(f"strain: {name}", _f(v), "component of the strain (mean)")
    sv = r.get("survival") or {}
    if sv.get("available"):
        lo, hi = sv["interval_90"]
        t.add_row(f"survival {sv['year']}: P(end ≤5y)", _f(sv["p_end_5y"]),
                  f"{'–'.join(sv['dyad'])} ATOP alliance since {sv['spell_start']}; 90% "
                  f"{lo:.3f}–{hi:.3f}; model {sv['model']} fitted on the years before")
    elif sv:
        t.add_row("survival", "—", sv.get("reason", ""))
    d = r["data"] or {}
    if d.get("available"):
        for key, label in (("un_agree", "UN vote agreement"), ("un_s_abs", "UN votes S"),
                           ("un_kappa_quadratic", "UN votes κ (quadratic)"),
                           ("atop_tie", "ATOP tie (3 = defence pledge)")):
            if key in d:
                t.add_row(f"data {d['year']}: {label}", _f(d[key]) if d[key] is not None
                          else "NA", f"{'–'.join(d['dyad'])}, from real data")
    else:
        t.caption = f"data-based congruence: {d.get('reason', 'not requested')}"
        t.caption_justify = "left"
    out.print(t)
