r"""Exchange gains as decide computes them: 28-digit ``Decimal``, decide's operation order.

decide [1]_ keeps every number as a Python :class:`decimal.Decimal` (default context: 28
significant digits, half-even rounding) and sorts its queue by those gains. Two exchanges
whose gains are equal as rational numbers (e.g. 121/360 both) then come out of decide's
arithmetic differing in the 28th digit, and that rounding noise decides which of the two
decide sees first. Our float core cannot see that order: in binary the same two gains may tie
exactly or differ the other way. So where the float gains tie within the tolerance, the
queue (``tie_break="decide"``) recomputes *just those* gains here, the way decide does, and
orders them as decide would. This module is written from decide's documented equations and
the operation order observed in its behaviour; no decide code is copied.

The gain of candidate (I, J, p, q) — *J* supplies p, *I* supplies q — with start positions
:math:`x^0`, current voting positions y, saliences s, powers c and
:math:`D_t = \sum_u c_{ut} s_{ut}` (summed in actor order):

1. :math:`\delta_p = ((|x^0_{Ip} - y_{Jp}| \cdot s_{Jp}) \cdot c_{Jp}) / D_p`,
   :math:`\delta_q = ((s_{Jp} + s_{Ip}) / (s_{Jq} + s_{Iq})) \cdot \delta_p`;
2. if I's move :math:`(\delta_q D_q) / (c_{Iq} s_{Iq})` exceeds :math:`|x^0_{Jq} - y_{Iq}|`,
   the roles swap: :math:`\delta_q = ((|x^0_{Jq} - y_{Iq}| \cdot s_{Iq}) \cdot c_{Iq}) / D_q`,
   :math:`\delta_p = ((s_{Iq} + s_{Jq}) / (s_{Ip} + s_{Jp})) \cdot \delta_q`;
3. gain :math:`= |\delta_q s_{Iq} - \delta_p s_{Ip}|`.

Positions are normalised as decide does, :math:`(x - low) \cdot (100 / (high - low))` with the
step computed in ``Decimal``. Inputs come in as floats; ``Decimal(repr(v))`` recovers the
decimal string of the input file (any value written with ≤ 15 significant digits). A
start position after round 1 (which decide derives in ``Decimal`` and we in binary) enters as
its exact binary value, so ties in later rounds may still be ordered differently from decide;
the round-1 oracles and the generated tie case check what this covers. An executed
exchange's ``Decimal`` voting positions are replayed too (:meth:`DecideNumbers.executed`), but
not a move truncated at the demander's position (decide's ``check_nbs`` path): where a tied
candidate's supplier stands at such a position, the tie keeps the queue order (the behaviour
before this module), and a candidate whose float gain disagrees with step 3 keeps its float
gain.

References
----------
.. [1] Draaijer, J. (2022). decide-exchange-model 2022.1.28 (equal-gain model), PyPI.
"""

from __future__ import annotations

from decimal import Context, Decimal

import numpy as np

__all__ = ["DECIDE_CONTEXT", "DecideNumbers", "DecideQueue"]

#: decide's arithmetic: Python's default decimal context (28 digits, half-even).
DECIDE_CONTEXT = Context(prec=28)
#: decide counts two queued gains as tied (a 50/50 draw) when they differ by less than this.
DECIDE_TIE = Decimal("1e-20")


def _dec(v: float) -> Decimal:
    return Decimal(repr(float(v)))


