r"""Turns of KTAB's spatial model of politics: challenges, bargains, resolution, stopping.

One turn from positions x (n × m on [0, 1]) and ideals ι (equal to x unless actors accommodate):

1. **Assess** — distances d_ab from ideals to positions; risk-neutral votes (weights c) elect
   a position by PCE; its probabilities give each actor's risk attitude R_i
   (:func:`~.core.big_r`); h sees i's risk as R^h_i (``BigRAdjust``).
2. **Challenge** — for each challenger i and target j, as seen by h = i: the principals vote
   with weight S·c (S = total salience), each third party n joins the side it prefers in the
   little (i, j, n) contest (``ThirdPartyCommit``), φ = C_ij / (C_ij + C_ji) and

   .. math:: \mathrm{gain}_{ij} = (1 - S_j)\,2u_{ii} + S_j\,[φ\,2u_{ii} + (1 - φ)\,2u_{ij}]
             - (u_{ii} + u_{ij})

   Each actor targets the j of largest gain, if it exceeds 10⁻⁵. Gains within
   :data:`~.ties.RTOL` of each other count as equal and the first index wins (KTAB's strict
   ``>`` scan keeps the first of equal gains; float noise must not decide which is first).
3. **Bargain** — per dimension, weights w_i = s_id² φ², w_j = s_jd² (1 − φ)² (``S2P2``) give
   the compromise (w_i x_i + w_j x_j)/(w_i + w_j), rounded to 4 decimals; the bargain joins
   both actors' queues, each of which also holds the actor's status quo.
4. **Resolve** — each actor k ranks its queue by the utility every actor expects from the state
   after each bargain (the mean of its utilities of all positions), votes (weights c), runs a
   PCE and adopts the most probable bargain (``Deterministic``; probabilities within
   :data:`~.ties.RTOL` tie and the first in the queue wins) or draws one (``Stochastic``).
5. **Stop** — after turn t ≥ 2 when Σ_i ‖x_i(t) − x_i(t−1)‖ < 2 % of (the first turn's
   movement + 10⁻⁴), or after 100 turns.

Everything is O(n³) per turn (the challenge contests), computed in blocks of a few million
elements; KTAB's O(n⁴) bookkeeping of every perspective on every challenge is not done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .. import ties
from .challenge import ThirdPartyCommit, contests, own_contests
from .core import (
    BigRAdjust,
    BigRRange,
    PCEModel,
    VictoryProbModel,
    VotingRule,
    big_r,
    coalitions,
    distances,
    estimated_r,
    pce,
    utility,
)

__all__ = ["Rules", "Trajectory", "contests", "interpolate", "position_probabilities", "run_smp"]

InterVecBrgn = Literal["S1P1", "S2P2", "S2PMax"]
BargnModel = Literal["InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"]

MIN_GAIN = 1e-5  # KTAB's minSigEDU
POS_TOL = 1e-3  # positions closer than this (on [0, 1]^m) are one position


@dataclass(frozen=True)
class Rules:
    """The SMP's switches, KTAB's names and defaults (see :class:`~.smp.SMP`)."""

    victory_prob_model: VictoryProbModel = "Linear"
    voting_rule: VotingRule = "Prop"
    pce_model: PCEModel = "Conditional"
    stochastic: bool = False
    big_r_range: BigRRange = "Mid"
    big_r_adjust: BigRAdjust = "OneThird"
    third_party_commit: ThirdPartyCommit = "SemiCommit"
    inter_vec_brgn: InterVecBrgn = "S2P2"
    bargn_model: BargnModel = "InitOnlyInterp"
    min_turns: int = 2
    max_turns: int = 100
    min_delta_ratio: float = 0.02
    min_sig_delta: float = 1e-4


@dataclass
class Trajectory:
    """States 0..T: positions (T+1, n, m), winning probabilities and risk attitudes (T+1, n);
    challenges per turn as (challenger, target) pairs; the final distinct positions; and
    every decision a tie decided (``ties``: turn, decision, actor), see :mod:`.ties`."""

    positions: list[np.ndarray] = field(default_factory=list)
    probabilities: list[np.ndarray] = field(default_factory=list)
    risk: list[np.ndarray] = field(default_factory=list)
    challenges: list[list[tuple[int, int]]] = field(default_factory=list)
    final_options: np.ndarray | None = None
    final_option_probabilities: np.ndarray | None = None
    ties: list[dict[str, int | str]] = field(default_factory=list)


def _round4(x: np.ndarray) -> np.ndarray:
    return np.floor(0.5 + x * 10000.0) / 10000.0


def interpolate(
    x_i: np.ndarray,
    s_i: np.ndarray,
    p_i: np.ndarray,
    x_j: np.ndarray,
    s_j: np.ndarray,
    how: InterVecBrgn,
) -> tuple[np.ndarray, np.ndarray]:
    """Bargained positions (for i, for j) per dimension; rows are bargains, p_i = P(i wins).

    ``SnPm``: w = s^n p^m, b = (w_i x_i + w_j x_j)/(w_i + w_j) with 10⁻⁶ added to the own
    weight (so b = own position when nobody cares), rounded to 4 decimals. ``S2PMax``: each
    side concedes toward the other in proportion to the other's probability advantage.
    """
    p_i = p_i[:, None]
    p_j = 1.0 - p_i
    if how == "S2PMax":
        di, dj = np.maximum(p_j - p_i, 0), np.maximum(p_i - p_j, 0)
        si2, sj2 = s_i * s_i, s_j * s_j
        dik = di * sj2 / (di * sj2 + 1e-6 + (1 - di) * si2)
        djk = dj * si2 / (dj * si2 + 1e-6 + (1 - dj) * sj2)
        return x_i + dik * (x_j - x_i), x_j + djk * (x_i - x_j)
    n = {"S1P1": 1, "S2P2": 2}[how]
    w_i, w_j = s_i**n * p_i**n, s_j**n * p_j**n
    total = w_i + 1e-6 + w_j
    return (
        _round4(((w_i + 1e-6) * x_i + w_j * x_j) / total),
        _round4((w_i * x_i + (1e-6 + w_j) * x_j) / total),
    )


def _representatives(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct positions (first of each cluster within POS_TOL) and each actor's cluster.

    An actor maps to the last representative within tolerance (KTAB's posProb).
    """
    near = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)) < POS_TOL
    reps: list[int] = []
    for a in range(len(x)):
        if not reps or not near[a, reps].any():
            reps.append(a)
    rep = np.array(reps)
    hits = near[:, rep]
    last = hits.shape[1] - 1 - np.argmax(hits[:, ::-1], axis=1)
    return rep, last


