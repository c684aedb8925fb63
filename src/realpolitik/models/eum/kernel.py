r"""Compiled (numba) kernel of the expected-utility model for Monte Carlo: all rounds, all draws.

The same model as the numpy core (:func:`realpolitik.models.eum.core.run_batch` with
``trace=False``; equations in :mod:`realpolitik.models.eum.core`), written as scalar loops
that numba compiles once: one draw at a time, every round of it, then the next draw. Numpy
pays for many passes over ``[i, j, batch]`` arrays per round; here a draw's ``n × n``
matrices stay in the first-level cache and nothing is computed that the result does not use
(no per-round record, no dyad codes, no E_i(U_ij) between actors at one position).

The arithmetic follows the numpy round operation for operation — the support sums
:math:`S_{ij} = \max(0, (h_{ij} + M_j - M_i)/2)` with
:math:`h_{ij} = \sum_k |w_k\delta_{kj} - w_k\delta_{ki}|` summed over voters in order, the
second pass's powers as :math:`\exp(r \log b)`, the offer rule's tolerance and first-in-order
tie-break — so results agree to a few units in the last place and the same offers are taken
(the tests hold both on random batches for every setting). Logs of the bases
:math:`\tfrac12 \mp \tfrac12 d_{ij}` are shared by the dyads ``(i, j)`` and ``(j, i)``.

Every setting of :class:`~realpolitik.models.eum.params.EUMParams` is supported. The kernel is
compiled with ``cache=True`` (the machine code lives in ``__pycache__`` next to this file, so
only the first call on a machine pays the compile time) and with one signature only: float64
and int64 arrays, the settings coded as integers (:func:`codes`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from ..ties import greater_scalar, tolerance_scalar
from .params import COMPEL, COMPROMISE, CONFLICT, NONE, UTILITY_SCALE, EUMParams

__all__ = ["codes", "solve"]

# The tie rule of :mod:`realpolitik.models.ties`, compiled from the very same Python functions
# (RTOL and TINY are frozen in as constants), so both backends take the same decisions.
_gt = njit(cache=True)(greater_scalar)
_tol = njit(cache=True)(tolerance_scalar)
U = UTILITY_SCALE

_CHOICES = {  # setting → its values in code order
    "probability": ("pairwise", "global"),
    "votes": ("linear", "risk"),
    "perspective": ("own", "observer"),
    "security": ("actors", "positions"),
    "offer": ("least-move", "highest-eu", "scholz-code"),
    "t_rule": ("median", "better", "worse", "half"),
    "scale": ("initial", "current", "issue"),
    "median_tie": ("mid", "lower", "upper"),
    "risk": ("every-round", "first-round", "neutral"),
    "stop": ("rounds", "stable", "payoff"),
}
# positions in the integer settings array
PROB, VOTES, PERSP, SEC, OFFER, T_RULE, SCALE, TIE, RISK, STOP, CAPIT, ROUNDS = range(12)
_T_CONST = (0.0, 1.0, 0.0, 0.5)  # T for t_rule median (unused), better, worse, half


def codes(p: EUMParams) -> tuple[np.ndarray, np.ndarray]:
    """The settings as the kernel takes them: int64 codes and float64 ``[q, tol, 0.5]``."""
    ints = [_CHOICES[k].index(getattr(p, k)) for k in _CHOICES]
    ints += [int(p.capitulation), p.rounds]
    return np.array(ints, np.int64), np.array([p.q, p.tol, 0.5], np.float64)


@njit(cache=True)
def _median(x, w, tie, order):  # pragma: no cover - compiled
    """:func:`realpolitik.models.reference.weighted_median` of one draw (stable sort)."""
    n = x.shape[0]
    for k in range(n):  # insertion sort of indices: stable, NaN (absent) last
        order[k] = k
        v = np.inf if math.isnan(x[k]) else x[k]
        m = k
        while m > 0:
            u = x[order[m - 1]]
            if not (np.inf if math.isnan(u) else u) > v:
                break
            order[m] = order[m - 1]
            m -= 1
        order[m] = k
    total = 0.0
    for k in range(n):
        total += 0.0 if math.isnan(x[k]) else w[k]
    half = total / 2
    cum, lo_k, up_k, lower_cum, found_lo, found_up = 0.0, 0, 0, 0.0, False, False
    for k in range(n):
        a = order[k]
        cum += 0.0 if math.isnan(x[a]) else w[a]
        if not found_lo and not _gt(half, cum, total):
            lo_k, lower_cum, found_lo = k, cum, True
        if not found_up and _gt(cum, half, total):
            up_k, found_up = k, True
    if not found_lo:
        lower_cum = w[order[0]] if not math.isnan(x[order[0]]) else 0.0
    lower = x[order[lo_k]]
    lower = np.inf if math.isnan(lower) else lower
    upper = lower
    if not _gt(lower_cum, half, total) and not _gt(half, lower_cum, total):
        upper = x[order[min(up_k, n - 1)]]
        if not math.isfinite(upper):
            upper = lower
    if tie == 1:
        return lower
    if tie == 2:
        return upper
    return (lower + upper) / 2


@njit(cache=True)
def _mean(x, w):  # pragma: no cover - compiled
    tot, acc, plain = 0.0, 0.0, 0.0
    for k in range(x.shape[0]):
        tot += w[k]
        acc += w[k] * x[k]
        plain += x[k]
    return acc / tot if tot > 0 else plain / x.shape[0]


@njit(cache=True)
def _support(s, m, i, j, h):  # pragma: no cover - compiled
    """S[i, j] = max(0, (h + M_j − M_i)/2) and S[j, i] = max(0, (h + M_i − M_j)/2)."""
    s[i, j] = max((h + (m[j] - m[i])) / 2, 0.0)
    s[j, i] = max((h + (m[i] - m[j])) / 2, 0.0)


@njit(cache=True)
def _probability(d, w, r, risk_votes, global_z, wd, m, prob):  # pragma: no cover - compiled
    """P[i, j] from distances ``d`` (votes ``d**r_k`` if ``risk_votes``), as in the numpy
    ``win_probability_last``: S from the symmetric and antisymmetric halves, then normalised."""
    n = d.shape[0]
    for k in range(n):
        for j in range(n):
            wd[k, j] = w[k] * (d[k, j] ** r[k] if risk_votes else d[k, j])
    for j in range(n):  # sums over voters in voter order (as numpy), vectorised over j
        m[j] = wd[0, j]
    for k in range(1, n):
        for j in range(n):
            m[j] += wd[k, j]
    for i in range(n):  # h[i, j] = Σ_k |w_k δ_kj − w_k δ_ki| over voters in order, for j > i
        prob[i, i] = 0.0
        j = i + 1
        while j + 3 < n:  # four independent sums at a time (the adds' latency overlaps)
            a0, a1 = abs(wd[0, j] - wd[0, i]), abs(wd[0, j + 1] - wd[0, i])
            a2, a3 = abs(wd[0, j + 2] - wd[0, i]), abs(wd[0, j + 3] - wd[0, i])
            for k in range(1, n):
                wki = wd[k, i]
                a0 += abs(wd[k, j] - wki)
                a1 += abs(wd[k, j + 1] - wki)
                a2 += abs(wd[k, j + 2] - wki)
                a3 += abs(wd[k, j + 3] - wki)
            _support(prob, m, i, j, a0)
            _support(prob, m, i, j + 1, a1)
            _support(prob, m, i, j + 2, a2)
            _support(prob, m, i, j + 3, a3)
            j += 4
        while j < n:
            a0 = abs(wd[0, j] - wd[0, i])
            for k in range(1, n):
                a0 += abs(wd[k, j] - wd[k, i])
            _support(prob, m, i, j, a0)
            j += 1
    if global_z:
        for j in range(n):  # Σ_i S[i, j], then over j, in order
            m[j] = prob[0, j]
        for i in range(1, n):
            for j in range(n):
                m[j] += prob[i, j]
        z = 0.0
        for j in range(n):
            z += m[j]
        z *= 2
        for i in range(n):
            for j in range(n):
                prob[i, j] = prob[i, j] / z if z > 0 else 0.0
    else:
        for i in range(n):
            for j in range(i + 1, n):
                sij, sji = prob[i, j], prob[j, i]
                z = sij + sji
                prob[i, j] = sij / z if z > 0 else 0.0
                prob[j, i] = sji / z if z > 0 else 0.0


@njit(cache=True)
def _status_quo(e, q, t, g, r):  # pragma: no cover - compiled
    """E − (1 − Q)[T U^b + (1 − T) U^w] (``r`` < 0: r = 1, no power taken)."""
    if r < 0:
        ub, uw = 2 - (0.5 - 0.25 * g) * 4.0, 2 - (0.5 + 0.25 * g) * 4.0
    else:
        ub, uw = 2 - (0.5 - 0.25 * g) ** r * 4.0, 2 - (0.5 + 0.25 * g) ** r * 4.0
    return e - (1 - q) * (t * ub + (1 - t) * uw)


@njit(cache=True)
def _t_value(rule, to_mu, ad, span):  # pragma: no cover - compiled
    if rule == 0:
        return 1.0 if _gt(ad, to_mu, span) else 0.0
    return 0.5 if rule == 3 else (1.0 if rule == 1 else 0.0)


@njit(cache=True)
def _security_actors(x, d, ad, s, prob, mu, span, q, rule, sec):  # pragma: no cover
    """Sec_i = Σ_{j≠i} E_j(U_ji) with every r = 1; returns (max, min) over actors."""
    n = x.shape[0]
    for i in range(n):
        sec[i] = 0.0
    for j in range(n):  # row j: E_j(U_ji), summed over rows in order as numpy does
        to_mu = abs(x[j] - mu)
        for i in range(n):
            if i == j:
                continue
            half_d = 0.5 * d[j, i]
            us = 2 - (0.5 - half_d) * 4.0
            e = ((2 - (0.5 + half_d) * 4.0) - us) * ((1.0 - prob[j, i]) * s[i]) + us
            if q < 1:
                t = _t_value(rule, to_mu, ad[j, i], span)
                e = _status_quo(e, q, t, to_mu / span + d[j, i], -1.0)
            sec[i] += e
    hi, lo = sec[0], sec[0]
    for i in range(1, n):
        hi, lo = max(hi, sec[i]), min(lo, sec[i])
    return hi, lo


@njit(cache=True)
def _security_positions(x, d, w, s, mu, span, q, rule, sup, sec, hi, lo):  # pragma: no cover
    """Security over i's hypothetical positions (the numpy ``security``, ``"positions"``)."""
    n = x.shape[0]
    for b in range(n):  # sup[a, b]: votes for x_a over x_b, as the numpy ``_support``
        acc = 0.0
        for k in range(n):
            acc += d[k, b] * w[k]
        hi[b] = acc  # M_b for now
    for a in range(n):
        sup[a, a] = 0.0
        for b in range(a + 1, n):
            h = 0.0
            for k in range(n):
                h += abs(d[k, b] - d[k, a]) * w[k]
            lin = hi[b] - hi[a]
            sup[a, b], sup[b, a] = max((h + lin) / 2, 0.0), max((h - lin) / 2, 0.0)
    for i in range(n):
        wi = w[i]
        for mm in range(n):
            acc = 0.0
            for j in range(n):
                if j == i:
                    continue
                d_im, d_ij, d_mj = d[i, mm], d[i, j], d[mm, j]
                fwd = sup[j, mm] - wi * max(0.0, d_im - d_ij)
                back = sup[mm, j] - wi * max(0.0, d_ij - d_im) + wi * d_mj
                den = fwd + back
                p = fwd / den if den > 0 else 0.0
                us, uf = 2 - 4 * (0.5 - 0.5 * d_mj), 2 - 4 * (0.5 + 0.5 * d_mj)
                e = us + s[i] * (1 - p) * (uf - us) - q * (2 - 4 * 0.5)
                if q < 1:
                    j_mu = abs(x[j] - mu)
                    t = _t_value(rule, j_mu, abs(x[j] - x[mm]), span)
                    e = _status_quo(e, q, t, j_mu / span + d_mj, -1.0)
                acc += e
            if mm == i:
                sec[i] = acc
            hi[i] = acc if mm == 0 else max(hi[i], acc)
            lo[i] = acc if mm == 0 else min(lo[i], acc)


