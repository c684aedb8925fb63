r"""The candidate queue of the equal-gain exchange model: which exchange is executed next.

The round logic (:mod:`realpolitik.models.exchange.core`) computes moves and gains; this
module keeps the candidates those are computed for, in the order decide queues them [1]_:

* :func:`candidates` lists every possible exchange ``(I, J, p, q)`` in decide's order, which
  is the queue's initial order and so decides every tie;
* :func:`_rows` packs the candidates that are valid at the start into one integer row and one
  float row each, with a queue key (``order``) and a count of queued copies (``count``);
* :func:`_index` / :func:`_lookup` map an (actor, issue) key to the candidates in which that
  actor supplies or demands that issue, so an execution recomputes only what it touches;
* :class:`_Blocks` finds the candidates whose gain is within the tie tolerance of the best
  one without scanning all of them; :func:`_near_scan` is the full scan it replaces, kept as
  the reference (``run_round(..., select="scan")``);
* :func:`_pick` chooses among those best gains (earliest queue key, decide's 50/50 tie rule
  and its duplicated runner-up), :func:`_retire` takes the executed exchange off the queue
  and :func:`_requeue` emulates decide's stable re-sort after gains change.

Why the block index picks exactly what a full scan picks: the gains are split into blocks,
each with an upper bound of its maximum that is exact while the block is *fresh*. Writing a
gain only raises its block's bound (``np.maximum``) and marks the block stale, so a bound
never falls below its block's true maximum. The best fresh bound is a true gain, so the tie
band of the best gain starts at or above that bound's band; refreshing every stale block
whose bound reaches it, and repeating until no stale block reaches the band of the best
bound, leaves the band's blocks exact. Every candidate within the tie tolerance of the best
gain lies in such a block and no other block can hold one, so the returned set equals the
full scan's, and the queue order, ties and their draws are unchanged. The selection tests
(``tests/models/exchange/test_exchange_selection.py``) play whole rounds both ways and require equal
exchanges field for field. See ``docs/models/exchange.md`` ("The algorithm").

References
----------
.. [1] Draaijer, J. (2022). decide-exchange-model 2022.1.28 (equal-gain model), PyPI.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

__all__ = [
    "TIE_TOL",
    "TieBreak",
    "candidates",
    "_rows",
    "_index",
    "_lookup",
    "_unique",
    "_near_scan",
    "_Blocks",
    "_select",
    "_gains",
    "_pick",
    "_retire",
    "_requeue",
]

TieBreak = Literal["random", "first", "decide"]
TIE_TOL = 1e-12  # gains this close count as tied


def candidates(
    position: np.ndarray, salience: np.ndarray, weight: np.ndarray, out: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Candidate exchanges ``(I, J, p, q)`` in decide's order; *I* supplies q, *J* supplies p.

    Issue pairs p < q in issue order; per pair the right-right × left-left actor pairs, then
    left-right × right-left, each in actor order. Actors need positive weight on both issues.
    """
    n, k = position.shape
    itype = np.int32 if n * n * k < 1 << 31 else np.int64  # room for flat (B, t, u) keys
    left = position <= out
    ok = weight > 0
    parts: list[tuple[np.ndarray, ...]] = []
    for p in range(k - 1):
        for q in range(p + 1, k):
            both = ok[:, p] & ok[:, q]
            grp = np.where(both, left[:, p] + 2 * left[:, q], -1)
            for g_i, g_j in ((0, 3), (1, 2)):
                ii = np.flatnonzero(grp == g_i).astype(itype)
                jj = np.flatnonzero(grp == g_j).astype(itype)
                if ii.size and jj.size:
                    a, b = np.repeat(ii, jj.size), np.tile(jj, ii.size)
                    parts.append((a, b, np.full(a.size, p, itype), np.full(a.size, q, itype)))
    if not parts:
        empty = np.zeros(0, itype)
        return empty, empty, empty, empty
    a, b, p_, q_ = (np.concatenate(x) for x in zip(*parts, strict=True))
    # i gives way on p (supplies p) if it cares relatively less about p than j does
    swap = salience[a, p_] / salience[a, q_] < salience[b, p_] / salience[b, q_]
    return np.where(swap, b, a), np.where(swap, a, b), p_, q_


_FLOATS = ("hist_I", "hist_J", "sign_I", "sign_J", "mI", "mJ", "gI", "gJ")


