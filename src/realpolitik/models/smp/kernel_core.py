"""Scalar building blocks of the SMP's compiled kernel (:mod:`.kernel`): numpy's summation
order, votes, risk estimates, utilities, distances and the PCE election, each written in the
numpy core's order of operations (:mod:`.core`, :mod:`.challenge`; equations and references
there).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..ties import greater_scalar, tolerance_scalar

__all__ = ["_npsum", "_vote", "_est_r", "_util", "_distances", "_elect", "_argmax", "_greater",
           "_tolerance"]

#: The tie rule's own comparisons (:mod:`realpolitik.models.ties`), compiled as they are, so
#: the kernel decides targets and bargains exactly as the numpy code does.
_greater = njit(cache=True)(greater_scalar)
_tolerance = njit(cache=True)(tolerance_scalar)


@njit(cache=True)
def _npsum(x: np.ndarray) -> float:
    """``np.sum`` of a contiguous 1-d array, in numpy's order (pairwise over blocks of 8)."""
    n = x.size
    if n < 8:
        res = 0.0
        for i in range(n):
            res += x[i]
        return res
    if n <= 128:
        r = x[:8].copy()
        i = 8
        while i < n - (n % 8):
            for j in range(8):
                r[j] += x[i + j]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += x[i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _npsum(x[:n2]) + _npsum(x[n2:])


@njit(cache=True)
def _vote(rule: int, w: float, du: float) -> float:
    if rule == 0:
        return w * du
    if rule == 1:
        return w * du**3
    if rule == 2:
        return w * (0.5 * du + 0.5 * du**3)
    binary = min(max(du / 1e-8, -1.0), 1.0)
    if rule == 3:
        return w * binary
    if rule == 4:
        return w * (0.8 * du + 0.2 * binary)
    return w * (du if du < 0 else 2.0 * du / 3.0)


@njit(cache=True)
def _est_r(adjust: int, rh: float, ri: float) -> float:
    if adjust == 1:
        return (2.0 * rh + ri) / 3.0
    if adjust == 3:
        return (rh + 2.0 * ri) / 3.0
    if adjust == 2:
        return (rh + ri) / 2
    share = 0.0 if adjust == 0 else 1.0
    return rh + share * (ri - rh)


@njit(cache=True)
def _util(d: float, r: float) -> float:
    return (1.0 - d) * (1.0 + d * r)


@njit(cache=True)
def _distances(ideal, pos, sal, out):
    n, m = ideal.shape
    q = pos.shape[0]
    for a in range(n):
        s2 = sal[a] ** 2
        norm = _npsum(s2)
        for b in range(q):
            num = 0.0
            for k in range(m):
                diff = ideal[a, k] - pos[b, k]
                num += s2[k] * (diff * diff)
            out[a, b] = math.sqrt(num / norm) if norm > 0 else 0.0


@njit(cache=True)
def _elect(rule: int, vpm: int, w: np.ndarray, u: np.ndarray, p: np.ndarray) -> None:
    """PCE (``Conditional``) over the options (columns) of ``u`` voted by weights ``w``."""
    n, q = u.shape
    c = np.empty((q, q))
    for i in range(q):
        for j in range(q):
            pos = 0.0
            neg = 0.0
            for v in range(n):
                f = _vote(rule, 1.0, u[v, i] - u[v, j])
                pos += w[v] * max(f, 0.0)
                if rule == 5:
                    g = _vote(rule, 1.0, u[v, j] - u[v, i])
                    neg += w[v] * max(-g, 0.0)
            c[i, j] = (pos if (rule != 5 or i > j) else neg) + 1e-8
        c[i, i] = 1e-8
    logp = np.empty(q)
    row = np.empty(q)
    for i in range(q):
        for j in range(q):
            if i == j:
                pw = 0.5
            elif vpm == 4:
                ci, cj = c[i, j], c[j, i]
                mid = (ci / (ci + cj) * 2.1 - 1.0) / 0.1
                x1 = 1.0 if ci >= 1.1 * cj else (1e-6 if cj >= 1.1 * ci else mid)
                x2 = 1e-6 if ci >= 1.1 * cj else (1.0 if cj >= 1.1 * ci else 1.0 - mid)
                pw = x1 / (x1 + x2)
            else:
                e = (1, 2, 4, 8)[vpm]
                xi, xj = c[i, j] ** e, c[j, i] ** e
                pw = xi / (xi + xj)
            row[j] = math.log(max(pw, 1e-300))
        logp[i] = _npsum(row)
    top = logp.max()
    for i in range(q):
        p[i] = math.exp(logp[i] - top)
    p[:q] /= _npsum(p[:q])


@njit(cache=True)
def _argmax(v: np.ndarray) -> int:
    """:func:`~realpolitik.models.ties.argmax_batched` for one row: the first index within
    ``RTOL`` × (largest finite |v|) of the largest value (−inf never ties)."""
    top, scale = -np.inf, 0.0
    for i in range(v.size):
        top = max(top, v[i])
        if math.isfinite(v[i]):
            scale = max(scale, abs(v[i]))
    cut = top - _tolerance(scale)
    for i in range(v.size):
        if v[i] >= cut:
            return i
    return 0
