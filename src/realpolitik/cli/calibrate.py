"""``realpolitik calibrate``: do the prediction intervals cover what they claim, held out?"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..scenario import Problem, ScenarioError
from .app import OutFormat, app, out, user_errors

DEU_DIR = Path("..") / "shared" / "data" / "cases" / "deu3"


def _existing(path: Path | None, default: Path, option: str) -> Path:
    p = path or default
    if not p.is_file():
        raise ScenarioError([Problem(
            f"{p} not found; pass {option} PATH (DEU III per-issue outcomes and forecasts, see "
            "docs/backtest.md)", field=option)])
    return p


def scored_case_coverage(seed: int = 0) -> list[dict[str, Any]]:
    """Coverage of the packaged intervals on the shipped cases' known outcomes, per model."""
    import numpy as np

    from ..backtest import load_cases, run_backtest
    from ..backtest.calibration import LEVELS, packaged
    from ..forecast import DEFAULT_MODELS

    cal = packaged()
    rows = run_backtest(load_cases(), list(DEFAULT_MODELS), seed=seed, n_boot=100).rows
    rows = rows.dropna(subset=["forecast", "outcome"])
    out_ = []
    for model, g in rows.groupby("model", sort=False):
        rec: dict[str, Any] = {"model": model, "n": len(g), "basis": cal.margin(str(model), 0.8)[1]}
        for lv in LEVELS:
            q, _ = cal.margin(str(model), lv)
            w = (g["high"] - g["low"]).to_numpy(float)
            lo = np.maximum(g["low"], g["forecast"] - q * w)
            hi = np.minimum(g["high"], g["forecast"] + q * w)
            rec[f"coverage{round(lv * 100)}"] = float(
                np.mean((g["outcome"] >= lo) & (g["outcome"] <= hi)))
        out_.append(rec)
    return out_


@app.command("calibrate")
@user_errors
def calibrate_cmd(
    deu: Annotated[Path | None, typer.Option(
        help="DEU III per-issue file (default ../shared/data/cases/deu3/deu-paired-differences.csv)"
    )] = None,
    split: Annotated[Path | None, typer.Option(
        help="published split (default: deu3_split.json beside it)")] = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
) -> None:
    """Held-out coverage of the 80% and 95% prediction intervals (split conformal on DEU III)."""
    from ..backtest.calibration import calibrate, coverage_report, deu_errors, packaged

    path = _existing(deu, DEU_DIR / "deu-paired-differences.csv", "--deu")
    split_path = _existing(split, path.parent / "deu3_split.json", "--split")
    errors = deu_errors(path, split_path)
    cal = calibrate(errors)
    report = coverage_report(errors, cal)
    scored = scored_case_coverage()
    doc = {
        "schema": "realpolitik.calibration/1",
        "method": "split conformal on absolute errors scaled to each issue's range",
        "calibration": cal.to_dict(),
        "packaged_matches": cal.quantiles == packaged().quantiles,
        "held_out": report,
        "scored_cases": scored,
    }
    if format is OutFormat.json:
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return
    t = Table(title=f"Prediction intervals: calibrated on {cal.source}; coverage on the held-out "
              "dev+test subsets", title_justify="left")
    for c in ("family", "level", "± (points of 100)", "held-out coverage", "n held out"):
        t.add_column(c, justify="left" if c == "family" else "right")
    for r in report:
        t.add_row(r["family"] + (" (DEU challenger)" if r["family"] == "eum" else ""),
                  f"{r['level']:.0%}", f"{r['half_width']:.1f}", f"{r['coverage']:.1%}",
                  str(r["n_held_out"]))
    out.print(t)
    s = Table(title="The same intervals on the shipped cases' known outcomes (few issues: "
              "indicative only)", title_justify="left")
    for c in ("model", "n", "80% coverage", "95% coverage", "error record"):
        s.add_column(c, justify="left" if c in ("model", "error record") else "right")
    for r in scored:
        s.add_row(r["model"], str(r["n"]), f"{r['coverage80']:.0%}", f"{r['coverage95']:.0%}",
                  r["basis"])
    out.print(s)
    if not doc["packaged_matches"]:
        out.print("note: these quantiles differ from the packaged ones (backtest/conformal.json)",
                  markup=False)
