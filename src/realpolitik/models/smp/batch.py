r"""Many Monte Carlo draws of one scenario through the SMP at once, draw for draw exact.

The draw-by-draw SMP (:func:`.dynamics.run_smp`) spends most of a small run in Python: a
turn of 6 actors is a few hundred numpy calls on arrays of a few dozen numbers. Here the draws
of a Monte Carlo chunk advance together, the draws on a leading axis of every array, so one
numpy call does a turn's step for every draw:

* **assess** and **challenge** are :mod:`.batch_core`'s batched building blocks;
* every actor's **target** is the first best gain above 10⁻⁵, per draw;
* the **bargains** sit in one slot per initiator (masked where an actor does not challenge),
  so actor k's queue is the slots a with a = k or target(a) = k in initiator order, k's status
  quo just before its own — the draw-by-draw (KTAB's) queue;
* **resolve**: the queues of all (draw, actor) pairs with the same length are elected in one
  call (a PCE over queues of one length sums exactly the terms the draw-by-draw PCE sums);
* **stop**: each draw stops by its own rule and leaves the batch (its arrays are compacted
  away), so a long draw costs only itself.

Every draw's trajectory is the draw-by-draw trajectory bit for bit — same targets, bargains,
elections, turns and final positions — because each step is the same floating-point
expression on the same numbers (see :mod:`.batch_core`); ``tests/models/smp/test_smp_batch.py``
compares every draw of a Monte Carlo run with the draw-by-draw model.

Supported: deterministic transitions, the ``Conditional`` PCE and ``InitOnlyInterp``
bargains (KTAB's defaults), with or without ideal adjustment. :func:`supports` says whether
a parameter set is batched; anything else runs draw by draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...scenario import Scenario
from .. import ties
from .batch_core import big_r, coalitions, distances, own_contests, pce_conditional
from .core import estimated_r, utility
from .dynamics import MIN_GAIN, POS_TOL, Rules, interpolate
from .model import SMP, _groups

__all__ = ["BatchRun", "supports", "kernel_ready", "run_batch", "outcomes"]


@dataclass(frozen=True)
class BatchRun:
    """Per draw: turns run (B,), final positions (B, n, m) and the coordinates of the most
    probable final position (B, m), on [0, 1]."""

    turns: np.ndarray
    positions: np.ndarray
    outcome: np.ndarray


def supports(model: SMP, scenario: Scenario) -> bool:
    """Whether :func:`outcomes` runs this parameter set batched (else: draw by draw)."""
    p = model.params
    if getattr(p, "file_parameters", False):
        rules, _ = model._rules(scenario)
    else:
        rules = None
    pce = rules.pce_model if rules else p.pce_model  # type: ignore[attr-defined]
    bargn = rules.bargn_model if rules else p.bargn_model  # type: ignore[attr-defined]
    return (
        p.state_transitions == "Deterministic"  # type: ignore[attr-defined]
        and pce == "Conditional"
        and bargn == "InitOnlyInterp"
    )


def _take(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``a[z, idx[z, i]]`` for every draw z: rows of (B, n, ...) picked per draw."""
    z = np.arange(a.shape[0])[:, None]
    return a[z, idx]


def _assess(ideal, x, salience, capability, rules: Rules):
    d = distances(ideal, x, salience)
    neutral = coalitions(rules.voting_rule, capability, utility(d, 0.0))
    r = big_r(pce_conditional(rules.victory_prob_model, neutral), rules.big_r_range)
    own_r = estimated_r(r, r, rules.big_r_adjust)
    return d, r, utility(d, own_r[..., None])


def _targets(d, r, weight, sal_total, rules: Rules):
    """Each actor's target (its first best gain; ``ok`` where it beats 10⁻⁵) and φ there."""
    p, g = own_contests(d, r, weight, sal_total, rules.voting_rule, rules.big_r_adjust,
                        rules.third_party_commit)
    n = g.shape[-1]
    g[:, np.arange(n), np.arange(n)] = -np.inf
    best, _ = ties.argmax_batched(g, axis=-1)  # the first of gains within the tolerance
    ok = ties.greater(np.take_along_axis(g, best[..., None], -1)[..., 0], MIN_GAIN)
    return best, ok, np.take_along_axis(p, best[..., None], -1)[..., 0]


def _elect(u: np.ndarray, capability: np.ndarray, rules: Rules) -> np.ndarray:
    """The first most probable option of each voting (P, n voters, q options)."""
    c = coalitions(rules.voting_rule, capability, u)
    return ties.argmax_batched(pce_conditional(rules.victory_prob_model, c), axis=-1)[0]


