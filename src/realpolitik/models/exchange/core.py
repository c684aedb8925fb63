r"""The numpy core of Stokman's equal-gain exchange model: one round of vote trading.

Positions are on 0–100 (the wrapper in :mod:`realpolitik.models.exchange` normalises and
de-normalises). Arrays are actors × issues; ``weight`` is :math:`w_{it} = c_{it} s_{it}`
(0 where an actor is absent) and :math:`D_t = \sum_i w_{it}`.

One round (Stokman & Van Oosten 1994 [1]_; decide's equal-gain model [2]_):

1. The outcome of issue *t* is :math:`O_t = \sum_i w_{it} x_{it} / D_t`.
2. For every issue pair (p, q), actors right of the outcome on both issues can trade with
   actors left of it on both, and left-on-p/right-on-q actors with right-on-p/left-on-q ones.
   Of each pair, actor *I* supplies (concedes) on q, the issue it cares relatively less about,
   and *J* on p.
3. Equal gain: if *J* moves all the way to *I*'s position on p, the outcome shifts by
   :math:`\delta_p = |x_{Ip} - x_{Jp}| w_{Jp} / D_p` and *I* must shift it on q by
   :math:`\delta_q = \delta_p (s_{Ip} + s_{Jp}) / (s_{Iq} + s_{Jq})`, a move of
   :math:`\delta_q D_q / w_{Iq}`; if that overshoots *J*'s position the roles swap (*I* moves
   fully). Both then gain :math:`\delta_p s_{Ip} - \delta_q s_{Iq} = \delta_q s_{Jq} -
   \delta_p s_{Jp}`.
4. If a move would push the outcome past the demanding partner's position, it is truncated
   there and the partner's move is scaled by the same equal-gain ratio.
5. The exchange with the highest gain is executed; only the candidates it touches (same actor
   and supply issue, or same actor and demand issue) are recomputed; invalid ones are
   dropped; repeat until none is left. The candidates' order, the choice of the next one and
   its ties live in :mod:`realpolitik.models.exchange.queue`; the round's state
   (:class:`~realpolitik.models.exchange.state.Round`) and the move rules in
   :mod:`realpolitik.models.exchange.state`.

Decide's bookkeeping is kept because the oracles depend on it (see ``docs/models/exchange.md``):
each candidate sees an outcome in which only its own actors' executed trades are visible
(``view``), an actor's moves on an issue must keep one direction and sum to at most 100, and a
repeated update of that view keeps the value nearer the actor's start position.

References
----------
.. [1] Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions: an
   object-oriented model of policy networks. In Bueno de Mesquita & Stokman (eds.),
   *European Community Decision Making*, 105–127. Yale UP.
.. [2] Draaijer, J. (2022). decide-exchange-model 2022.1.28 (equal-gain model), PyPI.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from .decimal_ties import DecideNumbers, DecideQueue
from .queue import TIE_TOL as TIE_TOL
from .queue import TieBreak as TieBreak
from .queue import (
    _Blocks,
    _gains,
    _index,
    _lookup,
    _pick,
    _requeue,
    _retire,
    _rows,
    _select,
    _unique,
    candidates,
)
from .queue import _near_scan as _near_scan
from .state import BOUND_TOL as BOUND_TOL
from .state import CROSS_TOL as CROSS_TOL
from .state import EPS as EPS
from .state import Round as Round
from .state import _seen_outcome, _valid_move
from .state import outcome as outcome

__all__ = ["outcome", "candidates", "Round", "run_round", "drift"]

def evaluate(r: Round, idx: np.ndarray) -> dict[str, np.ndarray]:
    """Moves, gains and validity of candidates ``idx`` in the current state (vectorised).

    Values are gathered by flat (actor, issue) keys; the truncation and the re-check of the
    moves run only when some candidate's move crosses the demander's position.
    """
    c, D, n, k = r.c, r.D, r.x0.shape[0], r.x0.shape[1]
    a, b, p, q = c["I"][idx], c["J"][idx], c["p"][idx], c["q"][idx]
    ap, aq, bp, bq = a * k + p, a * k + q, b * k + p, b * k + q
    x0, s, W, y = r.x0.ravel(), r.salience.ravel(), r.weight.ravel(), r.y.ravel()
    zI, zJ = y[aq], y[bp]
    dI, dJ = x0[ap], x0[bq]  # what each demands: the partner's start position
    sIp, sIq, sJp, sJq = s[ap], s[aq], s[bp], s[bq]
    wIq, wJp = W[aq], W[bp]
    Dp, Dq = D[p], D[q]
    distI, distJ = np.abs(dJ - zI), np.abs(dI - zJ)
    with np.errstate(divide="ignore", invalid="ignore"):
        if r.p_random > 0:  # split the gains (1 + e) : (1 - e) instead of equally
            e = r.rng.uniform(-r.p_random, r.p_random, idx.size)
            det = sIp * sJq - sIq * sJp
            rp0 = ((1 + e) * sJq + (1 - e) * sIq) / det
            rq0 = ((1 - e) * sIp + (1 + e) * sJp) / det
            scale = np.minimum(distJ * wJp / (rp0 * Dp), distI * wIq / (rq0 * Dq))
            rp, rq = rp0 * scale, rq0 * scale
            mJ, mI = rp * Dp / wJp, rq * Dq / wIq
        else:
            rp = distJ * wJp / Dp
            rq = rp * (sJp + sIp) / (sJq + sIq)
            mI, mJ = rq * Dq / wIq, distJ
            over = mI > distI
            rq = np.where(over, distI * wIq / Dq, rq)
            rp = np.where(over, rq * (sIq + sJq) / (sIp + sJp), rp)
            mI = np.where(over, distI, mI)
            mJ = np.where(over, rp * Dp / wJp, mJ)
        sgnI = np.where(zI > dJ, -1.0, 1.0)
        sgnJ = np.where(zJ > dI, -1.0, 1.0)
        mI, mJ = mI * sgnI, mJ * sgnJ
        gI = rp * sIp - rq * sIq
        gJ = rq * sJq - rp * sJp
        hI, hJ, gI_, gJ_ = c["hist_I"][idx], c["hist_J"][idx], c["sign_I"][idx], c["sign_J"][idx]
        valid = (
            _valid_move(mI, zI, hI, gI_)
            & _valid_move(mJ, zJ, hJ, gJ_)
            & (np.minimum(gI, gJ) >= EPS)
        )
        # truncate where the outcome (as the candidate sees it) would pass the demander:
        # seen outcome n0 = O0_t + (offset - own shift + w (z - x0)) / D_t, n1 after the move
        offset, shift, seen = r.offset.ravel(), r.shift.ravel(), r.seen.ravel()
        truncated = False
        for sup, st, dt, t, z, x, w, Dt, Du, w_du, s_st, s_dt, s_su, s_du, sup_is_I in (
            (a, aq, bq, q, zI, dJ, wIq, Dq, Dp, wJp, sIq, sJq, sIp, sJp, True),
            (b, bp, ap, p, zJ, dI, wJp, Dp, Dq, wIq, sJp, sIp, sJq, sIq, False),
        ):
            m_sup = mI if sup_is_I else mJ
            off, x0s, own_at = offset[dt], x0[st], dt * n + sup
            n0 = r.O0[t] + (off - shift[own_at] + w * (z - x0s)) / Dt
            n1 = n0 + w * m_sup / Dt
            tol = CROSS_TOL  # within it of x is at x
            side = ((x >= n0 - tol) & (x >= n1 - tol)) | ((x <= n0 + tol) & (x <= n1 + tol))
            cross = valid & ~side
            if not cross.any():
                continue
            truncated = True
            # the move that stops the seen outcome at x; as decide computes it, the
            # supplier's own seen position (when there is one) overrides z
            own = seen[own_at]
            total = r.O0[t] * Dt + off + np.where(np.isnan(own), w * (z - x0s), 0.0)
            delta = np.abs(x * Dt - total) / w
            r_t = delta * w / Dt
            ratio = (
                (s_st + s_dt) / (s_su + s_du)
                if r.p_random == 0
                else (rp / rq if sup_is_I else rq / rp)
            )
            r_u = r_t * ratio
            m_dem = r_u * Du / w_du * (sgnJ if sup_is_I else sgnI)
            m_sup_new = delta * (sgnI if sup_is_I else sgnJ)
            if sup_is_I:
                rq, rp = np.where(cross, r_t, rq), np.where(cross, r_u, rp)
                mI, mJ = np.where(cross, m_sup_new, mI), np.where(cross, m_dem, mJ)
            else:
                rp, rq = np.where(cross, r_t, rp), np.where(cross, r_u, rq)
                mJ, mI = np.where(cross, m_sup_new, mJ), np.where(cross, m_dem, mI)
        if truncated:  # untouched candidates keep their gains and validity bit for bit
            gI = rp * sIp - rq * sIq
            gJ = rq * sJq - rp * sJp
            valid &= _valid_move(mI, zI, hI, gI_) & _valid_move(mJ, zJ, hJ, gJ_)
    return {"mI": mI, "mJ": mJ, "gI": gI, "gJ": gJ, "valid": valid}


def _remember(r: Round, dem: int, t: int, sup: int, y_new: float) -> None:
    """Let candidates where ``dem`` demands t see ``sup`` at its new voting position on t.

    A second sighting keeps whichever of the old and new value is nearer the supplier's start
    side, as decide's ``update_updates`` does (see the docs).
    """
    old = r.seen[dem, t, sup]
    start = r.x0[sup, t]
    keep_low = start <= old  # NaN: first sighting, take the new position
    new = y_new if np.isnan(old) else (min(old, y_new) if keep_low else max(old, y_new))
    prev = start if np.isnan(old) else old
    r.seen[dem, t, sup] = new
    r.shift[dem, t, sup] = r.weight[sup, t] * (new - start)
    r.offset[dem, t] += r.weight[sup, t] * (new - prev)


def _freeze(c: dict[str, np.ndarray], idx: np.ndarray, a: int, b: int, P: int, Q: int) -> None:
    """Keep the current move of each side of ``idx`` whose supply position just changed."""
    for h, sg, mm, who, t in (
        ("hist_I", "sign_I", "mI", "I", "q"),
        ("hist_J", "sign_J", "mJ", "J", "p"),
    ):
        hit = ((c[who][idx] == a) & (c[t][idx] == Q)) | ((c[who][idx] == b) & (c[t][idx] == P))
        f = idx[hit]
        c[h][f] += c[mm][f]
        c[sg][f] = np.sign(c[mm][f])


def _freeze_sides(c: dict[str, np.ndarray], idx: np.ndarray, side_i: np.ndarray) -> None:
    """:func:`_freeze` for candidates found through the supply index, whose entry tells the
    side that supplies (``side_i``: *I*); no candidate is listed twice on one side."""
    for h, sg, mm, f in (
        ("hist_I", "sign_I", "mI", idx[side_i]),
        ("hist_J", "sign_J", "mJ", idx[~side_i]),
    ):
        c[h][f] += c[mm][f]
        c[sg][f] = np.sign(c[mm][f])


def _recompute(r: Round, gain: np.ndarray, idx: np.ndarray, queue: _Blocks | None) -> np.ndarray:
    c = r.c
    ev = evaluate(r, idx)
    for name in ("mI", "mJ", "gI", "gJ"):
        c[name][idx] = ev[name]
    gain[idx] = np.where(ev["valid"], (ev["gI"] + ev["gJ"]) / 2, -np.inf)
    if queue is not None:
        queue.changed(idx)
    return ev["valid"]


def run_round(
    x0: np.ndarray,
    salience: np.ndarray,
    weight: np.ndarray,
    *,
    p_random: float = 0.0,
    tie_break: str = "random",
    rng: np.random.Generator | None = None,
    draw: Any = None,
    chunk: int = 1 << 15,
    select: Literal["blocks", "scan"] = "blocks",
    block: int | None = None,
    exact: DecideNumbers | None = None,
) -> tuple[np.ndarray, list[dict[str, Any]], dict[str, int]]:
    """Play one round from start positions ``x0`` (0–100, NaN where absent).

    ``tie_break``: ``random`` (50/50 from ``rng``), ``first`` or ``decide`` (50/50 from
    ``draw()``, e.g. ``random.Random(1).random``, with decide's queue duplication).
    ``select``: how the best gains are found — ``blocks`` (block maxima, :class:`_Blocks`) or
    ``scan`` (a full scan per execution; the slow reference the tests compare against);
    ``block`` is the block size (default: a power of two near √N, at least 1024).
    ``exact`` (decide mode): the round's inputs in decide's ``Decimal`` form, used to order
    candidates whose float gains tie (:mod:`~realpolitik.models.exchange.decimal_ties`).
    Returns the voting positions after the round, the executed exchanges in order (actor and
    issue indices, start, move and voting position per side, gains, and the outcome each side
    saw before and after) and counts (``candidates``, ``valid``, ``ties``).
    """
    r = Round(np.nan_to_num(x0), salience, weight, p_random, rng or np.random.default_rng())
    n, k = x0.shape
    cI, cJ, cp, cq = candidates(r.x0, salience, weight, r.O0)
    total = cI.size
    keep, acc = [], []
    for lo in range(0, total, chunk):
        sl = slice(lo, lo + chunk)
        m = min(lo + chunk, total) - lo
        zero = np.zeros(m)
        r.c = {
            "I": cI[sl],
            "J": cJ[sl],
            "p": cp[sl],
            "q": cq[sl],
            "hist_I": zero,
            "hist_J": zero,
            "sign_I": zero,
            "sign_J": zero,
        }
        ev = evaluate(r, np.arange(m))
        keep.append(lo + np.flatnonzero(ev["valid"]))
        acc.append({name: ev[name][ev["valid"]] for name in ("mI", "mJ", "gI", "gJ")})
    sel = np.concatenate(keep) if keep else np.zeros(0, np.int64)
    N = sel.size
    c = r.c = _rows((cI, cJ, cp, cq), sel, acc)
    del cI, cJ, cp, cq, keep, acc, sel  # the candidate rows hold it all now
    queue, gain = _gains((c["gI"] + c["gJ"]) / 2, select, block)
    supply = _index(np.concatenate([c["I"] * k + c["q"], c["J"] * k + c["p"]]), n * k)
    demand = _index(np.concatenate([c["I"] * k + c["p"], c["J"] * k + c["q"]]), n * k)
    draw = draw if tie_break == "decide" else r.rng.random
    done: list[dict[str, Any]] = []
    ends, ties = [-1, total], 0
    dq = DecideQueue(exact, c, gain, r.y, r.x0) if exact is not None and tie_break == "decide" \
        else None
    while True:
        near = _select(gain, queue)
        if not near.size:
            break
        picked = dq.pick(near, c["order"], c["count"], draw, ends) if dq is not None else None
        if picked is None:
            picked = _pick(near, c["order"], c["count"], tie_break, draw, ends)
        e, tied = picked
        ties += tied
        a, b, P, Q = int(c["I"][e]), int(c["J"][e]), int(c["p"][e]), int(c["q"][e])
        raw = np.concatenate([_lookup(supply, a * k + Q), _lookup(supply, b * k + P)])
        dem = np.concatenate([_lookup(demand, b * k + Q), _lookup(demand, a * k + P)]) % N
        if dq is not None and exact is not None:  # decide's numbers before this exchange
            dq.before(_unique(np.concatenate([raw % N, dem])))
            exact.executed(r.y, r.x0, a, b, P, Q)
        done.append(_execute(r, e))
        if exact is not None:
            exact.settle(r.y)
        _retire(e, gain, c["order"], c["count"], ends, queue)  # a queued copy stays (decide)
        if dq is not None:
            dq.cache.pop(e, None)
            dq.approx.discard(e)
        sup = raw % N
        live = gain[sup] > -np.inf
        sup = sup[live]
        _freeze_sides(c, sup, raw[live] < N)
        _remember(r, b, Q, a, r.y[a, Q])
        _remember(r, a, P, b, r.y[b, P])
        if dq is not None and exact is not None:
            exact.remember(b, Q, a, r.y, r.x0)
            exact.remember(a, P, b, r.y, r.x0)
        touched = _unique(np.concatenate([sup, dem]))
        touched = touched[gain[touched] > -np.inf]
        if not touched.size:
            continue
        old = gain[touched].copy()
        valid = _recompute(r, gain, touched, queue)
        c["count"][touched[~valid]] = 0
        in_sup = np.zeros(touched.size, bool)  # sup ⊆ touched, both sorted by index
        in_sup[np.searchsorted(touched, sup)] = True
        again = touched[in_sup & valid & (c["count"][touched] > 1)]
        for copy in range(1, int(c["count"][again].max()) if again.size else 1):
            again = again[c["count"][again] > copy]  # decide recalculates every queued copy
            _freeze(c, again, a, b, P, Q)
            again = again[_recompute(r, gain, again, queue)]
        if tie_break != "first":
            moves = dq.changed(touched, old, gain[touched], TIE_TOL) if dq else None
            _requeue(c["order"], touched, old, gain[touched], ends, moves)
    return r.y, done, {"candidates": int(total), "valid": int(N), "ties": ties}


def _execute(r: Round, e: int) -> dict[str, Any]:
    """Apply exchange ``e`` to the voting positions and describe it."""
    c = r.c
    sides: list[dict[str, Any]] = []
    for actor, partner, t, m, g in (
        (c["I"][e], c["J"][e], c["q"][e], c["mI"][e], c["gI"][e]),
        (c["J"][e], c["I"][e], c["p"][e], c["mJ"][e], c["gJ"][e]),
    ):
        z = r.y[actor, t]
        seen0 = _seen_outcome(r, actor, partner, t, z)
        seen1 = _seen_outcome(r, actor, partner, t, z + m)
        sides.append(
            {
                "actor": int(actor),
                "supply": int(t),
                "start": float(z),
                "move": float(m),
                "voting": float(min(100.0, max(0.0, z + m))),
                "gain": float(g),
                "demand": float(r.x0[partner, t]),
                "outcome_before": seen0,
                "outcome_after": seen1,
            }
        )
    for s in sides:
        r.y[int(s["actor"]), int(s["supply"])] = s["voting"]
    return {"i": sides[0], "j": sides[1]}


def drift(
    x0: np.ndarray,
    voting: np.ndarray,
    salience: np.ndarray,
    moved: np.ndarray,
    fixed: float = 0.1,
    by_salience: float = 0.4,
) -> np.ndarray:
    r"""Preferences after a round: :math:`x' = x + (f + b (1 - s)) (y - x)` where the actor
    traded (decide's ``new_start_position``, f = 0.1, b = 0.4); unchanged elsewhere."""
    shift = (fixed + by_salience * (1 - salience)) * (voting - x0)
    return np.where(moved, x0 + shift, x0)
