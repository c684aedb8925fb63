"""CLI: ``forecast --draws`` (Monte Carlo) and ``sensitivity`` (``whatif`` and ``advise``:
:mod:`.strategy`).

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

__all__ = ["forecast_with_draws", "parse_uncertainty", "sensitivity"]

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
    knife_edge: bool = True,
    track_record: bool = True,
) -> None:
    """``realpolitik forecast --draws N``: the Monte Carlo forecast with its track record and
    the point forecast's flags, printed."""
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
        on_note=lambda m: err.print(f"note: {m}", markup=False),
    )
    from ..backtest.trust import trusted_draws

    flagged, trust, doc = trusted_draws(mc, rounds, knife_edge, track_record)
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
    from .render_trust import trust_tables

    trust_tables(flagged, trust, out, intervals=False)  # the intervals are in the tables above


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
