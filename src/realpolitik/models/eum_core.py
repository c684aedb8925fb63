r"""Vectorised core of Bueno de Mesquita's expected-utility model (EUM).

Pure functions over arrays whose last axis (last two, for dyads ``[..., i, j]``) runs over
actors, with any leading batch axes: many perturbed copies of one scenario are solved at once
and no Python loop runs over actor pairs or draws. :func:`run_batch` is the public entry
point; the ``eum`` model (:mod:`realpolitik.models.eum`) and Monte Carlo both call it.
With :math:`w_k = c_k s_k`, range :math:`R`, :math:`d_{ij} = |x_i - x_j|/R` [1]_ [2]_:

* votes :math:`a_k = \delta_{kj} - \delta_{ki}`, :math:`\delta_{km} = (|x_k - x_m|/R)^{e_k}`
  (``votes="linear"``: :math:`e_k = 1`; ``"risk"``: the voter's risk exponent :math:`r_k`);
* :math:`P_{ij} = \sum_k w_k \max(0, a_k) / Z` with :math:`Z = \sum_k w_k |a_k|`
  (``probability="pairwise"``, so :math:`P_{ij} + P_{ji} = 1`) or Scholz's one global
  constant :math:`Z = \sum_k w_k \sum_{a,b} |\delta_{kb} - \delta_{ka}|` (``"global"``);
* :math:`U^s = 2 - 4(\tfrac12 - \tfrac12 d_{ij})^{r}`,
  :math:`U^f = 2 - 4(\tfrac12 + \tfrac12 d_{ij})^{r}`,
  :math:`U^{b,w} = 2 - 4(\tfrac12 \mp \tfrac14 g_{ij})^{r}` with
  :math:`g_{ij} = (|x_i - \mu| + |x_i - x_j|)/R`, and :math:`U^{sq} = 2 - 4 \cdot 0.5^{r}`;
* :math:`E_i(U_{ij}) = s_j[P_{ij} U^s + (1 - P_{ij}) U^f] + (1 - s_j) U^s - Q U^{sq}
  - (1 - Q)[T U^b + (1 - T) U^w]`;
* security :math:`\mathrm{Sec}_i = \sum_{j \ne i} E_j(U_{ji})` in a first pass with every
  :math:`r = 1`; :math:`R_i = (2\,\mathrm{Sec}_i - \max - \min)/(\max - \min)` and
  :math:`r_i = (1 - R_i/3)/(1 + R_i/3) \in [\tfrac12, 2]` (:math:`r_i = 1` if max = min).

The support sums :math:`\sum_k w_k \max(0, a_k)` cost :math:`O(n^2 \log n)`, not
:math:`O(n^3)`: the voters who prefer :math:`x_i` to :math:`x_j` are those strictly on
:math:`x_i`'s side of the midpoint (any increasing :math:`e_k`-th power keeps the sign), a
prefix or suffix of the actors sorted by position, so prefix sums over sorted voters answer
every pair at once.

References
----------
.. [1] Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's
   group decision model. *J. Theoretical Politics* 23(4), 510–531; ICAART 2011, 18–30.
.. [2] Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
   Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*, 71–104.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from .base import NoParams
from .reference import weighted_median

__all__ = [
    "EUMParams",
    "PRESETS",
    "KINDS",
    "GIVES",
    "run_batch",
    "win_probability",
    "utilities",
    "expected_utility",
    "risk_exponent",
    "security",
    "classify",
]

#: Dyad kinds, coded 0..4 in the ``kind`` arrays (0: same position, no dyad).
KINDS = ("none", "stalemate", "conflict", "compromise", "compel")
NONE, STALEMATE, CONFLICT, COMPROMISE, COMPEL = range(5)
#: Who gives way in a dyad ``[i, j]`` as ``i`` sees it: nobody, ``i`` (row) or ``j`` (column).
GIVES = ("nobody", "row", "column")

#: Named variants: the values they give to parameters the caller leaves unset.
PRESETS: dict[str, dict[str, Any]] = {
    "paper": {},
    "scholz-code": dict(
        probability="global",
        votes="risk",
        perspective="observer",
        security="actors",
        offer="scholz-code",
        capitulation=False,
        q=1.0,
        t_rule="median",
        scale="initial",
        median_tie="lower",
        risk="every-round",
        stop="rounds",
        rounds=10,
    ),
}


class EUMParams(NoParams):
    """The EUM's settings; every ambiguity in the sources is one of them (see the docs page).

    ``variant`` fills the parameters the caller does not set: ``paper`` (default) is the
    paper-faithful reading, ``scholz-code`` reproduces the jmckib port of Scholz's code.
    """

    variant: Literal["paper", "scholz-code"] = "paper"
    #: P_ij normalised per pair (sums to 1 with P_ji) or by Scholz's one global constant.
    probability: Literal["pairwise", "global"] = "pairwise"
    #: Votes linear in distance, or curved by each voter's risk exponent (Scholz's code).
    votes: Literal["linear", "risk"] = "linear"
    #: E_j(U_ji) with j's own r ("own") or as the observer i sees it, with r_i ("observer").
    perspective: Literal["own", "observer"] = "own"
    #: Security max/min over all actors, or over i's hypothetical positions (BdM's intent).
    security: Literal["actors", "positions"] = "actors"
    #: Which accepted offer an actor takes among those of its most pressing kind.
    offer: Literal["least-move", "highest-eu", "scholz-code"] = "least-move"
    #: Whether compel (capitulation) offers are accepted; the port's test never fires.
    capitulation: bool = True
    q: float = Field(1.0, ge=0.0, le=1.0, description="probability the status quo persists")
    #: T = 1 iff |x_i − μ| < |x_i − x_j| ("median"), or T fixed at 1, 0 or 0.5.
    t_rule: Literal["median", "better", "worse", "half"] = "median"
    #: R: range of the initial positions, of the current ones, or the issue's scale.
    scale: Literal["initial", "current", "issue"] = "initial"
    median_tie: Literal["mid", "lower", "upper"] = "mid"
    #: Risk exponents recomputed every round, fixed after round 1, or all 1 (neutral).
    risk: Literal["every-round", "first-round", "neutral"] = "every-round"
    #: Fixed rounds; stop once the median is stable; stop before the total payoff would fall.
    stop: Literal["rounds", "stable", "payoff"] = "rounds"
    rounds: int = Field(10, ge=0, le=10_000, description="rounds to run (the maximum)")
    tol: float = Field(1e-9, ge=0.0, description="tolerance of the stopping rules, × R")

    @model_validator(mode="before")
    @classmethod
    def _fill_from_variant(cls, data: Any) -> Any:
        if isinstance(data, dict):
            preset = PRESETS.get(str(data.get("variant", "paper")), {})
            data = {**preset, **data}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> EUMParams:
        if self.security == "positions" and self.probability != "pairwise":
            raise ValueError("security='positions' needs probability='pairwise'")
        return self


# ---------------------------------------------------------------------------------------
# probability of prevailing


def _count_below(y: np.ndarray, q: np.ndarray, strict: bool) -> np.ndarray:
    """How many of the sorted ``y[..., n]`` lie below (``strict``) or at/below ``q[..., m]``."""
    n, m = y.shape[-1], q.shape[-1]
    if n * m * max(1, q[..., 0].size) <= _COUNT_LIMIT:  # small: compare everything
        cmp = y[..., None, :] < q[..., :, None] if strict else y[..., None, :] <= q[..., :, None]
        return cmp.sum(-1)
    if q[..., 0].size == 1:  # one scenario: binary search
        found = np.searchsorted(y.ravel(), q.ravel(), side="left" if strict else "right")
        return np.asarray(found).reshape(q.shape)
    # large batch: one stable sort of queries and values together (ties: queries first if strict)
    vals = np.concatenate([q, y] if strict else [y, q], axis=-1)
    order = np.argsort(vals, axis=-1, kind="stable")
    is_y = (order >= m) if strict else (order < n)
    before = np.cumsum(is_y, axis=-1) - is_y
    out = np.empty_like(before)
    np.put_along_axis(out, order, before, axis=-1)
    return out[..., :m] if strict else out[..., n:]


_COUNT_LIMIT = 1 << 23  # comparisons below which counting compares everything at once
_DIRECT_LIMIT = 1 << 24  # elements of the n³ voter × pair array below which it is used


def _support(x: np.ndarray, w: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """``S[i, j] = Σ_k w_k max(0, δ_kj − δ_ki)``: the weight of votes for x_i over x_j."""
    n = x.shape[-1]
    if n**3 * max(1, x[..., 0].size) <= _DIRECT_LIMIT:  # few actors: sum over voters directly
        # max(0, a) = (a + |a|)/2: the a-part is linear, the |a|-part symmetric (i < j only)
        iu, ju = np.triu_indices(n, 1)
        a = np.abs(delta[..., :, ju] - delta[..., :, iu])  # [k, pair] = |δ_kj − δ_ki|
        h = np.einsum("...kp,...k->...p", a, w)
        m = np.einsum("...kj,...k->...j", delta, w)
        lin = m[..., ju] - m[..., iu]
        s = np.zeros(x.shape + (n,))
        s[..., iu, ju] = np.maximum((h + lin) / 2, 0.0)
        s[..., ju, iu] = np.maximum((h - lin) / 2, 0.0)
        return s
    order = np.argsort(x, axis=-1, kind="stable")
    y = np.take_along_axis(x, order, -1)
    wd = np.take_along_axis(w[..., :, None] * delta, order[..., :, None], -2)
    g = np.concatenate([np.zeros_like(wd[..., :1, :]), np.cumsum(wd, axis=-2)], axis=-2)
    mid = ((x[..., :, None] + x[..., None, :]) / 2).reshape(*x.shape[:-1], n * n)
    below = x[..., :, None] < x[..., None, :]
    idx = np.where(
        below,
        _count_below(y, mid, True).reshape(*x.shape, n),
        _count_below(y, mid, False).reshape(*x.shape, n),
    )
    at_j = np.take_along_axis(g, idx, -2)  # g[idx_ij, j]
    at_i = np.swapaxes(np.take_along_axis(g, np.swapaxes(idx, -1, -2), -2), -1, -2)
    tot = g[..., -1, :]
    s = np.where(below, at_j - at_i, (tot[..., None, :] - at_j) - (tot[..., :, None] - at_i))
    return np.where(x[..., :, None] == x[..., None, :], 0.0, np.maximum(s, 0.0))


def win_probability(
    x: np.ndarray,
    w: np.ndarray,
    scale: np.ndarray | float,
    exponent: np.ndarray | None = None,
    probability: str = "pairwise",
) -> np.ndarray:
    """``P[..., i, j]``: the probability that i prevails over j (0 where x_i = x_j).

    ``w`` are the voters' weights c·s, ``scale`` the range R (batch-shaped), ``exponent``
    the voters' exponents e_k (None: linear votes). ``probability`` is ``"pairwise"``
    (P_ij + P_ji = 1) or ``"global"`` (Scholz's code: one constant for all pairs).

    Examples
    --------
    >>> p = win_probability(np.array([0., 1.]), np.array([3., 1.]), 1.0)
    >>> p.round(3).tolist()
    [[0.0, 0.75], [0.25, 0.0]]
    """
    r = np.asarray(scale, float)[..., None, None]
    delta = np.abs(x[..., :, None] - x[..., None, :]) / r
    if exponent is not None:
        delta = delta ** exponent[..., :, None]
    s = _support(x, w, delta)
    if probability == "pairwise":
        z = s + np.swapaxes(s, -1, -2)
    else:
        u = np.sort(delta, axis=-1)
        n = x.shape[-1]
        per_voter = 2 * (u * (2 * np.arange(n) - n + 1)).sum(-1)
        z = (w * per_voter).sum(-1)[..., None, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(z > 0, s / np.where(z > 0, z, 1.0), 0.0)


# ---------------------------------------------------------------------------------------
# utilities and expected utility


def _curve(base: np.ndarray, r: np.ndarray | None) -> np.ndarray:
    return base if r is None else base**r


def utilities(
    d: np.ndarray, r: np.ndarray | None, g: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """The five utilities for distance ``d`` (= |x_i − x_j|/R), exponent ``r`` (None = 1).

    ``g`` = (|x_i − μ| + |x_i − x_j|)/R enters U_b and U_w (omitted if None).

    Examples
    --------
    >>> u = utilities(np.array(0.5), np.array(2.0))
    >>> [round(float(u[k]), 4) for k in ("s", "f", "sq")]
    [1.75, -0.25, 1.0]
    """
    out = {
        "s": 2 - 4 * _curve(0.5 - 0.5 * d, r),
        "f": 2 - 4 * _curve(0.5 + 0.5 * d, r),
        "sq": 2 - 4 * _curve(np.asarray(0.5), r),
    }
    if g is not None:
        out["b"] = 2 - 4 * _curve(0.5 - 0.25 * g, r)
        out["w"] = 2 - 4 * _curve(0.5 + 0.25 * g, r)
    return out


def expected_utility(
    p: np.ndarray,
    d: np.ndarray,
    s_target: np.ndarray,
    r: np.ndarray | None,
    q: float,
    t: np.ndarray | float,
    g: np.ndarray,
) -> np.ndarray:
    """E_i(U_ij) elementwise (all arguments broadcast; see the module equations)."""
    u = utilities(d, r, g if q < 1 else None)
    # = s_t [P U_s + (1 − P) U_f] + (1 − s_t) U_s − Q U_sq, with fewer array passes
    e = u["s"] + s_target * (1 - p) * (u["f"] - u["s"]) - q * u["sq"]
    if q < 1:
        e = e - (1 - q) * (t * u["b"] + (1 - t) * u["w"])
    return e


def risk_exponent(sec: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """r = (1 − R/3)/(1 + R/3) with R = (2 Sec − hi − lo)/(hi − lo); r = 1 where hi = lo.

    Examples
    --------
    >>> risk_exponent(np.array([0., 1., 2.]), np.array(2.), np.array(0.)).round(12).tolist()
    [2.0, 1.0, 0.5]
    """
    span = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(span > 0, (2 * sec - hi - lo) / np.where(span > 0, span, 1.0), 0.0)
    return (1 - big_r / 3) / (1 + big_r / 3)


def _t_matrix(rule: str, x: np.ndarray, mu: np.ndarray) -> np.ndarray | float:
    if rule != "median":
        return {"better": 1.0, "worse": 0.0, "half": 0.5}[rule]
    to_mu = np.abs(x - mu[..., None])[..., :, None]
    return (to_mu < np.abs(x[..., :, None] - x[..., None, :])).astype(float)


def _better_or_worse(
    p: EUMParams, x: np.ndarray, mu: np.ndarray, scale: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray | float, np.ndarray]:
    """T and g = (|x_i − μ| + |x_i − x_j|)/R for U_b/U_w (not needed, so not built, if Q = 1)."""
    if p.q >= 1:
        return 0.0, d
    to_mu = (np.abs(x - mu[..., None]) / scale[..., None])[..., :, None]
    return _t_matrix(p.t_rule, x, mu), to_mu + d


def security(
    x: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    scale: np.ndarray,
    mu: np.ndarray,
    p: EUMParams,
    prob: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First pass (every r = 1): each actor's security and the max/min it is scaled by.

    Returns ``(sec, hi, lo)``. ``sec[..., i] = Σ_{j≠i} E_j(U_ji)``. With
    ``security="actors"`` hi/lo are the max/min of ``sec`` over actors; with
    ``"positions"`` they are the max/min of i's security were i to stand at each actor's
    position (other actors, their votes and the median held fixed) — :math:`O(n^3)`.
    ``prob`` is P under linear votes if already computed.
    """
    n = x.shape[-1]
    r = scale[..., None, None]
    eye = np.eye(n, dtype=bool)
    if p.security == "actors":
        d = np.abs(x[..., :, None] - x[..., None, :]) / r
        t, g = _better_or_worse(p, x, mu, scale, d)
        if prob is None:
            prob = win_probability(x, w, scale, None, p.probability)
        e = expected_utility(prob, d, s[..., None, :], None, p.q, t, g)
        sec = np.where(eye, 0.0, e).sum(-2)
        hi = sec.max(-1, keepdims=True)
        lo = sec.min(-1, keepdims=True)
        return sec, hi, lo
    # i (axis -3) moved to candidate position y = x_m (axis -2), challenged by j (axis -1)
    delta = np.abs(x[..., :, None] - x[..., None, :]) / r
    sup = _support(x, w, delta)  # sup[a, b]: votes for x_a over x_b
    wi = w[..., :, None, None]
    d_im, d_ij = delta[..., :, :, None], delta[..., :, None, :]
    d_mj = delta[..., None, :, :]
    fwd = np.swapaxes(sup, -1, -2)[..., None, :, :] - wi * np.maximum(0.0, d_im - d_ij)
    back = sup[..., None, :, :] - wi * np.maximum(0.0, d_ij - d_im) + wi * d_mj
    den = fwd + back
    with np.errstate(invalid="ignore", divide="ignore"):
        prob = np.where(den > 0, fwd / np.where(den > 0, den, 1.0), 0.0)
    xj = x[..., None, None, :]
    xm = x[..., None, :, None]
    j_mu = np.abs(xj - mu[..., None, None, None])
    tt = (
        (j_mu < np.abs(xj - xm)).astype(float)
        if p.t_rule == "median"
        else _t_matrix(p.t_rule, x, mu)
    )
    e = expected_utility(
        prob, d_mj, s[..., :, None, None], None, p.q, tt, j_mu / r[..., None] + d_mj
    )
    sec_at = np.where(eye[:, None, :], 0.0, e).sum(-1)  # [i, m]
    sec = np.diagonal(sec_at, axis1=-2, axis2=-1)
    return sec, sec_at.max(-1), sec_at.min(-1)


def classify(
    a: np.ndarray, b: np.ndarray, same: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each dyad as its row actor i sees it, from a = E_i(U_ij) and b = E_j(U_ji).

    Both > 0: conflict, the smaller EU gives way entirely; opposite signs: the loser moves
    the fraction f = min(1, |loser|/winner) toward the winner (compromise if f < 1, else
    compel); both ≤ 0: stalemate. Returns ``(kind, gives, fraction)`` coded as in
    :data:`KINDS` and :data:`GIVES`.
    """
    conflict = (a > 0) & (b > 0)
    i_wins = (a > 0) & (b < 0)
    j_wins = (b > 0) & (a < 0)
    winner = np.where(i_wins, a, np.where(j_wins, b, 1.0))
    f = np.abs(np.where(i_wins, b, np.where(j_wins, a, 0.0)) / winner)
    compel = (i_wins | j_wins) & (f >= 1)
    kind = np.where(conflict, CONFLICT, np.where(i_wins | j_wins, COMPROMISE, STALEMATE))
    kind = np.where(same, NONE, np.where(compel, COMPEL, kind)).astype(np.int8)
    gives = np.where((conflict & (b > a)) | j_wins, 1, 0)
    gives = np.where(same, 0, np.where((conflict & (a > b)) | i_wins, 2, gives)).astype(np.int8)
    fraction = np.where(conflict | compel, 1.0, f)
    return kind, gives, np.where(gives > 0, fraction, 0.0)


def _choose_offers(
    x: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    kind: np.ndarray,
    gives: np.ndarray,
    fraction: np.ndarray,
    p: EUMParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each actor's accepted offer: (proposer index or −1, kind code, new position)."""
    xi, xj = x[..., :, None], x[..., None, :]
    new = np.where(fraction == 1, xj, xi + fraction * (xj - xi))  # exact when moving all the way
    mine = gives == 1
    kinds = [CONFLICT, COMPROMISE] + ([COMPEL] if p.capitulation else [])
    rank = np.full(kind.shape, len(kinds), np.int8)
    for k, code in enumerate(kinds):
        rank = np.where(mine & (kind == code), k, rank)
    best = rank.min(-1, keepdims=True)
    move = np.abs(new - xi)
    if p.offer == "scholz-code":  # the port: first in actor order among equal keys
        with np.errstate(invalid="ignore", divide="ignore"):
            weighted = (np.abs(a) * xi + np.abs(b) * xj) / (np.abs(a) + np.abs(b))
        key = np.where(rank == best, np.where(kind == COMPROMISE, weighted, move), np.inf)
        j = np.argmin(key, axis=-1)
    else:  # least movement then highest proposer EU, or the other way round
        first, then = (-b, move) if p.offer == "highest-eu" else (move, -b)
        first = np.where(rank == best, first, np.inf)
        low = first.min(-1, keepdims=True)
        tied = first <= low + 1e-12 * (1 + np.abs(low))
        j = np.argmin(np.where(tied, then, np.inf), axis=-1)
    has = best[..., 0] < len(kinds)
    take = np.take_along_axis
    chosen_kind = take(kind, j[..., None], -1)[..., 0]
    chosen_x = take(new, j[..., None], -1)[..., 0]
    return (
        np.where(has, j, -1),
        np.where(has, chosen_kind, NONE).astype(np.int8),
        np.where(has, chosen_x, x),
    )


# ---------------------------------------------------------------------------------------
# rounds


def _round(
    x: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    scale: np.ndarray,
    mu: np.ndarray,
    p: EUMParams,
    r_fixed: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """One round from start-of-round positions ``x``: risk, P, EUs, dyads and offers."""
    linear = win_probability(x, w, scale, None, p.probability)
    sec, hi, lo = security(x, w, s, scale, mu, p, linear)
    if p.risk == "neutral":
        r = np.ones_like(x)
    elif r_fixed is not None:
        r = r_fixed
    else:
        r = risk_exponent(sec, hi, lo)
    prob = linear if p.votes == "linear" else win_probability(x, w, scale, r, p.probability)
    xi, xj = x[..., :, None], x[..., None, :]
    d = np.abs(xi - xj) / scale[..., None, None]
    t, g = _better_or_worse(p, x, mu, scale, d)
    ri = r[..., :, None]
    eu = expected_utility(prob, d, s[..., None, :], ri, p.q, t, g)
    if p.perspective == "own":
        seen = np.swapaxes(eu, -1, -2)
    else:  # E_j(U_ji) as i sees it: i's exponent, j's challenge of i
        tt = t if np.ndim(t) == 0 else np.swapaxes(t, -1, -2)
        seen = expected_utility(
            np.swapaxes(prob, -1, -2), d, s[..., :, None], ri, p.q, tt, np.swapaxes(g, -1, -2)
        )
    kind, gives, fraction = classify(eu, seen, xi == xj)
    offer_from, offer_kind, new = _choose_offers(x, eu, seen, kind, gives, fraction, p)
    return dict(
        risk=r,
        security=sec,
        probability=prob,
        eu=eu,
        eu_seen=seen,
        kind=kind,
        gives=gives,
        offer_from=offer_from,
        offer_kind=offer_kind,
        new=new,
    )


_BLOCK_ELEMENTS = 1 << 19  # draws per block × n³: keeps a block's arrays in cache
_TRACE = (
    "risk",
    "security",
    "probability",
    "eu",
    "eu_seen",
    "kind",
    "gives",
    "offer_from",
    "offer_kind",
)


def run_batch(
    capability: np.ndarray,
    position: np.ndarray,
    salience: np.ndarray,
    params: EUMParams | dict[str, Any] | None = None,
    *,
    issue_range: np.ndarray | float | None = None,
    trace: bool = True,
) -> dict[str, np.ndarray]:
    """Run the EUM on one scenario or a batch of perturbed copies at once.

    Parameters
    ----------
    capability, position, salience : array_like, shape ``(n,)`` or ``(batch, n)``
        Per actor (last axis): capability c ≥ 0, position x, salience s in [0, 1].
        They broadcast against each other.
    params : EUMParams or dict, optional
        The model's settings (default: the paper variant).
    issue_range : float or array_like of shape ``(batch,)``, optional
        The issue's scale width, used as R when ``params.scale == "issue"``.
    trace : bool, default True
        Also return every round's risk, security, P, EU matrices, dyads and offers.

    Returns
    -------
    dict of numpy arrays (batch axis first when the input has one; T = ``params.rounds``)
        ``position`` (T+1, n), ``median`` and ``mean`` (T+1,): round 0 is the initial
        state; ``rounds``: rounds actually played (the stopping rule), entries past it
        repeat the final state; ``outcome``: the median after the last round played;
        ``final_mean``. With ``trace``: ``risk``, ``security`` (T, n), ``probability``,
        ``eu`` (E_i(U_ij)), ``eu_seen`` (E_j(U_ji) as i sees it), ``kind``, ``gives``
        (T, n, n; codes in :data:`KINDS`, :data:`GIVES`), ``offer_from`` (proposer index or
        −1), ``offer_kind`` (T, n).

    Examples
    --------
    >>> out = run_batch([2., 1, 1], [0., 4, 10], [0.9, 0.5, 0.5], {"rounds": 2})
    >>> out["position"].round(3).tolist()
    [[0.0, 4.0, 10.0], [0.0, 2.522, 4.0], [0.0, 1.876, 2.522]]
    >>> [KINDS[k] for k in out["offer_kind"][0]], out["offer_from"][0].tolist()
    (['none', 'compromise', 'conflict'], [-1, 0, 1])
    """
    p = params if isinstance(params, EUMParams) else EUMParams(**(params or {}))
    x0, c, s = np.broadcast_arrays(
        *(np.asarray(a, float) for a in (position, capability, salience))
    )
    single = x0.ndim == 1
    x0, c, s = (np.atleast_2d(a).copy() for a in (x0, c, s))
    batch, n = x0.shape
    block = max(1, _BLOCK_ELEMENTS // n**3)
    if batch > block:  # cache-sized blocks of draws, each solved vectorised
        parts = [
            run_batch(
                c[k : k + block],
                x0[k : k + block],
                s[k : k + block],
                p,
                issue_range=None
                if issue_range is None
                else np.broadcast_to(np.asarray(issue_range, float), (batch,))[k : k + block],
                trace=trace,
            )
            for k in range(0, batch, block)
        ]
        return {key: np.concatenate([q[key] for q in parts]) for key in parts[0]}
    w = c * s
    if p.scale == "issue":
        if issue_range is None:
            raise ValueError("scale='issue' needs issue_range")
        span0 = np.broadcast_to(np.asarray(issue_range, float), (batch,)).copy()
    else:
        span0 = np.ptp(x0, axis=-1)
    span0 = np.where(span0 > 0, span0, 1.0)
    rounds = p.rounds
    out: dict[str, np.ndarray] = {
        "position": np.empty((batch, rounds + 1, n)),
        "median": np.empty((batch, rounds + 1)),
        "mean": np.empty((batch, rounds + 1)),
        "rounds": np.zeros(batch, int),
    }

    def _median(x: np.ndarray) -> np.ndarray:
        return weighted_median(x, w, p.median_tie)

    def _mean(x: np.ndarray) -> np.ndarray:
        tot = w.sum(-1)
        return np.where(tot > 0, (w * x).sum(-1) / np.where(tot > 0, tot, 1), x.mean(-1))

    def _payoff(mu: np.ndarray) -> np.ndarray:
        return (s * (1 - np.abs(x0 - mu[:, None]) / span0[:, None])).sum(-1)

    x, mu = x0.copy(), _median(x0)
    out["position"][:, 0], out["median"][:, 0], out["mean"][:, 0] = x, mu, _mean(x)
    active = np.ones(batch, bool)
    r_fixed: np.ndarray | None = None
    for t in range(rounds):
        if not active.any():
            break
        span = span0
        if p.scale == "current":
            span = np.ptp(x, axis=-1)
            span = np.where(span > 0, span, 1.0)
        step = _round(x, w, s, span, mu, p, r_fixed)
        if p.risk == "first-round" and r_fixed is None:
            r_fixed = step["risk"]
        if trace:
            for key in _TRACE:
                out.setdefault(
                    key, np.zeros((batch, rounds) + step[key].shape[1:], step[key].dtype)
                )[:, t] = step[key]
        new_mu = _median(step["new"])
        if p.stop == "payoff":
            active &= ~(_payoff(new_mu) < _payoff(mu) - p.tol * n)
        x = np.where(active[:, None], step["new"], x)
        moved_mu = np.where(active, new_mu, mu)
        out["rounds"] += active
        if p.stop == "stable":
            active &= ~(np.abs(moved_mu - mu) <= p.tol * span)
        mu = moved_mu
        out["position"][:, t + 1], out["median"][:, t + 1] = x, mu
        out["mean"][:, t + 1] = _mean(x)
    last = out["rounds"].max() if batch else 0
    for key in ("position", "median", "mean"):  # rounds not played repeat the final state
        out[key][:, last + 1 :] = out[key][:, last : last + 1]
    out["outcome"] = mu
    out["final_mean"] = _mean(x)
    return {k: v[0] for k, v in out.items()} if single else out
