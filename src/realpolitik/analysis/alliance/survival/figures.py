"""What the survival pictures show, as plain JSON-able records (drawn by the report and web).

* :func:`km_by_type` — Kaplan–Meier survival to abrogation by alliance age, one curve per
  alliance type (the spell's obligations in its first year: defence pact; offence pact
  without defence; neutrality or non-aggression only; consultation only). State deaths and
  the 2018 end of the data are censoring, so each curve is the cause-specific survival
  S(t) = Π_{a ≤ t} (1 − d_a / n_a) (Kaplan & Meier 1958) — not the probability of still
  being allied when states die (1 − S overstates abrogation where deaths are many).
* :func:`forest` — hazard ratios of abrogation with 95% year-clustered intervals for the
  congruence, risk-sharing and change covariates (the thesis's full-sample fit,
  :func:`.thesis.hazard_ratios`).
* :func:`dyad_line` — P(the dyad's alliance ends within 5 years) by year, each from the model
  fitted on the years before (:func:`.forecast.forecast_series`), with its 90% interval, the
  outcome where known and, for the U.S.–ROK alliance, the op-eds' years and claims.

:func:`overview` bundles the dyad-independent parts, cached on the table (:func:`.fits.
derived`): the Cox fit behind the forest takes seconds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from realpolitik.data import countrycodes

from . import forecast as fc
from .fits import derived
from .opeds import DYAD, OPEDS
from .table import SurvivalData
from .thesis import EXPECTED, GROUPS, hazard_ratios

__all__ = ["TYPES", "alliance_type", "km_by_type", "forest", "overview", "dyad_line",
           "MIN_AT_RISK"]

TYPES = ("defence pact", "offence pact", "neutrality / non-aggression", "consultation only")
MIN_AT_RISK = 10
"""A curve stops at the first age with fewer spells at risk (its tail would be noise)."""


def alliance_type(spells: pd.DataFrame) -> np.ndarray:
    """The type of each spell from its first year's obligations (see :data:`TYPES`)."""
    return np.select(
        [spells["defense"] > 0, spells["offense"] > 0,
         (spells["neutral"] > 0) | (spells["nonagg"] > 0)],
        list(TYPES[:3]), default=TYPES[3])


def km_by_type(data: SurvivalData, max_age: int = 60) -> list[dict[str, Any]]:
    """Rows ``{type, age, survival, at_risk, ended, spells}``: S(age) after ``age`` years."""
    kind = pd.Series(alliance_type(data.spells), index=data.spells["spell"])
    t = data.table
    rows: list[dict[str, Any]] = []
    types = kind.reindex(t["spell"].to_numpy()).to_numpy()
    for name in TYPES:
        mine = types == name
        age = t["age"].to_numpy()[mine]
        if len(age) == 0:
            continue
        at_risk = np.bincount(age, minlength=max_age + 1)[:max_age + 1]
        ended = np.bincount(age, weights=t["event"].to_numpy()[mine],
                            minlength=max_age + 1)[:max_age + 1]
        spells = int((kind == name).sum())
        rows.append({"type": name, "age": 0, "survival": 1.0, "at_risk": int(at_risk[0]),
                     "ended": 0, "spells": spells})
        surv = 1.0
        for a in range(max_age + 1):
            if at_risk[a] < MIN_AT_RISK:
                break
            surv *= 1.0 - ended[a] / at_risk[a]
            rows.append({"type": name, "age": a + 1, "survival": float(surv),
                         "at_risk": int(at_risk[a]), "ended": int(ended[a]), "spells": spells})
    return rows


def forest(data: SurvivalData) -> list[dict[str, Any]]:
    """Rows ``{covariate, group, expected, hr, lo, hi}`` of the full-sample thesis fit."""
    hr = hazard_ratios(data.table)
    return [{"covariate": c, "group": GROUPS[c],
             "expected": "lower hazard" if EXPECTED[c] < 0 else "higher hazard",
             **{k: (None if np.isnan(hr.loc[c, k]) else float(hr.loc[c, k]))
                for k in ("hr", "lo", "hi")},
             "events": hr.attrs["events"], "clusters": hr.attrs["clusters"]}
            for c in EXPECTED]


def _overview(data: SurvivalData) -> dict[str, Any]:
    return {"km_by_type": km_by_type(data), "forest": forest(data)}


def overview(data: SurvivalData) -> dict[str, Any]:
    """The dyad-independent pictures' data (cached on the table's fingerprint)."""
    return dict(derived(data, "overview-1", _overview))


def _is_seed_dyad(a: str, b: str, year: int) -> bool:
    try:
        return {countrycodes.to_cow(a, year), countrycodes.to_cow(b, year)} == {
            countrycodes.to_cow(DYAD[0], year), countrycodes.to_cow(DYAD[1], year)}
    except countrycodes.CountryCodeError:
        return False


def dyad_line(data: SurvivalData, a: str, b: str, start: int = 1816, end: int = 2018,
              model: str = fc.DEFAULT_MODEL) -> dict[str, Any]:
    """The yearly forecast line of ``a``–``b`` (ForecastError if never allied in the span)."""
    rows = fc.forecast_series(data, a, b, start, end, model)
    marks = []
    if rows and _is_seed_dyad(a, b, rows[-1]["year"]):
        by_year = {r["year"]: r for r in rows}
        marks = [{"year": o.year, "label": o.label, "quote": o.quote, "claim": o.claim,
                  "p_claim": o.p_end_5y,
                  "p_model": by_year[o.year]["p_end_5y"] if o.year in by_year else None}
                 for o in OPEDS]
    return {"dyad": [a, b], "model": model, "horizon": fc.HORIZON,
            "interval": "90%, coefficient draws",
            "rows": [{"year": r["year"], "p_end_5y": r["p_end_5y"],
                      "lo": r["interval_90"][0], "hi": r["interval_90"][1],
                      "ended_within_5y": r["ended_within_5y"]} for r in rows],
            "marks": marks}
