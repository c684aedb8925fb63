"""Forecast one alliance: P(the dyad's alliance ends within 5 years), from earlier data only.

For a dyad and a year y, the model is fitted on the dyad-years up to y − 1 (outcomes known by
y) and applied to the dyad's row in year y, whose covariates are measured in y − 1: nothing
from year y onwards enters (no peeking). A yearly series refits for every year. The interval
comes from 200 draws of the coefficients from their estimated normal distribution (seed 0);
the covariates that move the forecast most are those with the largest |β_k (x_k − x̄_k)|.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from realpolitik.data import countrycodes

from . import models as mdl
from .covariates import COVARIATES
from .fits import yearly_models
from .table import SurvivalData

__all__ = ["ForecastError", "resolve", "forecast_year", "forecast_series", "DEFAULT_MODEL"]

DEFAULT_MODEL = "cox"
HORIZON = 5
DRAWS = 200


class ForecastError(ValueError):
    """A user error: unknown country, a year without data, no alliance in that year."""


def resolve(a: str | int, b: str | int, year: int) -> tuple[int, int]:
    """COW codes of the two states in ``year`` (ordered low, high)."""
    try:
        ca, cb = countrycodes.to_cow(a, year), countrycodes.to_cow(b, year)
    except countrycodes.CountryCodeError as exc:
        raise ForecastError(str(exc)) from None
    if ca == cb:
        raise ForecastError(f"{a} and {b} are the same state (COW {ca}) in {year}")
    return min(ca, cb), max(ca, cb)


def _fit(data: SurvivalData, year: int, model: str) -> mdl.HazardModel:
    fitted = yearly_models(data, [year], model).get(year)
    if fitted is None:
        raise ForecastError(f"{year}: no alliance ending before {year} to fit a model on")
    return fitted


def forecast_year(data: SurvivalData, a: str | int, b: str | int, year: int,
                  model: str = DEFAULT_MODEL, fitted: mdl.HazardModel | None = None
                  ) -> dict[str, Any]:
    """One forecast row: year, probability, interval, the drivers and the outcome if known."""
    first, last = int(data.table["year"].min()) + 1, int(data.table["year"].max())
    if not first <= year <= last:
        raise ForecastError(f"{year}: no alliance data for that year (covered: {first}-{last})")
    c1, c2 = resolve(a, b, year)
    row = data.table[(data.table["ccode1"] == c1) & (data.table["ccode2"] == c2)
                     & (data.table["year"] == year)]
    if row.empty:
        raise ForecastError(f"{a}-{b} (COW {c1}-{c2}) have no ATOP alliance in {year}")
    fitted = fitted or _fit(data, year, model)
    p = float(mdl.ending_within(fitted, row, HORIZON)[0])
    lo = hi = float("nan")
    drivers: list[dict[str, Any]] = []
    if isinstance(fitted, mdl.GLMHazard):
        rng = np.random.default_rng(0)
        with mdl.one_thread():  # a 40×40 eigh on many BLAS threads is 1000× slower
            draws = rng.multivariate_normal(fitted.params, fitted.cov, DRAWS, method="eigh")
        sims = mdl.ending_within(fitted, row, HORIZON,
                                 hazard=lambda r: fitted.hazard(r, draws)).ravel()
        lo, hi = (float(q) for q in np.quantile(sims, [0.05, 0.95]))
        drivers = _drivers(fitted, row)
    spell = data.spells.set_index("spell").loc[int(row["spell"].iloc[0])]
    ended = int(spell["end"]) if spell["ending"] != "censored" else None
    return {"year": year, "dyad": [int(c1), int(c2)], "model": fitted.name,
            "p_end_5y": p, "interval_90": [lo, hi], "age": int(row["age"].iloc[0]),
            "spell_start": int(spell["start"]), "spell_end": ended,
            "ending": str(spell["ending"]),
            "ended_within_5y": (None if year + HORIZON - 1 > last and ended is None
                                else bool(ended is not None and ended <= year + HORIZON - 1)),
            "drivers": drivers}


def _drivers(fitted: mdl.GLMHazard, row: pd.DataFrame, top: int = 3) -> list[dict[str, Any]]:
    design = fitted.design(row).iloc[0]
    beta = pd.Series(fitted.params, index=fitted.columns)
    effect = (beta * design).reindex([c for c in COVARIATES if c in beta.index and c != "age"])
    effect = effect.dropna()
    order = effect.abs().sort_values(ascending=False).index[:top]
    values = row.iloc[0]
    return [{"covariate": c, "value": (None if pd.isna(values[c]) else float(values[c])),
             "log_hazard_shift": float(effect[c])} for c in order]


def forecast_series(data: SurvivalData, a: str | int, b: str | int, start: int, end: int,
                    model: str = DEFAULT_MODEL) -> list[dict[str, Any]]:
    """Yearly forecasts ``start``…``end``, each from the fit on the data before its year.

    Years in which the two states are not allied are left out (a series over a gap in the
    alliance has rows on both sides of it); ForecastError if no year is left. The yearly
    fits are made once and cached (:mod:`.fits`).
    """
    if end < start:
        raise ForecastError(f"--to {end} is before --from {start}")
    if start == end:
        return [forecast_year(data, a, b, start, model)]
    first, last = int(data.table["year"].min()) + 1, int(data.table["year"].max())
    problems: list[str] = []
    years = [y for y in range(max(start, first), min(end, last) + 1)
             if _allied(data, a, b, y, problems)]
    if not years:
        raise ForecastError(problems[0] if problems else
                            f"{a}-{b} have no ATOP alliance in {start}-{end} "
                            f"(data cover {first}-{last})")
    fits = yearly_models(data, years, model)
    return [forecast_year(data, a, b, y, model, fits[y]) for y in years if y in fits]


def _allied(data: SurvivalData, a: str | int, b: str | int, year: int,
            problems: list[str]) -> bool:
    try:
        c1, c2 = resolve(a, b, year)
    except ForecastError as e:
        problems.append(str(e))
        return False
    t = data.table
    return bool(((t["ccode1"] == c1) & (t["ccode2"] == c2) & (t["year"] == year)).any())