@njit(cache=True)
def _powered(base, log_base, r):  # pragma: no cover - compiled
    """2 − 4 base^r, the power as exp(r log base) like the numpy round (pow if base < 0)."""
    if base < 0:
        return 2 - base**r * 4.0
    return 2 - math.exp(log_base * r) * 4.0


@njit(cache=True)
def _near(key, kind_of, best, scale):  # pragma: no cover - compiled
    """Keep (kind code ``best``) only the candidates within the tolerance of the least key."""
    low = np.inf
    for j in range(key.shape[0]):
        if kind_of[j] == best:
            low = min(low, key[j])
    lim = low + _tol(scale)
    for j in range(key.shape[0]):
        if kind_of[j] == best and not key[j] <= lim:
            kind_of[j] = 4  # out of the running


@njit(cache=True)
def _offer(i, x, ad, eu, seen, capit, rule, span, kind_of, tgt, key):  # pragma: no cover
    """Actor i's accepted offer from a = E_i(U_ij), b = E_j(U_ji): (from, kind code, x, tied).

    The tests and the choice are the numpy ``_offers``/``pick_offers`` ones, through the
    same tie rule (:func:`_gt`, :func:`_tol`): signs and comparisons of EUs on the utility
    scale, positions and moves relative to R, lowest proposer index among the tied.
    """
    n = x.shape[0]
    best = 3
    for j in range(n):
        kind_of[j] = 3
        if ad[i, j] == 0:
            continue
        a, b = eu[i, j], seen[i, j]
        if _gt(a, 0.0, U) and _gt(b, a, U):
            kind_of[j], tgt[j] = 0, x[j]
        elif _gt(b, 0.0, U) and _gt(0.0, a, U):
            if _gt(b, abs(a), U):
                f = abs(a / b)
                kind_of[j], tgt[j] = 1, x[i] - f * (x[i] - x[j])
            elif capit:
                kind_of[j], tgt[j] = 2, x[j]
        best = min(best, kind_of[j])
    if best == 3:
        return -1, NONE, x[i], False
    for key_no in range(1 if rule == 2 else 2):
        eu_key = (rule == 1) == (key_no == 0)  # highest-eu: EU first; least-move: EU second
        for j in range(n):
            if kind_of[j] != best:
                continue
            a, b = eu[i, j], seen[i, j]
            if rule == 2 and best == 1:  # the port: compromises by the EU-weighted midpoint
                aa, ab = abs(a), abs(b)
                key[j] = (aa * x[i] + ab * x[j]) / (aa + ab)
            elif rule != 2 and eu_key:
                key[j] = -b
            else:
                key[j] = abs(tgt[j] - x[i])
        _near(key, kind_of, best, U if rule != 2 and eu_key else span)
    pick, tied = -1, False
    for j in range(n):
        if kind_of[j] != best:
            continue
        if pick < 0:
            pick = j
        elif _gt(tgt[j], tgt[pick], span) or _gt(tgt[pick], tgt[j], span):
            tied = True
    return pick, (CONFLICT, COMPROMISE, COMPEL)[best], tgt[pick], tied


