"""Out-of-sample validation from rolling origins, with event-clustered bootstrap intervals.

For an origin (cut) year c: every model is fitted on the dyad-years up to c − 1 (whose
outcomes are known in year c) and predicts, for every dyad allied in year c, the probability
that its spell ends by abrogation within 5 years (last allied year in c … c+4), holding the
covariates at their year-c values (each measured in c − 1). Spells that end by a member's
state death inside the window are a competing end: they are left out of the scores and
counted. Scores (Steyerberg 2010 for the set):

* **C-index** (Harrell et al. 1982): over comparable pairs (one ends at t, the other later or
  not at all), the share where the one ending first had the higher predicted risk;
* **AUC** at 5 years (cumulative/dynamic, Heagerty et al. 2000): cases ended within 5 years,
  controls still allied after; the window is fully observed, so no censoring weights;
* **Brier** score at 5 years (Graf et al. 1999): mean squared error of the probability;
* a calibration table: predicted vs observed 5-year ending by decile of predicted risk.

Intervals: a stratified bootstrap whose units are *ending events* — all the dyads ended by one
multilateral event (:func:`.spells.ending_events`) are drawn together — plus the surviving
dyads one by one. The number of independent events behind a figure is printed beside it; a
window with a handful of clustered events cannot show a win, and the verdict says so.

References
----------
.. [1] Harrell, F. E., Califf, R. M., Pryor, D. B., Lee, K. L. & Rosati, R. A. (1982).
   Evaluating the yield of medical tests. *JAMA* 247(18), 2543–2546.
.. [2] Heagerty, P. J., Lumley, T. & Pepe, M. S. (2000). Time-dependent ROC curves for
   censored survival data and a diagnostic marker. *Biometrics* 56(2), 337–344.
.. [3] Graf, E., Schmoor, C., Sauerbrei, W. & Schumacher, M. (1999). Assessment and comparison
   of prognostic classification schemes for survival data. *Stat. Med.* 18, 2529–2545.
.. [4] Field, C. A. & Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B* 69(3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import models as mdl
from .table import SurvivalData

__all__ = ["CUTS", "HORIZON", "DEFAULT_MODELS", "origin_set", "predict_origin", "scores",
           "weighted_auc", "c_index", "calibration", "bootstrap", "Validation", "validate"]

CUTS = (1945, 1965, 1989, 2000)
HORIZON = 5
DEFAULT_MODELS = ("km", "controls", "logit", "cox", "cox_once", "gbm")


def origin_set(data: SurvivalData, cut: int, horizon: int = HORIZON) -> pd.DataFrame:
    """Dyads allied in ``cut`` with their 5-year outcome.

    Adds ``y`` (1 if the spell ends by abrogation in cut … cut+horizon−1), ``time`` (years to
    that end, 1…horizon; ``horizon`` if none), ``cluster`` (``"<cut>:<event>"`` for ends, the
    dyad for survivors) and drops dyads whose spell ends by state death in the window.
    """
    if cut + horizon - 1 > data.spells["end"].max():
        raise ValueError(f"cut {cut}: the {horizon}-year window passes the last data year")
    rows = data.table[data.table["year"] == cut].copy()
    spell = data.spells.set_index("spell").loc[rows["spell"].to_numpy()]
    end, ending = spell["end"].to_numpy(), spell["ending"].to_numpy()
    inside = end <= cut + horizon - 1
    rows["y"] = (inside & (ending == "abrogation")).astype(int)
    rows["time"] = np.where(rows["y"] == 1, end - cut + 1, horizon)
    competing = inside & (ending == "state_death")
    event = spell["event"].to_numpy()
    rows["cluster"] = np.where(rows["y"] == 1, [f"{cut}:e{e}" for e in event],
                               [f"{cut}:d{s}" for s in rows["spell"]])
    rows.attrs["competing"] = int(competing.sum())
    return rows[~competing].reset_index(drop=True)


def predict_origin(data: SurvivalData, cut: int, names: tuple[str, ...] = DEFAULT_MODELS,
                   horizon: int = HORIZON) -> pd.DataFrame:
    """The origin set of ``cut`` with one column ``p_<model>`` per model (fitted before cut)."""
    train = data.before(cut)
    origin = origin_set(data, cut, horizon)
    for name in names:
        model = mdl.make(name).fit(train)
        origin[f"p_{name}"] = mdl.ending_within(model, origin, horizon)
    origin["cut"] = cut
    return origin


def weighted_auc(score: np.ndarray, pos: np.ndarray, w: np.ndarray) -> float:
    """P(score of a positive > score of a negative), ties ½, with unit weights ``w``."""
    order = np.argsort(score, kind="stable")
    s, p, ww = score[order], pos[order], w[order]
    neg_w = np.where(p, 0.0, ww)
    pos_w = np.where(p, ww, 0.0)
    uniq, start = np.unique(s, return_index=True)
    neg_group = np.add.reduceat(neg_w, start)
    pos_group = np.add.reduceat(pos_w, start)
    below = np.cumsum(neg_group) - neg_group
    total = pos_group.sum() * neg_group.sum()
    if total <= 0:
        return float("nan")
    return float((pos_group * (below + 0.5 * neg_group)).sum() / total)


def c_index(score: np.ndarray, time: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Harrell's C with discrete times: an end at t vs every unit still allied after t."""
    num = den = 0.0
    for t in np.unique(time[y == 1]):
        case = (y == 1) & (time == t)
        comparable = case | (time > t) | ((time == t) & (y == 0))
        auc = weighted_auc(score[comparable], case[comparable], w[comparable])
        weight = w[case].sum() * w[comparable & ~case].sum()
        if weight > 0 and not np.isnan(auc):
            num += auc * weight
            den += weight
    return num / den if den > 0 else float("nan")


