r"""One round of the expected-utility model, fused for speed, with the batch axis last.

The same round as :func:`realpolitik.models.eum.dyads.reference_round` (the readable
composition of the documented functions; the tests hold the two equal), arranged so that a
batch of many perturbed scenarios costs as few array passes as possible:

* arrays are ``x[n, B]`` and dyads ``[i, j, B]``: every elementwise pass, transpose
  (:math:`E_j(U_{ji})` is a view of :math:`E_i(U_{ij})`) and reduction over actors runs over a
  contiguous batch;
* the bases :math:`\tfrac12 \mp \tfrac12 d_{ij}` of the first (risk-neutral) pass are reused
  by the second, and the first pass takes no powers (:math:`r = 1`);
* :math:`s_j(1 - P_{ij})` is shared by both passes when the votes are linear, and the
  utilities :math:`U^s, U^f` by both views of a dyad when each actor judges with its own
  exponent (``perspective="observer"``);
* offers are chosen from the signs of the two expected utilities directly; the dyad codes of
  :func:`~realpolitik.models.eum.dyads.classify` are built only when the round is recorded.
"""

from __future__ import annotations

import numpy as np

from ..libm import functions
from ..ties import greater
from .dyads import U, classify, pick_offers
from .params import COMPEL, COMPROMISE, CONFLICT, NONE, EUMParams
from .utility import risk_exponent, security
from .votes import win_probability_last

__all__ = ["play_round"]


def _t_last(
    rule: str, x: np.ndarray, mu: np.ndarray, ad: np.ndarray, scale: np.ndarray
) -> np.ndarray | float:
    """T[i, j] = 1 iff |x_i − μ| < |x_i − x_j| beyond the tie tolerance × R (``"median"``),
    else the rule's constant."""
    if rule != "median":
        return {"better": 1.0, "worse": 0.0, "half": 0.5}[rule]
    return greater(ad, np.abs(x - mu)[:, None, :], scale).astype(float)


def _risky(base: np.ndarray, r: np.ndarray | None, out: np.ndarray | None = None) -> np.ndarray:
    """2 − 4 base^r (``r`` None: r = 1, no power taken), the common form of every utility."""
    if r is None:
        u = np.multiply(base, 4.0, out=out)
    else:
        u = functions().power(base, r, out=out)
        u *= 4.0
    return np.subtract(2.0, u, out=u)


def _risky_exp(base: np.ndarray, r: np.ndarray) -> np.ndarray:
    """2 − 4 base^r as 2 − 4 exp(r log base), in place: a third cheaper than a power and
    equal to it to a few units in the last place (a power if any base is < 0). ``exp`` and
    ``log`` are :mod:`~realpolitik.models.libm`'s (the kernel's bits on every CPU)."""
    if base.size and base.min() < 0:  # only if R is narrower than the positions' spread
        return _risky(base, r, out=base)
    with np.errstate(divide="ignore"):
        u = functions().log(base, out=base)
    u *= r
    functions().exp(u, out=u)
    u *= 4.0
    return np.subtract(2.0, u, out=u)


def _status_quo_terms(
    e: np.ndarray,
    p: EUMParams,
    r: np.ndarray | None,
    t: np.ndarray | float,
    g: np.ndarray | None,
) -> np.ndarray:
    """Subtract Q U^sq + (1 − Q)[T U^b + (1 − T) U^w] from ``e`` in place."""
    if r is not None:
        usq = 2 - 4 * functions().power(0.5, r)
        e -= p.q * usq
    if p.q < 1:
        assert g is not None
        ub = _risky(0.5 - 0.25 * g, r)
        uw = _risky(0.5 + 0.25 * g, r)
        e -= (1 - p.q) * (t * ub + (1 - t) * uw)
    return e


def _offers(
    x: np.ndarray,
    dx: np.ndarray,
    same: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    scale: np.ndarray,
    p: EUMParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each actor's accepted offer from a = E_i(U_ij), b = E_j(U_ji): (from, kind, position,
    tied).

    i gives way to j in a lost conflict (0 < a < b), a compromise (a < 0 < b, moving the
    fraction |a/b| < 1 toward x_j) or a compulsion (|a/b| ≥ 1, all the way); the most
    pressing kind first, then the offer rule among those (:func:`pick_offers`). Every sign
    and comparison is the tie rule's on the utility scale, as in
    :func:`~realpolitik.models.eum.dyads.classify`.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.abs(a / b)
    free = ~same
    conflict = greater(a, 0.0, U) & greater(b, a, U) & free
    j_wins = greater(b, 0.0, U) & greater(0.0, a, U) & free
    full = ~greater(b, np.abs(a), U)
    compel = j_wins & full
    compromise = j_wins & ~full
    kinds = [conflict, compromise] + ([compel] if p.capitulation else [])
    has_kind = [k.any(1) for k in kinds]  # [i, B] per kind
    best = np.full(x.shape, len(kinds), np.int8)
    for code in range(len(kinds) - 1, -1, -1):
        best[has_kind[code]] = code
    eligible = conflict & (best == 0)[:, None, :]
    for code in range(1, len(kinds)):
        eligible |= kinds[code] & (best == code)[:, None, :]
    xi = x[:, None, :]
    with np.errstate(invalid="ignore"):  # f = inf where b = 0: never a compromise
        tgt = np.multiply(f, dx, out=f)  # x_i + f (x_j − x_i) = x_i − f dx
    np.subtract(xi, tgt, out=tgt)
    np.copyto(tgt, x[None, :, :], where=~compromise)  # the rest move all the way to x_j
    j, moved, tie = pick_offers(
        eligible, compromise, a, b, xi, x[None, :, :], tgt, scale[None, None, :], p, 1
    )
    has = best < len(kinds)
    codes = np.array([CONFLICT, COMPROMISE, COMPEL, NONE], np.int8)
    kind = codes[np.where(has, best, 3)]
    return np.where(has, j, -1), kind, np.where(has, moved, x), has & tie