def _bargain_distances(x, at, salience, ok) -> np.ndarray:
    """Distances (B, n, slot) from every actor to every bargain. In one dimension a distance
    is one product; in several, einsum's order of summation may depend on how many bargains
    there are, so the draws are grouped by their number of bargains, as the draw-by-draw
    model computes them (the slots without a bargain are never read)."""
    if x.shape[-1] == 1:
        return distances(x, at, salience)
    out = np.zeros(ok.shape + ok.shape[-1:])
    count = ok.sum(-1)
    order = np.argsort(~ok, axis=-1, kind="stable")
    for nb in np.unique(count[count > 0]):
        zz = np.flatnonzero(count == nb)
        slots = order[zz, :nb]
        at_z = at[zz[:, None], slots]
        out[zz[:, None, None], np.arange(ok.shape[-1])[None, :, None], slots[:, None, :]] = \
            distances(x[zz], at_z, salience[zz])
    return out


def _turn(x, d, r, u_own, salience, capability, rules: Rules) -> np.ndarray:
    """One turn of every draw: the new positions (:func:`.dynamics._resolve`)."""
    bsz, n, m = x.shape
    sal_total = salience.sum(-1)
    weight = capability * sal_total
    best, ok, phi = _targets(d, r, weight, sal_total, rules)
    j = np.where(ok, best, 0)
    x_j, s_j = _take(x, j), _take(salience, j)
    at_i, at_j = interpolate(x.reshape(-1, m), salience.reshape(-1, m), phi.reshape(-1),
                             x_j.reshape(-1, m), s_j.reshape(-1, m), rules.inter_vec_brgn)
    at_i, at_j = at_i.reshape(bsz, n, m), at_j.reshape(bsz, n, m)
    base = u_own.sum(-1)
    own_i = utility(_bargain_distances(x, at_i, salience, ok), r[..., None])
    own_j = utility(_bargain_distances(x, at_j, salience, ok), r[..., None])
    u_rcvr = np.take_along_axis(u_own, np.broadcast_to(j[:, None, :], u_own.shape), -1)
    u_b = (base[..., None] - u_own - u_rcvr + own_i + own_j) / n  # [z, voter, slot]
    slot = np.arange(n)
    # member[z, k, a]: bargain a is in k's queue (a challenged, and a = k or k is its target);
    # KTAB's queue of k lists them by initiator a, k's status quo just before k's own bargain
    member = ok[:, None, :] & ((slot[None, :, None] == slot[None, None, :])
                               | (best[:, None, :] == slot[None, :, None]))
    size = member.sum(-1)
    key = np.where(member, 2 * slot[None, None, :] + (slot[None, :, None] == slot), 4 * n)
    key = np.concatenate([key, np.broadcast_to(2 * slot[None, :, None], (bsz, n, 1))], -1)
    order = np.argsort(key, axis=-1, kind="stable")  # the queue, then non-members
    u_all = np.concatenate([u_b, (base / n)[:, :, None]], -1)  # option n: the status quo
    new = x.copy()
    for q in np.unique(size[size > 0]) + 1:
        zz, kk = np.nonzero(size == q - 1)
        opts = order[zz, kk, :q]  # (P, q): k's queue in KTAB's order
        u = np.ascontiguousarray(u_all[zz[:, None], :, opts].transpose(0, 2, 1))
        pick = opts[np.arange(zz.size), _elect(u, capability[zz], rules)]
        won = pick < n
        zz, kk, a = zz[won], kk[won], pick[won]
        new[zz, kk] = np.where((a == kk)[:, None], at_i[zz, a], at_j[zz, a])
    return new


