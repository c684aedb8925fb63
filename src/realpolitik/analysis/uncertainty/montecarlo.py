"""Monte Carlo forecasts: every model solved on many draws of the scenario's uncertain inputs.

:func:`~realpolitik.analysis.uncertainty.evaluate.evaluate` solves a batch of input values
with one model (batched where the model has a batched core, draw by draw otherwise);
:func:`forecast_draws` runs the draws in seeded chunks (serially, on a
process pool or on a dask cluster: :mod:`realpolitik.analysis.uncertainty.sweep`) and summarises
each model × issue as a :func:`distribution`: median, mean, sd, the 80% and 95% intervals, a
histogram on the issue's scale and the probability of landing in named ranges.

The JSON record *extends* ``realpolitik forecast``'s contract (``docs/json-schema.md``):
each forecast row's ``outcome`` becomes the median of the draws, a ``distribution`` object is
added per row and a top-level ``draws`` object describes the run. Same seed → same JSON, byte
for byte, however many workers computed it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...forecast import Forecast, default_draw_models
from ...forecast import forecast as point_forecast
from ...scenario import Problem, Scenario, ScenarioError
from .evaluate import BATCHED, batched, draw_seeds, evaluate
from .sampling import inputs
from .sweep import Run, sweep

__all__ = [
    "BATCHED",
    "batched",
    "evaluate",
    "draw_seeds",
    "NamedRange",
    "parse_range",
    "distribution",
    "MonteCarloForecast",
    "forecast_draws",
]

QUANTILES = {"p2_5": 0.025, "p10": 0.10, "p90": 0.90, "p97_5": 0.975}

# ---------------------------------------------------------------------------------------
# summaries


@dataclass(frozen=True)
class NamedRange:
    """A named interval ``[low, high)`` of outcomes (open ends = ±inf), for one or all issues."""

    label: str
    low: float = -math.inf
    high: float = math.inf
    issue: str | None = None

    def applies(self, issue: str) -> bool:
        return self.issue is None or self.issue == issue


def parse_range(text: str, issue_ids: Iterable[str] = ()) -> NamedRange:
    """``"below 50=..50"``, ``"40 to 60=40..60"``, ``"above 60=60.."``; prefix ``ISSUE:`` to
    restrict it to one issue (``"nk_policy:hard line=70.."``).

    Examples
    --------
    >>> parse_range("below 50=..50")
    NamedRange(label='below 50', low=-inf, high=50.0, issue=None)
    >>> parse_range("x:mid=40.5..60", ["x"])
    NamedRange(label='mid', low=40.5, high=60.0, issue='x')
    """
    label, sep, spec = text.rpartition("=")
    lo, dots, hi = spec.partition("..")
    try:
        if not sep or not dots or not label.strip():
            raise ValueError
        low = float(lo) if lo.strip() else -math.inf
        high = float(hi) if hi.strip() else math.inf
    except ValueError:
        raise ScenarioError(
            [
                Problem(
                    f"expected LABEL=LOW..HIGH (either end may be empty), got {text!r}",
                    field="ranges",
                )
            ]
        ) from None
    issue, colon, name = label.partition(":")
    if colon and issue.strip() in set(issue_ids):
        return NamedRange(name.strip(), low, high, issue.strip())
    return NamedRange(label.strip(), low, high)


def distribution(
    values: np.ndarray, low: float, high: float, ranges: Sequence[NamedRange] = (), bins: int = 20
) -> dict[str, Any] | None:
    """Summary of one issue's outcome draws (NaN draws ignored; None if none is finite).

    ``histogram``: ``bins`` equal bins over the issue's scale ``[low, high]``;
    ``probabilities``: the share of draws in each named range ``[low, high)``.

    Examples
    --------
    >>> d = distribution(np.arange(101.0), 0, 100, [NamedRange("below 25", high=25)], bins=4)
    >>> d["median"], d["p10"], d["probabilities"], d["histogram"]["counts"]
    (50.0, 10.0, {'below 25': 0.24752475247524752}, [25, 25, 25, 26])
    """
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return None
    q = np.quantile(v, [0.5, *QUANTILES.values()])
    edges = np.linspace(low, high, bins + 1)
    counts, _ = np.histogram(np.clip(v, low, high), edges)
    return {
        "n": int(v.size),
        "median": float(q[0]),
        "mean": float(v.mean()),
        "sd": float(v.std(ddof=1)) if v.size > 1 else None,
        **{k: float(x) for k, x in zip(QUANTILES, q[1:], strict=True)},
        "histogram": {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]},
        "probabilities": {r.label: float(np.mean((v >= r.low) & (v < r.high))) for r in ranges},
    }


@dataclass(frozen=True)
class MonteCarloForecast:
    """A point forecast (unperturbed inputs) plus per model the outcome draws ``(draws, k)``."""

    base: Forecast
    outcomes: dict[str, np.ndarray]
    draws: int
    chunk_size: int
    inputs: tuple[str, ...]
    ranges: tuple[NamedRange, ...] = ()
    engines: dict[str, str] = field(default_factory=dict)
    uncertainty_note: str | None = None

    def distribution(self, model: str, issue: str) -> dict[str, Any] | None:
        j = self.base.scenario.issue_ids.index(issue)
        iss = self.base.scenario.issues[j]
        rs = [r for r in self.ranges if r.applies(issue)]
        return distribution(self.outcomes[model][:, j], iss.low, iss.high, rs)

    def to_frame(self) -> pd.DataFrame:
        """Tidy summary: one row per model × issue with the point forecast (unperturbed
        inputs) and the input-uncertainty distribution of the draws (n, mean, sd, median,
        quantiles), plus the issue's scale. These are *input-uncertainty* intervals: they say
        how the forecast moves with the coded inputs, not how wrong the model may be."""
        point = self.base.to_frame()
        rows = []
        for rec in point.to_dict("records"):
            d = self.distribution(rec["model"], rec["issue"]) or {}
            rows.append(
                {
                    "model": rec["model"],
                    "issue": rec["issue"],
                    "point": rec["outcome"],
                    "n": d.get("n", 0),
                    "mean": d.get("mean"),
                    "sd": d.get("sd"),
                    "median": d.get("median"),
                    **{q: d.get(q) for q in QUANTILES},
                    "low": rec["low"],
                    "high": rec["high"],
                    "known_outcome": rec["known_outcome"],
                }
            )
        cols = ["model", "issue", "point", "n", "mean", "sd", "median", *QUANTILES, "low",
                "high", "known_outcome"]
        return pd.DataFrame(rows, columns=cols)

    def to_dict(self, rounds: bool = True) -> dict[str, Any]:
        """``Forecast.to_dict`` extended with ``draws`` and per-row ``distribution``."""
        doc = self.base.to_dict(rounds=rounds)
        sc = self.base.scenario
        doc["draws"] = {
            "n": self.draws,
            "chunk_size": self.chunk_size,
            "seeding": "numpy SeedSequence(seed, spawn_key=(chunk, ...)); see docs/uncertainty.md",
            "uncertainty": sc.uncertainty.model_dump(mode="json"),
            "uncertain_inputs": list(self.inputs),
            "engines": dict(self.engines),
            "ranges": [
                {
                    "label": r.label,
                    "issue": r.issue,
                    "low": None if math.isinf(r.low) else r.low,
                    "high": None if math.isinf(r.high) else r.high,
                }
                for r in self.ranges
            ],
            **({"note": self.uncertainty_note} if self.uncertainty_note else {}),
        }
        for row in doc["forecasts"]:
            dist = self.distribution(row["model"], row["issue"])
            if dist is not None:
                dist["point"] = row["outcome"]
                row["outcome"] = dist["median"]
            row["distribution"] = dist
        return doc


def forecast_draws(
    scenario: Scenario,
    models: Iterable[str] | None = None,
    params: Mapping[str, Any] | None = None,
    seed: int | None = None,
    draws: int = 1000,
    *,
    chunk_size: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    checkpoint: str | None = None,
    ranges: Sequence[NamedRange] = (),
    progress: bool = False,
    uncertainty_note: str | None = None,
    on_note: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> MonteCarloForecast:
    """Monte Carlo forecast: the point forecast plus ``draws`` draws per model.

    Parameters are those of :func:`realpolitik.forecast.forecast`, plus the run's shape:
    ``chunk_size`` draws per seeded chunk (part of the result's identity: keep it to
    reproduce a run; default 1,000 when every model is batched, else 100, so that progress
    and checkpoints come often for models run draw by draw), ``workers`` local processes
    (1 = serial, 0 = all cores), ``scheduler`` a dask.distributed address, ``checkpoint`` a
    folder to save finished chunks in (a killed run resumes from it; ``on_note`` is told of
    each damaged chunk it recomputed, ``on_progress`` of each finished chunk; see
    :func:`~.sweep.sweep`).

    Examples
    --------
    >>> from realpolitik.scenario import Actor, Issue, Scenario, Stance
    >>> sc = Scenario(name="toy", actors=[Actor(id="A", capability=3),
    ...     Actor(id="B", capability=1)], issues=[Issue(id="x")],
    ...     stances=[Stance(actor="A", issue="x", position=20, salience=1),
    ...              Stance(actor="B", issue="x", position=80, salience=1)],
    ...     uncertainty={"position": 10})
    >>> mc = forecast_draws(sc, ["compromise"], seed=1, draws=2000)
    >>> d = mc.distribution("compromise", "x")
    >>> round(d["median"]), d["p2_5"] < 35 < d["p97_5"]
    (35, True)
    >>> mc.to_dict()["forecasts"][0]["outcome"] == d["median"]  # the outcome is the median
    True
    """
    if not models:  # the point forecast's models and every static one (batched: fast)
        models = default_draw_models(scenario)
    base = point_forecast(scenario, models, params, seed)
    runs = [Run(r.model, r.params) for r in base.results]
    if chunk_size is None:
        chunk_size = 1000 if all(batched(r.model, r.params, scenario) for r in runs) else 100
    res = sweep(
        [scenario],
        runs,
        draws,
        base.seed,
        chunk_size=chunk_size,
        workers=workers,
        scheduler=scheduler,
        checkpoint=checkpoint,
        progress=progress,
        on_note=on_note,
        on_progress=on_progress,
    )
    return MonteCarloForecast(
        base=base,
        outcomes={r.model: res.outcomes[(0, q)] for q, r in enumerate(runs)},
        draws=draws,
        chunk_size=chunk_size,
        inputs=tuple(inputs(scenario).names),
        ranges=tuple(ranges),
        engines={r.model: "batched" if batched(r.model, r.params, scenario) else "per-draw"
                 for r in runs},
        uncertainty_note=uncertainty_note,
    )
