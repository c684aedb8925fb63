"""Forecast results as files: the CLI's ``--format json`` and ``--format csv`` outputs.

One writer for each, shared by the command line and the web app's downloads, so that a
result downloaded from the browser is the same file the CLI prints for the same scenario,
models, parameters, seed and draws (docs/json-schema.md is the contract).
"""

from __future__ import annotations

import io
import json
from typing import Any

from .scenario import Scenario

__all__ = ["to_json", "forecast_csv", "draws_csv", "with_uncertainty"]


def to_json(doc: dict[str, Any]) -> str:
    """A forecast record as the CLI prints it (indented, UTF-8, non-finite numbers refused:
    the records already write them as ``null``)."""
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def forecast_csv(f: Any) -> str:
    """Tidy CSV of a point forecast: model, issue, outcome, low, high, status_quo,
    known_outcome (``Forecast.to_frame()``)."""
    buf = io.StringIO()
    f.to_frame().to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def draws_csv(doc: dict[str, Any]) -> str:
    """CSV of a Monte Carlo forecast record: per model × issue the median outcome, the point
    forecast, mean, sd, the 80% and 95% interval ends and each named range's probability."""
    rows = []
    for row in doc["forecasts"]:
        d = row.get("distribution") or {}
        rows.append({
            "model": row["model"], "issue": row["issue"], "outcome": row["outcome"],
            **{k: d.get(k) for k in ("point", "mean", "sd", "p2_5", "p10", "p90", "p97_5")},
            **{f"P({k})": v for k, v in d.get("probabilities", {}).items()},
        })
    import pandas as pd  # here, not at the top: JSON output should not pay for it

    return str(pd.DataFrame(rows).to_csv(index=False))


def with_uncertainty(sc: Scenario, spec: Any = None) -> tuple[Scenario, str | None]:
    """The scenario to draw from and a note when the documented default was applied:
    ``spec`` (an :class:`~realpolitik.scenario.UncertaintyDefaults`) if given, else the
    scenario's own declared uncertainty, else ``DEFAULT_UNCERTAINTY``."""
    from .analysis.uncertainty.sampling import DEFAULT_UNCERTAINTY, declares_uncertainty

    if spec is not None:
        return sc.replace(uncertainty=spec), None
    if declares_uncertainty(sc):
        return sc, None
    d = DEFAULT_UNCERTAINTY
    note = (
        f"the scenario declares no input uncertainty; using the default ±{d.position:g}% "
        f"of each scale on positions, ±{d.salience:.0%} on salience and ±{d.capability:.0%}"
        " on capability (set it with --uncertainty or an `uncertainty:` block)"
    )
    return sc.replace(uncertainty=d), note
