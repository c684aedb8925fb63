r"""The SMP's building blocks with a leading axis of Monte Carlo draws (or of any batch).

Each function here is its draw-by-draw namesake in :mod:`.core` / :mod:`.challenge` with one
more leading axis, written so that every draw's numbers are **bit for bit** those of the
draw-by-draw function on that draw alone:

* elementwise arithmetic is the same expression in the same order (IEEE results do not depend
  on the array around an element);
* a reduction runs along the same axis of the same length, so numpy sums the same terms in the
  same order (its pairwise summation depends only on the row's length);
* matrix products go through ``np.matmul`` on stacks of the draw-by-draw shapes **and memory
  layouts**: numpy hands a C-ordered slice to BLAS and a strided one to its own loop, and the
  two sum in different orders, so each slice is laid out as the draw-by-draw operand is
  (C-ordered inputs, the same transposed views); einsum likewise sees the draw-by-draw
  subscripts. ``tests/models/smp/test_smp_batch.py`` checks the result draw by draw.

The equations and their references are in :mod:`.core` and :mod:`.challenge`.
"""

from __future__ import annotations

import numpy as np

from .challenge import ThirdPartyCommit, _gain, _principals, _third_party_du
from .core import (
    MIN_COALITION,
    BigRAdjust,
    BigRRange,
    VictoryProbModel,
    VotingRule,
    blocks,
    estimated_r,
    vote,
)

__all__ = [
    "distances",
    "coalitions",
    "pce_conditional",
    "big_r",
    "own_contests",
    "diag",
]


def diag(a: np.ndarray) -> np.ndarray:
    """The diagonal of each matrix of a stack ``(B, n, n)`` → ``(B, n)``."""
    return np.diagonal(a, axis1=-2, axis2=-1)


def _c(a: np.ndarray) -> np.ndarray:
    """C-ordered, as the draw-by-draw operand of that product is (see the module's notes)."""
    return np.ascontiguousarray(a)


def _fill_diag(a: np.ndarray, value: float) -> None:
    i = np.arange(a.shape[-1])
    a[..., i, i] = value


