"""The ``realpolitik`` command line: thin — parse arguments, call the public API, print.

Exit codes: 0 ok; 2 a user error (bad input, bad option), each problem printed on stderr as
``file:line: field: message``; 1 an internal error (a bug: please report it).
"""

from __future__ import annotations

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

from .._version import __version__
from ..scenario import Problem, ScenarioError
from ..scenario.io import FORMATS, load

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
