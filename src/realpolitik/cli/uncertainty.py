"""CLI: ``forecast --draws`` (Monte Carlo), ``sensitivity``, ``whatif`` and ``advise``.

Thin: parse options, call :mod:`realpolitik.analysis`, print a table or the JSON documented
in ``docs/uncertainty.md``. When a scenario declares no input uncertainty at all, the
documented default (±10% of each scale on positions, ±20% on salience and capability) is
applied and said so on stderr; ``--uncertainty`` sets it explicitly.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from ..scenario import Problem, ScenarioError
from ..scenario.problems import option_problems
from .app import InputFormat, OutFormat, _load, app, err, out, parse_params, user_errors

if TYPE_CHECKING:  # imported where used: numpy, pandas and pydantic are slow to import
    import pandas as pd

    from ..scenario import Scenario, UncertaintyDefaults

__all__ = ["forecast_with_draws", "parse_uncertainty", "sensitivity", "whatif", "advise"]

ModelOpt = Annotated[str, typer.Option("--model", "-m", help="model name")]
ParamOpt = Annotated[list[str] | None, typer.Option("--param", "-p", help="KEY=VALUE")]
SeedOpt = Annotated[int, typer.Option(help="seed of draws and stochastic models")]
UncOpt = Annotated[
    str | None,
    typer.Option(
        help='scenario-wide uncertainty, e.g. "position=10,salience=0.2,capability=0.2'
        ",dist=triangular\" (default: the scenario's own, else that example)"
    ),
]
FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f")]


def parse_uncertainty(text: str) -> UncertaintyDefaults:
    """``"position=10,salience=0.2"`` → :class:`UncertaintyDefaults`."""
    from pydantic import ValidationError

    from ..scenario import UncertaintyDefaults

    pairs = dict(p.partition("=")[::2] for p in text.replace(" ", "").split(",") if p)
    try:
        return UncertaintyDefaults(**pairs)  # type: ignore[arg-type]
    except ValidationError as e:
        raise option_problems(e, "--uncertainty ") from None


def _uncertain(sc: Scenario, spec: str | None) -> tuple[Scenario, str | None]:
    from ..exports import with_uncertainty

    sc, note = with_uncertainty(sc, None if spec is None else parse_uncertainty(spec))
    if note:
        err.print(f"note: {note}", markup=False)
    return sc, note


def _json(doc: Any) -> None:
    from ..exports import to_json

    sys.stdout.write(to_json(doc))


def _records(df: pd.DataFrame) -> list[dict[Any, Any]]:
    import numpy as np

    return [
        {
            k: (
                None
                if isinstance(v, float) and not np.isfinite(v)
                else v.item()
                if isinstance(v, np.generic)
                else v
            )
            for k, v in r.items()
        }
        for r in df.to_dict("records")
    ]


def _f(x: float | None, nd: int = 2) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x:.{nd}f}"


def forecast_with_draws(
    sc: Scenario,
    models: list[str] | None,
    params: list[str] | None,
    seed: int | None,
    draws: int,
    workers: int,
    scheduler: str | None,
    checkpoint: Path | None,
    ranges: list[str],
    uncertainty: str | None,
    format: OutFormat,
    rounds: bool,
    chunk_size: int | None = None,
) -> None:
    """``realpolitik forecast --draws N``: the Monte Carlo forecast, printed."""
    from ..analysis.uncertainty.montecarlo import forecast_draws, parse_range

    sc, note = _uncertain(sc, uncertainty)
    rs = [parse_range(r, sc.issue_ids) for r in ranges]
    mc = forecast_draws(
        sc,
        models or None,
        parse_params(params or []),
        seed,
        draws,
        chunk_size=chunk_size,
        workers=workers,
        scheduler=scheduler,
        checkpoint=None if checkpoint is None else str(checkpoint),
        ranges=rs,
        progress=format is OutFormat.table or sys.stderr.isatty(),
        uncertainty_note=note,
    )
    from ..backtest.trust import trusted_draws

    trust, doc = trusted_draws(mc, rounds)
    if format is OutFormat.json:
        _json(doc)
        return
    if format is OutFormat.csv:
        from ..exports import draws_csv

        sys.stdout.write(draws_csv(mc.to_dict(rounds=False)))
        return
    labels = sorted({r.label for r in rs})
    for model in mc.outcomes:
        t = Table(
            title=f"{sc.name} — {model}: {draws} draws (seed {mc.base.seed})", title_justify="left"
        )
        cols = ("issue", "point", "median", "mean", "80% input-uncertainty",
                "95% input-uncertainty", "80% prediction", *labels)
        for c in cols:
            t.add_column(c, justify="left" if c == "issue" else "right")
        for iss in sc.issues:
            d = mc.distribution(model, iss.id)
            pt = mc.base.outcome(model, iss.id)
            if d is None:
                t.add_row(iss.label, _f(pt), "—", "—", "—", "—", "—", *["—"] * len(labels))
                continue
            t.add_row(
                iss.label,
                _f(pt),
                _f(d["median"]),
                _f(d["mean"]),
                f"{_f(d['p10'])} … {_f(d['p90'])}",
                f"{_f(d['p2_5'])} … {_f(d['p97_5'])}",
                "{} … {}".format(*map(_f, trust.interval(model, iss.id, 0.8) or (None, None))),
                *[
                    _f(100 * d["probabilities"][x], 1) + "%" if x in d["probabilities"] else ""
                    for x in labels
                ],
            )
        out.print(t)


@app.command()
@user_errors
def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="scenario file (any supported format)")],
    model: ModelOpt = "compromise",
    param: ParamOpt = None,
    seed: SeedOpt = 0,
    method: Annotated[
        list[str] | None,
        typer.Option(
            help="tornado, drop-actor, drop-issue, sobol (repeatable; default: the first three)"
        ),
    ] = None,
    samples: Annotated[int, typer.Option(help="Sobol base sample size N (power of 2)")] = 256,
    top: Annotated[int, typer.Option(help="rows per issue in tables")] = 10,
    uncertainty: UncOpt = None,
    format: FormatOpt = OutFormat.table,
    input_format: InputFormat = None,
) -> None:
    """Which input moves the forecast most: tornado, drop-one-actor/issue, Sobol indices."""
    from ..analysis.uncertainty import sensitivity as sa

    methods = method or ["tornado", "drop-actor", "drop-issue"]
    known = {"tornado", "drop-actor", "drop-issue", "sobol"}
    if bad := [m for m in methods if m not in known]:
        raise ScenarioError(
            [
                Problem(
                    f"unknown method {m!r}; known: {', '.join(sorted(known))}", field="--method"
                )
                for m in bad
            ]
        )
    sc, note = _uncertain(_load(scenario, input_format), uncertainty)
    params = parse_params(param or [])
    progress = sys.stderr.isatty()
    frames = {}
    if "tornado" in methods:
        frames["tornado"] = sa.tornado(sc, model, params, seed, progress=progress)
    if "drop-actor" in methods:
        frames["drop_actor"] = sa.drop_actor(sc, model, params, seed)
    if "drop-issue" in methods:
        frames["drop_issue"] = sa.drop_issue(sc, model, params, seed)
    if "sobol" in methods:
        frames["sobol"] = sa.sobol(sc, model, params, samples, seed, progress=progress)
    if format is OutFormat.json:
        _json(
            {
                "schema": "realpolitik.sensitivity/1",
                "scenario": {"name": sc.name, "hash": sc.content_hash()},
                "model": model,
                "params": params,
                "seed": seed,
                "uncertainty": sc.uncertainty.model_dump(),
                **({"note": note} if note else {}),
                **{k: _records(v) for k, v in frames.items()},
            }
        )
        return
    if format is OutFormat.csv:
        for k, v in frames.items():
            sys.stdout.write(f"# {k}\n" + v.to_csv(index=False))
        return
    for k, df in frames.items():
        if k in ("tornado", "sobol"):
            df = df.groupby("issue", sort=False).head(top)
        cols = {
            "tornado": [
                "issue",
                "rank",
                "input",
                "low",
                "high",
                "outcome_low",
                "outcome_high",
                "swing",
            ],
            "sobol": ["issue", "input", "S1", "S1_conf", "ST", "ST_conf"],
        }.get(k, [str(c) for c in df.columns])
        t = Table(title=f"{sc.name} — {model}: {k.replace('_', ' ')}", title_justify="left")
        for c in cols:
            t.add_column(c, justify="right" if df[c].dtype.kind in "fi" else "left")
        for r in df[cols].itertuples(index=False):
            t.add_row(*[_f(v) if isinstance(v, float) else str(v) for v in r])
        out.print(t)


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
