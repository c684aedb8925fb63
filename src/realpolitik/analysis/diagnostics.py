"""Flags for degenerate forecasts: answers that should not be read at face value.

A model can return a number that is technically right and practically meaningless. Each flag
is a dict in the issue forecast's ``details["flags"]`` (``flag``, ``message`` and its evidence),
shown by the CLI table, the JSON, the report and the web app:

* ``nash-pinned`` — the Nash solution equals the status quo because a veto player's consent
  is impossible to win (its ideal is the status quo, or veto players sit on both sides of
  it); the actors are named (``models/nash.py``'s ``pinned_by``).
* ``smp-not-converged`` — the SMP stopped at ``max_turns``; ``smp-oscillating`` — its last
  states repeat with period ≥ 2 (the cycle of positions is given); ``smp-stalled`` — nobody
  moved, so the answer is the coded state read through the outcome rule.
* ``knife-edge`` (EUM, SMP) — one salience or capability moved by ±20% (one at a time: the
  tornado of :mod:`.sensitivity`) moves the outcome by more than :data:`KNIFE_EDGE_SHARE` of
  the issue's scale. The forecast is then a coin toss between regimes; its levers should be
  read on the distribution (``advise --draws``), not on the point. The check costs two model
  runs per input, and one SMP run grows with the cube of the actors, so a large scenario
  swings only the :func:`knife_edge_inputs` with the most weight (capability × salience): all
  inputs up to 30 actors, fewer beyond (80 actors: 9 of 160), so a plain ``forecast`` stays in
  seconds; ``details["knife_edge_checked"]`` then says how many were checked, and
  ``realpolitik sensitivity`` swings them all.

The model cores are untouched: flags are read from the results' details and rounds, plus one
sensitivity run per flagged-for-check model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..forecast import Forecast
from ..models.base import IssueForecast, ModelResult
from ..scenario import Scenario, UncertaintyDefaults

__all__ = [
    "KNIFE_EDGE_SHARE",
    "PERTURBATION",
    "KNIFE_EDGE_MODELS",
    "nash_flags",
    "smp_flags",
    "knife_edge",
    "knife_edge_inputs",
    "diagnose",
    "flags_of",
]

#: An outcome that moves by more than this share of the issue's scale under a small
#: perturbation of one input is on a knife edge.
KNIFE_EDGE_SHARE = 0.25

#: The small perturbation: each salience and capability by ±20% of its coded value, one at a
#: time (positions are kept: they are what the analyst codes most carefully).
PERTURBATION = UncertaintyDefaults(salience=0.2, capability=0.2, dist="uniform")

#: Models checked for knife edges (the strategic models with discrete dynamics).
KNIFE_EDGE_MODELS = ("eum", "smp")

#: How many inputs the check swings: all of them up to 30 actors; beyond,
#: ``KNIFE_EDGE_BEYOND_30 × (30 / actors)²`` of them, at least :data:`KNIFE_EDGE_MIN`.
KNIFE_EDGE_BEYOND_30 = 64
KNIFE_EDGE_MIN = 8


def _flag(kind: str, message: str, **evidence: Any) -> dict[str, Any]:
    return {"flag": kind, "message": message, **evidence}


def nash_flags(scenario: Scenario, f: IssueForecast) -> list[dict[str, Any]]:
    """``nash-pinned`` if a veto pins the Nash solution to the status quo."""
    who = f.details.get("pinned_by")
    if not who:
        return []
    issue = scenario.issue(f.issue)
    sq = issue.status_quo
    pos = {s.actor: s.position for s in scenario.stances if s.issue == f.issue}
    at = [a for a in who if pos.get(a) == sq]
    if at:
        why = f"{', '.join(at)} {'sits' if len(at) == 1 else 'sit'} at the status quo"
    else:
        lo = [a for a in who if pos[a] < (sq or 0)]
        hi = [a for a in who if pos[a] > (sq or 0)]
        why = f"{', '.join(lo)} want less and {', '.join(hi)} more than the status quo"
    return [_flag("nash-pinned", f"Nash = status quo: pinned by the veto of {', '.join(who)} "
                  f"({why})", actors=list(who))]


def _same(a: dict[str, float], b: dict[str, float], tol: float) -> bool:
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) <= tol for k in a)


def smp_flags(f: IssueForecast, max_turns: int, width: float) -> list[dict[str, Any]]:
    """``smp-stalled``, ``smp-oscillating`` (with the cycle) or ``smp-not-converged``."""
    states = [r["positions"] for r in f.rounds or [] if isinstance(r.get("positions"), dict)]
    if len(states) < 2:
        return []
    tol = 1e-9 * width
    if all(_same(s, states[0], tol) for s in states[1:]):
        return [_flag("smp-stalled", "SMP: nobody moved; the outcome is the coded state read "
                      "through the outcome rule")]
    out = []
    last = states[-1]
    for period in range(2, min(len(states) - 1, 12) + 1):
        if _same(states[-1 - period], last, tol) and not _same(states[-2], last, tol):
            cycle = [{k: round(v, 3) for k, v in s.items()} for s in states[-period:]]
            out.append(_flag("smp-oscillating", f"SMP oscillates with period {period}: the "
                             "outcome depends on where the turns stop", period=period,
                             cycle=cycle))
            break
    if f.details.get("turns", 0) >= max_turns:
        out.append(_flag("smp-not-converged", f"SMP stopped at max_turns={max_turns} without "
                         "converging", turns=f.details.get("turns")))
    return out


def _bare(scenario: Scenario) -> Scenario:
    """The scenario with :data:`PERTURBATION` as its only input uncertainty."""
    return scenario.replace(
        uncertainty=PERTURBATION,
        actors=tuple(a.model_copy(update={"uncertainty": {}}) for a in scenario.actors),
        stances=tuple(s.model_copy(update={"uncertainty": {}}) for s in scenario.stances),
    )


def knife_edge(scenario: Scenario, result: ModelResult, seed: int = 0,
               share: float = KNIFE_EDGE_SHARE) -> dict[str, dict[str, Any]]:
    """Issues whose outcome swings by more than ``share`` of the scale (see the module doc).

    Returns ``{issue: flag}``; the flag names the input with the largest swing and the range
    of outcomes it gives.
    """
    from .uncertainty.sensitivity import one_at_a_time, swing

    bare, checked, m = _plan(scenario)
    spec, _, y = one_at_a_time(bare, result.model, result.params, seed, quantiles=(0.0, 1.0),
                               swung=None if len(checked) == m else checked)
    # the tornado's ranking without its frame: widest swing first, ties by input name
    order = sorted((q for q in checked if spec.items[q].field != "position"),
                   key=lambda q: spec.items[q].name)
    out = {}
    for j, issue in enumerate(scenario.issues):
        trios = {q: y[[0, 2 * q + 1, 2 * q + 2], j] for q in order}
        swings = {q: swing(t) for q, t in trios.items() if np.isfinite(t).any()}
        if not swings:
            continue
        top = max(swings, key=lambda q: swings[q])  # the first of equal swings: name order
        width = issue.high - issue.low
        if swings[top] > share * width:
            outcome, low, high = trios[top]
            lo, hi = float(min(low, high, outcome)), float(max(low, high, outcome))
            name = spec.items[top].name
            out[issue.id] = _flag(
                "knife-edge",
                f"{result.model}: {name} ±20% moves the outcome between {lo:.0f} and "
                f"{hi:.0f} (> {share:.0%} of the scale); read levers on the distribution "
                "(advise --draws)",
                input=name, swing=swings[top], low=lo, high=hi,
            )
    if len(checked) < m:
        for flag in out.values():
            flag["message"] += f" (checked the {len(checked)} heaviest of {m} inputs)"
            flag["checked"] = {"inputs": len(checked), "of": m}
    return out


def _plan(scenario: Scenario) -> tuple[Scenario, list[int], int]:
    """The knife-edge check's scenario (:func:`_bare`), the inputs it swings
    (:func:`knife_edge_inputs`) and how many inputs there are."""
    from .uncertainty.sampling import inputs

    bare = _bare(scenario)
    items = inputs(bare).items
    return bare, knife_edge_inputs(bare, items), len(items)


def _partial_check(scenario: Scenario) -> dict[str, int] | None:
    """``{"inputs": k, "of": m}`` when the knife-edge check swings only k of m inputs."""
    _, checked, m = _plan(scenario)
    return {"inputs": len(checked), "of": m} if len(checked) < m else None


def knife_edge_inputs(scenario: Scenario, items: Sequence[Any]) -> list[int]:
    """Indexes of the inputs the knife-edge check swings, heaviest first.

    An input's weight is the capability × salience it carries: an actor's capability weighs
    its capability times its summed salience, a salience (or a per-issue capability) the
    actor's capability times that salience. Products of coded values are exact IEEE operations,
    so the choice is the same on every CPU; equal weights keep the inputs' order.
    """
    n = len(scenario.actors)
    m = len(items)
    keep = m if n <= 30 else max(KNIFE_EDGE_MIN, int(KNIFE_EDGE_BEYOND_30 * (30 / n) ** 2))
    if keep >= m:
        return list(range(m))
    cap = {a.id: a.capability for a in scenario.actors}
    sal: dict[tuple[str, str], float] = {(s.actor, s.issue): s.salience
                                         for s in scenario.stances}
    total: dict[str, float] = {}
    for (a, _), v in sal.items():
        total[a] = total.get(a, 0.0) + v

    def weight(x: Any) -> float:
        if x.issue is None:
            return cap[x.actor] * total.get(x.actor, 0.0)
        return cap[x.actor] * sal.get((x.actor, x.issue), 0.0)

    ranked = sorted(range(m), key=lambda q: -weight(items[q]))
    return sorted(ranked[:keep])


def diagnose(forecast: Forecast, knife_edges: bool = True,
             models: Iterable[str] = KNIFE_EDGE_MODELS) -> Forecast:
    """The forecast with ``details["flags"]`` on every flagged issue forecast."""
    sc = forecast.scenario
    width = {i.id: i.high - i.low for i in sc.issues}
    results = []
    models = tuple(models)
    checks = knife_edges and any(r.model in models for r in forecast.results)
    partial = _partial_check(sc) if checks else None  # the same for every model checked
    for r in forecast.results:
        check = knife_edges and r.model in models
        edges = knife_edge(sc, r, forecast.seed) if check else {}
        issues = []
        for f in r.issues:
            if check and partial:
                f = replace(f, details={**f.details, "knife_edge_checked": partial})
            flags: list[dict[str, Any]] = []
            if r.model == "nash":
                flags += nash_flags(sc, f)
            if r.model == "smp":
                flags += smp_flags(f, int(r.params.get("max_turns", 100)), width[f.issue])
            if f.issue in edges:
                flags.append(edges[f.issue])
            issues.append(replace(f, details={**f.details, "flags": flags}) if flags else f)
        results.append(replace(r, issues=tuple(issues)))
    return replace(forecast, results=tuple(results))


def flags_of(forecast: Forecast) -> list[tuple[str, str, dict[str, Any]]]:
    """Every flag as ``(model, issue, flag)``, in result order."""
    return [(r.model, f.issue, fl) for r in forecast.results for f in r.issues
            for fl in f.details.get("flags", [])]