def play_round(
    x: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    scale: np.ndarray,
    mu: np.ndarray,
    p: EUMParams,
    r_fixed: np.ndarray | None,
    trace: bool = False,
) -> dict[str, np.ndarray]:
    """One round from start-of-round positions ``x[n, B]`` (weights ``w``, saliences ``s``).

    ``scale`` and ``mu`` (the median) have shape ``(B,)``. Returns ``new`` positions, the
    ``risk`` exponents and, with ``trace``, everything
    :func:`~realpolitik.models.eum.dyads.reference_round` returns, all batch-last.
    """
    n = x.shape[0]
    dx = x[:, None, :] - x[None, :, :]  # x_i − x_j
    ad = np.abs(dx)
    same = ad == 0
    d = ad / scale
    q_terms = p.q < 1
    t: np.ndarray | float = 0.0
    g = None
    if q_terms:
        t = _t_last(p.t_rule, x, mu, ad, scale)
        g = (np.abs(x - mu) / scale)[:, None, :] + d
    linear = win_probability_last(x, w, d, scale, None, p.probability)
    s_j = s[None, :, :]
    lose = np.subtract(1.0, linear)  # 1 − P_ij, then s_j (1 − P_ij)
    lose *= s_j
    half_d = 0.5 * d
    base_s = np.subtract(0.5, half_d)
    base_f = np.add(0.5, half_d, out=half_d)
    # first pass, every r = 1: E_j(U_ji) summed over j gives each actor's security
    if p.security == "actors":
        us = _risky(base_s, None)
        e = _risky(base_f, None)
        e -= us  # U^f − U^s
        e *= lose
        e += us
        if q_terms:
            _status_quo_terms(e, p, None, t, g)
        e.reshape(n * n, -1)[:: n + 1] = 0.0
        sec = e.sum(0)
        hi, lo = sec.max(0, keepdims=True), sec.min(0, keepdims=True)
    else:  # over i's hypothetical positions: the reference, batch axis first
        xb, wb, sb = (np.ascontiguousarray(a.T) for a in (x, w, s))
        sec_b, hi_b, lo_b = security(xb, wb, sb, scale, mu, p)
        sec, hi, lo = sec_b.T, hi_b.T, lo_b.T
    if p.risk == "neutral":
        r = np.ones_like(x)
    elif r_fixed is not None:
        r = r_fixed
    else:
        r = risk_exponent(sec, hi, lo)
    if p.votes == "linear":
        prob = linear
    else:
        prob = win_probability_last(x, w, d, scale, r, p.probability)
        lose = np.subtract(1.0, prob)
        lose *= s_j
    # second pass with the risk exponents r_i of the row actor
    ri = r[:, None, :]
    us = _risky_exp(base_s, ri)
    diff = _risky_exp(base_f, ri)
    diff -= us
    eu = lose * diff
    eu += us
    _status_quo_terms(eu, p, ri, t, g)
    if p.perspective == "own":
        seen = eu.transpose(1, 0, 2)
    else:  # E_j(U_ji) as i sees it: i's exponent, j's challenge of i
        seen = np.subtract(1.0, prob.transpose(1, 0, 2))
        seen *= s[:, None, :]
        seen *= diff
        seen += us
        tt = t if np.ndim(t) == 0 else np.swapaxes(t, 0, 1)
        _status_quo_terms(seen, p, ri, tt, None if g is None else g.transpose(1, 0, 2))
    offer_from, offer_kind, new, tie = _offers(x, dx, same, eu, seen, scale, p)
    out = dict(risk=r, new=new, offer_from=offer_from, offer_kind=offer_kind, offer_tied=tie)
    if trace:
        kind, gives, _ = classify(eu, seen, same)
        out |= dict(security=sec, probability=prob, eu=eu, eu_seen=seen, kind=kind, gives=gives)
    return out