@njit(cache=True)
def _risk(sec, hi, lo, r):  # pragma: no cover - compiled
    """r = (1 − R/3)/(1 + R/3), R = (2 Sec − hi − lo)/(hi − lo) (0 where hi = lo)."""
    for i in range(sec.shape[0]):
        span = hi[i] - lo[i]
        big_r = (2 * sec[i] - hi[i] - lo[i]) / span if _gt(hi[i], lo[i], U) else 0.0
        r[i] = (1 - big_r / 3) / (1 + big_r / 3)


@njit(cache=True)
def _expected(x, s, ad, d, prob, mu, span, r, opt, q, half, usq, eu, seen):  # pragma: no cover
    """Second pass: E_i(U_ij) and E_j(U_ji) as i sees it, for actors at distinct positions."""
    n = x.shape[0]
    observer, rule = opt[PERSP] == 1, opt[T_RULE]
    # Q U^sq_i; ½ comes in at run time (``half``): LLVM would rewrite a
    for i in range(n):  # constant pow(0.5, r) as exp2(−r), a last bit off numpy's pow
        usq[i] = q * (2 - 4 * half ** r[i])
    for i in range(n):
        for j in range(i + 1, n):
            if ad[i, j] == 0:
                continue
            half_d = 0.5 * d[i, j]
            bs, bf = 0.5 - half_d, 0.5 + half_d
            ls = math.log(bs) if bs > 0 else -np.inf
            lf = math.log(bf)
            for a, b in ((i, j), (j, i)):  # the logs serve both dyads, each with its r
                ra = r[a]
                us = _powered(bs, ls, ra)
                diff = _powered(bf, lf, ra) - us
                e = (1.0 - prob[a, b]) * s[b] * diff + us - usq[a]
                v = 0.0
                if observer:
                    v = (1.0 - prob[b, a]) * s[a] * diff + us - usq[a]
                if q < 1:
                    to_a, to_b = abs(x[a] - mu), abs(x[b] - mu)
                    t_ab = _t_value(rule, to_a, ad[a, b], span)
                    e = _status_quo(e, q, t_ab, to_a / span + d[a, b], ra)
                    if observer:
                        t_ba = _t_value(rule, to_b, ad[b, a], span)
                        v = _status_quo(v, q, t_ba, to_b / span + d[b, a], ra)
                eu[a, b] = e
                if observer:
                    seen[a, b] = v
    if not observer:
        for i in range(n):
            for j in range(n):
                seen[i, j] = eu[j, i]


