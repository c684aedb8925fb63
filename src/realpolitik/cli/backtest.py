"""``realpolitik backtest``: score models on cases with known outcomes against the baseline."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..scenario import Problem, ScenarioError
from .app import OutFormat, app, err, out, parse_params, user_errors

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="database URL (default: REALPOLITIK_DB, else SQLite in the data directory)"
    ),
]


def _weights(pairs: list[str]) -> list[tuple[float, float]] | None:
    if not pairs:
        return None
    out_: list[tuple[float, float]] = []
    for p in pairs:
        try:
            com, ep = (float(x) for x in p.split(","))
        except ValueError:
            raise ScenarioError(
                [Problem(f"expected COMMISSION,PARLIAMENT (e.g. 29,29), got {p!r}", field="--deu")]
            ) from None
        out_.append((com, ep))
    return out_


def _split(path: Path | None, seed: int, cases: list[Any]) -> Any:
    """Load the split at ``path``, or make one and save it there before anything is fitted."""
    from ..backtest.splits import load_split, make_split, save_split

    if path is None:
        return None
    if path.exists():
        return load_split(path)
    ids = [f"{c.name}:{i}" for c in cases for i in c.resolved_issues()]
    split = make_split(ids, seed)
    save_split(split, path)
    err.print(f"wrote split {path} (seed {seed}: {split.counts()})", markup=False)
    return split


def _ci(row: dict[str, Any], baseline: str) -> str:
    if row["model"] == baseline:
        return "baseline"
    if row.get("diff") is None or not math.isfinite(row["diff"]):
        return "–"
    return f"{row['diff']:+.2f} [{row['diff_low']:+.2f}, {row['diff_high']:+.2f}]"


def leaderboard_table(board: Any, baseline: str, level: float, n_boot: int) -> Table:
    """The leaderboard as a rich table (one row per model; best MAE first)."""
    mc = "crps" in board.columns
    t = Table(
        title=f"Leaderboard (errors on each issue's 0–100 scale; Δ vs {baseline} with "
        f"{level:.0%} paired bootstrap interval, {n_boot} replicates)",
        title_justify="left",
    )
    if "variant" in board.columns:
        t.add_column("variant")
    for col in ["model", "n", "MAE", "MdAE", "RMSE", "≤5", "≤10", "≤20", f"Δ MAE vs {baseline}"]:
        t.add_column(col, justify="left" if col in ("model",) else "right")
    if mc:
        t.add_column("cover90", justify="right")
        t.add_column("CRPS", justify="right")
    for r in board.to_dict("records"):
        cells = [r["variant"]] if "variant" in board.columns else []
        cells += [
            r["model"],
            str(r["n"]),
            f"{r['mae']:.2f}",
            f"{r['median_ae']:.2f}",
            f"{r['rmse']:.2f}",
            f"{r['within5']:.0%}",
            f"{r['within10']:.0%}",
            f"{r['within20']:.0%}",
            _ci(r, baseline),
        ]
        if mc:
            cov, crps = r.get("coverage90"), r.get("crps")
            ok = cov is not None and not (isinstance(cov, float) and math.isnan(cov))
            cells += [f"{cov:.0%}" if ok else "–", f"{crps:.2f}" if ok else "–"]
        t.add_row(*cells)
    return t


def _survival(cuts: list[int], models: list[str], reps: int, seed: int) -> dict[str, Any]:
    """The survival benchmark (cached), or a located error for bad options or missing data."""
    from ..analysis.alliance.survival import models as mdl
    from ..analysis.alliance.survival import validate as val
    from ..analysis.alliance.survival.table import load_table
    from ..backtest.survival import benchmark
    from ..data import DataError

    bad = [m for m in models if m not in mdl.REGISTRY]
    if bad:
        raise ScenarioError(
            [
                Problem(
                    f"unknown model(s) {bad}; known: {list(mdl.REGISTRY)}", field="--survival-model"
                )
            ]
        )
    try:
        data = load_table()
    except DataError as e:
        raise ScenarioError([Problem(str(e), field="--survival")]) from None
    try:
        return benchmark(data, cuts or val.CUTS, models or val.DEFAULT_MODELS, reps, seed)
    except ValueError as e:
        raise ScenarioError([Problem(str(e), field="--survival-cut")]) from None


@app.command("backtest")
@user_errors
def backtest_cmd(
    cases: Annotated[
        list[str] | None,
        typer.Argument(help="shipped case names, scenario files or folders (default: shipped)"),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="model (repeatable); default: every registered model"),
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="KEY=VALUE or MODEL.KEY=VALUE")
    ] = None,
    seed: Annotated[int, typer.Option(help="seed of the models and the bootstrap")] = 0,
    baseline: Annotated[str, typer.Option(help="the model every other is compared with")] = (
        "compromise"
    ),
    boot: Annotated[int, typer.Option(help="bootstrap replicates", min=100)] = 2000,
    level: Annotated[float, typer.Option(help="interval level", min=0.5, max=0.999)] = 0.95,
    split: Annotated[
        Path | None,
        typer.Option(help="split file: used if it exists, else made (seeded) and saved first"),
    ] = None,
    split_seed: Annotated[int | None, typer.Option(help="seed of a new split (default --seed)")] = (
        None
    ),
    subset: Annotated[str | None, typer.Option(help="score only train, dev or test")] = None,
    deu: Annotated[
        list[str] | None,
        typer.Option("--deu", help="DEU Commission,Parliament weights (repeatable: a sweep)"),
    ] = None,
    draws: Annotated[
        int, typer.Option(help="Monte Carlo draws per case (0 = none): adds coverage and CRPS")
    ] = 0,
    survival: Annotated[
        bool,
        typer.Option(
            "--survival",
            help="add the alliance-survival benchmark (ATOP; C-index, AUC, Brier vs "
            "Kaplan–Meier) as a second table; cached on disk",
        ),
    ] = False,
    survival_cut: Annotated[
        list[int] | None,
        typer.Option(help="survival origin year (repeatable); default 1945, 1965, 1989, 2000"),
    ] = None,
    survival_model: Annotated[
        list[str] | None, typer.Option(help="survival model (repeatable); default all")
    ] = None,
    survival_reps: Annotated[
        int, typer.Option(help="survival bootstrap replicates (seeded by --seed)", min=1)
    ] = 300,
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    save: Annotated[bool, typer.Option(help="save the backtest record in the run store")] = False,
    db: DbOption = None,
) -> None:
    """Score models on every issue with a known outcome, against the compromise baseline.

    With --survival, also the alliance-survival models out of sample (a different question:
    will an alliance end within 5 years), in a table of its own.
    """
    from ..backtest import load_cases, run_backtest
    from ..backtest.backtest import montecarlo_sampler

    if subset is not None and subset not in ("train", "dev", "test"):
        raise ScenarioError([Problem(f"--subset must be train, dev or test, not {subset!r}")])
    if subset is not None and split is None:
        raise ScenarioError([Problem("--subset needs --split FILE", field="--subset")])
    try:
        loaded = load_cases(cases or None, _weights(deu or []))
    except (FileNotFoundError, KeyError) as e:
        raise ScenarioError([Problem(str(e).strip("'\""), field="CASES")]) from None
    sp = _split(split, seed if split_seed is None else split_seed, loaded)
    sampler = montecarlo_sampler(draws) if draws > 0 else None
    bt = run_backtest(
        loaded,
        model or None,
        parse_params(param or []),
        seed,
        sp,
        subset,
        baseline,
        boot,
        level,
        sampler,
    )
    bench = (
        _survival(survival_cut or [], survival_model or [], survival_reps, seed)
        if survival
        else None
    )
    if save:
        from ..store import Store

        with Store(db) as store:
            rid = store.save_backtest(bt)
        err.print(f"saved run {rid} in {store.display_url}", markup=False)
    if format is OutFormat.json:
        doc = bt.to_dict()
        if bench is not None:
            doc["survival"] = bench
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return
    if format is OutFormat.csv:
        sys.stdout.write(bt.rows.drop(columns=["samples"], errors="ignore").to_csv(index=False))
        return
    n_issues = bt.rows.groupby(["case", "variant", "issue"]).ngroups
    out.print(
        f"{len(loaded)} case(s), {n_issues} issue(s) with known outcomes"
        + (f", subset {subset}" if subset else "")
        + f"; seed {seed}",
        markup=False,
    )
    out.print(leaderboard_table(bt.board, baseline, level, boot))
    out.print(
        f"Δ < 0: more accurate than {baseline}. An interval that contains 0 means no difference "
        "is detectable on these issues.",
        markup=False,
    )
    for s in bt.skipped:
        err.print(f"note: {s['model']} skipped on {s['case']}: {s['reason']}", markup=False)
    if bench is not None:
        from .survival import validation_note, validation_table

        cuts = ", ".join(map(str, bench["cuts"]))
        out.print(
            validation_table(
                bench,
                "Alliance survival (ATOP): P(an alliance ends by abrogation within 5 years), "
                f"out of sample from origins {cuts}; vs Kaplan–Meier, 95% event-clustered "
                "bootstrap intervals",
            )
        )
        out.print(validation_note(bench), markup=False)
