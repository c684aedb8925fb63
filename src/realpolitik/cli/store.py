"""``realpolitik runs …`` (the run store) and ``realpolitik ledger …`` (the forecast ledger)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..scenario import Problem, ScenarioError
from .app import OutFormat, _load, app, err, out, parse_params, user_errors
from .backtest import DbOption

runs_app = typer.Typer(
    help="The run store: saved forecasts, sweeps and backtests.", no_args_is_help=True
)
ledger_app = typer.Typer(
    help="The forecast ledger: seal, resolve, verify, score.", no_args_is_help=True
)
app.add_typer(runs_app, name="runs")
app.add_typer(ledger_app, name="ledger")


def _store(db: str | None) -> Any:
    from ..store import Store

    return Store(db)


def _run(store: Any, run_id: int) -> Any:
    try:
        return store.run(run_id)
    except KeyError as e:
        raise ScenarioError([Problem(str(e).strip("'\""), field="RUN")]) from None


def _json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")


def _num(x: Any, nd: int = 3) -> str:
    return "–" if x is None or x != x else f"{x:.{nd}f}"


# -- runs --------------------------------------------------------------------------------
@runs_app.command("save")
@user_errors
def runs_save(
    scenario: Annotated[Path, typer.Argument(help="scenario file or shipped case name")],
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="repeatable")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p")] = None,
    seed: Annotated[int, typer.Option(help="seed (recorded with the run)")] = 0,
    note: Annotated[str, typer.Option(help="a note kept with the run")] = "",
    draws: Annotated[int, typer.Option(help="Monte Carlo draws (0 = a point forecast)")] = 0,
    db: DbOption = None,
) -> None:
    """Forecast SCENARIO and save the run (inputs, hash, params, seed, version, results)."""
    from ..backtest.cases import shipped, shipped_names
    from ..forecast import forecast

    if not scenario.exists() and str(scenario) in shipped_names():
        sc = shipped(str(scenario))[0].scenario
    else:
        sc = _load(scenario, None)
    if draws > 0:
        from ..analysis.uncertainty.montecarlo import forecast_draws

        mc = forecast_draws(sc, model or None, parse_params(param or []), seed, draws)
        fc = mc.base
        with _store(db) as store:
            rid = store.save_montecarlo(mc, note=note)
    else:
        fc = forecast(sc, model or None, parse_params(param or []), seed)
        with _store(db) as store:
            rid = store.save_forecast(fc, note=note)
    out.print(
        f"saved run {rid}: {sc.name}, models {', '.join(r.model for r in fc.results)}, "
        f"seed {fc.seed}",
        markup=False,
    )


@runs_app.command("list")
@user_errors
def runs_list(
    kind: Annotated[str | None, typer.Option(help="forecast, backtest, sweep, …")] = None,
    limit: Annotated[int, typer.Option(help="newest N runs")] = 50,
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    db: DbOption = None,
) -> None:
    """List saved runs, newest first."""
    with _store(db) as store:
        rows = [
            {
                "id": r.id,
                "kind": r.kind,
                "created": r.created_at.isoformat(timespec="seconds"),
                "name": r.name,
                "models": r.models,
                "seed": r.seed,
                "inputs_hash": r.inputs_hash,
                "engine": r.engine_version,
                "note": r.note,
            }
            for r in store.runs(kind, limit)
        ]
    if format is OutFormat.json:
        return _json(rows)
    t = Table(title=f"{len(rows)} run(s)", title_justify="left")
    for c in ("id", "kind", "created", "name", "models", "seed", "inputs"):
        t.add_column(c)
    for r in rows:
        t.add_row(
            str(r["id"]),
            r["kind"],
            r["created"],
            r["name"],
            ", ".join(r["models"]),
            str(r["seed"]),
            r["inputs_hash"][:12],
        )
    out.print(t)


@runs_app.command("show")
@user_errors
def runs_show(
    run_id: Annotated[int, typer.Argument(metavar="RUN")],
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    db: DbOption = None,
) -> None:
    """Show one run: its reproducibility record and its results."""
    with _store(db) as store:
        r = _run(store, run_id)
    if format is OutFormat.json:
        return _json(
            {
                "id": r.id,
                "uid": r.uid,
                "kind": r.kind,
                "created": r.created_at,
                "name": r.name,
                "inputs_hash": r.inputs_hash,
                "models": r.models,
                "params": r.params,
                "seed": r.seed,
                "engine_version": r.engine_version,
                "note": r.note,
                "results": r.results,
            }
        )
    out.print(
        f"run {r.id} ({r.kind}) {r.name} — {r.created_at.isoformat(timespec='seconds')}",
        markup=False,
    )
    out.print(
        f"inputs sha256 {r.inputs_hash}  seed {r.seed}  engine {r.engine_version}", markup=False
    )
    out.print(f"params {json.dumps(r.params, sort_keys=True)}", markup=False)
    res = r.results or {}
    t = Table(title_justify="left")
    if r.kind == "backtest":
        t.title = "leaderboard"
        for c in ("model", "n", "MAE", "diff", "low", "high"):
            t.add_column(c)
        for b in res.get("leaderboard", []):
            t.add_row(
                b["model"],
                str(b["n"]),
                _num(b["mae"], 2),
                _num(b.get("diff"), 2),
                _num(b.get("diff_low"), 2),
                _num(b.get("diff_high"), 2),
            )
    else:
        t.title = "forecasts"
        for c in ("model", "issue", "outcome"):
            t.add_column(c)
        for f in res.get("forecasts", []):
            t.add_row(f["model"], f["issue"], _num(f.get("outcome")))
    out.print(t)


@runs_app.command("diff")
@user_errors
def runs_diff(
    a: Annotated[int, typer.Argument(metavar="RUN_A")],
    b: Annotated[int, typer.Argument(metavar="RUN_B")],
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    db: DbOption = None,
) -> None:
    """What differs between two runs: inputs, seed, parameters, engine, and each outcome."""
    from ..store import diff_runs

    with _store(db) as store:
        d = diff_runs(_run(store, a), _run(store, b))
    if format is OutFormat.json:
        return _json(d)
    if not d["fields"]:
        out.print("same inputs, models, parameters, seed and engine", markup=False)
    for f, v in d["fields"].items():
        out.print(
            f"{f}: {json.dumps(v['a'], sort_keys=True)} → {json.dumps(v['b'], sort_keys=True)}",
            markup=False,
        )
    t = Table(title="outcomes", title_justify="left")
    for c in ("model", "issue", f"run {a}", f"run {b}", "Δ"):
        t.add_column(c)
    for r in d["outcomes"]:
        t.add_row(r["model"], r["issue"], _num(r["a"]), _num(r["b"]), _num(r["delta"]))
    out.print(t)


# -- ledger ------------------------------------------------------------------------------
@ledger_app.command("seal")
@user_errors
def ledger_seal(
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="a saved forecast run")],
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="only these")] = None,
    db: DbOption = None,
) -> None:
    """Seal every forecast of a saved run in the ledger (SHA-256 + timestamp, hash-chained).

    One transaction: all of the run's forecasts or none. Sealing a run again adds only what is
    missing (nothing, if it is sealed already).
    """
    from ..store import ledger

    with _store(db) as store:
        _run(store, run_id)
        try:
            seqs = ledger.seal_run(store, run_id, model or None)
        except ValueError as e:
            raise ScenarioError([Problem(str(e), field="RUN")]) from None
        total = ledger.sealed_forecasts(store, run_id)
    already = total - len(seqs)
    out.print(
        f"sealed {len(seqs)} forecast(s) of run {run_id}"
        + (f": entries {seqs[0]}–{seqs[-1]}" if seqs else "")
        + (f" ({already} already sealed)" if already else ""),
        markup=False,
    )


@ledger_app.command("pundits")
@user_errors
def ledger_pundits(
    file: Annotated[Path | None, typer.Argument(help="pundit file (default: the op-eds)")] = None,
    db: DbOption = None,
) -> None:
    """Seal verbal (pundit) forecasts, read as ranges on an issue's scale."""
    from ..store import ledger

    with _store(db) as store:
        seqs = ledger.seal_pundits(store, file)
    out.print(f"sealed {len(seqs)} pundit forecast(s)", markup=False)