@njit(cache=True)
def _kernel(
    c, x0, s0, span0, opt, fl, position, median, mean, played, ties, offer_from, offer_kind
):  # pragma: no cover - compiled
    """Every round of every draw; fills the preallocated outputs (see :func:`solve`)."""
    batch, n = x0.shape
    rounds, q, tol, tie = opt[ROUNDS], fl[0], fl[1], opt[TIE]
    # votes curved by r, and plain: run-time bools (literal True/False compile two copies)
    curved, plain = opt[VOTES] == 1, opt[VOTES] < 0
    record = offer_from.shape[0] > 0
    v, mats = np.empty((13, n)), np.empty((7, n, n))  # workspaces, reused by every draw
    w, s, x, new, r, r_fixed = v[0], v[1], v[2], v[3], v[4], v[5]
    sec, hi, lo, m, tgt, key, usq = v[6], v[7], v[8], v[9], v[10], v[11], v[12]
    d, ad, prob, prob_r, wd, eu, seen = (
        mats[0],
        mats[1],
        mats[2],
        mats[3],
        mats[4],
        mats[5],
        mats[6],
    )
    order, kind_of = np.empty(n, np.int64), np.empty(n, np.int64)
    for b in range(batch):
        for k in range(n):
            s[k], x[k] = s0[b, k], x0[b, k]
            w[k] = c[b, k] * s[k]
        mu = _median(x, w, tie, order)
        position[b, 0], median[b, 0], mean[b, 0] = x, mu, _mean(x, w)
        t, active = 0, True
        while t < rounds and active:
            span = span0[b]
            if opt[SCALE] == 1:
                span = x.max() - x.min()
                span = span if span > 0 else 1.0
            for i in range(n):
                for j in range(n):
                    ad[i, j] = abs(x[i] - x[j])
                    d[i, j] = ad[i, j] / span
            _probability(d, w, r, plain, opt[PROB] == 1, wd, m, prob)
            if opt[RISK] == 2:
                r[:] = 1.0
            elif opt[RISK] == 1 and t > 0:
                r[:] = r_fixed
            else:
                if opt[SEC] == 0:
                    hi0, lo0 = _security_actors(x, d, ad, s, prob, mu, span, q, opt[T_RULE], sec)
                    hi[:], lo[:] = hi0, lo0
                else:
                    _security_positions(x, d, w, s, mu, span, q, opt[T_RULE], wd, sec, hi, lo)
                _risk(sec, hi, lo, r)
                r_fixed[:] = r
            p2 = prob
            if curved:
                _probability(d, w, r, curved, opt[PROB] == 1, wd, m, prob_r)
                p2 = prob_r
            _expected(x, s, ad, d, p2, mu, span, r, opt, q, fl[2], usq, eu, seen)
            round_ties = 0
            for i in range(n):
                j, kind, new[i], tied = _offer(
                    i, x, ad, eu, seen, opt[CAPIT], opt[OFFER], span, kind_of, tgt, key
                )
                round_ties += tied
                if record:
                    offer_from[b, t, i], offer_kind[b, t, i] = j, kind
            new_mu = _median(new, w, tie, order)
            if opt[STOP] == 2:
                pay_new, pay_old = 0.0, 0.0
                for k in range(n):
                    pay_new += s[k] * (1 - abs(x0[b, k] - new_mu) / span0[b])
                    pay_old += s[k] * (1 - abs(x0[b, k] - mu) / span0[b])
                active = not _gt(pay_old - tol * n, pay_new, float(n))
            if active:
                x[:] = new
                played[b] += 1
                ties[b] += round_ties
                if opt[STOP] == 1 and not _gt(abs(new_mu - mu), tol * span, span):
                    active = False
                mu = new_mu
            t += 1
            position[b, t], median[b, t], mean[b, t] = x, mu, _mean(x, w)
        for k in range(t + 1, rounds + 1):  # rounds not played repeat the final state
            position[b, k], median[b, k], mean[b, k] = x, mu, mean[b, t]


