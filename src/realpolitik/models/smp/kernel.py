r"""Compiled kernel (numba) of the SMP for many Monte Carlo draws of one group of issues.

Each draw runs :func:`.dynamics.run_smp`'s turns in scalar loops: assess (distances, the
risk-neutral election, risk attitudes), every challenger's own view of every contest
(:func:`.challenge.own_contests`), targets, bargains (rounded to 4 decimals as KTAB does),
KTAB's queues and their elections, and the stopping rule; at the stop, the most probable
distinct position. Equations and references: :mod:`.core`, :mod:`.challenge`,
:mod:`.dynamics`.

Every formula is written in the numpy core's order of operations, and every sum along an
axis replays numpy's own summation (left to right below 8 terms, numpy's 8-way pairwise
blocks above), so most numbers are the numpy core's bit for bit. Three differ in the last bits
at most: ``log``/``exp`` (numpy's SIMD code vs the C library's), the products numpy hands to
BLAS (its fused multiply-adds) and ``einsum``'s sums over several dimensions. A last-bit
difference reaches a result only through a decision it tips — a best gain, a most probable
bargain, a 4-decimal rounding, the stopping ratio — and these sit far from the decisions'
thresholds: the tests require every draw's turns, positions and outcome to equal the
draw-by-draw model's exactly. The numpy batched core (:mod:`.batch`) is bit for bit
throughout; it runs whenever this kernel is not compiled yet (:func:`is_warm`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from .dynamics import MIN_GAIN, POS_TOL
from .kernel_core import (
    _argmax,
    _distances,
    _elect,
    _est_r,
    _greater,
    _npsum,
    _util,
    _vote,
)

__all__ = ["RULE_CODES", "solve", "is_warm", "warm"]

#: Integer codes of the rules the kernel takes (their position in each tuple).
RULE_CODES = {
    "voting_rule": ("Prop", "Cubic", "PropCbc", "Binary", "PropBin", "ASymProsp"),
    "victory_prob_model": ("Linear", "Square", "Quartic", "Octic", "Binary"),
    "big_r_range": ("Min", "Mid", "Max"),
    "big_r_adjust": ("None", "OneThird", "Half", "TwoThirds", "Full"),
    "third_party_commit": ("NoCommit", "SemiCommit", "FullCommit"),
    "inter_vec_brgn": ("S1P1", "S2P2", "S2PMax"),
}


@njit(cache=True)
def _assess(ideal, x, sal, cap, codes, d, r, u_own):
    """Distances, risk attitudes and own utilities of one state (``.dynamics._assess``)."""
    n = x.shape[0]
    _distances(ideal, x, sal, d)
    u0 = np.empty((n, n))
    for a in range(n):
        for b in range(n):
            u0[a, b] = _util(d[a, b], 0.0)
    p = np.empty(n)
    _elect(codes[0], codes[1], cap, u0, p)
    lo, hi = p.min(), p.max()
    for i in range(n):
        if not hi - lo > 1e-15:
            r[i] = 0.0
        elif codes[2] == 0:
            r[i] = (p[i] - lo) / (hi - lo)
        elif codes[2] == 1:
            r[i] = (3 * p[i] - (hi + 2 * lo)) / (2 * (hi - lo))
        else:
            r[i] = (2 * p[i] - (hi + lo)) / (hi - lo)
    for a in range(n):
        own = _est_r(codes[3], r[a], r[a])
        for b in range(n):
            u_own[a, b] = _util(d[a, b], own)


@njit(cache=True)
def _targets(d, r, weight, sal_total, codes, best, ok, phi_best):
    """Each challenger's best target and its own estimate φ there (``own_contests``)."""
    n = d.shape[0]
    vr, adjust, commit = codes[0], codes[3], codes[4]
    a = 1.0 - d
    b = a * d
    r_in = np.empty((n, n))
    for i in range(n):
        for k in range(n):
            r_in[i, k] = _est_r(adjust, r[i], r[k])
    f, u_in, u_nn = np.empty(n), np.empty(n), np.empty(n)
    gains, phis = np.empty(n), np.empty(n)
    for i in range(n):
        own = r_in[i, i]
        uii = a[i, i] + b[i, i] * own
        for k in range(n):  # u^i(k, i) and u^i(k, k): k's utilities as i estimates them
            u_in[k] = a[k, i] + b[k, i] * r_in[i, k]
            u_nn[k] = a[k, k] + b[k, k] * r_in[i, k]
        for j in range(n):
            if j == i:
                g, phi = -np.inf, 0.5
            else:
                uij = a[i, j] + b[i, j] * own
                uji = a[j, i] + b[j, i] * r_in[i, j]  # u^i(j, i), u^i(j, j)
                ujj = a[j, j] + b[j, j] * r_in[i, j]
                ci = _vote(vr, weight[i], uii - uij)
                cj = _vote(vr, weight[j], uji - ujj)
                ch_ij = 1e-10 + max(ci, 0) + max(cj, 0)
                ch_ji = 1e-10 + max(-ci, 0) + max(-cj, 0)
                c_sum = ch_ij + ch_ji
                for k in range(n):
                    u_nj = a[k, j] + b[k, j] * r_in[i, k]
                    v0 = _vote(vr, weight[k], u_in[k] - u_nj)
                    p = (ch_ij + max(v0, 0)) / (c_sum + abs(v0))
                    if commit == 1:
                        t = u_nj - u_nn[k]
                        du = t + p * ((u_nn[k] - u_in[k]) - t)
                    else:
                        du = 0.0
                    f[k] = 0.0 if (k == i or k == j) else _vote(vr, 1.0, du)  # noqa: SIM109
                tp_ij, fw = 0.0, 0.0
                for k in range(n):
                    tp_ij += max(f[k], 0) * weight[k]
                    fw += f[k] * weight[k]
                tp_ji = tp_ij - fw
                c_ij, c_ji = ch_ij + tp_ij, ch_ji + tp_ji
                phi = c_ij / (c_ij + c_ji)
                s_j = sal_total[j]
                g = ((1 - s_j) * 2 * uii + s_j * (phi * 2 * uii + (1 - phi) * 2 * uij)
                     - (uii + uij))
            gains[j], phis[j] = g, phi
        arg = _argmax(gains)  # gains within the tolerance tie: the first wins (.ties)
        top = gains[arg]
        best[i], phi_best[i] = arg, phis[arg]
        ok[i] = _greater(top, MIN_GAIN, max(abs(top), MIN_GAIN))


