r"""Building blocks of KTAB's spatial model of politics (SMP): votes, victory, PCE, risk.

Pure numpy functions over actors × options arrays; :mod:`.dynamics` composes them
into turns. Names follow KTAB's (``VotingRule``, ``VictoryProbModel``, ``PCEModel``,
``BigRRange``, ``BigRAdjust``) so the parameters read the same in both.

Equations (positions and saliences on [0, 1], Σ_d s_id ≤ 1):

* salience-weighted distance from actor a's ideal ι_a to actor b's position x_b
  :math:`d_{ab} = \sqrt{\sum_d s_{ad}^2 (ι_{ad} - x_{bd})^2 / \sum_d s_{ad}^2}`
* risk-adjusted utility :math:`u(d, R) = (1 - d)(1 + d R)`, R ∈ [−1, 1]
* vote of k with weight w for option i over j, Δ = u_ki − u_kj: ``Prop`` wΔ, ``Cubic``
  wΔ³, ``PropCbc`` w(Δ + Δ³)/2, ``Binary`` w·clip(Δ/10⁻⁸, ±1), ``PropBin``
  w(0.8Δ + 0.2·clip(Δ/10⁻⁸, ±1)), ``ASymProsp`` wΔ for Δ < 0 and ⅔wΔ for Δ > 0
* coalition strength :math:`C_{ij} = 10^{-8} + \sum_k \max(v_k(i{:}j), 0)`
* victory probability (``Linear``) :math:`P_{ij} = C_{ij} / (C_{ij} + C_{ji})`, P_ii = ½;
  ``Square``/``Quartic``/``Octic`` raise C to the 2nd/4th/8th power first; ``Binary`` is
  certain beyond a 10 % advantage and linear in between
* probabilistic Condorcet election (``Conditional``) :math:`p_i ∝ \prod_j P_{ij}`;
  ``MarkovUniform`` and ``MarkovIncentive`` are KTAB's Markov chains of challenges
* risk attitude from the risk-neutral election (``Mid``)
  :math:`R_i = (3p_i − p_{max} − 2p_{min}) / (2(p_{max} − p_{min}))` ∈ [−½, 1]

References
----------
1. KAPSARC, KTAB — KAPSARC Toolkit for Behavioral Analysis (MIT licence),
   ``examples/smp/libsrc/smp.cpp`` and ``kmodel/libsrc/kmodel.cpp``.
2. Wise, B., Lester, L. & Efird, B. (2015). An introduction to the KAPSARC Toolkit for
   Behavioral Analysis (KTAB) using one-dimensional spatial models. KAPSARC discussion
   paper KS-1517-DP016A.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = [
    "VotingRule",
    "VictoryProbModel",
    "PCEModel",
    "BigRRange",
    "BigRAdjust",
    "MIN_COALITION",
    "vote",
    "coalitions",
    "victory_probabilities",
    "pce",
    "big_r",
    "estimated_r",
    "distances",
    "utility",
    "blocks",
]

VotingRule = Literal["Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"]
VictoryProbModel = Literal["Linear", "Square", "Quartic", "Octic", "Binary"]
PCEModel = Literal["Conditional", "MarkovIncentive", "MarkovUniform"]
BigRRange = Literal["Min", "Mid", "Max"]
BigRAdjust = Literal["None", "OneThird", "Half", "TwoThirds", "Full"]

#: Every coalition starts with this strength, so no victory probability is 0/0 (KTAB: minC).
MIN_COALITION = 1e-8
_BINARY_STEP = 1e-8
_BLOCK = 2_000_000  # elements per temporary 3-D block


def blocks(n_rows: int, row_size: int) -> list[slice]:
    """Row slices whose temporaries (rows × ``row_size``) stay near ``_BLOCK`` elements."""
    step = max(1, _BLOCK // max(row_size, 1))
    return [slice(s, min(s + step, n_rows)) for s in range(0, n_rows, step)]


def vote(rule: VotingRule, weight: np.ndarray | float, du: np.ndarray) -> np.ndarray:
    """Influence that a voter of ``weight`` exerts for option i over j, ``du = u_i − u_j``."""
    if rule == "Prop":
        return weight * du
    if rule == "Cubic":
        return weight * du**3
    if rule == "PropCbc":
        return weight * (0.5 * du + 0.5 * du**3)
    binary = np.clip(du / _BINARY_STEP, -1.0, 1.0)
    if rule == "Binary":
        return weight * binary
    if rule == "PropBin":
        return weight * (0.8 * du + 0.2 * binary)
    if rule == "ASymProsp":
        return weight * np.where(du < 0, du, 2.0 * du / 3.0)
    raise ValueError(f"unknown voting rule {rule!r}")


def coalitions(rule: VotingRule, weight: np.ndarray, util: np.ndarray) -> np.ndarray:
    """Coalition strengths C[i, j] supporting option i over j.

    ``weight`` (n voters), ``util`` (n voters × q options). Each pair is voted once, as
    v_k(i:j) with i > j (KTAB's lower-left scan): positive votes add to C[i, j], negative ones
    to C[j, i]. That matters only for the asymmetric ``ASymProsp`` rule.
    """
    q = util.shape[1]
    pos = np.empty((q, q))
    neg = np.empty((q, q)) if rule == "ASymProsp" else None
    n = util.shape[0]
    for blk in blocks(q, n * q):
        f = vote(rule, 1.0, util[:, blk, None] - util[:, None, :])  # v = w·f(Δ), w ≥ 0
        pos[blk] = (weight @ np.maximum(f, 0.0).reshape(n, -1)).reshape(-1, q)
        if neg is not None:
            neg[blk] = (weight @ np.maximum(-f, 0.0).reshape(n, -1)).reshape(-1, q)
    c = pos if neg is None else np.where(np.tri(q, k=-1, dtype=bool), pos, neg.T)
    c = c + MIN_COALITION
    np.fill_diagonal(c, MIN_COALITION)
    return c


def victory_probabilities(model: VictoryProbModel, c: np.ndarray) -> np.ndarray:
    """P[i, j] = probability that option i defeats j given coalition strengths; P_ii = ½."""
    if model == "Binary":
        ct = c.T
        ratio = c / (c + ct)
        mid = (ratio * 2.1 - 1.0) / 0.1
        x1 = np.where(c >= 1.1 * ct, 1.0, np.where(ct >= 1.1 * c, 1e-6, mid))
        x2 = np.where(c >= 1.1 * ct, 1e-6, np.where(ct >= 1.1 * c, 1.0, 1.0 - mid))
        p = x1 / (x1 + x2)
    else:
        power = {"Linear": 1, "Square": 2, "Quartic": 4, "Octic": 8}[model]
        x = c**power
        p = x / (x + x.T)
    np.fill_diagonal(p, 0.5)
    return p


def pce(model: PCEModel, vpm: VictoryProbModel, c: np.ndarray) -> np.ndarray:
    """Probabilistic Condorcet election: the probability that each option prevails.

    ``Conditional``: p_i ∝ Π_j P_ij (computed in logs, so it cannot underflow).
    ``MarkovUniform``: every option challenges with equal probability; iterate
    q_i = Σ_j P_ij (p_i + p_j)/n, p ← (p + q)/2 to 10⁻⁶. ``MarkovIncentive``: option i
    challenges the favourite j with probability ∝ C_ij P_ij; iterate to 10⁻⁸ (KTAB's tolerances).
    """
    p_win = victory_probabilities(vpm, c)
    q = c.shape[0]
    if model == "Conditional":
        logp = np.log(np.maximum(p_win, 1e-300)).sum(1)
        w = np.exp(logp - logp.max())
        return w / w.sum()
    if model == "MarkovUniform":
        return _markov(lambda p: (p_win * (p[:, None] + p[None, :])).sum(1) / q, q, 1e-6)
    if model == "MarkovIncentive":
        incentive = c * p_win + np.diag(np.full(q, 1e-10))
        challenge = incentive / incentive.sum(0, keepdims=True)  # [i, j]: i challenges j
        return _markov(
            lambda p: (p_win * (p[:, None] * challenge.T + p[None, :] * challenge)).sum(1), q, 1e-8
        )
    raise ValueError(f"unknown PCE model {model!r}")


def _markov(update, q: int, tol: float, max_iter: int = 10_000) -> np.ndarray:
    p = np.full(q, 1.0 / q)
    for _ in range(max_iter):
        new = update(p)
        change = np.abs(new - p).max()
        p = (p + new) / 2.0
        if change <= tol:
            return p
    raise RuntimeError("Markov PCE did not converge")


def big_r(p: np.ndarray, rng: BigRRange) -> np.ndarray:
    """Risk attitudes R_i from PCE probabilities: ``Min`` [0,1], ``Mid`` [−½,1], ``Max`` [−1,1].

    When every probability is equal (e.g. all actors share one position) every actor is
    risk-neutral, R = 0; KTAB divides by zero there and aborts.
    """
    lo, hi = float(p.min()), float(p.max())
    if not hi - lo > 1e-15:
        return np.zeros_like(p)
    if rng == "Min":
        return (p - lo) / (hi - lo)
    if rng == "Mid":
        return (3 * p - (hi + 2 * lo)) / (2 * (hi - lo))
    if rng == "Max":
        return (2 * p - (hi + lo)) / (hi - lo)
    raise ValueError(f"unknown BigRRange {rng!r}")


def estimated_r(r_h: np.ndarray, r_i: np.ndarray, adjust: BigRAdjust) -> np.ndarray:
    """h's estimate of i's risk attitude: anchored on h's own (``OneThird``: (2R_h + R_i)/3)."""
    share = {"None": 0.0, "OneThird": 1 / 3, "Half": 0.5, "TwoThirds": 2 / 3, "Full": 1.0}
    if adjust == "OneThird":
        return (2.0 * r_h + r_i) / 3.0
    if adjust == "TwoThirds":
        return (r_h + 2.0 * r_i) / 3.0
    if adjust == "Half":
        return (r_h + r_i) / 2
    return r_h + share[adjust] * (r_i - r_h)


def distances(ideal: np.ndarray, position: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """D[a, b]: distance from a's ideal to b's position, weighted by a's saliences.

    ``ideal``, ``salience`` (n × m), ``position`` (q × m). An actor with no salience at all
    is indifferent: its distances are 0.
    """
    s2 = salience**2
    norm = s2.sum(1)
    diff = ideal[:, None, :] - position[None, :, :]
    num = np.einsum("ad,abd->ab", s2, diff * diff)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(num / norm[:, None])
    return np.where(norm[:, None] > 0, d, 0.0)


def utility(d: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """Risk-adjusted utility of distance d ∈ [0, 1]: (1 − d)(1 + dR) (KTAB's bsUtil).

    Distances between points of [0, 1]^m never exceed 1, so KTAB's branch for d > 1 is moot.
    """
    return (1.0 - d) * (1.0 + d * r)
