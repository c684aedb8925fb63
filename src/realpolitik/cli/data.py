"""``realpolitik data list`` and ``realpolitik data fetch NAME`` (downloads only on request)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from ..scenario import Problem, ScenarioError
from .app import app, err, out, user_errors

data_app = typer.Typer(help="Real-world datasets for cohesion: list them, download them.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("list")
@user_errors
def list_datasets(data: Annotated[Path | None, typer.Option("--data")] = None) -> None:
    """Datasets that `data fetch` knows, and whether they are in the data folder."""
    from ..data import data_dir
    from ..data.fetch import DATASETS

    root = data_dir(data)
    t = Table(title=f"datasets (data folder: {root})", title_justify="left")
    for c in ("name", "files", "present"):
        t.add_column(c)
    for name, files in DATASETS.items():
        here = sum((root / f.target).exists() for f in files)
        t.add_row(name, ", ".join(f.target for f in files), f"{here}/{len(files)}")
    out.print(t)


@data_app.command("fetch")
@user_errors
def fetch_dataset(
    name: Annotated[str, typer.Argument(help="dataset name (see `realpolitik data list`)")],
    data: Annotated[Path | None, typer.Option("--data", help="data folder to fill")] = None,
    base_url: Annotated[str | None, typer.Option(help="mirror to download from")] = None,
) -> None:
    """Download a dataset from its pinned source, checksum-verified, into the data folder."""
    from ..data import DataError
    from ..data.fetch import GITHUB_RAW, fetch

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(file: str, done: int, total: int | None) -> None:
            if file not in tasks:
                tasks[file] = bar.add_task(file, total=total)
            bar.update(tasks[file], completed=done)

        try:
            paths = fetch(name, data, base_url or GITHUB_RAW, progress)
        except DataError as e:
            raise ScenarioError([Problem(str(e), field="data fetch")]) from None
    for p in paths:
        out.print(f"ok {p}", markup=False)
