"""Scores of the ledger's resolved forecasts: absolute error, interval hits, CRPS and Brier.

Every sealed forecast whose question has a resolution is scored on the issue's scale rescaled
to 0–100 (see :mod:`realpolitik.store.ledger` for what is sealed): the absolute error of the
point, whether the outcome fell in the forecast's interval, and the CRPS — of the Monte Carlo
samples when the record has them, of the uniform distribution on the interval for a verbal
(range) forecast, of the point otherwise; a probability of a 0/1 event
(``distribution: "bernoulli"``) is scored by Brier, which is its CRPS.

References
----------
1. Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
   estimation. *JASA* 102(477), 359–378.
2. Brier, G. W. (1950). Verification of forecasts expressed in terms of probability.
   *Monthly Weather Review* 78(1), 1–3.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from ..backtest.metrics import crps_samples, crps_uniform
from .chain import entries
from .runs import Store

__all__ = ["score", "summarise"]


def _score_row(rec: dict[str, Any], y: float) -> dict[str, Any]:
    lo, hi = rec["scale"]
    k = 100.0 / (hi - lo)
    iv = rec.get("interval")
    if rec.get("samples"):
        crps = float(crps_samples(np.asarray(rec["samples"], float), y))
    elif iv is not None and rec.get("distribution") == "uniform":
        crps = float(crps_uniform(iv[0], iv[1], y))
    else:
        crps = abs(rec["value"] - y)
    brier = float("nan")
    if rec.get("distribution") == "bernoulli":  # P(yes) of a 0/1 event: CRPS = Brier
        brier = crps = (float(rec["value"]) - y) ** 2
    return {
        "abs_error": k * abs(rec["value"] - y),
        "interval_hit": None if iv is None else bool(iv[0] <= y <= iv[1]),
        "crps": k * crps,
        "brier": brier,
    }


def score(store: Store) -> pd.DataFrame:
    """Score every resolved forecast: one row per sealed forecast with a resolution.

    Columns: ``seq``, ``question``, ``forecaster``, ``forecaster_kind``, ``made``, ``year``,
    ``value``, ``outcome``, ``abs_error``, ``interval_hit``, ``crps`` (errors and CRPS on the
    0–100 scale), ``hindsight``: True when the forecast was sealed after the question was
    resolved in the ledger, or its run's scenario already recorded the outcome, or its record
    says ``backtest: true`` (a model fitted now on the data before the question's year). Such
    entries are reported, never hidden, but they are not forecasts. ``brier``: the Brier score
    of a probability forecast (``distribution: "bernoulli"``), NaN for any other record.
    """
    resolved: dict[str, tuple[int, dict[str, Any]]] = {}
    forecasts = []
    for e in entries(store):
        rec = json.loads(e.record)
        if e.kind == "resolution":
            resolved[e.question] = (e.seq, rec)  # the latest resolution wins
        else:
            forecasts.append((e.seq, rec))
    first_res: dict[str, int] = {}
    for e in entries(store):
        if e.kind == "resolution":
            first_res.setdefault(e.question, e.seq)
    rows = []
    for seq, rec in forecasts:
        if rec["question"] not in resolved:
            continue
        y = resolved[rec["question"]][1]["value"]
        made = str(rec.get("made") or "")
        rows.append(
            {
                "seq": seq,
                "question": rec["question"],
                "forecaster": rec["forecaster"],
                "forecaster_kind": rec.get("forecaster_kind", "model"),
                "made": made,
                "year": made[:4],
                "value": rec["value"],
                "outcome": y,
                **_score_row(rec, y),
                "hindsight": first_res[rec["question"]] < seq
                or bool(rec.get("outcome_in_inputs"))
                or bool(rec.get("backtest")),
            }
        )
    cols = [
        "seq",
        "question",
        "forecaster",
        "forecaster_kind",
        "made",
        "year",
        "value",
        "outcome",
        "abs_error",
        "interval_hit",
        "crps",
        "hindsight",
        "brier",
    ]
    return pd.DataFrame(rows, columns=cols)


def summarise(scores: pd.DataFrame, by: tuple[str, ...] = ("forecaster",)) -> pd.DataFrame:
    """Mean absolute error, interval hit rate, mean CRPS and mean Brier score (NaN for a group
    without probability forecasts) of each group of scored forecasts."""
    if scores.empty:
        return pd.DataFrame(columns=[*by, "n", "mae", "hit_rate", "crps", "brier"])
    g = scores.groupby(list(by), sort=True)
    out = g.agg(n=("seq", "size"), mae=("abs_error", "mean"), crps=("crps", "mean"))
    hits = scores.dropna(subset=["interval_hit"]).groupby(list(by))["interval_hit"].mean()
    out["hit_rate"] = hits.astype(float)
    out["brier"] = g["brier"].mean() if "brier" in scores else float("nan")
    return out.reset_index()[[*by, "n", "mae", "hit_rate", "crps", "brier"]].sort_values("mae")