class DecideNumbers:
    """The inputs of one round as decide holds them: start positions (0–100), saliences,
    powers and per-issue denominators, all ``Decimal``.

    ``raw`` positions on the issue's own scale with ``low``/``high`` (round 1, read from the
    file) or ``x0`` already on 0–100 (later rounds: exact binary values).
    """

    def __init__(self, salience: np.ndarray, power: np.ndarray, present: np.ndarray,
                 x0: np.ndarray | None = None, raw: np.ndarray | None = None,
                 low: np.ndarray | None = None, high: np.ndarray | None = None) -> None:
        n, k = present.shape
        ctx = DECIDE_CONTEXT
        self.present = present
        self.inexact = False  # set when a position had to come from a float
        self.voting: dict[tuple[int, int], Decimal] = {}
        self.seen: dict[tuple[int, int, int], Decimal] = {}
        self.pending: list[tuple[tuple[int, int], Decimal]] = []
        self.s = [[_dec(salience[i, t]) for t in range(k)] for i in range(n)]
        self.c = [[_dec(power[i, t]) for t in range(k)] for i in range(n)]
        self.D = []
        for t in range(k):
            total: Decimal | int = 0
            for i in range(n):
                if present[i, t]:
                    total = ctx.add(total, ctx.multiply(self.c[i][t], self.s[i][t]))
            self.D.append(Decimal(total))
        if raw is not None and low is not None and high is not None:
            step = [ctx.divide(Decimal(100), ctx.subtract(_dec(high[t]), _dec(low[t])))
                    for t in range(k)]
            self.x0 = [[ctx.multiply(ctx.subtract(_dec(raw[i, t]), _dec(low[t])), step[t])
                        if present[i, t] else Decimal(0) for t in range(k)] for i in range(n)]
        else:
            assert x0 is not None
            self.x0 = [[Decimal(float(x0[i, t])) if present[i, t] else Decimal(0)
                        for t in range(k)] for i in range(n)]

    def next_round(self, y: np.ndarray, moved: np.ndarray, x_next: np.ndarray) -> DecideNumbers:
        """The next round's numbers: start positions drifted toward the voting positions as
        decide's ``new_start_position`` computes them,
        ``(1 − s)·0.4·y + 0.1·y + (1 − (1 − s)·0.4 − 0.1)·x`` with the weights converted from
        binary floats as decide does; positions not replayed in ``Decimal`` take the float
        core's value (``x_next``)."""
        ctx = DECIDE_CONTEXT
        sw, fw = Decimal(0.4), Decimal(0.1)
        out = object.__new__(DecideNumbers)
        out.present, out.s, out.c, out.D = self.present, self.s, self.c, self.D
        out.inexact, out.voting, out.seen, out.pending = False, {}, {}, []
        out.x0 = [row[:] for row in self.x0]
        for i, t in zip(*np.nonzero(moved & self.present), strict=True):
            i, t = int(i), int(t)
            v = self.voting.get((i, t))
            if v is None or abs(float(v) - y[i, t]) > 1e-9:
                out.x0[i][t] = Decimal(float(x_next[i, t]))
                continue
            s, x = self.s[i][t], self.x0[i][t]
            rest = ctx.multiply(ctx.subtract(1, s), sw)
            swv = ctx.multiply(rest, v)
            fwv = ctx.multiply(fw, v)
            pv = ctx.multiply(ctx.subtract(ctx.subtract(1, rest), fw), x)
            out.x0[i][t] = ctx.add(ctx.add(swv, fwv), pv)
        return out

    def position(self, y: np.ndarray, x0: np.ndarray, i: int, t: int) -> Decimal:
        """Actor i's current position on t: decide's start value while it has not moved, its
        ``Decimal`` voting position after an exchange replayed here, else the float's value."""
        if y[i, t] == x0[i, t]:
            return self.x0[i][t]
        seen = self.voting.get((i, t))
        if seen is not None and abs(float(seen) - y[i, t]) <= 1e-9:
            return seen  # decide's value; the float core's differs by rounding only
        self.inexact = True
        return Decimal(float(y[i, t]))

    def executed(self, y: np.ndarray, x0: np.ndarray, I: int, J: int, p: int, q: int) -> None:  # noqa: E741 (decide's I, J)
        """Compute the ``Decimal`` voting positions of an exchange about to be executed
        (kept by :meth:`settle` where the float core agrees)."""
        _, new_i, new_j = self._solve(y, x0, I, J, p, q)
        self.pending = [((I, q), new_i), ((J, p), new_j)]

    def settle(self, y: np.ndarray) -> None:
        """Keep the pending positions whose float value the core reached (else forget them)."""
        for (i, t), v in self.pending:
            if abs(float(v) - y[i, t]) <= 1e-9:
                self.voting[(i, t)] = v
            else:
                self.voting.pop((i, t), None)
        self.pending = []

    def gain(self, y: np.ndarray, x0: np.ndarray, I: int, J: int, p: int, q: int) -> Decimal:  # noqa: E741 (decide's I, J)
        """The equal gain of candidate (I, J, p, q) in decide's arithmetic (module docstring)."""
        return self._solve(y, x0, I, J, p, q)[0]

    def _solve(self, y: np.ndarray, x0: np.ndarray, I: int, J: int, p: int,  # noqa: E741 (decide's I, J)
               q: int) -> tuple[Decimal, Decimal, Decimal]:
        """Gain and the new voting positions (I on q, J on p) of one candidate."""
        ctx, s, c, D = DECIDE_CONTEXT, self.s, self.c, self.D
        z = {I: self.position(y, x0, I, q), J: self.position(y, x0, J, p)}
        supply = {I: q, J: p}
        dist_j = abs(ctx.subtract(self.x0[I][p], z[J]))
        dp = ctx.divide(ctx.multiply(ctx.multiply(dist_j, s[J][p]), c[J][p]), D[p])
        ratio = ctx.divide(ctx.add(s[J][p], s[I][p]), ctx.add(s[J][q], s[I][q]))
        dq = ctx.multiply(ratio, dp)
        move = {I: ctx.divide(ctx.multiply(dq, D[q]), ctx.multiply(c[I][q], s[I][q])),
                J: dist_j}
        dist_i = abs(ctx.subtract(self.x0[J][q], z[I]))
        if abs(move[I]) > dist_i:
            dq = ctx.divide(ctx.multiply(ctx.multiply(dist_i, s[I][q]), c[I][q]), D[q])
            ratio = ctx.divide(ctx.add(s[I][q], s[J][q]), ctx.add(s[I][p], s[J][p]))
            dp = ctx.multiply(ratio, dq)
            move = {I: dist_i,
                    J: ctx.divide(ctx.multiply(dp, D[p]), ctx.multiply(c[J][p], s[J][p]))}
        for a, b in ((I, J), (J, I)):
            if z[a] > self.x0[b][supply[a]]:
                move[a] = -move[a]
        gain = abs(ctx.subtract(ctx.multiply(dq, s[I][q]), ctx.multiply(dp, s[I][p])))
        # decide's check_nbs, I's side then J's: where the outcome this candidate sees would
        # pass the partner's position, the supplier's move stops there (see core)
        for a, b in ((I, J), (J, I)):
            t, u = supply[a], supply[b]
            x = self.x0[b][t]
            n0 = self._nbs(t, b, a, z[a])
            n1 = self._nbs(t, b, a, ctx.add(z[a], move[a]))
            if (x - n0 >= 0 and x - n1 >= 0) or (x - n0 <= 0 and x - n1 <= 0):
                continue
            left = ctx.subtract(ctx.multiply(x, D[t]), self._weighted(t, b, a, z[a], True))
            delta = abs(ctx.divide(left, ctx.multiply(s[a][t], c[a][t])))
            r_t = ctx.divide(ctx.multiply(ctx.multiply(delta, s[a][t]), c[a][t]), D[t])
            r_u = ctx.multiply(ctx.divide(ctx.add(s[a][t], s[b][t]),
                                          ctx.add(s[a][u], s[b][u])), r_t)
            move[b] = abs(ctx.divide(ctx.multiply(r_u, D[u]), ctx.multiply(c[b][u], s[b][u])))
            move[a] = delta
            if z[b] > self.x0[a][u]:
                move[b] = -move[b]
            if z[a] > self.x0[b][t]:
                move[a] = -move[a]
            gain = abs(ctx.subtract(ctx.multiply(r_u, s[b][u]), ctx.multiply(r_t, s[b][t])))
        return gain, ctx.add(z[I], move[I]), ctx.add(z[J], move[J])

    def _weighted(self, t: int, dem: int, actor: int, pos: Decimal, seen_first: bool) -> Decimal:
        """Σ_u position·s·c on issue t as the candidates where ``dem`` demands t see it, with
        ``actor`` at ``pos`` (``seen_first``: a sighting of ``actor`` overrides ``pos``)."""
        ctx = DECIDE_CONTEXT
        total: Decimal | int = 0
        for u in range(len(self.x0)):
            if not self.present[u, t]:
                continue
            v = self.seen.get((dem, t, u))
            if u == actor and not (seen_first and v is not None):
                v = pos
            v = self.x0[u][t] if v is None else v
            total = ctx.add(total, ctx.multiply(ctx.multiply(v, self.s[u][t]), self.c[u][t]))
        return Decimal(total)

    def _nbs(self, t: int, dem: int, actor: int, pos: Decimal) -> Decimal:
        return DECIDE_CONTEXT.divide(self._weighted(t, dem, actor, pos, False), self.D[t])

    def remember(self, dem: int, t: int, sup: int, y: np.ndarray, x0: np.ndarray) -> None:
        """Mirror of ``core._remember``: candidates where ``dem`` demands t now see
        ``sup`` at its voting position (a second sighting keeps the one nearer its start)."""
        new = self.position(y, x0, sup, t)
        old = self.seen.get((dem, t, sup))
        if old is not None:
            new = min(old, new) if self.x0[sup][t] <= old else max(old, new)
        self.seen[(dem, t, sup)] = new