def solve(
    capability: np.ndarray,
    position: np.ndarray,
    salience: np.ndarray,
    span0: np.ndarray,
    p: EUMParams,
    record_offers: bool = False,
) -> dict[str, np.ndarray]:
    """All rounds for a batch ``(batch, n)`` of draws with the compiled kernel.

    ``span0`` ``(batch,)`` is the positive initial R (the caller's choice for ``scale``).
    Returns what :func:`realpolitik.models.eum.core.run_batch` returns with ``trace=False``
    (batch axis first), plus ``offer_from`` and ``offer_kind`` ``(batch, T, n)`` if
    ``record_offers`` (rounds not played: −1 and ``NONE``).
    """
    c, x0, s = (np.ascontiguousarray(a, np.float64) for a in (capability, position, salience))
    batch, n = x0.shape
    opt, fl = codes(p)
    t = p.rounds
    out = {
        "position": np.empty((batch, t + 1, n)),
        "median": np.empty((batch, t + 1)),
        "mean": np.empty((batch, t + 1)),
        "rounds": np.zeros(batch, np.int64),
        "ties": np.zeros(batch, np.int64),
    }
    shape = (batch, t, n) if record_offers else (0, 0, 0)
    frm, kind = np.full(shape, -1, np.int64), np.full(shape, NONE, np.int64)
    results = [out[k] for k in ("position", "median", "mean", "rounds", "ties")]
    kernel: Any = _kernel  # a numba Dispatcher: its call signature is the kernel's
    kernel(c, x0, s, np.ascontiguousarray(span0, np.float64), opt, fl, *results, frm, kind)
    out["outcome"] = out["median"][:, -1].copy()
    out["final_mean"] = out["mean"][:, -1].copy()
    if record_offers:
        out["offer_from"], out["offer_kind"] = frm, kind
    return out


