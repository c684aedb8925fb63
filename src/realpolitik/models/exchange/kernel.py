r"""Compiled kernel (numba) of the exchange model for many Monte Carlo draws of one scenario.

Each draw plays the same rounds as :func:`.core.run_round` + :class:`.model.Exchange`: the
candidates in decide's order, each evaluated by :func:`.core.evaluate`'s arithmetic written
out per candidate (the same operations in the same order, so the same bits: the numpy core's
arithmetic is elementwise, and its sums over actors run in actor order), the best gain
executed, the supplying sides frozen, the sightings remembered (decide's ``view``) and the
candidates the execution touched re-evaluated, until none is valid; then the preferences
drift and the next round starts. See :mod:`.core` for the equations and their references.

A decision the tie rule takes is not replayed here: when the best gains of a draw tie (within
:data:`.queue.TIE_TOL`), ``tie_break="first"`` takes the earliest candidate (the queue order
never changes in that mode), and ``tie_break="random"`` flags the draw (``status`` 1), which the
caller then runs draw by draw with its own generator (:mod:`.batch`). So every draw's result is
the draw-by-draw model's, bit for bit.

Compiled with ``cache=True``; :func:`is_warm` says whether a call runs without compiling
first (``python -m realpolitik.models.exchange.kernel`` warms the cache).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from .queue import TIE_TOL
from .state import BOUND_TOL, CROSS_TOL, EPS

__all__ = ["solve", "is_warm", "warm"]


@njit(cache=True)
def _valid_move(m: float, z: float, hist: float, sign: float) -> bool:
    am = abs(m)
    if math.isnan(m):
        sg = math.nan
    elif m > 0:
        sg = 1.0
    elif m < 0:
        sg = -1.0
    else:
        sg = 0.0
    return (am > EPS and am <= 100 and z + m >= -BOUND_TOL and z + m <= 100 + BOUND_TOL
            and hist + m <= 100 + BOUND_TOL and (sign == 0 or sign == sg))


@njit(cache=True)
def _sign(m: float) -> float:
    if m > 0:
        return 1.0
    if m < 0:
        return -1.0
    if m == 0:
        return 0.0
    return math.nan


@njit(cache=True, error_model="numpy")
def _evaluate(e, cI, cJ, cp, cq, hist, sign, mv, gn, x0, s, w, y, D, O0, seen, shift, offset):
    """Moves and gains of candidate ``e`` (into ``mv[e]``, ``gn[e]``); returns its validity."""
    a, b, p, q = cI[e], cJ[e], cp[e], cq[e]
    zI, zJ = y[a, q], y[b, p]
    dI, dJ = x0[a, p], x0[b, q]
    sIp, sIq, sJp, sJq = s[a, p], s[a, q], s[b, p], s[b, q]
    wIq, wJp = w[a, q], w[b, p]
    Dp, Dq = D[p], D[q]
    distI, distJ = abs(dJ - zI), abs(dI - zJ)
    rp = distJ * wJp / Dp
    rq = rp * (sJp + sIp) / (sJq + sIq)
    mI, mJ = rq * Dq / wIq, distJ
    if mI > distI:
        rq = distI * wIq / Dq
        rp = rq * (sIq + sJq) / (sIp + sJp)
        mI = distI
        mJ = rp * Dp / wJp
    sgnI = -1.0 if zI > dJ else 1.0
    sgnJ = -1.0 if zJ > dI else 1.0
    mI, mJ = mI * sgnI, mJ * sgnJ
    gI = rp * sIp - rq * sIq
    gJ = rq * sJq - rp * sJp
    hI, hJ, sI, sJ = hist[e, 0], hist[e, 1], sign[e, 0], sign[e, 1]
    valid = (_valid_move(mI, zI, hI, sI) and _valid_move(mJ, zJ, hJ, sJ)
             and gI >= EPS and gJ >= EPS)  # np.minimum(gI, gJ) >= EPS, NaN never valid
    crossed = False
    for side in range(2):  # I supplies q (demander J), then J supplies p (demander I)
        if side == 0:
            sup, dem, t, z, x, wt, Dt, Du, w_du = a, b, q, zI, dJ, wIq, Dq, Dp, wJp
            s_st, s_dt, s_su, s_du, m_sup = sIq, sJq, sIp, sJp, mI
        else:
            sup, dem, t, z, x, wt, Dt, Du, w_du = b, a, p, zJ, dI, wJp, Dp, Dq, wIq
            s_st, s_dt, s_su, s_du, m_sup = sJp, sIp, sJq, sIq, mJ
        off, x0s = offset[dem, t], x0[sup, t]
        n0 = O0[t] + (off - shift[dem, t, sup] + wt * (z - x0s)) / Dt
        n1 = n0 + wt * m_sup / Dt
        # within the tolerance of x is at x, as the numpy core decides (core.evaluate)
        if not valid or (((x >= n0 - CROSS_TOL) and (x >= n1 - CROSS_TOL))
                         or ((x <= n0 + CROSS_TOL) and (x <= n1 + CROSS_TOL))):
            continue
        crossed = True
        own = seen[dem, t, sup]
        total = O0[t] * Dt + off + (wt * (z - x0s) if math.isnan(own) else 0.0)
        delta = abs(x * Dt - total) / wt
        r_t = delta * wt / Dt
        r_u = r_t * ((s_st + s_dt) / (s_su + s_du))
        if side == 0:
            rq, rp = r_t, r_u
            mI, mJ = delta * sgnI, r_u * Du / w_du * sgnJ
        else:
            rp, rq = r_t, r_u
            mJ, mI = delta * sgnJ, r_u * Du / w_du * sgnI
    if crossed:
        gI = rp * sIp - rq * sIq
        gJ = rq * sJq - rp * sJp
        valid = valid and _valid_move(mI, zI, hI, sI) and _valid_move(mJ, zJ, hJ, sJ)
    mv[e, 0], mv[e, 1], gn[e, 0], gn[e, 1] = mI, mJ, gI, gJ
    return valid


@njit(cache=True)
def _outcome(x, w, out):
    n, k = x.shape
    for t in range(k):
        tot, num = 0.0, 0.0
        for i in range(n):
            tot += w[i, t]
        for i in range(n):
            num += w[i, t] * x[i, t]
        out[t] = num / tot if tot > 0 else 0.0


@njit(cache=True)
def _remember(seen, shift, offset, x0, w, dem, t, sup, y_new):
    old = seen[dem, t, sup]
    start = x0[sup, t]
    if math.isnan(old):
        new, prev = y_new, start
    elif start <= old:
        new, prev = (y_new if y_new < old else old), old
    else:
        new, prev = (y_new if y_new > old else old), old
    seen[dem, t, sup] = new
    shift[dem, t, sup] = w[sup, t] * (new - start)
    offset[dem, t] += w[sup, t] * (new - prev)


@njit(cache=True, error_model="numpy")
def _round(x, s, w, first, y):
    """One round from preferences ``x`` (0–100, 0 where absent) into voting positions ``y``;
    returns which (actor, issue) positions an exchange moved and whether a tie the kernel does
    not break stopped the round."""
    n, k = x.shape
    x0 = x
    y[:, :] = x0
    D = np.zeros(k)
    for t in range(k):
        for i in range(n):
            D[t] += w[i, t]
    O0 = np.empty(k)
    _outcome(x0, w, O0)
    seen = np.full((n, k, n), np.nan)
    shift = np.zeros((n, k, n))
    offset = np.zeros((n, k))
    # candidates in decide's order (see .queue.candidates)
    cap = n * n * k * (k - 1) // 2 + 1
    cI, cJ = np.empty(cap, np.int64), np.empty(cap, np.int64)
    cp, cq = np.empty(cap, np.int64), np.empty(cap, np.int64)
    N = 0
    grp = np.empty(n, np.int64)
    for p in range(k - 1):
        for q in range(p + 1, k):
            for i in range(n):
                if w[i, p] > 0 and w[i, q] > 0:
                    grp[i] = (1 if x0[i, p] <= O0[p] else 0) + 2 * (1 if x0[i, q] <= O0[q] else 0)
                else:
                    grp[i] = -1
            for g_i, g_j in ((0, 3), (1, 2)):
                for a in range(n):
                    if grp[a] != g_i:
                        continue
                    for b in range(n):
                        if grp[b] != g_j:
                            continue
                        if s[a, p] / s[a, q] < s[b, p] / s[b, q]:
                            cI[N], cJ[N] = b, a
                        else:
                            cI[N], cJ[N] = a, b
                        cp[N], cq[N] = p, q
                        N += 1
    hist, sign = np.zeros((N, 2)), np.zeros((N, 2))
    mv, gn = np.zeros((N, 2)), np.zeros((N, 2))
    gain = np.full(N, -np.inf)
    for e in range(N):
        if _evaluate(e, cI, cJ, cp, cq, hist, sign, mv, gn, x0, s, w, y, D, O0, seen, shift,
                     offset):
            gain[e] = (gn[e, 0] + gn[e, 1]) / 2
    moved = np.zeros((n, k), np.bool_)
    while True:
        top = -np.inf
        for e in range(N):
            if gain[e] > top:
                top = gain[e]
        if top == -np.inf:
            return moved, False
        thr = top - TIE_TOL * max(1.0, top)
        best, near = -1, 0
        for e in range(N):
            if gain[e] >= thr:
                near += 1
                if best < 0:
                    best = e
        if near > 1 and not first:
            return moved, True  # a 50/50 draw decides: the caller replays this draw
        e = best
        a, b, P, Q = cI[e], cJ[e], cp[e], cq[e]
        vI, vJ = y[a, Q] + mv[e, 0], y[b, P] + mv[e, 1]
        vI = vI if vI > 0.0 else 0.0
        vI = vI if vI < 100.0 else 100.0
        vJ = vJ if vJ > 0.0 else 0.0
        vJ = vJ if vJ < 100.0 else 100.0
        y[a, Q], y[b, P] = vI, vJ
        moved[a, Q], moved[b, P] = True, True
        gain[e] = -np.inf
        touched = np.zeros(N, np.bool_)
        for f in range(N):  # the supplying sides the execution moved: keep their moves
            if gain[f] == -np.inf:
                continue
            if (cI[f] == a and cq[f] == Q) or (cI[f] == b and cq[f] == P):
                hist[f, 0] += mv[f, 0]
                sign[f, 0] = _sign(mv[f, 0])
                touched[f] = True
            elif (cJ[f] == a and cp[f] == Q) or (cJ[f] == b and cp[f] == P):
                hist[f, 1] += mv[f, 1]
                sign[f, 1] = _sign(mv[f, 1])
                touched[f] = True
        _remember(seen, shift, offset, x0, w, b, Q, a, y[a, Q])
        _remember(seen, shift, offset, x0, w, a, P, b, y[b, P])
        for f in range(N):
            if gain[f] == -np.inf:
                continue
            if not touched[f]:  # demanders of the moved issues: b demands Q, a demands P
                touched[f] = ((cI[f] == b and cp[f] == Q) or (cJ[f] == b and cq[f] == Q)
                              or (cI[f] == a and cp[f] == P) or (cJ[f] == a and cq[f] == P))
            if touched[f]:
                if _evaluate(f, cI, cJ, cp, cq, hist, sign, mv, gn, x0, s, w, y, D, O0, seen,
                             shift, offset):
                    gain[f] = (gn[f, 0] + gn[f, 1]) / 2
                else:
                    gain[f] = -np.inf


@njit(cache=True, error_model="numpy")
def _solve(x, s, w, present, rounds, tolerance, first, outcome, status):
    bsz, n, k = x.shape
    y = np.empty((n, k))
    out, new = np.empty(k), np.empty(k)
    for z in range(bsz):
        xz = np.where(present, x[z], 0.0)
        sz, wz = s[z], w[z]
        _outcome(xz, wz, out)
        for _ in range(rounds):
            moved, tied = _round(xz, sz, wz, first, y)
            if tied:
                status[z] = 1
                break
            _outcome(y, wz, new)
            for i in range(n):
                for t in range(k):
                    if moved[i, t]:
                        xz[i, t] = xz[i, t] + (0.1 + 0.4 * (1 - sz[i, t])) * (y[i, t] - xz[i, t])
            step = 0.0
            for t in range(k):
                d = abs(new[t] - out[t])
                step = d if d > step else step
            out[:] = new
            if tolerance >= 0 and step <= tolerance:
                break
        outcome[z] = out


def solve(x: np.ndarray, s: np.ndarray, w: np.ndarray, present: np.ndarray, rounds: int,
          tolerance: float | None, first: bool) -> tuple[np.ndarray, np.ndarray]:
    """Final outcomes (B, k) on 0–100 of the draws ``x``, ``s``, ``w`` (B, n, k: normalised
    positions, saliences, weights as :func:`.model._normalise` gives them) and each draw's
    status (0: solved; 1: a tie the caller must replay draw by draw)."""
    bsz, _, k = x.shape
    outcome, status = np.zeros((bsz, k)), np.zeros(bsz, np.int64)
    kernel: Any = _solve
    kernel(np.ascontiguousarray(x, np.float64), np.ascontiguousarray(s, np.float64),
           np.ascontiguousarray(w, np.float64), np.ascontiguousarray(present, np.bool_),
           int(rounds), -1.0 if tolerance is None else float(tolerance), bool(first),
           outcome, status)
    return outcome, status


def is_warm() -> bool:
    """Whether the kernel runs without compiling first (compiled in this process, or in
    numba's on-disk cache for this source and CPU); see the EUM kernel's rule."""
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
    x = np.array([[[0.0, 100.0], [100.0, 0.0]]])
    s = np.array([[[0.9, 0.2], [0.2, 0.9]]])
    solve(x, s, s.copy(), np.ones((2, 2), bool), 1, None, False)


if __name__ == "__main__":  # python -m realpolitik.models.exchange.kernel: warm the cache
    import time

    start = time.perf_counter()
    warm()
    print(f"exchange kernel ready in {time.perf_counter() - start:.1f} s (cached: {is_warm()})")