class DecideQueue:
    """decide's view of the queue's gains: each candidate's ``Decimal`` gain, computed when a
    tie needs it and cached (a candidate's gain changes only when the core recomputes it).

    ``rank`` orders float-tied best candidates as decide's stable sort does; ``before`` and
    ``changed`` bracket a recomputation so that a gain that moved only in decide's 28th digit
    still re-sorts the queue as decide's does.
    """

    def __init__(self, numbers: DecideNumbers, cand: dict[str, np.ndarray], gain: np.ndarray,
                 y: np.ndarray, x0: np.ndarray) -> None:
        self.numbers, self.cand, self.gain, self.y, self.x0 = numbers, cand, gain, y, x0
        self.cache: dict[int, Decimal] = {}
        self.copies: dict[int, list[int]] = {}  # keys of duplicated entries beyond the first
        self.approx: set[int] = set()  # candidates whose cached gain is only the float's

    def value(self, e: int) -> Decimal:
        """Candidate e's gain as decide holds it (its float gain where a supplier stands at
        a position not replayed in ``Decimal``)."""
        got = self.cache.get(e)
        if got is None:
            c, nb = self.cand, self.numbers
            f = float(self.gain[e])
            if f <= 0.0:
                got = Decimal(0) if f == 0.0 else Decimal("-Infinity")
            else:
                nb.inexact = False
                got = nb.gain(self.y, self.x0, int(c["I"][e]), int(c["J"][e]), int(c["p"][e]),
                              int(c["q"][e]))
                if nb.inexact or abs(float(got) - f) > 1e-9 * max(1.0, abs(f)):
                    got = Decimal(f)  # a path not replayed here: the float's value
                    self.approx.add(e)
            self.cache[e] = got
        return got

    def rank(self, near: np.ndarray) -> tuple[np.ndarray, bool]:
        """``near`` (in queue order) sorted as decide's stable sort by gain would, and whether
        decide sees the first two as tied (under 10⁻²⁰ apart: its 50/50 draw)."""
        vals = [self.value(int(e)) for e in near]
        rank = sorted(range(len(near)), key=vals.__getitem__, reverse=True)
        tied = len(rank) > 1 and abs(vals[rank[0]] - vals[rank[1]]) < DECIDE_TIE
        return near[np.asarray(rank, dtype=np.int64)], tied

    def pick(self, near: np.ndarray, order: np.ndarray, count: np.ndarray, draw,
             ends: list[int]) -> tuple[int, bool] | None:
        """decide's ``highest_gain`` over the float-tied best candidates ``near``.

        Every queued entry (a candidate and its duplicated copies, ``count`` of them, the
        first at ``order``, the copies at the keys in ``self.copies``) is sorted by
        ``Decimal`` gain, then queue key; the first is popped; if the next entry's gain is
        within 10⁻²⁰, ``draw() ≥ 0.5`` pops that one instead and re-queues the first last,
        otherwise a copy of the next entry is queued last (decide's duplication). ``None``
        when some candidate's ``Decimal`` gain could not be replayed: the caller then keeps
        the queue order (:func:`~.queue._pick`).
        """
        for e in near:
            self.value(int(e))
        if any(int(e) in self.approx for e in near):
            return None
        entries = []
        for e in near:
            e = int(e)
            keys = [int(order[e]), *self.copies.get(e, [])][: max(int(count[e]), 1)]
            entries += [(self.value(e), key, e) for key in keys]
        entries.sort(key=lambda v: (-v[0], v[1]))
        first = entries[0]
        tied = len(entries) > 1 and abs(first[0] - entries[1][0]) < DECIDE_TIE
        if not tied:
            self._pop(first, order, count)
            return first[2], False
        nxt = entries[1]
        if draw() >= 0.5:
            self._pop(nxt, order, count)
            self._push(first[2], order, count, ends, replace=first[1])
            return nxt[2], True
        self._pop(first, order, count)
        self._push(nxt[2], order, count, ends)
        return first[2], True

    def _pop(self, entry: tuple[Decimal, int, int], order: np.ndarray, count: np.ndarray) -> None:
        """Take one queued entry of candidate ``entry[2]`` (at key ``entry[1]``) off."""
        _, key, e = entry
        keys = sorted([int(order[e]), *self.copies.pop(e, [])][: max(int(count[e]), 1)])
        keys.remove(key)
        count[e] -= 1
        if keys:
            order[e] = keys[0]
            if keys[1:]:
                self.copies[e] = keys[1:]

    def _push(self, e: int, order: np.ndarray, count: np.ndarray, ends: list[int],
              replace: int | None = None) -> None:
        """Queue an entry of ``e`` last (``replace``: move that entry there instead)."""
        key = ends[1]
        ends[1] += 1
        keys = [int(order[e]), *self.copies.pop(e, [])][: max(int(count[e]), 1)]
        if replace is not None:
            keys.remove(replace)
        else:
            count[e] += 1
        keys = sorted([*keys, key])
        order[e] = keys[0]
        if keys[1:]:
            self.copies[e] = keys[1:]

    def before(self, idx: np.ndarray) -> None:
        """Fix the current ``Decimal`` gains of ``idx`` before the state changes."""
        for e in idx:
            self.value(int(e))

    def changed(self, idx: np.ndarray, old: np.ndarray, new: np.ndarray,
                tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """After recomputing ``idx``: (moved, fell) in decide's arithmetic for the candidates
        whose float gain stayed within ``tol``, and each one's rank by its old ``Decimal``
        gain (highest first: decide's list order before the re-sort); the cache forgets every
        recomputed gain."""
        moved = np.zeros(idx.size, bool)
        fell = np.zeros(idx.size, bool)
        same = np.isfinite(new) & (np.abs(new - old) <= tol * np.maximum(1.0, np.abs(new)))
        before = {int(e): self.cache.get(int(e)) for e in idx}
        olds: list[Decimal] = []
        for k, e in enumerate(idx):
            was = before[int(e)]
            olds.append(was if was is not None else Decimal(float(old[k])))
        rank = np.empty(idx.size, np.int64)
        rank[sorted(range(idx.size), key=lambda k: olds[k], reverse=True)] = np.arange(idx.size)
        for e in idx:
            self.cache.pop(int(e), None)
            self.approx.discard(int(e))
        for k in map(int, np.flatnonzero(same)):
            e = int(idx[k])
            was = before[e]
            if was is None:
                continue
            now = self.value(e)
            if now != was:
                moved[k], fell[k] = True, now < was
        return moved, fell, rank
