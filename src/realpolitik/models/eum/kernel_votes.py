"""Compiled (numba) votes of the EUM kernel: the weighted median, the mean, each actor's
support in a dyad and the probabilities of success.

Scalar-loop versions of :mod:`realpolitik.models.eum.votes` (and the median of
:mod:`realpolitik.models.eum.utility`), operation for operation, so the kernel and the numpy
core agree to a few units in the last place and take the same decisions (see
:mod:`realpolitik.models.eum.kernel`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .kernel_codes import greater as _gt

__all__: list[str] = []


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
