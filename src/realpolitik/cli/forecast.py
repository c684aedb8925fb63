"""``realpolitik forecast``, the main job: how each issue settles, per model, with intervals,
track records and flags (``--draws``: the Monte Carlo path in :mod:`.uncertainty`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import InputFormat, OutFormat, _load, app, out, parse_params, user_errors


@app.command()
@user_errors
def forecast(
    scenario: Annotated[Path, typer.Argument(help="scenario file (any supported format)")],
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="model name (repeatable); default: compromise, median, eum, exchange, smp, "
            "nash (with --draws: also mean and status-quo)",
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", "-p", help="KEY=VALUE for models that take KEY, or MODEL.KEY=VALUE"
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="seed for stochastic models")] = 0,
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    rounds: Annotated[bool, typer.Option(help="include per-round trajectories in JSON")] = True,
    trace: Annotated[
        bool,
        typer.Option(help="keep every round's full detail (EUM: P/EU matrices, dyads, offers)"),
    ] = False,
    input_format: InputFormat = None,
    salience_scale: Annotated[
        int | None,
        typer.Option(help="declare the input's salience scale (1 or 100) for formats that lack it"),
    ] = None,
    draws: Annotated[
        int | None, typer.Option(help="Monte Carlo draws of the uncertain inputs (see --range)")
    ] = None,
    workers: Annotated[int, typer.Option(help="--draws: local processes (0 = all cores)")] = 1,
    scheduler: Annotated[
        str | None, typer.Option(help="--draws: dask.distributed scheduler address")
    ] = None,
    checkpoint: Annotated[
        Path | None, typer.Option(help="--draws: folder of finished chunks; rerun to resume")
    ] = None,
    range_: Annotated[
        list[str] | None,
        typer.Option("--range", help='--draws: named outcome range "LABEL=LOW..HIGH"'),
    ] = None,
    uncertainty: Annotated[
        str | None, typer.Option(help='--draws: e.g. "position=10,salience=0.2,capability=0.2"')
    ] = None,
    knife_edge: Annotated[
        bool, typer.Option(help="check EUM and SMP for knife edges (±20% saliences/capabilities)")
    ] = True,
    track_record: Annotated[
        bool, typer.Option(help="show each model's backtest record against compromise")
    ] = True,
) -> None:
    """Forecast how each issue settles, per model, with prediction intervals, each model's track
    record and flags for degenerate answers (with --draws: the input-uncertainty distribution)."""
    from ..forecast import forecast as run
    from .render import forecast_csv, forecast_tables

    sc = _load(scenario, input_format, salience_scale)
    if draws:  # Monte Carlo: realpolitik.cli.uncertainty (docs/uncertainty.md)
        from .uncertainty import forecast_with_draws

        return forecast_with_draws(sc, model, param, seed, draws, workers, scheduler,
                                   checkpoint, range_ or [], uncertainty, format, rounds,
                                   knife_edge=knife_edge, track_record=track_record)
    result = run(sc, model or None, parse_params(param or []), seed, trace=trace)
    if format is OutFormat.csv:
        sys.stdout.write(forecast_csv(result))
        return
    from ..backtest.trust import trusted

    result, trust, doc = trusted(result, rounds, knife_edge, track_record)
    if format is OutFormat.json:
        from ..exports import to_json

        sys.stdout.write(to_json(doc))
    else:
        from .render_trust import trust_tables

        forecast_tables(result, out)
        trust_tables(result, trust, out)