def position_probabilities(
    x: np.ndarray, u_own: np.ndarray, capability: np.ndarray, rules: Rules
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Probability that each distinct position prevails, every actor voting its own utility.

    Returns (per-actor probability of its position, representative indices, their
    probabilities). Votes are proportional (as KTAB reports them), weights are capabilities.
    """
    rep, member = _representatives(x)
    c = coalitions("Prop", capability, u_own[:, rep])
    p = pce(rules.pce_model, rules.victory_prob_model, c)
    return p[member], rep, p


def _assess(
    ideal: np.ndarray, x: np.ndarray, salience: np.ndarray, capability: np.ndarray, rules: Rules
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distances, risk attitudes and own utilities u_a(x_b) of one state."""
    d = distances(ideal, x, salience)
    neutral = coalitions(rules.voting_rule, capability, utility(d, 0.0))
    r = big_r(pce(rules.pce_model, rules.victory_prob_model, neutral), rules.big_r_range)
    own_r = estimated_r(r, r, rules.big_r_adjust)
    return d, r, utility(d, own_r[:, None])


def _targets(
    d: np.ndarray, r: np.ndarray, weight: np.ndarray, sal_total: np.ndarray, rules: Rules
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each actor's best target (or −1), its own estimate φ of winning, from h = i, whether
    it challenges, and whether a tie of gains (lowest index wins) chose the target."""
    n = d.shape[0]
    p, g = own_contests(d, r, weight, sal_total, rules.voting_rule, rules.big_r_adjust,
                        rules.third_party_commit)
    np.fill_diagonal(g, -np.inf)
    best, tied = ties.argmax_batched(g, axis=1)
    ok = ties.greater(g[np.arange(n), best], MIN_GAIN)
    return np.where(ok, best, -1), p[np.arange(n), best], ok, tied & ok


def _bargains(
    x: np.ndarray,
    d: np.ndarray,
    r: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    rules: Rules,
) -> tuple[list[list[int]], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bargains of this turn and each actor's queue (−1 = its status quo), in KTAB's order,
    and which actors' targets a tie chose."""
    n = len(x)
    sal_total = salience.sum(1)
    weight = capability * sal_total
    target, phi, ok, tied = _targets(d, r, weight, sal_total, rules)
    i = np.nonzero(ok)[0]
    j = target[i]
    bi, bj = interpolate(x[i], salience[i], phi[ok], x[j], salience[j], rules.inter_vec_brgn)
    init, rcvr, at_i, at_j = [i], [j], [bi], [bj]
    if rules.bargn_model != "InitOnlyInterp":
        # j's own estimate of P(i beats j); KTAB passes j's expected gain here instead.
        phi_j, _ = contests(j, i, j, d, r, weight, sal_total, rules.voting_rule,
                            rules.big_r_adjust, rules.third_party_commit)
        ci, cj = interpolate(x[i], salience[i], phi_j, x[j], salience[j], rules.inter_vec_brgn)
        if rules.bargn_model == "InitRcvrInterp":
            init, rcvr, at_i, at_j = [i, i], [j, j], [bi, ci], [bj, cj]
        else:  # PWCompInterp: capability × salience weighted compromise of both views
            wi, wj = weight[i][:, None], weight[j][:, None]
            at_i = [(wi * bi + wj * ci) / (wi + wj)]
            at_j = [(wi * bj + wj * cj) / (wi + wj)]
    per = len(init)
    queues: list[list[int]] = [[] for _ in range(n)]
    for a in range(n):
        queues[a].append(-1)
        if ok[a]:
            k = int(np.searchsorted(i, a))
            own = [v * len(i) + k for v in range(per)]
            queues[a].extend(own)
            queues[int(target[a])].extend(own)
    return (
        queues,
        np.concatenate(init),
        np.concatenate(rcvr),
        np.concatenate(at_i),
        np.concatenate(at_j),
        tied,
    )


def _resolve(
    x: np.ndarray,
    d: np.ndarray,
    r: np.ndarray,
    u_own: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    rules: Rules,
    uniform: Callable[[], float],
) -> tuple[np.ndarray, list[tuple[int, int]], list[tuple[str, int]]]:
    """One turn: every actor's new position, the challenges made, and the decisions a tie
    made (``("target" | "bargain", actor)``)."""
    queues, init, rcvr, at_i, at_j, tied = _bargains(x, d, r, salience, capability, rules)
    made_by_tie = [("target", int(a)) for a in np.flatnonzero(tied)]
    n = len(x)
    base = u_own.sum(1)
    if len(init):
        # u_a(state after bargain b): a values the bargained positions from its *position*
        # (KTAB's posUtil) and every other position from its ideal.
        own_i = utility(distances(x, at_i, salience), r[:, None])
        own_j = utility(distances(x, at_j, salience), r[:, None])
        u_b = (base[:, None] - u_own[:, init] - u_own[:, rcvr] + own_i + own_j) / n
    new = x.copy()
    for k, queue in enumerate(queues):
        draw = uniform() if rules.stochastic else 0.0  # one draw per actor, as KTAB
        if len(queue) == 1:
            continue
        u = np.column_stack([base / n if b < 0 else u_b[:, b] for b in queue])
        p = pce(
            rules.pce_model, rules.victory_prob_model, coalitions(rules.voting_rule, capability, u)
        )
        if rules.stochastic:
            pick = _select(p, draw)
        else:
            pick, tie = ties.argmax(p)
            if tie:
                made_by_tie.append(("bargain", k))
        b = queue[pick]
        if b >= 0:
            new[k] = at_i[b] if init[b] == k else at_j[b]
    challenges = [(int(a), int(t)) for a, t in zip(init[: len(init)], rcvr, strict=True)]
    return new, challenges, made_by_tie


def _select(p: np.ndarray, u: float) -> int:
    """The first option whose cumulative probability reaches ``u`` (KTAB's probSel)."""
    hit = np.nonzero(u <= np.cumsum(p))[0]
    return int(hit[0]) if len(hit) else len(p) - 1


def _moved(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sqrt(((a - b) ** 2).sum(1)).sum())


def run_smp(
    position: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    rules: Rules,
    uniform: Callable[[], float],
    accommodation: np.ndarray | None = None,
) -> Trajectory:
    """Run the SMP from ``position`` (n × m on [0, 1]) until the stopping rule holds.

    ``salience`` n × m with row sums ≤ 1, ``capability`` n. ``accommodation`` (n × n, rows
    summing to ≤ 1) moves ideals toward positions after each turn,
    ι_i ← Σ_j A_ij x_j + (1 − Σ_j A_ij) ι_i; None = identity (ideals track positions).
    ``uniform()`` returns one draw on [0, 1] per actor and turn (used only when stochastic),
    e.g. ``rng.random`` or a :class:`~.prng.KtabPRNG`.
    """
    x = np.asarray(position, float).copy()
    ideal = x.copy()
    out = Trajectory()
    d, r, u_own = _assess(ideal, x, salience, capability, rules)
    out.positions.append(x)
    out.risk.append(r)
    out.probabilities.append(position_probabilities(x, u_own, capability, rules)[0])
    turn = 0
    while True:
        turn += 1
        x, made, by_tie = _resolve(x, d, r, u_own, salience, capability, rules, uniform)
        out.ties.extend({"turn": turn, "decision": what, "actor": a} for what, a in by_tie)
        if accommodation is None:
            ideal = x.copy()
        else:
            lag = 1.0 - np.minimum(accommodation.sum(1), 1.0)
            ideal = accommodation @ x + lag[:, None] * ideal
        d, r, u_own = _assess(ideal, x, salience, capability, rules)
        probs, rep, p_rep = position_probabilities(x, u_own, capability, rules)
        out.positions.append(x)
        out.risk.append(r)
        out.probabilities.append(probs)
        out.challenges.append(made)
        if _stop(out.positions, turn, rules):
            out.final_options, out.final_option_probabilities = x[rep], p_rep
            return out


def _stop(history: list[np.ndarray], turn: int, rules: Rules) -> bool:
    if turn >= rules.max_turns:
        return True
    if turn < rules.min_turns:
        return False
    first = _moved(history[1], history[0]) + rules.min_sig_delta
    return _moved(history[turn], history[turn - 1]) / first < rules.min_delta_ratio
