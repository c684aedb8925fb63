r"""The asymmetric Nash bargaining solution with the status quo as disagreement point.

.. math:: x^* = \arg\max_{x \in F} \sum_i w_i \log\big(u_i(x) - u_i(d)\big),
   \qquad F = \{x : u_i(x) \ge u_i(d)\ \forall i\}

Utility form: ``linear`` loss :math:`u_i(x) = -|x - x_i|` (default) or ``quadratic``
:math:`u_i(x) = -(x - x_i)^2`. **Salience enters through the bargaining weights**
:math:`w_i` (``c·s`` by default, or ``c``, ``s``): multiplying a utility by a salience would
not move the maximiser, since :math:`\log(s\,a) = \log s + \log a`. The disagreement point
:math:`d` is the issue's status quo; issues without one are skipped. The bargainers are the
issue's **veto players** :math:`V` (``Issue.veto``; by default every participant): each must
weakly gain, so :math:`F = \{x : u_i(x) \ge u_i(d)\ \forall i \in V\}` is the interval of
points no farther from each veto player's ideal than the status quo, and the sum runs over
:math:`i \in V` (an actor without a veto cannot block, so it holds no bargaining power in
the Nash product). A veto player sitting at the status quo — or two on opposite sides of it —
therefore pins the outcome there; ``details["pinned_by"]`` names them. The
objective is concave on :math:`F`; a batched golden-section search finds the maximiser.
With quadratic utilities and a remote status quo the solution tends to the compromise model
(van den Bos 1991).

References
----------
1. Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2), 155–162.
2. van den Bos, J. M. M. (1991). *Dutch EC Policy Making*. Thesis Publishers.
3. Schneider, G., Finke, D. & Bailer, S. (2010). Bargaining power in the European Union.
   *Political Studies* 58(1), 85–103.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from ..scenario import Scenario
from .base import IssueForecast, Model, NoParams
from .reference import ALL_WEIGHTS_ZERO, Weighting, equal_if_all_zero, weights
from .registry import register
from .ties import RTOL

__all__ = ["nash_bargaining", "pinned_by", "outcomes", "Nash"]

_GOLDEN = (np.sqrt(5) - 1) / 2


def _gain(x: np.ndarray, ideal: np.ndarray, d: np.ndarray, utility: str) -> np.ndarray:
    dist, dist_d = np.abs(x[..., None] - ideal), np.abs(d[..., None] - ideal)
    if utility == "quadratic":
        return dist_d**2 - dist**2
    return dist_d - dist


def _objective(
    x: np.ndarray, ideal: np.ndarray, w: np.ndarray, d: np.ndarray, utility: str
) -> np.ndarray:
    g = _gain(x, ideal, d, utility)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(w > 0, w * np.log(np.maximum(g, 0.0)), 0.0)
    return np.nansum(terms, -1)


def nash_bargaining(
    position: np.ndarray,
    w: np.ndarray,
    status_quo: np.ndarray,
    utility: str = "linear",
    iterations: int = 80,
    veto: np.ndarray | None = None,
) -> np.ndarray:
    """Batched asymmetric Nash bargaining solution (see the module docstring).

    ``position`` and ``w`` have actors on the last axis (NaN position = absent);
    ``status_quo`` has the leading shape; ``veto`` (bool, actors on the last axis; default
    all) marks the veto players, the only actors that bound the feasible set and enter the
    product.

    Examples
    --------
    >>> x = np.array([0., 10.]); d = np.array(0.)
    >>> round(float(nash_bargaining(np.array([2., 10.]), np.array([1., 1.]), np.array(6.))), 6)
    6.0
    >>> round(float(nash_bargaining(np.array([0., 10.]), np.array([1., 1.]), np.array(5.))), 6)
    5.0
    """
    w = equal_if_all_zero(w, position)  # no weights at all: the symmetric solution
    present = ~np.isnan(position) & (w > 0)
    if veto is not None:
        present = present & np.broadcast_to(veto, position.shape)
    ideal = np.where(present, position, 0.0)
    wt = np.where(present, w, 0.0)
    d = np.asarray(status_quo, float)
    r = np.where(present, np.abs(ideal - d[..., None]), np.inf)
    lo = np.max(np.where(present, ideal - r, -np.inf), -1)
    hi = np.min(np.where(present, ideal + r, np.inf), -1)
    lo, hi = np.minimum(lo, d), np.maximum(hi, d)
    a, b = lo.copy(), hi.copy()
    for _ in range(iterations):
        m1, m2 = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
        left = _objective(m1, ideal, wt, d, utility) >= _objective(m2, ideal, wt, d, utility)
        a, b = np.where(left, a, m1), np.where(left, m2, b)
    return np.where(hi - lo > 0, (a + b) / 2, d)


def pinned_by(
    position: np.ndarray, w: np.ndarray, status_quo: float, veto: np.ndarray | None = None
) -> list[int]:
    """Indices of the veto players whose veto pins the solution to the status quo (or []).

    The feasible set is the single point :math:`d` when a veto player's ideal is :math:`d`
    (it can only lose by any move), or when veto players sit on both sides of :math:`d`
    (one loses by every move up, another by every move down). Those are named; an empty list
    means the veto players leave room to bargain. An ideal within the tie tolerance
    (``models.ties.RTOL``, relative) of :math:`d` counts as at :math:`d`.

    Examples
    --------
    >>> pinned_by(np.array([20., 40., 100.]), np.ones(3), 20.0)
    [0]
    >>> pinned_by(np.array([0., 40., 100.]), np.ones(3), 20.0)
    [0, 1, 2]
    >>> pinned_by(np.array([40., 100., 0.]), np.ones(3), 20.0, np.array([True, True, False]))
    []
    """
    members = ~np.isnan(position) & (np.asarray(w) > 0)
    if veto is not None:
        members &= veto
    idx = np.flatnonzero(members)
    off = position[idx] - status_quo
    tol = RTOL * max(1.0, abs(status_quo))
    at = idx[np.abs(off) <= tol]
    if at.size:
        return [int(i) for i in at]
    below, above = idx[off < -tol], idx[off > tol]
    if below.size and above.size:
        return sorted(int(i) for i in (*below, *above))
    return []


def _veto_mask(scenario: Scenario, j: int, players: list[str]) -> np.ndarray | None:
    """The veto players among issue ``j``'s participants (None: every participant)."""
    veto = scenario.issues[j].veto
    return None if veto is None else np.isin(players, list(veto))