def _rows(
    cols: tuple[np.ndarray, ...], sel: np.ndarray, parts: list[dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """The candidate rows: ``I, J, p, q`` (``cols``) of the kept candidates ``sel``, their
    moves and gains (``parts``, in the same order), queue keys ``order`` and copy counts.

    One row per candidate (columns are strided views), so the fields an update gathers for a
    candidate share a cache line; superseded moves and their signs start at 0.
    """
    N = sel.size
    ints, floats = np.empty((N, 4), cols[0].dtype), np.zeros((N, len(_FLOATS)))
    c = {name: ints[:, i] for i, name in enumerate(("I", "J", "p", "q"))}
    c |= {name: floats[:, i] for i, name in enumerate(_FLOATS)}
    for name, col in zip(("I", "J", "p", "q"), cols, strict=True):
        c[name][:] = col[sel]
    at = 0
    for part in parts:
        m = part["mI"].size
        for name, v in part.items():
            c[name][at : at + m] = v
        at += m
    c["order"], c["count"] = sel.astype(np.int64), np.ones(N, np.int64)
    return c


def _index(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR index: positions sorted by key and the start of each key's run."""
    if size <= 1 << 15:  # 16-bit keys sort by radix, several times faster
        order = np.argsort(keys.astype(np.int16), kind="stable")
    else:  # two stable radix passes: low 15 bits, then the rest
        order = np.argsort((keys & 0x7FFF).astype(np.int16), kind="stable")
        order = order[np.argsort((keys[order] >> 15).astype(np.int16), kind="stable")]
    if keys.size < 1 << 31:
        order = order.astype(np.int32)
    return order, np.searchsorted(keys[order], np.arange(size + 1))


def _lookup(index: tuple[np.ndarray, np.ndarray], key: int) -> np.ndarray:
    order, start = index
    return order[start[key] : start[key + 1]]


def _unique(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (``np.unique`` without its overhead on small int arrays)."""
    x = np.sort(x)
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if x.size else x


def _near_scan(gain: np.ndarray) -> np.ndarray:
    """Reference selection: every candidate within the tie tolerance of the best gain (a full
    scan; :class:`_Blocks` finds the same set without one)."""
    top = float(gain.max())
    return np.flatnonzero(gain >= top - TIE_TOL * max(1.0, top))


class _Blocks:
    """Block maxima over the gains, to find the best candidates without scanning them all.

    The gains live in a buffer of ``nb`` blocks of ``size``; ``bound[b]`` is an upper bound of
    block b's maximum, exact where ``fresh[b]``. A write raises the bound (``changed``) and
    marks the block stale; :meth:`near` refreshes only the stale blocks whose bound reaches
    the tie band of the best gain, so it returns exactly :func:`_near_scan`'s set.
    """

    def __init__(self, gain: np.ndarray, size: int = 1024) -> None:
        nb = max(1, -(-gain.size // size))
        self.size = size
        self.buf = np.full(nb * size, -np.inf)
        self.buf[: gain.size] = gain
        self.gain = self.buf[: gain.size]
        self.blocks = self.buf.reshape(nb, size)
        self.bound = self.blocks.max(1)
        self.fresh = np.ones(nb, bool)

    def changed(self, idx: np.ndarray | int) -> None:
        """Record that ``gain[idx]`` was written."""
        b = np.asarray(idx) // self.size
        np.maximum.at(self.bound, b, self.gain[idx])
        self.fresh[b] = False

    def near(self) -> np.ndarray:
        """Indices within the tie tolerance of the best gain (empty if none is left)."""
        bound, fresh = self.bound, self.fresh
        # the best fresh bound is a true gain, so the best gain's tie band starts at or above
        # its band: refreshing every stale block that reaches it settles the band in one pass
        low = float(np.max(bound, where=fresh, initial=-np.inf))
        if low == -np.inf:
            low = float(bound.max())
        low_thr = low - TIE_TOL * max(1.0, low)
        reach = np.flatnonzero(bound >= low_thr)
        stale = reach[~fresh[reach]]
        if stale.size:
            bound[stale] = self.blocks[stale].max(1)
            fresh[stale] = True
        while True:
            top = float(bound.max())
            if top == -np.inf:
                return np.zeros(0, np.int64)
            thr = top - TIE_TOL * max(1.0, top)
            band = np.flatnonzero(bound >= thr)
            stale = band[~fresh[band]]
            if not stale.size:
                break
            bound[stale] = self.blocks[stale].max(1)
            fresh[stale] = True
        rows, cols = np.nonzero(self.blocks[band] >= thr)
        return band[rows] * self.size + cols


def _gains(
    gain: np.ndarray, select: Literal["blocks", "scan"], block: int | None
) -> tuple[_Blocks | None, np.ndarray]:
    """The block index over ``gain`` (``None`` for ``select="scan"``) and the gain array that
    is written from then on (the index's own buffer when there is one). ``block`` defaults to
    a power of two near √N, at least 1024."""
    block = block or max(1024, 1 << int(np.log2(np.sqrt(max(gain.size, 1))) + 0.5))
    queue = _Blocks(gain, block) if select == "blocks" else None
    return queue, (queue.gain if queue is not None else gain)


def _select(gain: np.ndarray, queue: _Blocks | None) -> np.ndarray:
    """The candidates within the tie tolerance of the best gain, from the block index or by a
    full scan when there is none (empty if no candidate is left)."""
    if queue is not None:
        return queue.near()
    if gain.size and gain.max() > -np.inf:
        return _near_scan(gain)
    return np.zeros(0, np.int64)


def _pick(
    near: np.ndarray,
    order: np.ndarray,
    count: np.ndarray,
    tie_break: str,
    draw: Any,
    ends: list[int],
    exact: Any = None,
) -> tuple[int, bool]:
    """The exchange to execute among ``near`` (the best gains): earliest in the queue.

    A tie of the best two is broken 50/50 by ``draw()`` (``random``: the loser is re-queued
    last; ``decide``: also decide's duplication of the runner-up, see the docs) or always to
    the first (``first``). ``count`` holds how many copies of each candidate are queued.
    ``exact(near)`` (decide mode) reorders float-tied candidates by their gains in decide's
    ``Decimal`` arithmetic and says whether decide still sees the first two as tied
    (:func:`~realpolitik.models.exchange.decimal_ties.decide_order`).
    """
    near = near[np.argsort(order[near], kind="stable")]
    first = int(near[0])
    second = near.size > 1
    if exact is not None and second and count[first] <= 1:
        near, second = exact(near)
        first = int(near[0])
    nxt = first if count[first] > 1 else (int(near[1]) if second else -1)
    if nxt < 0 or tie_break == "first":
        count[first] -= 1
        return first, nxt >= 0
    heads = draw() >= 0.5
    if nxt == first:  # decide: the best is tied with its own copy
        count[first] -= 1 if heads else 0
        return first, True
    if heads:
        order[first] = ends[1]
        ends[1] += 1
        count[nxt] -= 1
        return nxt, True
    count[first] -= 1
    if tie_break == "decide":
        count[nxt] += 1
    return first, True


def _retire(
    e: int,
    gain: np.ndarray,
    order: np.ndarray,
    count: np.ndarray,
    ends: list[int],
    queue: _Blocks | None,
) -> None:
    """Take executed exchange ``e`` off the queue; if a copy of it is still queued (decide's
    duplication), that copy stays with gain 0 at the back until it is recalculated."""
    gain[e] = -np.inf
    if count[e] > 0:
        gain[e] = 0.0
        order[e] = ends[1]
        ends[1] += 1
    if queue is not None:
        queue.changed(e)


def _requeue(
    order: np.ndarray, idx: np.ndarray, old: np.ndarray, new: np.ndarray, ends: list[int],
    exact: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> None:
    """Emulate decide's stable re-sort of its queue after the gains of ``idx`` changed.

    A candidate whose gain fell goes ahead of every candidate that already had its new gain;
    one whose gain rose goes behind them; several moving in one step keep their old order.
    ``ends`` = [next front key (decreasing), next back key (increasing)]. ``exact`` =
    (moved, fell, rank of the old gain) as decide's ``Decimal`` gains say, for candidates
    whose float gains stayed within the tie tolerance (``DecideQueue.changed``).
    """
    moved = np.isfinite(new) & (np.abs(new - old) > TIE_TOL * np.maximum(1.0, np.abs(new)))
    down = old > new
    if exact is not None:
        moved, down = moved | exact[0], np.where(exact[0], exact[1], down)
    for fell in (True, False):
        sel = moved & (down if fell else ~down)
        f = idx[sel]
        if not f.size:
            continue
        by_old = -old[sel] if exact is None else exact[2][sel]
        f = f[np.lexsort((order[f], by_old))]
        if fell:
            order[f] = ends[0] - f.size + 1 + np.arange(f.size)
            ends[0] -= f.size
        else:
            order[f] = ends[1] + np.arange(f.size)
            ends[1] += f.size
