"""``realpolitik models``: the catalogue of registered models, what they do, their parameters."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from .app import OutFormat, app, out, user_errors


@app.command()
@user_errors
def models(format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table) -> None:
    """List the registered models, what they do and their parameters."""
    from .render import model_catalogue, models_table

    if format is OutFormat.json:
        sys.stdout.write(json.dumps(model_catalogue(), indent=2) + "\n")
    else:
        models_table(out)
