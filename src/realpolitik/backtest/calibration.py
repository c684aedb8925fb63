"""Prediction intervals from the models' real errors: split conformal prediction.

A Monte Carlo interval says how much a forecast moves when the *coded inputs* move; it says
nothing about how wrong the *model* is. On real outcomes the models are often far off (on 351
EU legislative issues the compromise model's median absolute error is about a fifth of the
scale). A prediction interval must carry that error, so realpolitik widens every forecast by a
quantile of the model family's absolute errors on issues with known outcomes:

* errors are absolute and **scaled to the issue's range** (``|outcome − forecast| / (high −
  low)``), so issues on different scales pool;
* the quantile is the split-conformal one (Vovk et al. 2005; Lei et al. 2018): with ``n``
  calibration errors, the ``⌈(n + 1)·level⌉``-th smallest. For exchangeable issues the
  interval ``forecast ± q·(high − low)`` then covers the outcome with probability ≥ ``level``;
* per **model family** where errors exist: ``compromise`` from the compromise forecasts of the
  DEU III issues, ``eum`` from the expected-utility challenger of the same issues (a
  replication's challenger, not this package's EUM — the nearest record of that family);
  every other model uses **compromise's errors** and says so;
* calibration uses the published DEU III split's ``train`` subset (140 issues); its ``dev`` and
  ``test`` subsets (211 issues) are held out to check coverage (``realpolitik calibrate``).

The quantiles are packaged (``conformal.json``) so a forecast needs no data files; a test
recomputes them from the shared data. With Monte Carlo draws the prediction interval is the
input-uncertainty interval widened by the same margin on each side (input uncertainty + model
error, added: conservative).

Data: Arregui, J. & Perarnaud, C. (2022). The DEU III dataset. *J. European Public Policy*
29(1), 12–22 (CC BY 4.0); per-issue outcomes, reference points and forecasts as published by
the schelling replication (``deu-paired-differences.csv``, ``deu3_split.json``).

References
----------
1. Vovk, V., Gammerman, A. & Shafer, G. (2005). *Algorithmic Learning in a Random World*.
2. Lei, J., G'Sell, M., Rinaldo, A., Tibshirani, R. & Wasserman, L. (2018). Distribution-free
   predictive inference for regression. *JASA* 113(523), 1094–1111.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "LEVELS",
    "FAMILIES",
    "conformal_quantile",
    "deu_errors",
    "calibrate",
    "coverage_report",
    "Calibration",
    "packaged",
    "packaged_doc",
    "deu_evidence",
    "table",
    "family_of",
]

#: Interval levels realpolitik reports.
LEVELS = (0.8, 0.95)

#: DEU column of each model family's forecasts.
FAMILIES = {"compromise": "compromise_forecast", "eum": "challenge_forecast"}

#: What each family's errors are (shown beside intervals).
BASIS = {
    "compromise": "compromise's errors on DEU III",
    "eum": "an expected-utility challenger's errors on DEU III",
}


def family_of(model: str) -> str | None:
    """The error family of ``model`` (None: no record of its own)."""
    return model if model in FAMILIES else None


def conformal_quantile(errors: npt.ArrayLike, level: float) -> float:
    """Split-conformal quantile: the ``⌈(n + 1)·level⌉``-th smallest error (∞ if n is too small).

    >>> conformal_quantile([0.1, 0.2, 0.3, 0.4], 0.6)
    0.3
    >>> conformal_quantile([0.1, 0.2, 0.3, 0.4], 0.95)
    inf
    """
    e = np.sort(np.asarray(errors, float))
    k = math.ceil((e.size + 1) * level)
    return float(e[k - 1]) if k <= e.size else math.inf


def deu_errors(path: str | Path, split_path: str | Path | None = None) -> Any:
    """The DEU III issues with each family's scaled absolute error and the split subset."""
    import pandas as pd

    d = pd.read_csv(path)
    for fam, col in FAMILIES.items():  # DEU III positions run 0–100
        d[f"error_{fam}"] = (d["outcome"] - d[col]).abs() / 100.0
    if split_path is not None:
        assignment = json.loads(Path(split_path).read_text(encoding="utf-8"))["assignment"]
        d["subset"] = d["issue_id"].map(assignment)
    return d


