"""Backtests: every model on every issue with a known outcome, against the compromise baseline.

The runner (:func:`run_backtest`) forecasts each case with each model and keeps one tidy row
per case × issue × model (forecast, outcome, scale, split subset, optional Monte Carlo draws).
The leaderboard (:func:`leaderboard`) is derived from those rows only, so it can always be
rebuilt from a stored backtest record (:meth:`Backtest.to_dict`).

Why a baseline: on EU legislative data the capability × salience weighted mean (the
compromise model) is as accurate as every strategic model (Achen 2006; on 351 DEU III issues
the compromise MAE is 22.99 against 26.8–28.4 for expected-utility variants). A model's
error is therefore reported beside its paired difference from the compromise model, with a
bootstrap interval: differences whose interval straddles 0 are not evidence of anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..forecast import forecast, split_params
from ..models import get, names
from ..scenario import Scenario, ScenarioError
from . import metrics as M
from .cases import Case
from .splits import Split

__all__ = [
    "Backtest",
    "run_backtest",
    "leaderboard",
    "frame_from_forecasts",
    "Sampler",
    "montecarlo_sampler",
]

#: ``sampler(scenario, model, params, seed) -> {issue: draws}``: Monte Carlo draws of a model's
#: forecast of each issue (e.g. from the Monte Carlo analysis), scored by coverage and CRPS.
Sampler = Callable[[Scenario, str, dict[str, Any], int], Mapping[str, np.ndarray]]

COLUMNS = [
    "case",
    "variant",
    "issue",
    "cluster",
    "subset",
    "model",
    "forecast",
    "outcome",
    "low",
    "high",
    "error",
]


@dataclass(frozen=True)
class Backtest:
    """A backtest record: the tidy forecast rows, the leaderboard, and how they were made."""

    rows: pd.DataFrame
    board: pd.DataFrame
    models: tuple[str, ...]
    seed: int
    baseline: str
    n_boot: int
    level: float
    cases: tuple[dict[str, Any], ...] = ()
    split: dict[str, Any] | None = None
    subset: str | None = None
    skipped: tuple[dict[str, str], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (``schema`` ``realpolitik.backtest/1``)."""
        rows = self.rows.drop(columns=["samples"], errors="ignore")
        return _json_safe(
            {
                "schema": "realpolitik.backtest/1",
                "engine": {"name": "realpolitik", "version": __version__},
                "seed": self.seed,
                "models": list(self.models),
                "baseline": self.baseline,
                "bootstrap": {"n_boot": self.n_boot, "level": self.level},
                "cases": list(self.cases),
                "split": self.split,
                "subset": self.subset,
                "skipped": list(self.skipped),
                "leaderboard": self.board.to_dict(orient="records"),
                "forecasts": rows.to_dict(orient="records"),
            }
        )


