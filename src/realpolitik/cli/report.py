"""``realpolitik report`` (one self-contained HTML file) and ``realpolitik serve`` (the app)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Annotated, Any

import typer

from ..scenario import Problem, ScenarioError
from .app import _load, app, err, user_errors

__all__ = ["report", "serve"]


def _from_run(run_id: int, db: str | None, options: dict[str, Any]) -> dict[str, Any]:
    from ..report import from_forecast_json
    from ..scenario import Scenario
    from ..store import Store

    with Store(db) as store:
        try:
            run = store.run(run_id)
        except KeyError as e:
            raise ScenarioError([Problem(str(e).strip("'\""), field="RUN")]) from None
    if run.kind != "forecast":
        raise ScenarioError([Problem(f"run {run_id} is a {run.kind}, not a forecast",
                                     field="RUN")])
    sc = Scenario.model_validate(run.inputs) if run.inputs else None
    return from_forecast_json(run.results, sc, **options)


def _from_json(path: Path, scenario: Path | None, options: dict[str, Any]) -> dict[str, Any]:
    from ..report import from_forecast_json

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ScenarioError([Problem(f"not a JSON record: {e}", file=str(path))]) from None
    sc = _load(scenario, None) if scenario else None
    try:
        return from_forecast_json(doc, sc, **options)
    except (ValueError, KeyError, TypeError) as e:
        raise ScenarioError([Problem(str(e), file=str(path))]) from None


@app.command()
@user_errors
def report(
    source: Annotated[str, typer.Argument(
        metavar="RUN_OR_SCENARIO",
        help="a scenario file (any format), a forecast/report JSON record, or a run id")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write")] = Path(
        "report.html"),
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="models to run (repeatable); default: baselines, eum, exchange")
    ] = None,
    seed: Annotated[int, typer.Option(help="seed of every stochastic step")] = 0,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws (0: no distributions)")] = 500,
    sensitivity_model: Annotated[str, typer.Option(
        help="model for the tornado/Sobol panel ('none' to skip)")] = "compromise",
    sobol_samples: Annotated[int, typer.Option(
        help="Saltelli base sample size (power of 2; 0: tornado only)")] = 128,
    scenario: Annotated[Path | None, typer.Option(
        help="the scenario a forecast JSON record was run on (for the full report)")] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="data folder for the data-based cohesion series")] = None,
    db: Annotated[str | None, typer.Option("--db", help="run store URL (for a run id)")] = None,
    record: Annotated[Path | None, typer.Option(
        help="also save the report record (JSON) here: the report rebuilds from it alone")
    ] = None,
    pdf: Annotated[Path | None, typer.Option(help="also print the report to this PDF "
                                             "(needs Chromium)")] = None,
    survival: Annotated[bool, typer.Option(
        "--survival", help="add the alliance-survival panel (KM by type, hazard ratios, the "
        "pair's yearly P(end within 5y); ~1 min the first time, cached after)")] = False,
) -> None:
    """Write one self-contained HTML report (opens with no network; same record → same bytes)."""
    from ..report import collect, render, to_pdf

    options: dict[str, Any] = {
        "draws": draws, "sobol_samples": sobol_samples, "data_dir": data, "survival": survival,
        "sensitivity_model": None if sensitivity_model == "none" else sensitivity_model}
    path = Path(source)
    if source.isdigit() and not path.exists():
        rec = _from_run(int(source), db, options)
    elif path.suffix.lower() == ".json":
        rec = _from_json(path, scenario, options)
    else:
        rec = collect(_load(path, None), model or None, seed=seed, **options)
    html = render(rec)
    output.write_text(html, encoding="utf-8")
    err.print(f"wrote {output} ({len(html.encode()) // 1024} KiB)", markup=False)
    for note in rec.get("notes", []):
        err.print(f"note: {note}", markup=False)
    if record:
        record.write_text(json.dumps(rec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if pdf:
        try:
            to_pdf(html, pdf)
        except (FileNotFoundError, RuntimeError, OSError) as e:
            raise ScenarioError([Problem(f"PDF export failed: {e}", field="--pdf")]) from None
        err.print(f"wrote {pdf}", markup=False)


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="address to bind (default: this machine only)")] = (
        "127.0.0.1"),
    port: Annotated[int, typer.Option(help="port")] = 8000,
    token: Annotated[str | None, typer.Option(
        envvar="REALPOLITIK_TOKEN",
        help="access token (required off localhost: one is generated if not given)")] = None,
    db: Annotated[str | None, typer.Option("--db", help="run store URL")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="data folder (cohesion)")] = None,
    max_upload: Annotated[int, typer.Option(help="largest upload, in KiB")] = 2048,
) -> None:
    """The browser app: open, edit and forecast scenarios; compare models; cohesion; reports."""
    import uvicorn

    from ..web import Settings, create_app
    from ..web.security import is_loopback  # the Host guard's rule too: the URL below works

    token = token or None
    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(24)
    settings = Settings(token=token, store_url=db, data_dir=data,
                        max_upload=max_upload * 1024)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    err.print(f"realpolitik app on {url}  (Ctrl-C to stop)", markup=False)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning",
                server_header=False)