def distances(ideal: np.ndarray, position: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """:func:`.core.distances` per draw: ``ideal``/``salience`` (B, n, m), ``position``
    (B, q, m) → (B, n, q)."""
    s2 = salience**2
    norm = s2.sum(-1)
    diff = ideal[:, :, None, :] - position[:, None, :, :]
    bsz, n, q, m = diff.shape
    # the draw-by-draw subscripts on (draw × actor) rows: einsum picks its inner loop (and so
    # its order of summation) from the subscripts and layout, which are then the same
    num = np.einsum("ad,abd->ab", _c(s2).reshape(bsz * n, m),
                    _c(diff * diff).reshape(bsz * n, q, m)).reshape(bsz, n, q)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(num / norm[..., None])
    return np.where(norm[..., None] > 0, d, 0.0)


def coalitions(rule: VotingRule, weight: np.ndarray, util: np.ndarray) -> np.ndarray:
    """:func:`.core.coalitions` per draw: ``weight`` (B, n), ``util`` (B, n, q) → (B, q, q)."""
    bsz, n, q = util.shape
    f = vote(rule, 1.0, util[:, :, :, None] - util[:, :, None, :])  # (B, n, q, q)
    w = _c(weight)[:, None, :]
    pos = np.matmul(w, _c(np.maximum(f, 0.0)).reshape(bsz, n, -1)).reshape(bsz, q, q)
    if rule == "ASymProsp":
        neg = np.matmul(w, _c(np.maximum(-f, 0.0)).reshape(bsz, n, -1)).reshape(bsz, q, q)
        c = np.where(np.tri(q, k=-1, dtype=bool), pos, np.swapaxes(neg, -1, -2))
    else:
        c = pos
    c = c + MIN_COALITION
    _fill_diag(c, MIN_COALITION)
    return c


def victory_probabilities(model: VictoryProbModel, c: np.ndarray) -> np.ndarray:
    """:func:`.core.victory_probabilities` per draw (B, q, q)."""
    ct = np.swapaxes(c, -1, -2)
    if model == "Binary":
        ratio = c / (c + ct)
        mid = (ratio * 2.1 - 1.0) / 0.1
        x1 = np.where(c >= 1.1 * ct, 1.0, np.where(ct >= 1.1 * c, 1e-6, mid))
        x2 = np.where(c >= 1.1 * ct, 1e-6, np.where(ct >= 1.1 * c, 1.0, 1.0 - mid))
        p = x1 / (x1 + x2)
    else:
        power = {"Linear": 1, "Square": 2, "Quartic": 4, "Octic": 8}[model]
        x = c**power
        p = x / (x + np.swapaxes(x, -1, -2))
    _fill_diag(p, 0.5)
    return p


def pce_conditional(vpm: VictoryProbModel, c: np.ndarray) -> np.ndarray:
    """:func:`.core.pce` (``Conditional``) per draw: p_i ∝ Π_j P_ij, (B, q, q) → (B, q)."""
    p_win = victory_probabilities(vpm, c)
    logp = np.log(np.maximum(p_win, 1e-300)).sum(-1)
    w = np.exp(logp - logp.max(-1, keepdims=True))
    return w / w.sum(-1, keepdims=True)


def big_r(p: np.ndarray, rng: BigRRange) -> np.ndarray:
    """:func:`.core.big_r` per draw (B, q); a draw whose probabilities are all equal is
    risk-neutral."""
    lo, hi = p.min(-1, keepdims=True), p.max(-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        if rng == "Min":
            r = (p - lo) / (hi - lo)
        elif rng == "Mid":
            r = (3 * p - (hi + 2 * lo)) / (2 * (hi - lo))
        elif rng == "Max":
            r = (2 * p - (hi + lo)) / (hi - lo)
        else:
            raise ValueError(f"unknown BigRRange {rng!r}")
    return np.where(hi - lo > 1e-15, r, 0.0)


def own_contests(d: np.ndarray, r: np.ndarray, weight: np.ndarray, total_salience: np.ndarray,
                 voting_rule: VotingRule, adjust: BigRAdjust, commit: ThirdPartyCommit
                 ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`.challenge.own_contests` per draw: ``d`` (B, n, n), ``r``, ``weight``,
    ``total_salience`` (B, n) → φ and gain (B, n, n)."""
    bsz, n, _ = d.shape
    a = 1.0 - d
    b = a * d
    at, bt = np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)
    r_in = estimated_r(r[:, :, None], r[:, None, :], adjust)
    u_in = at + bt * r_in
    u_nn = diag(a)[:, None, :] + diag(b)[:, None, :] * r_in
    own = diag(r_in)[:, :, None]
    uii, uij = diag(a)[:, :, None] + diag(b)[:, :, None] * own, a + b * own
    ch_ij, ch_ji = _principals(voting_rule, weight[:, :, None], weight[:, None, :], uii, uij,
                               u_in, u_nn)
    w = weight[:, None, None, :]
    wv = weight[:, None, :, None]
    tp_ij, tp_ji = np.empty((bsz, n, n)), np.empty((bsz, n, n))
    rows = np.arange(n)
    c_sum = (ch_ij + ch_ji)[..., None]
    for blk in blocks(n, 32 * n * n * bsz):
        k = len(range(*blk.indices(n)))
        u_nj = at[:, None, :, :] + bt[:, None, :, :] * r_in[:, blk, None, :]  # [z, i, j, n]
        v0 = vote(voting_rule, w, u_in[:, blk, None, :] - u_nj)
        p = (ch_ij[:, blk, :, None] + np.maximum(v0, 0)) / (c_sum[:, blk] + np.abs(v0))
        f = vote(voting_rule, 1.0, _third_party_du(commit, p, u_in[:, blk, None, :], u_nj,
                                                   u_nn[:, blk, None, :]))
        f[:, np.arange(k), :, rows[blk]] = 0.0  # n = i
        f[:, :, rows, rows] = 0.0  # n = j
        # f's slices keep the draw-by-draw layout (transposed, from aᵀ): same product loop
        tp_ij[:, blk] = np.matmul(np.maximum(f, 0), wv)[..., 0]
        tp_ji[:, blk] = tp_ij[:, blk] - np.matmul(f, wv)[..., 0]
    ch_ij, ch_ji = ch_ij + tp_ij, ch_ji + tp_ji
    phi = ch_ij / (ch_ij + ch_ji)
    return phi, _gain(phi, uii, uij, total_salience[:, None, :])
