r"""Alliance cohesion from a scenario: congruence of interest and willingness to share risk.

The seeds' thesis — "no alliance can survive unless it rests on a congruence of strategic
interest and a willingness to share risk" — made measurable on a coded scenario.

**Interest congruence** of partners *i* and *j* over the issues both take part in, a
salience-weighted Signorino–Ritter-style similarity on [−1, 1]:

.. math:: C_{ij} = 1 - 2\,\frac{\sum_k w_k\, d_k}{\sum_k w_k}, \qquad
   d_k = \frac{|x_{ik} - x_{jk}|}{\mathrm{high}_k - \mathrm{low}_k}, \qquad
   w_k = \sqrt{s_{ik}\, s_{jk}}

(1 = identical positions on every issue; −1 = opposite ends of every scale; the joint
salience :math:`w_k` counts an issue only as much as *both* care about it). A group's
congruence is the mean over its pairs.

**Risk sharing**: each partner's stake is what it puts on the line on the security issues
(issues tagged ``security``; all issues if none is tagged), :math:`\mathrm{stake}_i = c_i
\sum_{k \in \mathrm{sec}} s_{ik}`; the *balance* is the smallest stake over the largest
(1 = equal risks, → 0 = one partner carries it all), and each partner's share is shown.

**Dynamics** (after a dynamic model such as the expected-utility model): the congruence
recomputed from every round's positions, its trend (last − first), and the *challenge rate* —
the share of (round, issue) pairs in which one partner challenges the other (the model
classifies the dyad as conflict, compel or compromise).

**Strain** ∈ [0, 1] is the mean of the components' strains — (1 − C)/2, 1 − balance and, when
a dynamic run is given, the challenge rate and the divergence max(0, −trend)/2 — always
reported with its components: < 0.25 *cohesive*, < 0.5 *strained*, otherwise *at risk*.

References
----------
1. Signorino, C. S. & Ritter, J. M. (1999). Tau-b or not tau-b: measuring the similarity of
   foreign policy positions. *International Studies Quarterly* 43(1), 115–144.
2. Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method.
3. Snyder, G. H. (1984). The security dilemma in alliance politics. *World Politics* 36(4).
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ...scenario import Scenario

__all__ = ["congruence", "pair_congruence", "stakes", "AllianceStrain", "alliance_strain",
           "alliance_strains", "VERDICTS"]

VERDICTS = ((0.25, "cohesive"), (0.5, "strained"), (1.01, "at risk"))
CHALLENGE_KINDS = ("conflict", "compel", "compromise")


def congruence(xi: np.ndarray, xj: np.ndarray, si: np.ndarray, sj: np.ndarray,
               width: np.ndarray) -> float | None:
    """:math:`C_{ij}` over issues where both positions are known; ``None`` if none is shared
    or no shared issue matters to both (all joint saliences zero)."""
    both = ~np.isnan(xi) & ~np.isnan(xj)
    w = np.sqrt(np.where(both, si * sj, 0.0))
    if not both.any() or w.sum() <= 0:
        return None
    d = np.abs(np.where(both, xi - xj, 0.0)) / width
    return float(1 - 2 * (w * d).sum() / w.sum())


def pair_congruence(sc: Scenario, a: str, b: str,
                    positions: dict[str, dict[str, float]] | None = None) -> float | None:
    """Congruence of actors ``a`` and ``b``; ``positions`` (issue → actor → x) overrides the
    coded positions, e.g. with a model round's."""
    arr = sc.arrays()
    i, j = arr.actor_ids.index(a), arr.actor_ids.index(b)
    x = arr.position.copy()
    if positions:
        for k, iid in enumerate(arr.issue_ids):
            for actor, value in positions.get(iid, {}).items():
                if actor in arr.actor_ids and arr.present[arr.actor_ids.index(actor), k]:
                    x[arr.actor_ids.index(actor), k] = value
    return congruence(x[i], x[j], arr.salience[i], arr.salience[j], arr.high - arr.low)


def stakes(sc: Scenario, members: tuple[str, ...]) -> dict[str, float]:
    """Each member's stake c_i Σ_{security issues} s_ik (salience on [0, 1])."""
    arr = sc.arrays()
    sec = np.array(["security" in i.tags for i in sc.issues])
    if not sec.any():
        sec = np.ones(len(sc.issues), bool)
    out = {}
    for m in members:
        r = arr.actor_ids.index(m)
        out[m] = float((arr.capability[r] * arr.salience[r] * sec).sum())
    return out