@njit(cache=True)
def _round4(v: float) -> float:
    return math.floor(0.5 + v * 10000.0) / 10000.0


@njit(cache=True)
def _interpolate(how, xi, si, p_i, xj, sj, bi, bj):
    m = xi.size
    p_j = 1.0 - p_i
    for k in range(m):
        if how == 2:  # S2PMax
            di, dj = max(p_j - p_i, 0), max(p_i - p_j, 0)
            si2, sj2 = si[k] * si[k], sj[k] * sj[k]
            dik = di * sj2 / (di * sj2 + 1e-6 + (1 - di) * si2)
            djk = dj * si2 / (dj * si2 + 1e-6 + (1 - dj) * sj2)
            bi[k] = xi[k] + dik * (xj[k] - xi[k])
            bj[k] = xj[k] + djk * (xi[k] - xj[k])
        else:
            if how == 0:
                w_i, w_j = si[k] * p_i, sj[k] * p_j
            else:
                w_i, w_j = si[k] ** 2 * p_i**2, sj[k] ** 2 * p_j**2
            total = w_i + 1e-6 + w_j
            bi[k] = _round4(((w_i + 1e-6) * xi[k] + w_j * xj[k]) / total)
            bj[k] = _round4((w_i * xi[k] + (1e-6 + w_j) * xj[k]) / total)


@njit(cache=True)
def _turn(x, sal, cap, d, r, u_own, codes, new):
    """One turn: every actor's new position into ``new`` (``.dynamics._resolve``)."""
    n, m = x.shape
    sal_total = np.empty(n)
    for i in range(n):
        sal_total[i] = _npsum(sal[i])
    weight = cap * sal_total
    best, ok, phi = np.empty(n, np.int64), np.empty(n, np.bool_), np.empty(n)
    _targets(d, r, weight, sal_total, codes, best, ok, phi)
    at_i, at_j = np.empty((n, m)), np.empty((n, m))
    for i in range(n):
        if ok[i]:
            _interpolate(codes[5], x[i], sal[i], phi[i], x[best[i]], sal[best[i]], at_i[i],
                         at_j[i])
    di, dj = np.empty((n, n)), np.empty((n, n))
    _distances(x, at_i, sal, di)
    _distances(x, at_j, sal, dj)
    base = np.empty(n)
    for v in range(n):
        base[v] = _npsum(u_own[v])
    u_b = np.empty((n, n))
    for v in range(n):
        for s in range(n):
            if ok[s]:
                u_b[v, s] = ((base[v] - u_own[v, s] - u_own[v, best[s]] + _util(di[v, s], r[v])
                              + _util(dj[v, s], r[v])) / n)
    queue = np.empty(n + 1, np.int64)
    u = np.empty((n, n + 1))
    p = np.empty(n + 1)
    new[:, :] = x
    for k in range(n):
        q = 0
        for a in range(n):  # KTAB's queue: by initiator, k's status quo before its own
            if a == k:
                queue[q] = -1
                q += 1
                if ok[k]:
                    queue[q] = k
                    q += 1
            elif ok[a] and best[a] == k:
                queue[q] = a
                q += 1
        if q == 1:
            continue
        for o in range(q):
            for v in range(n):
                u[v, o] = base[v] / n if queue[o] < 0 else u_b[v, queue[o]]
        _elect(codes[0], codes[1], cap, u[:, :q].copy(), p)
        s = queue[_argmax(p[:q])]
        if s >= 0:
            new[k] = at_i[s] if s == k else at_j[s]


