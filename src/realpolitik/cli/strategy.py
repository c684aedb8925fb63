"""CLI: ``whatif`` (the forecast before and after shocks) and ``advise`` (the moves an actor
could make). Thin: parse options, call :mod:`realpolitik.analysis.strategy`, print a table or
the JSON documented in ``docs/uncertainty.md``; options shared with :mod:`.uncertainty`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from ..scenario import Problem, ScenarioError
from .app import InputFormat, OutFormat, _load, app, err, out, parse_params, user_errors
from .uncertainty import (
    FormatOpt,
    ModelOpt,
    ParamOpt,
    SeedOpt,
    UncOpt,
    _f,
    _json,
    _uncertain,
)

if TYPE_CHECKING:

    from ..scenario import Scenario

__all__ = ["whatif", "advise"]


@app.command()
@user_errors
def whatif(
    scenario: Annotated[Path, typer.Argument(help="scenario file (any supported format)")],
    shock: Annotated[
        list[str] | None,
        typer.Argument(
            help='shocks, e.g. "USA capability *0.7", "ROK position nk_policy = 20", '
            '"remove China", "add actor EU capability 20 nk_policy=30@50"'
        ),
    ] = None,
    shocks: Annotated[Path | None, typer.Option(help="YAML file with a list of shocks")] = None,
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="model (repeatable)")
    ] = None,
    param: ParamOpt = None,
    seed: SeedOpt = 0,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws (0 = point forecasts)")] = 0,
    workers: Annotated[int, typer.Option(help="local processes (0 = all cores)")] = 1,
    scheduler: Annotated[str | None, typer.Option(help="dask scheduler address")] = None,
    range_: Annotated[list[str] | None, typer.Option("--range", help="LABEL=LOW..HIGH")] = None,
    uncertainty: UncOpt = None,
    format: FormatOpt = OutFormat.table,
    input_format: InputFormat = None,
) -> None:
    """A shocked scenario beside the base one: forecasts, difference and its uncertainty."""
    from ..analysis.strategy.whatif import parse_shock, read_shocks
    from ..analysis.strategy.whatif import whatif as run
    from ..analysis.uncertainty.montecarlo import parse_range

    items = [parse_shock(s) for s in shock or []] + (read_shocks(shocks) if shocks else [])
    if not items:
        raise ScenarioError(
            [Problem("give at least one shock (argument or --shocks FILE)", field="shock")]
        )
    sc = _load(scenario, input_format)
    if draws:
        sc, _ = _uncertain(sc, uncertainty)
    run_opts = (
        dict(
            workers=workers,
            scheduler=scheduler,
            progress=sys.stderr.isatty(),
            ranges=[parse_range(r, sc.issue_ids) for r in range_ or []],
        )
        if draws
        else {}
    )
    res = run(sc, items, model or None, parse_params(param or []), seed, draws, **run_opts)
    doc = res.to_dict()
    if format is OutFormat.json:
        _json(doc)
        return
    if format is OutFormat.csv:
        flat = [
            {k: v for k, v in r.items() if not isinstance(v, dict)}
            | {f"diff_{k}": v for k, v in (r.get("difference_distribution") or {}).items()}
            for r in doc["rows"]
        ]
        import pandas as pd

        sys.stdout.write(pd.DataFrame(flat).to_csv(index=False))
        return
    t = Table(
        title=f"{sc.name}: what if {'; '.join(doc['shocks'])}"
        + (f" ({draws} draws, seed {doc['seed']})" if draws else ""),
        title_justify="left",
    )
    cols = ["model", "issue", "base", "shocked", "difference"]
    if draws:
        cols += ["base MC mean", "shocked MC mean", "difference 95%", "P(up)", "P(down)"]
    for c in cols:
        t.add_column(c, justify="left" if c in ("model", "issue") else "right")
    for r in doc["rows"]:
        cells = [r["model"], r["issue"], _f(r["base"]), _f(r["shocked"]), _f(r["difference"])]
        if draws:
            d = r["difference_distribution"] or {}
            cells += [_f(r["base_mc_mean"]), _f(r["shocked_mc_mean"])]
            cells += [
                f"{_f(d.get('p2_5'))} … {_f(d.get('p97_5'))}",
                _f(d.get("p_increase"), 2),
                _f(d.get("p_decrease"), 2),
            ]
        t.add_row(*cells)
    out.print(t)


#: Draws for levers read on the distribution when the point forecast is on a knife edge.
KNIFE_EDGE_DRAWS = 200


def _knife_edge_draws(sc: Scenario, model: str, params: dict[str, Any], seed: int) -> int:
    """``KNIFE_EDGE_DRAWS`` if ``model``'s point forecast of ``sc`` is on a knife edge, else 0."""
    from ..analysis.diagnostics import KNIFE_EDGE_MODELS, knife_edge
    from ..forecast import forecast

    if model not in KNIFE_EDGE_MODELS:
        return 0
    edges = knife_edge(sc, forecast(sc, model, params, seed).result(model), seed)
    if not edges:
        return 0
    for issue, fl in edges.items():
        err.print(f"note: {issue}: {fl['message']}", markup=False)
    err.print(f"note: knife edge — levers are searched on the mean of {KNIFE_EDGE_DRAWS} draws, "
              "not on the point forecast (pass --draws to choose)", markup=False)
    return KNIFE_EDGE_DRAWS


@app.command()
@user_errors
def advise(
    scenario: Annotated[Path, typer.Argument(help="scenario file (any supported format)")],
    actor: Annotated[str, typer.Option(help="the actor to advise")],
    model: ModelOpt = "compromise",
    param: ParamOpt = None,
    seed: SeedOpt = 0,
    draws: Annotated[int, typer.Option(help="average each lever over draws (search)")] = 0,
    grid: Annotated[int, typer.Option(help="grid points per lever (search)")] = 41,
    top: Annotated[int, typer.Option(help="actors to list for persuasion")] = 5,
    uncertainty: UncOpt = None,
    format: FormatOpt = OutFormat.table,
    input_format: InputFormat = None,
) -> None:
    """An actor's levers: own position or salience move, and whom to persuade how far."""
    from ..analysis.strategy.levers import advise as run

    sc = _load(scenario, input_format)
    params = parse_params(param or [])
    if not draws:  # a knife-edge point forecast gives knife-edge levers: use the distribution
        draws = _knife_edge_draws(sc, model, params, seed)
    if draws:
        sc, _ = _uncertain(sc, uncertainty)
    adv = run(sc, actor, model, params, seed, draws, grid)
    if format is not OutFormat.table:
        _json(adv.to_dict())
        return
    out.print(
        f"{actor} under {model}: {adv.method}. Benefit = how much closer the outcome "
        "comes to the actor's ideal (issue units); cost = how far it must move."
    )
    for ia in adv.issues:
        t = Table(
            title=f"{ia.issue}: ideal {ia.ideal:g}, forecast {ia.outcome:.2f}", title_justify="left"
        )
        for c in ("lever", "who", "from", "to", "cost", "outcome", "benefit", "gap closed"):
            t.add_column(c, justify="left" if c in ("lever", "who") else "right")
        for mv in [ia.own_position, ia.own_salience, *ia.persuade[:top]]:
            if mv is not None:
                t.add_row(
                    mv.lever,
                    mv.actor,
                    _f(mv.value_from),
                    _f(mv.value_to),
                    _f(mv.cost),
                    _f(mv.outcome),
                    _f(mv.benefit),
                    f"{mv.gap_closed:.0%}",
                )
        out.print(t)
