"""The ``realpolitik`` command line: thin — parse arguments, call the public API, print.

Exit codes: 0 ok; 2 a user error (bad input, bad option), each problem printed on stderr as
``file:line: field: message``; 1 an internal error (a bug: please report it).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..scenario import Problem, ScenarioError
from ..scenario.io import FORMATS, dumps, load, save

app = typer.Typer(
    name="realpolitik",
    help="Alliance politics as bargaining: scenarios, model forecasts, cohesion.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)

F = TypeVar("F", bound=Callable[..., Any])


class OutFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


InputFormat = Annotated[
    str | None,
    typer.Option("--input-format", help=f"input format (default: detected): {', '.join(FORMATS)}"),
]


#: The Python API's words for its arguments → the command line's options (problem fields).
_CLI_WORDS = {"models": "--model", "params": "--param", "actor": "--actor", "ranges": "--range"}


def cli_words(p: Any) -> Any:
    """A problem of an API call (no file) addressed by the option the user typed instead."""
    if p.file is not None or not p.field:
        return p
    head, sep, rest = p.field.partition(" ")
    if head in _CLI_WORDS:
        return replace(p, field=_CLI_WORDS[head] + sep + rest)
    return p


def user_errors(fn: F) -> F:
    """Turn user mistakes into located messages and exit 2; bugs into exit 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ScenarioError as e:
            for p in map(cli_words, e.problems):
                err.print(f"[red]error[/red] {escape(str(p))}", markup=True, highlight=False)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as e:  # a bug, not the user's fault
            err.print(f"internal error: {type(e).__name__}: {e}", markup=False)
            if os.environ.get("REALPOLITIK_DEBUG"):
                traceback.print_exc()
            else:
                err.print("(set REALPOLITIK_DEBUG=1 for the traceback; please report this)")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _load(path: Path, input_format: str | None, salience_scale: int | None = None) -> Any:
    opts = {} if salience_scale is None else {"salience_scale": salience_scale}
    sc = load(path, format=input_format, **opts)
    for note in sc.meta.get("inferred", []):
        err.print(f"note: {path}: {note}", markup=False)
    from ..scenario.validation import find_warnings

    for w in find_warnings(sc):
        err.print(f"warning {Problem(w.message, file=str(path), field=w.field)}", markup=False)
    return sc


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``KEY=VALUE`` strings to a dict (values stay strings; models coerce them)."""
    from ..scenario import Problem

    params, bad = {}, []
    for p in pairs:
        key, sep, value = p.partition("=")
        if not sep or not key.strip():
            bad.append(Problem(f"expected KEY=VALUE, got {p!r}", field="--param"))
        else:
            params[key.strip()] = value.strip()
    if bad:
        raise ScenarioError(bad)
    return params


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
            "nash (with --draws: every static model)",
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
                                   checkpoint, range_ or [], uncertainty, format, rounds)
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


@app.command()
@user_errors
def validate(
    files: Annotated[list[Path], typer.Argument(help="scenario files to check")],
    input_format: InputFormat = None,
    salience_scale: Annotated[int | None, typer.Option(help="declare the salience scale")] = None,
) -> None:
    """Check scenario files; report every problem with file, line and field."""
    from ..wording import counted

    problems = []
    for f in files:
        try:
            sc = _load(f, input_format, salience_scale)
            out.print(
                f"ok {f}: {counted(len(sc.actors), 'actor')} × "
                f"{counted(len(sc.issues), 'issue')}, {counted(len(sc.stances), 'stance')}",
                markup=False,
            )
            _list_drafted(f, sc)
        except ScenarioError as e:
            problems.extend(e.problems)
    if problems:
        raise ScenarioError(problems)


def _list_drafted(path: Path, sc: Any) -> None:
    """Name the machine-drafted values (``draft: true``) still to review, if any."""
    from ..scenario.review import drafted_values
    from ..wording import counted

    drafted = drafted_values(sc)
    if drafted:
        out.print(f"  {counted(len(drafted), 'drafted value')} to review in {path}:",
                  markup=False)
        for d in drafted:
            out.print(f"    {d}", markup=False)


@app.command()
@user_errors
def convert(
    source: Annotated[Path, typer.Argument(help="scenario file (any supported format)")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="output file (.yaml/.yml or .csv); default stdout"),
    ] = None,
    to: Annotated[
        str | None, typer.Option(help="yaml or csv (default: from -o's extension)")
    ] = None,
    input_format: InputFormat = None,
    salience_scale: Annotated[int | None, typer.Option(help="declare the salience scale")] = None,
) -> None:
    """Convert a scenario to realpolitik's YAML or tidy CSV (lossless round-trip)."""
    from ..scenario import Problem

    sc = _load(source, input_format, salience_scale)
    fmt = to or ("csv" if output is not None and output.suffix.lower() == ".csv" else "yaml")
    if fmt not in ("yaml", "csv"):
        raise ScenarioError([Problem(f"--to must be yaml or csv, got {fmt!r}", field="--to")])
    if output is None:
        sys.stdout.write(dumps(sc, fmt))
    else:
        save(sc, output, fmt)
        err.print(f"wrote {output} ({fmt})", markup=False)


@app.command()
@user_errors
def models(format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table) -> None:
    """List the registered models, what they do and their parameters."""
    from .render import model_catalogue, models_table

    if format is OutFormat.json:
        sys.stdout.write(json.dumps(model_catalogue(), indent=2) + "\n")
    else:
        models_table(out)


def _version(value: bool) -> None:
    if value:
        out.print(f"realpolitik {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version")
    ] = False,
) -> None:
    """realpolitik: alliance politics as bargaining."""


def main() -> None:
    """Console-script entry point."""
    app()