def is_warm() -> bool:
    """Whether the kernel runs without compiling first: compiled in this process, or found in
    numba's on-disk cache for this source and this CPU (a cold compile takes about 10 s).

    ``backend="auto"`` takes the kernel only when this holds (see
    :func:`realpolitik.models.eum.core.run_batch`); any ``backend="numba"`` run, or
    ``python -m realpolitik.models.eum.kernel``, compiles it and fills the cache.
    """
    kernel: Any = _kernel
    if kernel.signatures:
        return True
    try:  # numba's cache index: {(signature, target CPU magic, …): file}; {} if source changed
        magic = kernel.targetctx.codegen().magic_tuple()
        return any(key[1] == magic for key in kernel._cache._cache_file._load_index())
    except Exception:  # a numba without these internals: assume cold, numpy is used
        return False


def warm() -> None:
    """Compile the kernel (or load it from the cache) on a tiny batch: its one signature serves
    every setting (settings are run-time integer codes)."""
    p = EUMParams.model_validate({})
    solve(np.ones((1, 2)), np.array([[0.0, 1.0]]), np.ones((1, 2)), np.ones(1), p)


if __name__ == "__main__":  # python -m realpolitik.models.eum.kernel: warm the compile cache
    import time

    start = time.perf_counter()
    warm()
    print(f"EUM kernel ready in {time.perf_counter() - start:.1f} s (cached: {is_warm()})")