@ledger_app.command("resolve")
@user_errors
def ledger_resolve(
    question: Annotated[
        str | None, typer.Argument(help="SCENARIO:ISSUE, e.g. korea-2003:usfk_posture")
    ] = None,
    outcome: Annotated[float | None, typer.Option(help="what happened, on the issue's scale")] = (
        None
    ),
    date: Annotated[str | None, typer.Option(help="when (ISO date)")] = None,
    source: Annotated[str | None, typer.Option(help="per whom")] = None,
    note: Annotated[str | None, typer.Option()] = None,
    case: Annotated[
        str | None, typer.Option(help="resolve every known outcome of a case (name or file)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Record what happened on a question (or on every resolved issue of a case)."""
    from ..backtest import load_cases
    from ..store import ledger

    if (case is None) == (question is None):
        raise ScenarioError([Problem("give either QUESTION with --outcome, or --case")])
    with _store(db) as store:
        if case is not None:
            seqs = [s for c in load_cases([case]) for s in ledger.resolve_case(store, c.scenario)]
            out.print(f"resolved {len(seqs)} question(s) from {case}", markup=False)
            return
        if outcome is None:
            raise ScenarioError([Problem("--outcome is required", field="--outcome")])
        seq = ledger.resolve(store, str(question), outcome, date, source, note)
    out.print(f"resolved {question} = {outcome:g} (entry {seq})", markup=False)


@ledger_app.command("head")
@user_errors
def ledger_head(
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    db: DbOption = None,
) -> None:
    """Print the ledger's head hash and entry count: keep or publish it, then `verify --head`."""
    from ..store import ledger

    with _store(db) as store:
        h, n = ledger.head(store)
    if format is OutFormat.json:
        return _json({"head": h, "entries": n})
    out.print(f"{h} ({n} entries)", markup=False)


@ledger_app.command("verify")
@user_errors
def ledger_verify(
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="a head hash you kept (`ledger head`): catches truncation "
            "and rewrites of the chain's tail",
        ),
    ] = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    db: DbOption = None,
) -> None:
    """Recompute every seal, link and run hash; exit 1 and name each entry tampered with."""
    from ..store import ledger

    kept = None
    if head is not None:
        try:
            kept = ledger.parse_head(head)
        except ValueError as e:
            raise ScenarioError([Problem(str(e), field="--head")]) from None
    with _store(db) as store:
        v = ledger.verify(store, kept)
    if format is OutFormat.json:
        _json(v.to_dict())
        if not v.ok:
            raise typer.Exit(1)
        return
    if v.ok:
        line = f"ledger intact: {v.n} entries; head {v.head}"
        if kept is not None:
            line += f"; the head you kept is entry {v.kept_head_seq}"
        out.print(line, markup=False)
        if v.legacy:
            out.print(
                f"note: {v.legacy} entr{'y' if v.legacy == 1 else 'ies'} sealed before chain "
                "version 2 (their hash does not cover run_id or the run record; their run "
                "fields are checked against the sealed copy)",
                markup=False,
            )
        return
    err.print(f"LEDGER TAMPERED: {len(v.problems)} problem(s) in {v.n} entries", markup=False)
    for p in v.problems:
        err.print(f"  {p}", markup=False)
    raise typer.Exit(1)


@ledger_app.command("score")
@user_errors
def ledger_score(
    by: Annotated[str, typer.Option(help="forecaster, year, question or entry")] = "forecaster",
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    db: DbOption = None,
) -> None:
    """Score every resolved forecast (absolute error, interval hit, CRPS; 0–100 scale)."""
    from ..store import ledger

    groups = {
        "forecaster": ("forecaster",),
        "year": ("forecaster", "year"),
        "question": ("question", "forecaster"),
        "entry": (),
    }
    if by not in groups:
        raise ScenarioError([Problem(f"--by must be one of {', '.join(groups)}", field="--by")])
    with _store(db) as store:
        scores = ledger.score(store)
    table = scores if by == "entry" else ledger.summarise(scores, groups[by])
    if format is OutFormat.json:
        return _json(json.loads(table.to_json(orient="records")))
    if format is OutFormat.csv:
        sys.stdout.write(table.to_csv(index=False))
        return
    t = Table(title=f"{len(scores)} resolved forecast(s)", title_justify="left")
    for c in table.columns:
        t.add_column(str(c))
    digits = [4 if c == "brier" else 2 for c in table.columns]  # Brier scores are small
    for row in table.itertuples(index=False):
        cells = zip(row, digits, strict=True)
        t.add_row(*(_num(v, d) if isinstance(v, float) else str(v) for v, d in cells))
    out.print(t)
    if bool(scores["hindsight"].any()):
        err.print(
            "note: some entries were sealed after their outcome was known, or computed now "
            "from the data before their question (hindsight column in --by entry): they are "
            "backtests, not forecasts",
            markup=False,
        )
