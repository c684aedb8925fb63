r"""Challenges in KTAB's SMP: who would win i's challenge of j, and what i expects to gain.

h's view of the contest i → j (utilities u = u^h, risk attitudes as h estimates them):

* the principals vote with weight w = c·S (S = total salience):
  :math:`v_i = v(w_i; u_{ii} - u_{ij})`, :math:`v_j = v(w_j; u_{ji} - u_{jj})`, and the
  coalitions start at :math:`C_{ij} = 10^{-10} + v_i^+ + v_j^+`,
  :math:`C_{ji} = 10^{-10} + v_i^- + v_j^-`;
* each third party n first judges the little contest (i, j, n):
  :math:`p_n = (C_{ij} + v_n^+) / (C_{ij} + C_{ji} + |v_n|)` with
  :math:`v_n = v(w_n; u_{ni} - u_{nj})`, then votes its utility of joining i minus joining j
  (``SemiCommit``: :math:`p_n (u_{nn} - u_{ni}) + (1 - p_n)(u_{nj} - u_{nn})`; KTAB's
  ``FullCommit`` and ``NoCommit`` make that difference 0);
* φ = C_ij / (C_ij + C_ji) after all third parties, and the expected gain to i is
  :math:`(1 - S_j)\,2u_{ii} + S_j[φ\,2u_{ii} + (1 - φ)\,2u_{ij}] - (u_{ii} + u_{ij})`.

:func:`own_contests` computes every challenger's own view (h = i) of all n² contests in
O(n³) with blocked temporaries; :func:`contests` any list of (h, i, j) triples.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from .core import BigRAdjust, VotingRule, blocks, estimated_r, utility, vote

__all__ = ["ThirdPartyCommit", "contests", "own_contests"]

ThirdPartyCommit = Literal["NoCommit", "SemiCommit", "FullCommit"]


def _third_party_du(commit: ThirdPartyCommit, p: np.ndarray, uni: np.ndarray,
                    unj: np.ndarray, unn: np.ndarray) -> np.ndarray:
    """n's utility of joining i minus joining j (each side's three position utilities)."""
    if commit == "SemiCommit":  # p (u_nn − u_ni) + (1 − p)(u_nj − u_nn)
        t = unj - unn
        return t + p * ((unn - uni) - t)
    if commit in ("FullCommit", "NoCommit"):
        return np.zeros(np.broadcast_shapes(p.shape, uni.shape, unj.shape, unn.shape))
    raise ValueError(f"unknown ThirdPartyCommit {commit!r}")


def _principals(vr: VotingRule, w_i, w_j, uii, uij, uji, ujj):
    c_i = vote(vr, w_i, uii - uij)
    c_j = vote(vr, w_j, uji - ujj)
    return (1e-10 + np.maximum(c_i, 0) + np.maximum(c_j, 0),
            1e-10 + np.maximum(-c_i, 0) + np.maximum(-c_j, 0))


def _gain(phi, uii, uij, s_j):
    return (1 - s_j) * 2 * uii + s_j * (phi * 2 * uii + (1 - phi) * 2 * uij) - (uii + uij)


def contests(h: np.ndarray, i: np.ndarray, j: np.ndarray, d: np.ndarray, r: np.ndarray,
             weight: np.ndarray, total_salience: np.ndarray, voting_rule: VotingRule,
             adjust: BigRAdjust, commit: ThirdPartyCommit) -> tuple[np.ndarray, np.ndarray]:
    """h's estimate of P(i beats j) and of i's expected gain, for index triples (h, i, j).

    ``d`` distance matrix, ``r`` risk attitudes, ``weight`` = capability × total salience.
    """
    n = d.shape[0]
    r_hi, r_hj = estimated_r(r[h], r[i], adjust), estimated_r(r[h], r[j], adjust)
    uii, uij = utility(d[i, i], r_hi), utility(d[i, j], r_hi)
    ch_ij, ch_ji = _principals(voting_rule, weight[i], weight[j], uii, uij,
                               utility(d[j, i], r_hj), utility(d[j, j], r_hj))
    third = np.arange(n)[None, :]
    diag = np.diag(d)[None, :]
    tp_ij, tp_ji = np.empty(len(h)), np.empty(len(h))
    for blk in blocks(len(h), n):
        r_hn = estimated_r(r[h[blk], None], r[None, :], adjust)
        uni, unj = utility(d.T[i[blk]], r_hn), utility(d.T[j[blk]], r_hn)
        v0 = vote(voting_rule, weight[None, :], uni - unj)
        cni = ch_ij[blk, None] + np.maximum(v0, 0)
        cnj = ch_ji[blk, None] + np.maximum(-v0, 0)
        du = _third_party_du(commit, cni / (cni + cnj), uni, unj, utility(diag, r_hn))
        vn = vote(voting_rule, weight[None, :], du)
        vn = np.where((third != i[blk, None]) & (third != j[blk, None]), vn, 0.0)
        tp_ij[blk] = np.maximum(vn, 0).sum(1)
        tp_ji[blk] = np.maximum(-vn, 0).sum(1)
    ch_ij, ch_ji = ch_ij + tp_ij, ch_ji + tp_ji
    phi = ch_ij / (ch_ij + ch_ji)
    return phi, _gain(phi, uii, uij, total_salience[j])


def own_contests(d: np.ndarray, r: np.ndarray, weight: np.ndarray, total_salience: np.ndarray,
                 voting_rule: VotingRule, adjust: BigRAdjust, commit: ThirdPartyCommit
                 ) -> tuple[np.ndarray, np.ndarray]:
    """φ[i, j] and gain[i, j] for every challenger i and target j, as i sees them.

    As h = i, h's risk estimate of a third party n depends on (i, n) only, and utility is
    affine in R: u^i(n, j) = (1 − d_nj) + (1 − d_nj) d_nj R^i_n, so the n³ work is a few
    broadcast multiply-adds per block. The diagonal (i = j) is meaningless.
    """
    n = d.shape[0]
    a = 1.0 - d  # u = a + b·R
    b = a * d
    r_in = estimated_r(r[:, None], r[None, :], adjust)  # [i, n]: i's estimate of n's R
    u_in = a.T + b.T * r_in  # [i, n] = u^i(n, i)
    u_nn = np.diag(a)[None, :] + np.diag(b)[None, :] * r_in  # [i, n] = u^i(n, n)
    own = np.diag(r_in)[:, None]
    uii, uij = np.diag(a)[:, None] + np.diag(b)[:, None] * own, a + b * own
    # u^i(j, i) and u^i(j, j): j's utilities as i estimates j's risk attitude
    ch_ij, ch_ji = _principals(voting_rule, weight[:, None], weight[None, :], uii, uij,
                               u_in, u_nn)
    w = weight[None, None, :]
    tp_ij, tp_ji = np.empty((n, n)), np.empty((n, n))
    rows = np.arange(n)
    c_sum = (ch_ij + ch_ji)[:, :, None]
    for blk in blocks(n, 32 * n * n):  # a few challengers per block: temporaries stay in cache
        k = len(range(*blk.indices(n)))
        u_nj = a.T[None, :, :] + b.T[None, :, :] * r_in[blk, None, :]  # [i, j, n]
        v0 = vote(voting_rule, w, u_in[blk, None, :] - u_nj)
        # p_n = (C_ij + v0⁺) / (C_ij + C_ji + |v0|)
        p = (ch_ij[blk, :, None] + np.maximum(v0, 0)) / (c_sum[blk] + np.abs(v0))
        f = vote(voting_rule, 1.0, _third_party_du(commit, p, u_in[blk, None, :], u_nj,
                                                   u_nn[blk, None, :]))  # v_n = w_n f
        f[np.arange(k), :, rows[blk]] = 0.0  # n = i
        f[:, rows, rows] = 0.0  # n = j
        tp_ij[blk] = np.maximum(f, 0) @ weight
        tp_ji[blk] = tp_ij[blk] - f @ weight  # Σ max(−v, 0) = Σ max(v, 0) − Σ v
    ch_ij, ch_ji = ch_ij + tp_ij, ch_ji + tp_ji
    phi = ch_ij / (ch_ij + ch_ji)
    return phi, _gain(phi, uii, uij, total_salience[None, :])