@njit(cache=True)
def _dist(a, b, buf) -> float:
    """‖a − b‖ of two rows as numpy computes ``np.sqrt(((a - b) ** 2).sum())``."""
    for k in range(a.size):
        buf[k] = (a[k] - b[k]) ** 2
    return math.sqrt(_npsum(buf[: a.size]))


@njit(cache=True)
def _moved(a, b, buf, row) -> float:
    for i in range(a.shape[0]):
        row[i] = _dist(a[i], b[i], buf)
    return _npsum(row)


@njit(cache=True)
def _final(x, u_own, cap, codes, out):
    """The coordinates of the most probable distinct position (``position_probabilities``)."""
    n, m = x.shape
    reps = np.empty(n, np.int64)
    buf = np.empty(m)
    q = 0
    for a in range(n):
        alone = True
        for t in range(q):
            if _dist(x[a], x[reps[t]], buf) < POS_TOL:
                alone = False
                break
        if alone:
            reps[q] = a
            q += 1
    u = np.empty((n, q))
    for v in range(n):
        for t in range(q):
            u[v, t] = u_own[v, reps[t]]
    p = np.empty(q)
    _elect(0, codes[1], cap, u, p)
    out[:] = x[reps[_argmax(p)]]


@njit(cache=True)
def _solve(position, salience, capability, acc, codes, turns_lim, ratio, sig, turns, final,
           outcome):
    bsz, n, m = position.shape
    d, r, u_own = np.empty((n, n)), np.empty(n), np.empty((n, n))
    new = np.empty((n, m))
    lag = np.empty(n)
    if acc.size:
        for i in range(n):
            lag[i] = 1.0 - min(_npsum(acc[i].copy()), 1.0)
    buf, row = np.empty(m), np.empty(n)
    x, prev, ideal = np.empty((n, m)), np.empty((n, m)), np.empty((n, m))
    for z in range(bsz):
        sal, cap = salience[z], capability[z]
        start = position[z]
        x[:, :] = start
        ideal[:, :] = start
        _assess(ideal, x, sal, cap, codes, d, r, u_own)
        first = 0.0
        turn = 0
        while True:
            turn += 1
            _turn(x, sal, cap, d, r, u_own, codes, new)
            prev[:, :] = x
            x[:, :] = new
            if acc.size:
                ideal = acc @ x + lag.reshape(n, 1) * ideal
            else:
                ideal[:, :] = x
            _assess(ideal, x, sal, cap, codes, d, r, u_own)
            if turn == 1:
                first = _moved(x, start, buf, row) + sig
            if turn >= turns_lim[1]:
                break
            if turn >= turns_lim[0] and _moved(x, prev, buf, row) / first < ratio:
                break
        turns[z] = turn
        final[z] = x
        _final(x, u_own, cap, codes, outcome[z])


def solve(position: np.ndarray, salience: np.ndarray, capability: np.ndarray, rules: Any,
          accommodation: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turns (B,), final positions (B, n, m) and the most probable final position's
    coordinates (B, m) of each draw; the arguments as :func:`.batch.run_batch` takes them."""
    bsz, n, m = position.shape
    codes = np.array([RULE_CODES[k].index(getattr(rules, k)) for k in RULE_CODES], np.int64)
    turns = np.zeros(bsz, np.int64)
    final, outcome = np.empty((bsz, n, m)), np.empty((bsz, m))
    kernel: Any = _solve
    acc = np.zeros((0, 0)) if accommodation is None else np.ascontiguousarray(accommodation,
                                                                             np.float64)
    kernel(np.ascontiguousarray(position, np.float64), np.ascontiguousarray(salience, np.float64),
           np.ascontiguousarray(capability, np.float64), acc, codes,
           np.array([rules.min_turns, rules.max_turns], np.int64), float(rules.min_delta_ratio),
           float(rules.min_sig_delta), turns, final, outcome)
    return turns, final, outcome


def is_warm() -> bool:
    """Whether the kernel runs without compiling first (compiled in this process, or in
    numba's on-disk cache for this source and CPU)."""
    kernel: Any = _solve
    if kernel.signatures:
        return True
    try:
        magic = kernel.targetctx.codegen().magic_tuple()
        return any(key[1] == magic for key in kernel._cache._cache_file._load_index())
    except Exception:
        return False


def warm() -> None:
    """Compile the kernel (or load it from the cache) on a tiny batch."""
    from .dynamics import Rules

    x = np.array([[[0.2], [0.6], [0.9]]])
    solve(x, np.full((1, 3, 1), 0.8), np.array([[3.0, 2.0, 1.0]]), Rules())


if __name__ == "__main__":  # python -m realpolitik.models.smp.kernel: warm the compile cache
    import time

    t0 = time.perf_counter()
    warm()
    print(f"SMP kernel ready in {time.perf_counter() - t0:.1f} s (cached: {is_warm()})")
