"""``realpolitik survival``: will the alliance hold? Validation, forecasts, the thesis test.

Commands: ``validate`` (rolling-origin out-of-sample scores), ``forecast A B`` (P(alliance ends
within 5 years), fitted only on earlier data), ``thesis`` (hazard ratios of congruence and
risk sharing, with robustness). Heavy imports happen inside the commands.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..scenario import Problem, ScenarioError
from .app import OutFormat, app, err, out, user_errors

__all__ = ["survival_app"]

survival_app = typer.Typer(help="Alliance survival from ATOP: validate, forecast, thesis.",
                           no_args_is_help=True)
app.add_typer(survival_app, name="survival")

DataOpt = Annotated[Path | None, typer.Option(
    "--data", help="data folder (default $REALPOLITIK_DATA or ../shared/data/ir)")]
FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f")]


def _load(data: Path | None) -> Any:
    from ..analysis.alliance.survival.table import load_table
    from ..data import DataError

    try:
        return load_table(data)
    except DataError as e:
        raise ScenarioError([Problem(str(e), field="survival")]) from None


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _dump(doc: Any) -> None:
    sys.stdout.write(json.dumps(_clean(doc), indent=2) + "\n")


def _fmt(v: float | None, ci: list[float | None], sign: str = "") -> str:
    if v is None:  # a score the data cannot give (JSON null)
        return "–"
    if ci[0] is None or ci[1] is None:
        return f"{v:{sign}.3f}"
    return f"{v:{sign}.3f} [{ci[0]:{sign}.3f}, {ci[1]:{sign}.3f}]"


@survival_app.command("validate")
@user_errors
def validate_cmd(
    cut: Annotated[list[int] | None, typer.Option(
        "--cut", help="origin year (repeatable); default 1945, 1965, 1989, 2000 pooled")] = None,
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="model names")] = None,
    reps: Annotated[int, typer.Option(help="bootstrap replicates")] = 300,
    seed: Annotated[int, typer.Option(help="bootstrap seed")] = 0,
    data: DataOpt = None,
    format: FormatOpt = OutFormat.table,
) -> None:
    """Out-of-sample 5-year scores per model vs Kaplan–Meier and a controls-only model."""
    from ..analysis.alliance.survival import models as mdl
    from ..analysis.alliance.survival import validate as val

    cuts = tuple(cut or val.CUTS)
    names = tuple(model or val.DEFAULT_MODELS)
    bad = [n for n in names if n not in mdl.REGISTRY]
    if bad:
        raise ScenarioError([Problem(f"unknown model(s) {bad}; known: {list(mdl.REGISTRY)}",
                                     field="--model")])
    if reps < 1:
        raise ScenarioError([Problem("must be >= 1", field="--reps")])
    sd = _load(data)
    try:
        result = val.validate(sd, cuts, names, reps, seed)
    except ValueError as e:
        raise ScenarioError([Problem(str(e), field="--cut")]) from None
    doc = result.to_json()
    if format is OutFormat.json:
        _dump(doc)
        return
    out.print(validation_table(doc, f"survival validate: cuts {', '.join(map(str, cuts))}, "
                               "5-year ending"))
    out.print(validation_note(doc))


def validation_table(doc: dict[str, Any], title: str) -> Table:
    """The validation record as a table: scores and differences vs KM with intervals."""
    t = Table(title=f"{title}; {doc['dyads']} dyads, {doc['ended']} ended in "
              f"{doc['independent_events']} independent events ({doc['competing_excluded']} "
              "state deaths left out)", title_justify="left")
    for c in ("model", "C-index [95%]", "C − KM [95%]", "AUC [95%]", "AUC − KM [95%]",
              "Brier [95%]", "Brier − KM [95%]", "events"):
        t.add_column(c)
    for r in doc["models"]:
        def vs(k: str, r: dict[str, Any] = r) -> str:
            return _fmt(r[f"{k}_vs_km"], r[f"{k}_vs_km_ci"], "+") if f"{k}_vs_km" in r else "—"
        t.add_row(r["model"], _fmt(r["c_index"], r["c_index_ci"]), vs("c_index"),
                  _fmt(r["auc"], r["auc_ci"]), vs("auc"), _fmt(r["brier"], r["brier_ci"]),
                  vs("brier"), str(r["independent_events"]))
    return t


def validation_note(doc: dict[str, Any]) -> str:
    """How to read the validation table (printed under it)."""
    return (f"Intervals: {doc['interval']}, {doc['bootstrap_reps']} replicates. Higher C/AUC "
            "and lower Brier are better. A difference whose interval spans 0 is not a win; "
            f"with {doc['independent_events']} independent events, few can be.")


@survival_app.command("forecast")
@user_errors
def forecast_cmd(
    a: Annotated[str, typer.Argument(help="first state (ISO3, ISO2, COW abbreviation or code)")],
    b: Annotated[str, typer.Argument(help="second state")],
    year: Annotated[int | None, typer.Option("--year", help="one year")] = None,
    start: Annotated[int | None, typer.Option("--from", help="first year of a series")] = None,
    end: Annotated[int | None, typer.Option("--to", help="last year of a series")] = None,
    model: Annotated[str, typer.Option("--model", "-m", help="survival model")] = "cox",
    data: DataOpt = None,
    format: FormatOpt = OutFormat.table,
) -> None:
    """P(the A–B alliance ends within 5 years), each year from a model fitted before it."""
    from ..analysis.alliance.survival import forecast as fc
    from ..analysis.alliance.survival import models as mdl

    if model not in mdl.REGISTRY:
        raise ScenarioError([Problem(f"unknown model {model!r}; known: {list(mdl.REGISTRY)}",
                                     field="--model")])
    if year is not None and (start is not None or end is not None):
        raise ScenarioError([Problem("give --year or --from/--to, not both", field="--year")])
    if year is None and start is None and end is None:
        raise ScenarioError([Problem("give --year or --from/--to", field="--year")])
    first = year if year is not None else (start if start is not None else end)
    last = year if year is not None else (end if end is not None else start)
    assert first is not None and last is not None
    sd = _load(data)
    try:
        rows = fc.forecast_series(sd, a, b, first, last, model)
    except fc.ForecastError as e:
        raise ScenarioError([Problem(str(e), field="survival forecast")]) from None
    if format is OutFormat.json:
        _dump({"dyad": [a, b], "model": model, "horizon": fc.HORIZON,
               "interval": "90%, coefficient draws", "rows": rows})
        return
    if format is OutFormat.csv:
        sys.stdout.write("year,p_end_5y,lo,hi,ended_within_5y\n")
        for r in rows:
            sys.stdout.write(f"{r['year']},{r['p_end_5y']:.6f},{r['interval_90'][0]:.6f},"
                             f"{r['interval_90'][1]:.6f},{r['ended_within_5y']}\n")
        return
    t = Table(title=f"{a}–{b}: P(alliance ends within 5 years), model {model} fitted on the "
              "years before each row", title_justify="left")
    for c in ("year", "P(end ≤5y)", "90% interval", "age", "ended ≤5y", "moved most by"):
        t.add_column(c)
    for r in rows:
        lo, hi = r["interval_90"]
        drivers = ", ".join(f"{d['covariate']} {d['log_hazard_shift']:+.2f}"
                            for d in r["drivers"])
        t.add_row(str(r["year"]), f"{r['p_end_5y']:.3f}",
                  "—" if math.isnan(lo) else f"{lo:.3f}–{hi:.3f}", str(r["age"]),
                  {None: "?", True: "yes", False: "no"}[r["ended_within_5y"]], drivers)
    out.print(t)


@survival_app.command("thesis")
@user_errors
def thesis_cmd(data: DataOpt = None, format: FormatOpt = OutFormat.table) -> None:
    """Hazard ratios of congruence and risk sharing; 1945 excluded; events counted once."""
    from ..analysis.alliance.survival.thesis import SAMPLES, thesis

    sd = _load(data)
    doc = thesis(sd)
    doc["ph_checks"] = _ph_checks(sd)
    if format is OutFormat.json:
        _dump(doc)
        return
    t = Table(title="Does congruence/risk sharing keep alliances alive? Hazard ratios of "
              "abrogation [95%, year-clustered]", title_justify="left")
    for c in ("covariate", "group", "expected", *SAMPLES, "verdict"):
        t.add_column(c)
    for r in doc["covariates"]:
        cells = [f"{r[s]:.2f} [{r[f'{s}_lo']:.2f}, {r[f'{s}_hi']:.2f}]" for s in SAMPLES]
        t.add_row(r["covariate"], r["group"], r["expected"], *cells, r["verdict"])
    out.print(t)
    for name, info in doc["samples"].items():
        err.print(f"{name}: {info['events']} abrogations in {info['clusters']} ending events, "
                  f"{info['dyad_years']} dyad-years", markup=False)
    _print_ph(doc["ph_checks"])


def _ph_checks(sd: Any) -> dict[str, Any]:
    """Proportional-hazards checks of the thesis's Cox fit (``ph_checks``): the full sample,
    and under ``other_samples`` the robustness samples the verdict also asks for."""
    from ..analysis.alliance.survival.ph import ph_checks
    from ..analysis.alliance.survival.thesis import EXPECTED, samples

    rows = samples(sd)
    doc = {"sample": "full", **ph_checks(rows["full"], list(EXPECTED))}
    doc["other_samples"] = {}
    for name in ("no_1945", "events_once"):
        other = ph_checks(rows[name], list(EXPECTED))
        doc["other_samples"][name] = {"global": other["global"],
                                      "covariates": other["covariates"]}
    return doc


def _print_ph(doc: dict[str, Any]) -> None:
    g = doc["global"]
    t = Table(title="Proportional hazards: does each effect change with alliance age? "
              f"covariate × log(1 + age), {doc['interval']}; global Wald χ² = {g['chi2']:.1f} "
              f"on {g['df']} df, p = {g['p']:.2g} ({g['verdict']})", title_justify="left")
    others = doc.get("other_samples", {})
    for c in ("covariate", "γ [95%]", "p", "Holm p", "HR age 1", "HR age 20", "verdict",
              *(f"p {name}" for name in others)):
        t.add_column(c)
    for i, r in enumerate(doc["covariates"]):
        more = [f"{o['covariates'][i]['p']:.3f}" for o in others.values()]
        if r["verdict"] == "not estimable":
            t.add_row(r["covariate"], "—", "—", "—", "—", "—", r["verdict"], *more)
            continue
        ages = [f"{r[f'hr_age_{a}']:.2f} [{r[f'hr_age_{a}_ci'][0]:.2f}, "
                f"{r[f'hr_age_{a}_ci'][1]:.2f}]" for a in (1, 20)]
        t.add_row(r["covariate"], f"{r['gamma']:+.3f} [{r['lo']:+.3f}, {r['hi']:+.3f}]",
                  f"{r['p']:.3f}", f"{r['p_holm']:.3f}", *ages, r["verdict"], *more)
    out.print(t)
    for name, o in others.items():
        g = o["global"]
        out.print(f"{name}: global χ² = {g['chi2']:.1f} on {g['df']} df, p = {g['p']:.2g} "
                  f"({g['verdict']})")


@survival_app.command("risks")
@user_errors
def risks_cmd(
    age: Annotated[list[int] | None, typer.Option(
        "--age", help="years in force (repeatable); default 1, 5, 10, 20, 50")] = None,
    models: Annotated[bool, typer.Option(
        "--models/--no-models", help="also fit the cause-specific hazard models")] = True,
    reps: Annotated[int, typer.Option(help="bootstrap replicates of the CIFs (0: none)")] = 300,
    seed: Annotated[int, typer.Option(help="bootstrap seed")] = 0,
    data: DataOpt = None,
    format: FormatOpt = OutFormat.table,
) -> None:
    """Competing risks: abrogation vs state death (Aalen–Johansen CIF beside 1 − KM, and
    cause-specific hazard ratios of the thesis covariates)."""
    from ..analysis.alliance.survival import risks

    ages = tuple(age or risks.REPORT_AGES)
    if min(ages) < 1:
        raise ScenarioError([Problem(f"ages must be >= 1 year, not {min(ages)}", field="--age")])
    if reps < 0:
        raise ScenarioError([Problem("must be >= 0", field="--reps")])
    doc = risks.competing_risks(_load(data), ages, models=models, reps=reps, seed=seed)
    if format is OutFormat.json:
        _dump(doc)
        return
    t = Table(title=f"P(ended within t years), {doc['spells']} spells: "
              f"{doc['ended']['abrogation']} abrogations, {doc['ended']['state_death']} state "
              f"deaths, {doc['censored']} censored. CIF: Aalen–Johansen; 1 − KM: the other "
              "cause censored", title_justify="left")
    for c in ("years", "at risk", "CIF abrogation", "1 − KM abrogation", "CIF state death",
              "1 − KM state death", "still allied"):
        t.add_column(c)
    for r in doc["cif"]:
        cif = {k: f"{r[f'cif_{k}']:.3f}" + (f" [{r[f'cif_{k}_ci'][0]:.3f}, "
                                           f"{r[f'cif_{k}_ci'][1]:.3f}]"
                                           if f"cif_{k}_ci" in r else "")
               for k in ("abrogation", "state_death")}
        t.add_row(str(r["age"]), str(r["at_risk"]), cif["abrogation"],
                  f"{r['one_minus_km_abrogation']:.3f}", cif["state_death"],
                  f"{r['one_minus_km_state_death']:.3f}", f"{r['survival']:.3f}")
    out.print(t)
    if doc["bootstrap_reps"]:
        out.print(f"CIF intervals: {doc['interval']}, {doc['bootstrap_reps']} replicates, seed "
                  f"{doc['seed']}.")
    if "cause_specific" in doc:
        _print_cause_specific(doc["cause_specific"])


def _print_cause_specific(doc: dict[str, Any]) -> None:
    n = {k: f"{v['events']} endings in {v['clusters']} events" for k, v in doc["causes"].items()}
    t = Table(title="Cause-specific hazard ratios [95%, year-clustered]: abrogation "
              f"({n['abrogation']}) vs state death ({n['state_death']})", title_justify="left")
    for c in ("covariate", "abrogation", "state death", "state-death events observed", "note"):
        t.add_column(c)
    for r in doc["covariates"]:
        cells = [f"{r[k]:.2f} [{r[f'{k}_ci'][0]:.2f}, {r[f'{k}_ci'][1]:.2f}]"
                 for k in ("abrogation", "state_death")]
        if not r["estimable"]:
            cells[1] = "too few events"
        t.add_row(r["covariate"], *cells, str(r["state_death_events_observed"]), r["note"])
    out.print(t)
