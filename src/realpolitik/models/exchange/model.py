r"""Stokman's equal-gain exchange model: actors trade votes across issues.

Each round, pairs of actors on opposite sides of the outcome on two issues trade: each
concedes on the issue it cares relatively less about, at the rate that makes both gain
equally; the highest-gain exchanges are executed first (see
:mod:`realpolitik.models.exchange.core` for the equations). After a round the outcome is
the c·s-weighted mean of the voting positions, and preferences drift toward them:
:math:`x' = x + (0.1 + 0.4 (1 - s)) (y - x)`.

Positions are normalised to 0–100 per issue (:math:`100 (x - low) / (high - low)`) and
outcomes de-normalised on output. ``tie_break="decide"`` with ``decide_seed=1`` replays
``decide-exchange-model`` 2022.1.28 (seed 1) including its queue quirks; see
``docs/models/exchange.md`` for every deliberate difference.

References
----------
1. Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions. In Bueno de
   Mesquita & Stokman (eds.), *European Community Decision Making*, 105–127. Yale UP.
2. Draaijer, J. (2022). decide-exchange-model 2022.1.28, https://pypi.org/project/
   decide-exchange-model/ (behaviour only; GPL code not copied).
"""

from __future__ import annotations

import random
from typing import Any, Literal

import numpy as np
from pydantic import Field

from ...scenario import Scenario
from ..base import IssueForecast, Model, NoParams
from ..registry import register
from .core import drift, outcome, run_round
from .decimal_ties import DecideNumbers

__all__ = ["Exchange", "ExchangeParams"]


class ExchangeParams(NoParams):
    """Parameters of the exchange model.

    ``rounds`` (10): at most this many rounds. ``tolerance`` (None): stop earlier once no
    issue's outcome moves more than this (on the 0–100 scale) between rounds. ``p`` (0):
    randomised rate; the two gains are split (1 + e) : (1 - e) with e ~ U(-p, p) instead of
    equally. ``tie_break``: ``random`` (50/50 from the run's rng, default), ``first``
    (deterministic: earliest in the queue) or ``decide`` (decide's queue, its Python
    ``random`` stream seeded with ``decide_seed``, default 1).
    """

    rounds: int = Field(10, ge=1, le=1000)
    tolerance: float | None = Field(None, ge=0)
    p: float = Field(0.0, ge=0, le=1)
    tie_break: Literal["random", "first", "decide"] = "random"
    decide_seed: int = 1


def _normalise(a: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    span = a.high - a.low
    x = np.where(a.present, (a.position - a.low) * (100.0 / span), np.nan)
    w = np.where(a.present, a.capability * a.salience, 0.0)
    return x, np.where(a.present, a.salience, 0.0), w


@register
class Exchange(Model):
    """Equal-gain vote exchange (Stokman & Van Oosten 1994), decide-compatible.

    Examples
    --------
    Two actors, each caring most about a different issue, trade fully: B concedes p to A,
    A concedes q to B, and each gets its way on the issue it cares about.

    >>> from realpolitik.scenario import Actor, Issue, Scenario, Stance
    >>> st = [Stance(actor=a, issue=i, position=x, salience=s) for a, i, x, s in [
    ...     ("A", "p", 0, .9), ("A", "q", 0, .2), ("B", "p", 100, .2), ("B", "q", 100, .9)]]
    >>> sc = Scenario(name="t", actors=[Actor(id="A", capability=1), Actor(id="B", capability=1)],
    ...               issues=[Issue(id="p"), Issue(id="q")], stances=st)
    >>> res = Exchange(rounds=1).run(sc, rng=1)
    >>> {k: round(v, 3) for k, v in res.outcomes().items()}
    {'p': 0.0, 'q': 100.0}
    >>> round(res.rounds[1]["exchanges"][0]["i"]["gain"], 4)
    12.7273
    """

    name = "exchange"
    summary = "Stokman's equal-gain exchange of voting positions across issue pairs"
    Params = ExchangeParams
    dynamic = True
    stochastic = True
    multidimensional = False
    within_hull = True

    def solve(
        self, scenario: Scenario, rng: np.random.Generator
    ) -> tuple[list[IssueForecast], list[dict[str, Any]], dict[str, Any]]:
        prm: ExchangeParams = self.params  # type: ignore[assignment]
        a = scenario.arrays()
        x, s, w = _normalise(a)
        actors, issues = list(a.actor_ids), list(a.issue_ids)
        span = a.high - a.low

        def scale(v: np.ndarray) -> list[float]:
            return [float(u) for u in a.low + v * span / 100.0]

        def positions(v: np.ndarray) -> dict[str, dict[str, float]]:
            return {
                actors[i]: {
                    issues[j]: float(a.low[j] + v[i, j] * span[j] / 100.0)
                    for j in range(len(issues))
                    if a.present[i, j]
                }
                for i in range(len(actors))
            }

        draw = random.Random(prm.decide_seed).random
        out = outcome(np.nan_to_num(x), w)
        rounds: list[dict[str, Any]] = [
            {
                "round": 0,
                "outcome": dict(zip(issues, scale(out), strict=True)),
                "preference": positions(x),
                "exchanges": [],
            }
        ]
        exact = None
        if prm.tie_break == "decide":  # decide's Decimal numbers, to order float ties
            exact = DecideNumbers(a.salience, a.capability, a.present, raw=a.position,
                                  low=a.low, high=a.high)
        for t in range(1, prm.rounds + 1):
            y, done, counts = run_round(
                x, s, w, p_random=prm.p, tie_break=prm.tie_break, rng=rng, draw=draw,
                exact=exact,
            )
            new = outcome(y, w)
            moved = np.zeros(x.shape, bool)
            for ex in done:
                for side in (ex["i"], ex["j"]):
                    moved[side["actor"], side["supply"]] = True
            x = np.where(a.present, drift(np.nan_to_num(x), y, s, moved), np.nan)
            if exact is not None:
                exact = exact.next_round(y, moved, np.nan_to_num(x))
            rounds.append(
                {
                    "round": t,
                    "outcome": dict(zip(issues, scale(new), strict=True)),
                    "voting": positions(y),
                    "preference": positions(x),
                    "exchanges": [self._describe(ex, actors, issues, a) for ex in done],
                    **counts,
                }
            )
            step = float(np.max(np.abs(new - out))) if new.size else 0.0
            out = new
            if prm.tolerance is not None and step <= prm.tolerance:
                break
        forecasts = [
            IssueForecast(
                iid,
                rounds[-1]["outcome"][iid],
                [{"round": r["round"], "outcome": r["outcome"][iid]} for r in rounds],
            )
            for iid in issues
        ]
        # how many executions a tie decided, per round (``tie_break`` says how it was broken)
        ties = [int(r.get("ties", 0)) for r in rounds[1:]]
        return forecasts, rounds, {"rounds_run": len(rounds) - 1, "ties": ties}

    @staticmethod
    def _describe(
        ex: dict[str, Any], actors: list[str], issues: list[str], a: Any
    ) -> dict[str, Any]:
        """One executed exchange on the issues' own scales (gains stay on 0–100 units)."""
        out = {}
        for key in ("i", "j"):
            sd = ex[key]
            j = sd["supply"]
            lo, f = float(a.low[j]), float(a.high[j] - a.low[j]) / 100.0
            out[key] = {
                "actor": actors[sd["actor"]],
                "supply": issues[j],
                "start": lo + sd["start"] * f,
                "move": sd["move"] * f,
                "voting": lo + sd["voting"] * f,
                "demand": lo + sd["demand"] * f,
                "gain": sd["gain"],
            }
        return out
