"""``realpolitik validate`` and ``realpolitik convert``: check a scenario file, every problem
located; convert it between formats."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..scenario import Problem, ScenarioError
from ..scenario.io import dumps, save
from .app import InputFormat, _load, app, err, out, user_errors


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

    sc = _load(source, input_format, salience_scale)
    fmt = to or ("csv" if output is not None and output.suffix.lower() == ".csv" else "yaml")
    if fmt not in ("yaml", "csv"):
        raise ScenarioError([Problem(f"--to must be yaml or csv, got {fmt!r}", field="--to")])
    if output is None:
        sys.stdout.write(dumps(sc, fmt))
    else:
        save(sc, output, fmt)
        err.print(f"wrote {output} ({fmt})", markup=False)
