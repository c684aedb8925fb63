"""What-if: the forecast before and after shocks to a scenario.

The shocks and their language live in :mod:`realpolitik.scenario.shocks` (re-exported here).
:func:`whatif` forecasts the base and the shocked scenario with the same seed: with draws,
both share every unshocked input's draws (common random numbers; see
:mod:`realpolitik.analysis.uncertainty.sampling`), so the per-draw difference isolates the
shock and its distribution is the difference's uncertainty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...scenario import Scenario
from ...scenario.shocks import (
    Shock,
    apply_shocks,
    parse_shock,
    read_shocks,
    remove_actor,
    remove_issue,
)

__all__ = [
    "Shock",
    "parse_shock",
    "read_shocks",
    "apply_shocks",
    "remove_actor",
    "remove_issue",
    "WhatIf",
    "whatif",
]


def _difference(base: np.ndarray, shocked: np.ndarray) -> dict[str, Any] | None:
    d = shocked - base
    d = d[np.isfinite(d)]
    if d.size == 0:
        return None
    q = np.quantile(d, [0.5, 0.025, 0.10, 0.90, 0.975])
    return {
        "n": int(d.size),
        "mean": float(d.mean()),
        "median": float(q[0]),
        "sd": float(d.std(ddof=1)) if d.size > 1 else None,
        "p2_5": float(q[1]),
        "p10": float(q[2]),
        "p90": float(q[3]),
        "p97_5": float(q[4]),
        "p_increase": float(np.mean(d > 0)),
        "p_decrease": float(np.mean(d < 0)),
    }


@dataclass(frozen=True)
class WhatIf:
    """Base and shocked forecasts (each a point or Monte Carlo forecast) and the shocks."""

    shocks: tuple[Shock, ...]
    base: Any
    shocked: Any
    draws: int

    def to_dict(self) -> dict[str, Any]:
        """The ``realpolitik.whatif/1`` record (``docs/uncertainty.md``)."""
        b, s = self.base.to_dict(rounds=False), self.shocked.to_dict(rounds=False)
        srows = {(r["model"], r["issue"]): r for r in s["forecasts"]}
        rows = []
        for r in b["forecasts"]:
            t = srows.get((r["model"], r["issue"]))
            row: dict[str, Any] = {
                "model": r["model"],
                "issue": r["issue"],
                "base": r["outcome"],
                "shocked": t and t["outcome"],
            }
            row["difference"] = (
                None
                if row["shocked"] is None or row["base"] is None
                else row["shocked"] - row["base"]
            )
            if self.draws:  # base/shocked stay the point forecasts; the draws' own columns
                j = self.base.base.scenario.issue_ids.index(r["issue"])
                k = self.shocked.base.scenario.issue_ids.index(r["issue"])
                bd, sd = r["distribution"] or {}, (t and t["distribution"]) or {}
                row["base"], row["shocked"] = bd.get("point", row["base"]), sd.get(
                    "point", row["shocked"])
                row["difference"] = (
                    None if row["shocked"] is None or row["base"] is None
                    else row["shocked"] - row["base"]
                )
                row["base_mc_mean"], row["shocked_mc_mean"] = bd.get("mean"), sd.get("mean")
                row["base_distribution"] = r["distribution"]
                row["shocked_distribution"] = t and t["distribution"]
                row["difference_distribution"] = _difference(
                    self.base.outcomes[r["model"]][:, j], self.shocked.outcomes[r["model"]][:, k]
                )
            rows.append(row)
        return {
            "schema": "realpolitik.whatif/1",
            "engine": b["engine"],
            "seed": b["seed"],
            "draws": self.draws,
            "shocks": [x.text for x in self.shocks],
            "scenario": {"name": b["scenario"]["name"], "hash": b["scenario"]["hash"]},
            "shocked_scenario": {
                "hash": s["scenario"]["hash"],
                "actors": [a["id"] for a in s["scenario"]["actors"]],
            },
            "models": b["models"],
            "rows": rows,
        }


def whatif(
    scenario: Scenario,
    shocks: Sequence[Shock | str],
    models: Iterable[str] | None = None,
    params: Mapping[str, Any] | None = None,
    seed: int | None = None,
    draws: int = 0,
    **run: Any,
) -> WhatIf:
    """Forecast ``scenario`` before and after ``shocks`` with the same seed (and draws).

    ``run`` passes ``chunk_size``, ``workers``, ``scheduler``, ``progress`` and ``ranges`` on
    to :func:`~realpolitik.analysis.uncertainty.montecarlo.forecast_draws` when ``draws`` > 0.

    Examples
    --------
    >>> from realpolitik.scenario import Actor, Issue, Scenario, Stance
    >>> sc = Scenario(name="toy", actors=[Actor(id="A", capability=3),
    ...     Actor(id="B", capability=1)], issues=[Issue(id="x")],
    ...     stances=[Stance(actor="A", issue="x", position=0, salience=1),
    ...              Stance(actor="B", issue="x", position=100, salience=1)])
    >>> w = whatif(sc, ["A capability *0.5"], ["compromise"], seed=1).to_dict()
    >>> [(r["base"], r["shocked"], r["difference"]) for r in w["rows"]]
    [(25.0, 40.0, 15.0)]
    """
    from ...forecast import forecast
    from ..uncertainty.montecarlo import forecast_draws

    parsed = tuple(parse_shock(s) if isinstance(s, str) else s for s in shocks)
    shocked = apply_shocks(scenario, parsed)
    if draws:
        mc = forecast_draws(scenario, models, params, seed, draws, **run)
        mc_after = forecast_draws(shocked, models, params, mc.base.seed, draws, **run)
        return WhatIf(parsed, mc, mc_after, draws)
    base = forecast(scenario, models, params, seed)
    return WhatIf(parsed, base, forecast(shocked, models, params, base.seed), draws)
