r"""Bueno de Mesquita's expected-utility model (EUM), as reconstructed by Scholz et al. (2011).

Each round, every actor weighs challenging every other: with the c·s-weighted median
:math:`\mu` as the expected outcome, the probability :math:`P_{ij}` that i prevails over j
(from everyone's votes), the five utilities with risk exponents :math:`r_i` and the target's
salience as its probability of resisting, i's expected utility of challenging j is

.. math:: E_i(U_{ij}) = s_j[P_{ij} U^s_{ij} + (1 - P_{ij}) U^f_{ij}] + (1 - s_j) U^s_{ij}
   - Q U^{sq}_i - (1 - Q)[T U^b_{ij} + (1 - T) U^w_{ij}].

Risk exponents come from a first pass with every :math:`r = 1`: the more an actor is
threatened (security :math:`\sum_j E_j(U_{ji})`), the more risk-averse it becomes,
:math:`r_i \in [\tfrac12, 2]`. Each dyad, as an actor sees it from
:math:`(E_i(U_{ij}), E_j(U_{ji}))`, is a **conflict** (both > 0: the smaller EU gives way
entirely), a **compromise** or **compel** (opposite signs: the loser moves the fraction
:math:`\min(1, |\text{loser}|/\text{winner})` toward the winner) or a **stalemate** (both
≤ 0). Each actor accepts at most one offer (a lost conflict before a compromise before a
compulsion) and all move at once. The forecast (``outcome``) is the median after the last
round played; the final c·s-weighted mean is in ``details``. The equations are in
:mod:`realpolitik.models.eum.core`; every ambiguity in the sources is a parameter of
:class:`~realpolitik.models.eum.core.EUMParams` (``variant="scholz-code"`` reproduces the
jmckib port of Scholz's code). Multi-issue scenarios are solved one issue at a time, each
with the actors who take part in it. The ``backend`` parameter picks the code for untraced
batches (Monte Carlo): the compiled kernel of :mod:`realpolitik.models.eum.kernel` (``auto``,
when numba is installed) or numpy, with the same numbers; a forecast of one scenario always
runs the numpy core (it never waits for a compile). Its per-round record is a summary (median,
mean, positions) unless ``trace=True`` asks for every round's matrices, dyads and offers.

Examples
--------
>>> from realpolitik.scenario import Scenario
>>> sc = Scenario.model_validate({"name": "toy",
...     "actors": [{"id": a, "capability": 1} for a in "ABC"],
...     "issues": [{"id": "x", "low": 0, "high": 10}],
...     "stances": [{"actor": a, "issue": "x", "position": p, "salience": 0.5}
...                 for a, p in zip("ABC", (0, 4, 10))]})
>>> res = ExpectedUtility(rounds=3).run(sc)
>>> res.outcome("x"), len(res.issues[0].rounds)
(4.0, 4)

References
----------
1. Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's group
   decision model. *J. Theoretical Politics* 23(4), 510–531.
2. Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In Bueno
   de Mesquita & Stokman (eds.), *European Community Decision Making*, 71–104. Yale UP.
3. Bueno de Mesquita, B. (1985). The war trap revisited. *APSR* 79(1), 156–177.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...scenario import Scenario
from ..base import IssueForecast, Model
from ..registry import register
from .core import GIVES, KINDS, EUMParams, run_batch

__all__ = ["ExpectedUtility", "EUMParams", "trajectory"]


def _by_id(ids: list[str], v: np.ndarray) -> dict[str, float]:
    return {a: float(x) for a, x in zip(ids, v, strict=True)}


def _matrix(ids: list[str], m: np.ndarray) -> dict[str, dict[str, float]]:
    return {a: {b: float(m[i, j]) for j, b in enumerate(ids) if j != i} for i, a in enumerate(ids)}


def _dyads(
    ids: list[str], kind: np.ndarray, gives: np.ndarray, observer: bool
) -> list[dict[str, Any]]:
    """Dyad records; one per unordered pair unless each actor has its own view."""
    out = []
    for i, j in zip(*np.nonzero(kind), strict=True):
        if not observer and j < i:
            continue
        pair = (ids[i], ids[j])
        loser = {1: ids[i], 2: ids[j]}.get(int(gives[i, j]))
        winner = None if loser is None else pair[1] if loser == ids[i] else pair[0]
        rec = {
            "actors": list(pair),
            "kind": KINDS[kind[i, j]],
            "challenger": winner,
            "target": loser,
            "gives_way": loser,
        }
        if observer:
            rec = {"viewer": ids[i], **rec}
        out.append(rec)
    return out


def trajectory(
    out: dict[str, np.ndarray], ids: list[str], observer: bool = False
) -> list[dict[str, Any]]:
    """JSON-ready per-round records from one (unbatched) :func:`run_batch` result.

    Every round records its median, mean and positions (round 0: the initial state). A traced
    run (``trace=True``) adds to each played round the risk exponents, security, P,
    E_i(U_ij) (``eu``) and E_j(U_ji) as i sees it (``eu_seen``), every dyad's classification
    and the offer each actor accepted: n² numbers a round, so only on request.
    """
    rows: list[dict[str, Any]] = []
    for t in range(int(out["rounds"]) + 1):
        row: dict[str, Any] = {
            "round": t,
            "median": float(out["median"][t]),
            "mean": float(out["mean"][t]),
            "positions": _by_id(ids, out["position"][t]),
        }
        if t > 0 and "risk" in out:
            k = t - 1
            frm, kind = out["offer_from"][k], out["offer_kind"][k]
            row |= {
                "risk": _by_id(ids, out["risk"][k]),
                "security": _by_id(ids, out["security"][k]),
                "probability": _matrix(ids, out["probability"][k]),
                "eu": _matrix(ids, out["eu"][k]),
                "eu_seen": _matrix(ids, out["eu_seen"][k]),
                "dyads": _dyads(ids, out["kind"][k], out["gives"][k], observer),
                "offers": {
                    a: None
                    if frm[i] < 0
                    else {
                        "kind": KINDS[kind[i]],
                        "from": ids[frm[i]],
                        "to": float(out["position"][t][i]),
                    }
                    for i, a in enumerate(ids)
                },
            }
        rows.append(row)
    return rows


def _ties(out: dict[str, np.ndarray], ids: list[str]) -> list[dict[str, Any]]:
    """The accepted offers the tie rule decided: offers with different targets tied within
    the tolerance of :mod:`~realpolitik.models.ties`, the lowest proposer index taken."""
    played = int(out["rounds"])
    return [
        {"round": int(t) + 1, "actor": ids[i], "from": ids[out["offer_from"][t, i]]}
        for t, i in zip(*np.nonzero(out["offer_tied"][:played]), strict=True)
    ]


@register
class ExpectedUtility(Model):
    """Bueno de Mesquita's expected-utility model (see the module docstring)."""

    name = "eum"
    summary = (
        "Bueno de Mesquita's expected-utility model (Scholz et al. 2011): rounds of "
        "challenges, compromises and compulsions"
    )
    Params = EUMParams
    dynamic = True
    within_hull = True

    def solve(
        self, scenario: Scenario, rng: np.random.Generator
    ) -> tuple[list[IssueForecast], None, dict[str, Any]]:
        p: EUMParams = self.params  # type: ignore[assignment]
        a = scenario.arrays()
        forecasts = []
        for j, iid in enumerate(a.issue_ids):
            ids = [aid for aid, m in zip(a.actor_ids, a.present[:, j], strict=True) if m]
            c, x, s = a.issue(j)
            if not ids:
                skipped = IssueForecast(iid, None, details={"skipped": "no actors"})
                forecasts.append(skipped)
                continue
            # one scenario: always the numpy core (a compile would cost more than it saves)
            out = run_batch(
                c, x, s, p, issue_range=float(a.high[j] - a.low[j]), trace=p.trace,
                backend="numpy",
            )
            if not p.trace and int(out["ties"]) and "offer_tied" not in out:
                # a tie decided an offer: replay traced (rare) to say which, keep the summary
                traced = run_batch(c, x, s, p, issue_range=float(a.high[j] - a.low[j]),
                                   trace=True, backend="numpy")
                tie_list = _ties(traced, ids)
            else:
                tie_list = _ties(out, ids) if "offer_tied" in out else []
            details = {
                "final_mean": float(out["final_mean"]),
                "rounds_played": int(out["rounds"]),
                "actors": ids,
                "gives_codes": list(GIVES),
                "ties": tie_list,
            }
            forecasts.append(
                IssueForecast(
                    iid,
                    float(out["outcome"]),
                    trajectory(out, ids, p.perspective == "observer"),
                    details,
                )
            )
        return forecasts, None, {"variant": p.variant}