@dataclass(frozen=True)
class AllianceStrain:
    """One alliance's cohesion summary: every component visible, never a bare number."""

    alliance: str
    members: tuple[str, ...]
    congruence: float | None
    pair_congruence: dict[str, float | None]
    stakes: dict[str, float]
    risk_shares: dict[str, float]
    risk_balance: float | None
    security_issues: tuple[str, ...]
    dynamics: dict[str, Any] | None = None
    components: dict[str, float] = field(default_factory=dict)
    strain: float | None = None
    verdict: str = "unknown"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _verdict(strain: float | None) -> str:
    if strain is None:
        return "unknown"
    return next(label for bound, label in VERDICTS if strain < bound)


def _dynamics(sc: Scenario, members: tuple[str, ...], forecast: Any) -> dict[str, Any] | None:
    """Per-round congruence and challenge rate from a dynamic model's per-issue rounds."""
    per_issue = [f for r in forecast.results for f in r.issues if f.rounds] if forecast else []
    if not per_issue:
        return None
    n_rounds = min(len(f.rounds) for f in per_issue)
    pairs = list(itertools.combinations(members, 2))
    series, challenged, opportunities = [], 0, 0
    for t in range(n_rounds):
        pos = {f.issue: f.rounds[t].get("positions", {}) for f in per_issue}
        vals = [pair_congruence(sc, a, b, pos) for a, b in pairs]
        vals = [v for v in vals if v is not None]
        series.append(float(np.mean(vals)) if vals else None)
        if t == 0:
            continue
        for f in per_issue:
            for d in f.rounds[t].get("dyads", []):
                if set(d.get("actors", ())) <= set(members) and len(d.get("actors", ())) == 2:
                    opportunities += 1
                    challenged += d.get("kind") in CHALLENGE_KINDS
    known = [s for s in series if s is not None]
    return {"model": forecast.results[0].model, "rounds": n_rounds - 1,
            "congruence_by_round": series,
            "trend": known[-1] - known[0] if len(known) > 1 else None,
            "challenges": challenged, "dyad_rounds": opportunities,
            "challenge_rate": challenged / opportunities if opportunities else None}


def alliance_strain(sc: Scenario, alliance: str, members: tuple[str, ...],
                    forecast: Any = None) -> AllianceStrain:
    """The strain summary of one alliance (see the module docstring for the formulas).

    ``forecast`` is an optional :class:`~realpolitik.forecast.Forecast` of a dynamic model
    (e.g. ``eum``) whose per-round positions and dyad classifications feed the dynamics; run
    it with ``trace=True`` (the dyads are in the traced record only), else the challenge rate
    is unknown.
    """
    pairs = {f"{a}–{b}": pair_congruence(sc, a, b)
             for a, b in itertools.combinations(members, 2)}
    known = [v for v in pairs.values() if v is not None]
    cong = float(np.mean(known)) if known else None
    st = stakes(sc, members)
    total = sum(st.values())
    shares = {m: (v / total if total > 0 else 0.0) for m, v in st.items()}
    balance = min(st.values()) / max(st.values()) if st and max(st.values()) > 0 else None
    sec = tuple(i.id for i in sc.issues if "security" in i.tags) or sc.issue_ids
    dyn = _dynamics(sc, members, forecast)
    comp: dict[str, float] = {}
    if cong is not None:
        comp["interest_divergence"] = (1 - cong) / 2
    if balance is not None:
        comp["risk_imbalance"] = 1 - balance
    if dyn and dyn["challenge_rate"] is not None:
        comp["challenge_rate"] = dyn["challenge_rate"]
    if dyn and dyn["trend"] is not None:
        comp["drifting_apart"] = max(0.0, -dyn["trend"]) / 2
    strain = float(np.mean(list(comp.values()))) if comp else None
    return AllianceStrain(alliance, tuple(members), cong, pairs, st, shares, balance, sec,
                          dyn, comp, strain, _verdict(strain))


def alliance_strains(sc: Scenario, forecast: Any = None) -> list[AllianceStrain]:
    """Strain summaries of every declared group (alliance) with two or more members."""
    return [alliance_strain(sc, g, m, forecast) for g, m in sc.groups().items() if len(m) > 1]