def _moved(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sqrt(((a - b) ** 2).sum(-1)).sum(-1)


def _final(x, u_own, capability, rules: Rules) -> np.ndarray:
    """The coordinates of each draw's most probable distinct final position (B, m)."""
    bsz, n, m = x.shape
    near = np.sqrt(((x[:, :, None, :] - x[:, None, :, :]) ** 2).sum(-1)) < POS_TOL
    rep = np.zeros((bsz, n), bool)
    for a in range(n):
        rep[:, a] = ~(near[:, a, :] & rep).any(-1)
    size = rep.sum(-1)
    order = np.argsort(~rep, axis=-1, kind="stable")
    out = np.empty((bsz, m))
    for q in np.unique(size):
        zz = np.flatnonzero(size == q)
        reps = order[zz, :q]
        u = np.ascontiguousarray(u_own[zz[:, None], :, reps].transpose(0, 2, 1))
        c = coalitions("Prop", capability[zz], u)
        best, _ = ties.argmax_batched(pce_conditional(rules.victory_prob_model, c), axis=-1)
        out[zz] = x[zz, reps[np.arange(zz.size), best]]
    return out


#: Batches smaller than this stay in numpy (quick enough), without even importing numba.
KERNEL_MIN_DRAWS = 200


def kernel_ready() -> bool:
    """Whether the compiled kernel (:mod:`.kernel`) runs without compiling first."""
    try:
        from .kernel import is_warm
    except ImportError:  # numba absent
        return False
    return is_warm()


def run_batch(position: np.ndarray, salience: np.ndarray, capability: np.ndarray, rules: Rules,
              accommodation: np.ndarray | None = None, backend: str = "auto") -> BatchRun:
    """:func:`.dynamics.run_smp` for a batch of draws: ``position``, ``salience``
    (B, n, m on [0, 1]), ``capability`` (B, n); deterministic rules only.

    ``backend``: ``numpy`` (this module's vectorised turns), ``numba`` (the compiled kernel,
    :mod:`.kernel`) or ``auto`` (for a batch of :data:`KERNEL_MIN_DRAWS` or more, the kernel
    when it is compiled already — in this process or numba's on-disk cache; ``python -m
    realpolitik.models.smp.kernel`` warms it — else numpy, so no run waits for a compile and
    a small one does not import numba). Both give every draw the draw-by-draw result. The kernel
    takes the bargains KTAB rounds to 4 decimals (``S1P1``, ``S2P2``): its last-bit
    differences from numpy's log/exp/BLAS then never reach a position; ``S2PMax`` bargains
    are not rounded, so they always run here in numpy, bit for bit."""
    if rules.stochastic:
        raise ValueError("the batched SMP runs deterministic transitions only")
    rounded = rules.inter_vec_brgn != "S2PMax"
    large = len(position) >= KERNEL_MIN_DRAWS
    if rounded and (backend == "numba" or (backend == "auto" and large and kernel_ready())):
        from .kernel import solve

        return BatchRun(*solve(position, salience, capability, rules, accommodation))
    if backend not in ("auto", "numpy", "numba"):
        raise ValueError(f"backend must be 'auto', 'numpy' or 'numba', not {backend!r}")
    x = np.array(position, float, order="C")  # every operand C-ordered (see .batch_core)
    salience = np.ascontiguousarray(salience, float)
    capability = np.ascontiguousarray(capability, float)
    bsz, n, m = x.shape
    turns, final_x, final_o = np.zeros(bsz, int), np.empty_like(x), np.empty((bsz, m))
    live = np.arange(bsz)
    sal, cap, ideal = salience, capability, x.copy()
    d, r, u_own = _assess(ideal, x, sal, cap, rules)
    start, first = x, np.zeros(bsz)
    turn = 0
    while live.size:
        turn += 1
        prev = x
        x = _turn(x, d, r, u_own, sal, cap, rules)
        if accommodation is None:
            ideal = x.copy()
        else:
            lag = 1.0 - np.minimum(accommodation.sum(1), 1.0)
            ideal = np.matmul(accommodation, x) + lag[:, None] * ideal
        d, r, u_own = _assess(ideal, x, sal, cap, rules)
        if turn == 1:
            first = _moved(x, start) + rules.min_sig_delta
        if turn >= rules.max_turns:
            stop = np.ones(live.size, bool)
        elif turn < rules.min_turns:
            stop = np.zeros(live.size, bool)
        else:
            stop = _moved(x, prev) / first < rules.min_delta_ratio
        if stop.any():
            done = live[stop]
            turns[done] = turn
            final_x[done] = x[stop]
            final_o[done] = _final(x[stop], u_own[stop], cap[stop], rules)
            keep = ~stop
            live = live[keep]
            x, ideal, sal, cap, first = x[keep], ideal[keep], sal[keep], cap[keep], first[keep]
            d, r, u_own = d[keep], r[keep], u_own[keep]
    return BatchRun(turns, final_x, final_o)


def outcomes(model: SMP, scenario: Scenario, capability: np.ndarray, position: np.ndarray,
             salience: np.ndarray, backend: str = "auto") -> np.ndarray:
    """Every issue's forecast (B, k) for draws of the scenario's arrays (B, n, k) — capability,
    position (the issues' units) and salience (on [0, 1]) as :meth:`Scenario.arrays` gives
    them — each equal to ``model.run(that draw's scenario)``'s outcome."""
    a = scenario.arrays()
    rules, _ = model._rules(scenario)
    out = np.full(position.shape[:1] + position.shape[2:], np.nan)
    for g in _groups(scenario, a, model.params.actor_order == "id"):  # type: ignore[attr-defined]
        rows, cols = g.actors, np.asarray(g.issues)
        if not rows.size:
            continue
        span = a.high[cols] - a.low[cols]
        x = (position[:, rows][:, :, cols] - a.low[cols]) / span
        present = a.present[np.ix_(rows, cols)]
        x = np.where(present, x, 0.5)
        sal = np.where(present, salience[:, rows][:, :, cols], 0.0)
        divisor = np.where(sal.sum(-1).max(-1) > 1 + 1e-9, float(len(cols)), 1.0)
        cap = np.nanmean(np.where(present, capability[:, rows][:, :, cols], np.nan), axis=-1)
        acc = model._accommodation(scenario, [a.actor_ids[i] for i in rows])
        res = run_batch(x, sal / divisor[:, None, None], cap, rules, acc, backend)
        out[:, cols] = a.low[cols] + res.outcome * (a.high[cols] - a.low[cols])
    return out
