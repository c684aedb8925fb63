"""The op-eds' question for the forecast ledger: their claims, the model, the base rate, history.

Each op-ed of :data:`.opeds.OPEDS` (year y) answers one yes/no question: does the U.S.–ROK
alliance (:data:`.opeds.DYAD`, ATOP dyad 2–732) end by abrogation within 5 years — its last
allied year in y … y+4, the window of :func:`.forecast.forecast_year` and :mod:`.validate`?
Three probability forecasts of it, as ledger records (``distribution: "bernoulli"``, scale
0–1, scored by the Brier score; Brier 1950):

* the op-ed's claim, as coded in :mod:`.opeds` (forecaster kind ``pundit``, with its quote and
  seed file);
* the survival model's P(end within 5 years), fitted only on the dyad-years before y
  (``fitted_through`` = y − 1; :mod:`.fits`), with its 90% interval from coefficient draws;
* the Kaplan–Meier base rate: the same probability from the abrogation hazard by alliance age
  alone (what history says of any alliance as old as this one), also fitted before y;

and one resolution from ATOP: 1 if the dyad's spell ended by abrogation inside the window, 0
if it was still allied after the window (the data end in 2018). The model records are flagged
``backtest``: they are computed now, from the data before y — out of sample, but not made in y.

The records are plain dicts; :func:`realpolitik.store.ledger.seal_new` seals them (this layer
does not import the store). Question names follow the ledger's ``<scenario>:<issue>``.

References
----------
1. Brier, G. W. (1950). Verification of forecasts expressed in terms of probability.
   *Monthly Weather Review* 78(1), 1–3.
"""

from __future__ import annotations

import math
from typing import Any

from . import forecast as fc
from .fits import yearly_models
from .opeds import DYAD, OPEDS, OpEd
from .table import SurvivalData

__all__ = ["question", "forecaster", "BASE_RATE", "ledger_records"]

BASE_RATE = "km"
"""The base-rate model: Kaplan–Meier hazard by alliance age."""


def question(year: int, dyad: tuple[str, str] = DYAD) -> str:
    """The ledger's name of the question of ``year``: ``alliance-usa-kor-2003:ends_within_5y``."""
    return f"alliance-{dyad[0].lower()}-{dyad[1].lower()}-{year}:ends_within_5y"


def forecaster(model: str) -> str:
    """The ledger's name of a survival model as a forecaster."""
    if model == BASE_RATE:
        return "base rate: Kaplan–Meier by alliance age"
    return f"survival model: {model}"


def _bernoulli(q: str, who: str, kind: str, p: float, made: str) -> dict[str, Any]:
    return {"type": "forecast", "question": q, "forecaster": who, "forecaster_kind": kind,
            "value": float(p), "interval": None, "distribution": "bernoulli", "samples": None,
            "scale": [0.0, 1.0], "made": made, "horizon_years": fc.HORIZON}


def _oped(o: OpEd) -> dict[str, Any]:
    rec = _bernoulli(question(o.year), o.forecaster or o.label, "pundit", o.p_end_5y, o.date)
    return {**rec, "verbal": o.quote, "claim": o.claim,
            "source": f"../shared/seeds/{o.seed}",
            "mapping": f'"{o.claim}" read as P(the alliance ends within 5 years of {o.year}) = '
                       f"{o.p_end_5y:g}: a confident claim, not a certainty (coding in "
                       "realpolitik.analysis.alliance.survival.opeds)"}


def _provenance(data: SurvivalData) -> dict[str, Any]:
    inputs = data.version.get("inputs", {})
    return {"source": "ATOP 5.1 dyad-years via peacesciencer (1815-2018)",
            "table_key": data.version.get("key"),
            "atop_sha256_16": inputs.get("peacesciencer/atop_alliance.rda")}


def _model(data: SurvivalData, row: dict[str, Any], year: int, model: str) -> dict[str, Any]:
    lo, hi = row["interval_90"]
    rec = _bernoulli(question(year), forecaster(model), "model", row["p_end_5y"], f"{year}-01")
    return {**rec, "model": model, "fitted_through": year - 1, "backtest": True,
            "p_interval_90": None if math.isnan(lo) else [lo, hi],
            "drivers": row["drivers"], "data": _provenance(data),
            "method": f"realpolitik survival forecast {DYAD[0]} {DYAD[1]} --year {year} "
                      f"--model {model}: fitted only on the dyad-years up to {year - 1}, "
                      f"applied to the {year} row (covariates measured in {year - 1}); "
                      "sealed retrospectively, so scored as a backtest"}


def _resolution(data: SurvivalData, row: dict[str, Any], year: int) -> dict[str, Any] | None:
    last, window = int(data.spells["end"].max()), (year, year + fc.HORIZON - 1)
    end, ended = row["spell_end"], row["ended_within_5y"]  # None: the window runs past the data
    if ended is None or (ended and row["ending"] == "state_death"):
        return None  # unknown yet, or a competing end: the question is void, not resolved
    if ended:
        outcome, what = 1.0, f"ended by abrogation in {end}"
    else:
        outcome, what = 0.0, f"no abrogation in {window[0]}–{window[1]}"
    spell = f"{row['spell_start']}–{end if end is not None else f'{last} (censored)'}"
    atop = _provenance(data)["atop_sha256_16"]
    return {"type": "resolution", "question": question(year), "value": outcome,
            "date": f"{window[1]}-12-31",
            "source": f"ATOP 5.1 dyad-years via peacesciencer (atop_alliance.rda, sha256 "
                      f"{atop}…)",
            "note": f"{DYAD[0]}–{DYAD[1]} (COW {row['dyad'][0]}–{row['dyad'][1]}) ATOP "
                    f"alliance spell {spell}: {what}"}


def ledger_records(data: SurvivalData, model: str = fc.DEFAULT_MODEL) -> list[dict[str, Any]]:
    """Every op-ed question's forecasts (op-ed, model, base rate) and resolution, in order.

    A question whose window runs past the data gets its forecasts and no resolution.
    """
    years = [o.year for o in OPEDS]
    models = [model] + ([BASE_RATE] if model != BASE_RATE else [])
    fitted = {m: yearly_models(data, years, m) for m in models}
    out: list[dict[str, Any]] = []
    for o in OPEDS:
        out.append(_oped(o))
        rows = {m: fc.forecast_year(data, *DYAD, o.year, m, fitted[m].get(o.year))
                for m in models}
        out += [_model(data, rows[m], o.year, m) for m in models]
        resolution = _resolution(data, rows[model], o.year)
        if resolution is not None:
            out.append(resolution)
    return out