def scores(frame: pd.DataFrame, name: str, w: np.ndarray | None = None) -> dict[str, float]:
    """C-index, AUC and Brier of ``p_<name>`` (weights: bootstrap multiplicities)."""
    w = np.ones(len(frame)) if w is None else w
    p, y = frame[f"p_{name}"].to_numpy(), frame["y"].to_numpy()
    pos = y == 1
    brier = float(np.sum(w * (p - y) ** 2) / w.sum())
    return {"c_index": c_index(p, frame["time"].to_numpy(), y, w),
            "auc": weighted_auc(p, pos, w), "brier": brier}


def calibration(frame: pd.DataFrame, name: str, bins: int = 10) -> pd.DataFrame:
    """Mean predicted vs observed 5-year ending by decile of predicted risk."""
    p = frame[f"p_{name}"]
    decile = pd.qcut(p.rank(method="first"), bins, labels=False)
    grouped = frame.assign(decile=decile + 1).groupby("decile")
    return pd.DataFrame({"n": grouped.size(), "predicted": grouped[f"p_{name}"].mean(),
                         "observed": grouped["y"].mean(),
                         "events": grouped["cluster"].apply(
                             lambda c: c[c.str.contains(":e")].nunique())})


def bootstrap(frame: pd.DataFrame, names: tuple[str, ...], reps: int = 300, seed: int = 0
              ) -> dict[str, np.ndarray]:
    """Bootstrap replicates of every score, resampling ending events as clusters.

    Returns ``{f"{model}.{score}": array(reps)}``. Event clusters and surviving dyads are
    resampled separately (stratified), so every replicate has as many events as the data.
    """
    rng = np.random.default_rng(seed)
    codes, uniques = pd.factorize(frame["cluster"])
    is_event = np.array([":e" in u for u in uniques])
    events, survivors = np.flatnonzero(is_event), np.flatnonzero(~is_event)
    out: dict[str, list[float]] = {}
    for _ in range(reps):
        counts = np.zeros(len(uniques))
        np.add.at(counts, rng.choice(events, len(events)), 1.0)
        np.add.at(counts, rng.choice(survivors, len(survivors)), 1.0)
        w = counts[codes]
        for name in names:
            for key, value in scores(frame, name, w).items():
                out.setdefault(f"{name}.{key}", []).append(value)
    return {k: np.asarray(v) for k, v in out.items()}


@dataclass
class Validation:
    """Scores per model with intervals and differences vs KM and vs controls."""

    cuts: tuple[int, ...]
    frame: pd.DataFrame
    rows: list[dict[str, Any]] = field(default_factory=list)
    events: int = 0
    dyads: int = 0
    competing: int = 0
    reps: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"cuts": list(self.cuts), "horizon": HORIZON, "dyads": self.dyads,
                "ended": int(self.frame["y"].sum()), "independent_events": self.events,
                "competing_excluded": self.competing, "bootstrap_reps": self.reps,
                "interval": "95% percentile, events resampled as clusters",
                "models": self.rows}


def _interval(values: np.ndarray) -> list[float]:
    v = values[~np.isnan(values)]
    if len(v) == 0:
        return [float("nan"), float("nan")]
    return [float(np.quantile(v, 0.025)), float(np.quantile(v, 0.975))]


def validate(data: SurvivalData, cuts: tuple[int, ...] = CUTS,
             names: tuple[str, ...] = DEFAULT_MODELS, reps: int = 300, seed: int = 0
             ) -> Validation:
    """Fit before each cut, predict, pool the origins and score with clustered intervals."""
    if "km" not in names:
        names = ("km", *names)
    frames = [predict_origin(data, c, names) for c in cuts]
    competing = sum(int(f.attrs.get("competing", 0)) for f in frames)
    frame = pd.concat(frames, ignore_index=True)
    boot = bootstrap(frame, names, reps, seed)
    n_events = int(frame.loc[frame["y"] == 1, "cluster"].nunique())
    result = Validation(cuts, frame, events=n_events, dyads=len(frame), competing=competing,
                        reps=reps)
    for name in names:
        point = scores(frame, name)
        row: dict[str, Any] = {"model": name}
        for key, value in point.items():
            row[key] = value
            row[f"{key}_ci"] = _interval(boot[f"{name}.{key}"])
            for base in ("km", "controls"):
                if base in names and base != name:
                    diff = boot[f"{name}.{key}"] - boot[f"{base}.{key}"]
                    row[f"{key}_vs_{base}"] = value - scores(frame, base)[key]
                    row[f"{key}_vs_{base}_ci"] = _interval(diff)
        row["independent_events"] = n_events
        result.rows.append(row)
    return result
