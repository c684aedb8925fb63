"""Compiled (numba) offers of the EUM kernel: security levels, risk, expected utilities and
each actor's choice of offer.

Scalar-loop versions of :mod:`realpolitik.models.eum.utility`, :mod:`realpolitik.models.eum.dyads`
and :mod:`realpolitik.models.eum.round`, operation for operation, so the kernel and the numpy
core agree to a few units in the last place and take the same offers (see
:mod:`realpolitik.models.eum.kernel`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .kernel_codes import PERSP, T_RULE, U
from .kernel_codes import greater as _gt
from .kernel_codes import tolerance as _tol
from .params import COMPEL, COMPROMISE, CONFLICT, NONE

__all__: list[str] = []


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