def outcomes(params: NashParams, scenario: Scenario, capability: np.ndarray,
             position: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """Outcomes ``(B, k)`` for draws of the inputs, arrays ``(B, n, k)`` laid out as
    :meth:`Scenario.arrays` (salience divided by its scale): every draw is bit for bit what
    :class:`Nash` gives on that draw's scenario (the same elementwise operations, reductions
    over the same actors, Python's ``round`` to 9 places); NaN where an issue has no status
    quo. The Monte Carlo engine's batched Nash (:mod:`realpolitik.analysis.uncertainty`)."""
    a = scenario.arrays()
    out = np.full((position.shape[0], len(a.issue_ids)), np.nan)
    for j in range(len(a.issue_ids)):
        sq = a.status_quo[j]
        if np.isnan(sq):
            continue
        here = a.present[:, j]
        players = [aid for aid, m in zip(a.actor_ids, here, strict=True) if m]
        c, x, s = capability[:, here, j], position[:, here, j], salience[:, here, j]
        w = weights(c, s, x, params.weights)
        value = nash_bargaining(x, w, np.full(x.shape[0], sq), params.utility,
                                veto=_veto_mask(scenario, j, players))
        out[:, j] = [round(float(v), 9) for v in value]
    return out


class NashParams(NoParams):
    """``weights`` (``cs``, ``c``, ``s``) and ``utility`` (``linear`` or ``quadratic``)."""

    weights: Weighting = "cs"
    utility: Literal["linear", "quadratic"] = "linear"


@register
class Nash(Model):
    """Asymmetric Nash bargaining solution, status quo as the disagreement point."""

    name = "nash"
    summary = "asymmetric Nash bargaining solution (weights c·s), status quo as disagreement"
    Params = NashParams
    needs_status_quo = True

    def solve(
        self, scenario: Scenario, rng: np.random.Generator
    ) -> tuple[list[IssueForecast], None, dict[str, Any]]:
        a = scenario.arrays()
        p: NashParams = self.params  # type: ignore[assignment]
        out = []
        for j, iid in enumerate(a.issue_ids):
            c, x, s = a.issue(j)
            sq = a.status_quo[j]
            if np.isnan(sq):
                out.append(IssueForecast(iid, None, details={"skipped": "no status quo"}))
                continue
            players = [aid for aid, m in zip(a.actor_ids, a.present[:, j], strict=True) if m]
            issue = scenario.issues[j]
            holders = players if issue.veto is None else list(issue.veto)
            veto = _veto_mask(scenario, j, players)
            w = weights(c, s, x, p.weights)
            value = nash_bargaining(x, w, np.array(sq), p.utility, veto=veto)
            details: dict[str, Any] = {"veto": holders}
            if w.sum() <= 0:
                details["fallback"] = ALL_WEIGHTS_ZERO
            pinned = pinned_by(x, w, float(sq), veto)
            if pinned:
                details["pinned_by"] = [players[i] for i in pinned]
            out.append(IssueForecast(iid, round(float(value), 9), details=details))
        return out, None, {}