@dataclass(frozen=True)
class Calibration:
    """Conformal quantiles per family and level (scaled errors), and where they come from."""

    quantiles: dict[str, dict[str, float]]
    n: dict[str, int]
    source: str

    def margin(self, model: str, level: float) -> tuple[float, str]:
        """(scaled half-width, basis) for ``model``: its family's, else compromise's."""
        fam = family_of(model)
        basis = BASIS.get(fam or "", "")
        if fam is None or fam not in self.quantiles:
            fam, basis = "compromise", f"no error record for {model}: {BASIS['compromise']}"
        return self.quantiles[fam][f"{level:g}"], basis

    def interval(
        self,
        model: str,
        low_end: float,
        high_end: float,
        scale: tuple[float, float],
        level: float,
    ) -> tuple[float, float]:
        """The prediction interval around [``low_end``, ``high_end``] (a point, or an
        input-uncertainty interval), widened by the margin and clipped to the scale."""
        q, _ = self.margin(model, level)
        width = scale[1] - scale[0]
        return max(scale[0], low_end - q * width), min(scale[1], high_end + q * width)

    def to_dict(self) -> dict[str, Any]:
        return {"quantiles": self.quantiles, "n": self.n, "source": self.source,
                "basis": BASIS, "levels": list(LEVELS)}


def calibrate(errors: Any, subset: str | tuple[str, ...] = "train") -> Calibration:
    """Conformal quantiles from the ``subset`` issues of :func:`deu_errors`' table."""
    subsets = (subset,) if isinstance(subset, str) else subset
    cal = errors[errors["subset"].isin(subsets)]
    q = {fam: {f"{lv:g}": conformal_quantile(cal[f"error_{fam}"], lv) for lv in LEVELS}
         for fam in FAMILIES}
    return Calibration(
        q, {fam: int(len(cal)) for fam in FAMILIES},
        f"DEU III ({'+'.join(subsets)} subset of the published split, {len(cal)} issues)",
    )


def coverage_report(errors: Any, cal: Calibration, held_out: tuple[str, ...] = ("dev", "test")
                    ) -> list[dict[str, Any]]:
    """Held-out coverage and mean width of each family's intervals at each level."""
    ho = errors[errors["subset"].isin(held_out)]
    rows = []
    for fam in FAMILIES:
        for lv in LEVELS:
            q = cal.quantiles[fam][f"{lv:g}"]
            fc = ho[FAMILIES[fam]].to_numpy(float)
            lo, hi = np.clip(fc - 100 * q, 0, 100), np.clip(fc + 100 * q, 0, 100)
            y = ho["outcome"].to_numpy(float)
            rows.append({
                "family": fam, "level": lv, "n_calibration": cal.n[fam], "n_held_out": len(ho),
                "half_width": 100 * q, "coverage": float(np.mean((y >= lo) & (y <= hi))),
                "mean_width": float(np.mean(hi - lo)),
            })
    return rows


def deu_evidence(errors: Any, seed: int = 0, n_boot: int = 2000) -> dict[str, dict[str, Any]]:
    """Per family, MAE and the paired difference from compromise on every DEU III issue
    (points of 100; bootstrap interval resampling dossiers, issues of one proposal being
    dependent) — the track record printed beside forecasts."""
    from .metrics import paired_bootstrap

    base = 100 * errors["error_compromise"].to_numpy(float)
    out = {}
    for fam in FAMILIES:
        e = 100 * errors[f"error_{fam}"].to_numpy(float)
        ci = paired_bootstrap(e, base, np.random.default_rng(seed), n_boot,
                              clusters=errors["dossier"].to_numpy())
        out[fam] = {"n": int(e.size), "mae": float(e.mean()), "diff": float(ci.estimate),
                    "diff_low": float(ci.low), "diff_high": float(ci.high)}
    return out


def table(errors: Any) -> dict[str, Any]:
    """What ``conformal.json`` holds: the calibration and the DEU III evidence."""
    cal = calibrate(errors)
    return {"quantiles": cal.quantiles, "n": cal.n, "source": cal.source,
            "deu_evidence": deu_evidence(errors)}


@cache
def packaged_doc() -> dict[str, Any]:
    """``backtest/conformal.json`` as shipped (regenerate with :func:`table`)."""
    text = resources.files(__package__).joinpath("conformal.json").read_text("utf-8")
    return dict(json.loads(text))


def packaged() -> Calibration:
    """The calibration shipped with realpolitik (``backtest/conformal.json``)."""
    doc = packaged_doc()
    return Calibration(doc["quantiles"], doc["n"], doc["source"])