def _json_safe(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _json_safe(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_json_safe(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not np.isfinite(x):
        return None
    return x


def _rows_for_case(
    case: Case, model: str, params: dict[str, Any], seed: int, sampler: Sampler | None
) -> list[dict[str, Any]]:
    fc = forecast(case.scenario, [model], params, seed)
    draws = sampler(case.scenario, model, params, seed) if sampler else {}
    rows = []
    for issue in case.scenario.issues:
        if issue.outcome is None:
            continue
        f = fc.outcome(model, issue.id)
        row = {
            "case": case.name,
            "variant": case.variant,
            "issue": issue.id,
            "cluster": (case.clusters or {}).get(issue.id, f"{case.name}:{issue.id}"),
            "model": model,
            "forecast": np.nan if f is None else float(f),
            "outcome": issue.outcome.value,
            "low": issue.low,
            "high": issue.high,
        }
        x = np.asarray(draws.get(issue.id, []), float)
        if np.isfinite(x).any():
            row["samples"] = x[np.isfinite(x)]
        rows.append(row)
    return rows


def run_backtest(
    cases: Iterable[Case],
    models: Iterable[str] | None = None,
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    split: Split | None = None,
    subset: str | None = None,
    baseline: str = "compromise",
    n_boot: int = 2000,
    level: float = 0.95,
    sampler: Sampler | None = None,
) -> Backtest:
    """Score ``models`` (default: every registered model) on every issue with a known outcome.

    Each model runs on its own (one model failing on a case — say, one that needs a status quo
    — is recorded in ``skipped`` and does not stop the others); the random stream of a model
    depends only on ``seed`` and its name, so results equal those of a joint forecast. With a
    ``split``, each row is labelled with its subset (looked up as ``case:issue``, then as the
    bare issue id, which is how the published DEU III split is keyed), and ``subset`` keeps
    only that part.

    Examples
    --------
    >>> from realpolitik.backtest.cases import shipped
    >>> bt = run_backtest(shipped("emission-1994"), ["compromise", "median"], n_boot=100)
    >>> bt.board[["model", "n", "mae"]].round(2).to_dict("records")
    [{'model': 'compromise', 'n': 1, 'mae': 24.05}, {'model': 'median', 'n': 1, 'mae': 30.55}]
    """
    cases = list(cases)
    chosen = list(models) if models else names()
    if baseline not in chosen:
        chosen.append(baseline)
    for m in chosen:
        get(m)  # unknown model names fail before any work
    routed = split_params(chosen, params or {})
    rows: list[dict[str, Any]] = []
    skipped = []
    for case in cases:
        for m in chosen:
            try:
                rows.extend(_rows_for_case(case, m, routed[m], seed, sampler))
            except ScenarioError:
                raise  # the user's input (a bad parameter value): not a model limitation
            except (ValueError, NotImplementedError) as e:
                skipped.append({"case": case.label, "model": m, "reason": str(e)})
    frame = pd.DataFrame(rows)
    for col in COLUMNS:
        if col not in frame:
            frame[col] = pd.Series(dtype=float if col in ("forecast", "outcome") else object)
    frame["subset"] = [_subset(split, str(r.case), str(r.issue)) for r in frame.itertuples()]
    if subset is not None:
        frame = frame[frame["subset"] == subset].reset_index(drop=True)
    frame["error"] = M.absolute_errors(
        frame["forecast"], frame["outcome"], frame["low"], frame["high"]
    )
    extra = [c for c in frame.columns if c not in COLUMNS]
    frame = frame[COLUMNS + extra]
    board = leaderboard(frame, baseline, n_boot, level, np.random.default_rng(seed))
    return Backtest(
        rows=frame,
        board=board,
        models=tuple(chosen),
        seed=seed,
        baseline=baseline,
        n_boot=n_boot,
        level=level,
        cases=tuple(
            {
                "name": c.name,
                "variant": c.variant,
                "origin": c.origin,
                "hash": c.scenario.content_hash(),
            }
            for c in cases
        ),
        split=None
        if split is None
        else {k: v for k, v in split.to_dict().items() if k != "assignment"},
        subset=subset,
        skipped=tuple(skipped),
    )


def montecarlo_sampler(draws: int = 500) -> Sampler:
    """A :data:`Sampler` that runs the Monte Carlo analysis (:mod:`realpolitik.analysis.
    montecarlo`) on each case: ``draws`` draws of the scenario's declared input uncertainty,
    seeded by the backtest's seed. Issues without declared uncertainty give identical draws
    (then the CRPS is the absolute error).
    """

    def sample(
        scenario: Scenario, model: str, params: dict[str, Any], seed: int
    ) -> dict[str, np.ndarray]:
        from ..analysis.uncertainty.montecarlo import forecast_draws

        out = forecast_draws(scenario, [model], params, seed, draws).outcomes[model]
        return {iid: out[:, j] for j, iid in enumerate(scenario.issue_ids)}

    return sample


def _subset(split: Split | None, case: str, issue: str) -> str | None:
    if split is None:
        return None
    a = split.assignment
    return a.get(f"{case}:{issue}", a.get(issue))


def frame_from_forecasts(
    table: pd.DataFrame,
    forecast_columns: Mapping[str, str],
    issue: str = "issue_id",
    outcome: str = "outcome",
    cluster: str | None = None,
    low: float = 0.0,
    high: float = 100.0,
) -> pd.DataFrame:
    """Tidy backtest rows from a wide table of outcomes and other tools' forecasts.

    ``forecast_columns`` maps model name → column (e.g. ``{"compromise":
    "compromise_forecast"}`` for the DEU III paired-differences file). The result feeds
    :func:`leaderboard` exactly as a backtest run's rows do.
    """
    parts = []
    for model, col in forecast_columns.items():
        parts.append(
            pd.DataFrame(
                {
                    "case": "table",
                    "variant": "",
                    "issue": table[issue].astype(str),
                    "cluster": table[cluster].astype(str) if cluster else table[issue].astype(str),
                    "subset": None,
                    "model": model,
                    "forecast": table[col].astype(float),
                    "outcome": table[outcome].astype(float),
                    "low": low,
                    "high": high,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["error"] = M.absolute_errors(frame["forecast"], frame["outcome"], low, high)
    return frame[COLUMNS]


def _model_stats(g: pd.DataFrame) -> dict[str, Any]:
    e = g["error"].to_numpy(float)
    out: dict[str, Any] = {
        "n": int(e.size),
        "mae": M.mae(e),
        "median_ae": M.median_ae(e),
        "rmse": M.rmse(e),
        "within5": M.share_within(e, 5),
        "within10": M.share_within(e, 10),
        "within20": M.share_within(e, 20),
    }
    if "samples" in g and g["samples"].notna().any():
        s = g[g["samples"].notna()]
        lo = [np.quantile(x, 0.05) for x in s["samples"]]
        hi = [np.quantile(x, 0.95) for x in s["samples"]]
        out["coverage90"] = M.interval_coverage(np.array(lo), np.array(hi), s["outcome"])
        width = (s["high"] - s["low"]).to_numpy(float)
        crps = [
            float(M.crps_samples(x, y)) for x, y in zip(s["samples"], s["outcome"], strict=True)
        ]
        out["crps"] = float(np.mean(100.0 * np.array(crps) / width))
    return out


def leaderboard(
    rows: pd.DataFrame,
    baseline: str = "compromise",
    n_boot: int = 2000,
    level: float = 0.95,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """One row per model (per variant, when several are swept), best MAE first.

    Columns: ``n`` issues forecast, ``mae``, ``median_ae``, ``rmse``, ``within5/10/20``
    (shares), ``diff`` = mean paired error difference from ``baseline`` on the issues both
    forecast, with ``diff_low``/``diff_high`` its percentile bootstrap interval (clustered by
    the ``cluster`` column), ``n_paired``; and, when rows carry Monte Carlo ``samples``,
    ``coverage90`` (of the 5–95% interval) and ``crps`` (0–100 scale).
    """
    rng = rng or np.random.default_rng(0)
    ok = rows[np.isfinite(rows["error"].astype(float))]
    variants = sorted(v for v in ok["variant"].unique() if v)
    by = ["variant", "model"] if len(variants) > 1 else ["model"]
    key = ["case", "variant", "issue"]
    out = []
    for gkey, g in ok.groupby(by, sort=False):
        gk = gkey if isinstance(gkey, tuple) else (gkey,)
        rec: dict[str, Any] = dict(zip(by, gk, strict=True))
        rec.update(_model_stats(g))
        base = ok[ok["model"] == baseline]
        if len(by) == 2:
            base = base[base["variant"] == rec["variant"]]
        pair = g.merge(base[[*key, "error"]], on=key, suffixes=("", "_base"))
        rec["n_paired"] = len(pair)
        if len(pair):
            ci = M.paired_bootstrap(
                pair["error"].to_numpy(),
                pair["error_base"].to_numpy(),
                rng,
                n_boot,
                level,
                clusters=pair["cluster"].to_numpy(),
            )
            rec.update(diff=ci.estimate, diff_low=ci.low, diff_high=ci.high)
        else:
            rec.update(diff=np.nan, diff_low=np.nan, diff_high=np.nan)
        out.append(rec)
    board = pd.DataFrame(out)
    if board.empty:
        return board
    return board.sort_values([*by[:-1], "mae"], kind="stable").reset_index(drop=True)
