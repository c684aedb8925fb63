r"""Compiled (numba) kernel of the expected-utility model for Monte Carlo: all rounds, all draws.

The same model as the numpy core (:func:`realpolitik.models.eum.core.run_batch` with
``trace=False``; equations in :mod:`realpolitik.models.eum.core`), written as scalar loops
that numba compiles once: one draw at a time, every round of it, then the next draw. Numpy
pays for many passes over ``[i, j, batch]`` arrays per round; here a draw's ``n × n``
matrices stay in the first-level cache and nothing is computed that the result does not use
(no per-round record, no dyad codes, no E_i(U_ij) between actors at one position).

The arithmetic follows the numpy round operation for operation — the support sums
:math:`S_{ij} = \max(0, (h_{ij} + M_j - M_i)/2)` with
:math:`h_{ij} = \sum_k |w_k\delta_{kj} - w_k\delta_{ki}|` summed over voters in order, the
second pass's powers as :math:`\exp(r \log b)`, the offer rule's tolerance and first-in-order
tie-break — so results agree to a few units in the last place and the same offers are taken
(the tests hold both on random batches for every setting). Logs of the bases
:math:`\tfrac12 \mp \tfrac12 d_{ij}` are shared by the dyads ``(i, j)`` and ``(j, i)``.

Every setting of :class:`~realpolitik.models.eum.params.EUMParams` is supported. The kernel is
compiled with ``cache=True`` (the machine code lives in ``__pycache__`` next to this file, so
only the first call on a machine pays the compile time) and with one signature only: float64
and int64 arrays, the settings coded as integers (:func:`codes`).

The maths splits as the numpy core's does: :mod:`~realpolitik.models.eum.kernel_votes` (median,
mean, support, probabilities of success), :mod:`~realpolitik.models.eum.kernel_offers`
(security levels, risk, expected utilities, the offer rule) and
:mod:`~realpolitik.models.eum.kernel_codes` (settings as integers, the compiled tie rule); this
module holds the round loop and the Python entry points. numba's cache checks only the file of
the function it caches, so after editing ``kernel_votes.py``, ``kernel_offers.py`` or
``kernel_codes.py`` in a checkout, touch this file (or clear ``__pycache__``) to recompile.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from .kernel_codes import (
    CAPIT,
    OFFER,
    PROB,
    RISK,
    ROUNDS,
    SCALE,
    SEC,
    STOP,
    T_RULE,
    TIE,
    VOTES,
    codes,
)
from .kernel_codes import greater as _gt
from .kernel_offers import _expected, _offer, _risk, _security_actors, _security_positions
from .kernel_votes import _mean, _median, _probability
from .params import NONE, EUMParams

__all__ = ["codes", "is_warm", "solve", "warm"]


@njit(cache=True)
def _kernel(
    c, x0, s0, span0, opt, fl, position, median, mean, played, ties, offer_from, offer_kind
):  # pragma: no cover - compiled
    """Every round of every draw; fills the preallocated outputs (see :func:`solve`)."""
    batch, n = x0.shape
    rounds, q, tol, tie = opt[ROUNDS], fl[0], fl[1], opt[TIE]
    # votes curved by r, and plain: run-time bools (literal True/False compile two copies)
    curved, plain = opt[VOTES] == 1, opt[VOTES] < 0
    record = offer_from.shape[0] > 0
    v, mats = np.empty((13, n)), np.empty((7, n, n))  # workspaces, reused by every draw
    w, s, x, new, r, r_fixed = v[0], v[1], v[2], v[3], v[4], v[5]
    sec, hi, lo, m, tgt, key, usq = v[6], v[7], v[8], v[9], v[10], v[11], v[12]
    d, ad, prob, prob_r, wd, eu, seen = (
        mats[0],
        mats[1],
        mats[2],
        mats[3],
        mats[4],
        mats[5],
        mats[6],
    )
    order, kind_of = np.empty(n, np.int64), np.empty(n, np.int64)
    for b in range(batch):
        for k in range(n):
            s[k], x[k] = s0[b, k], x0[b, k]
            w[k] = c[b, k] * s[k]
        mu = _median(x, w, tie, order)
        position[b, 0], median[b, 0], mean[b, 0] = x, mu, _mean(x, w)
        t, active = 0, True
        while t < rounds and active:
            span = span0[b]
            if opt[SCALE] == 1:
                span = x.max() - x.min()
                span = span if span > 0 else 1.0
            for i in range(n):
                for j in range(n):
                    ad[i, j] = abs(x[i] - x[j])
                    d[i, j] = ad[i, j] / span
            _probability(d, w, r, plain, opt[PROB] == 1, wd, m, prob)
            if opt[RISK] == 2:
                r[:] = 1.0
            elif opt[RISK] == 1 and t > 0:
                r[:] = r_fixed
            else:
                if opt[SEC] == 0:
                    hi0, lo0 = _security_actors(x, d, ad, s, prob, mu, span, q, opt[T_RULE], sec)
                    hi[:], lo[:] = hi0, lo0
                else:
                    _security_positions(x, d, w, s, mu, span, q, opt[T_RULE], wd, sec, hi, lo)
                _risk(sec, hi, lo, r)
                r_fixed[:] = r
            p2 = prob
            if curved:
                _probability(d, w, r, curved, opt[PROB] == 1, wd, m, prob_r)
                p2 = prob_r
            _expected(x, s, ad, d, p2, mu, span, r, opt, q, fl[2], usq, eu, seen)
            round_ties = 0
            for i in range(n):
                j, kind, new[i], tied = _offer(
                    i, x, ad, eu, seen, opt[CAPIT], opt[OFFER], span, kind_of, tgt, key
                )
                round_ties += tied
                if record:
                    offer_from[b, t, i], offer_kind[b, t, i] = j, kind
            new_mu = _median(new, w, tie, order)
            if opt[STOP] == 2:
                pay_new, pay_old = 0.0, 0.0
                for k in range(n):
                    pay_new += s[k] * (1 - abs(x0[b, k] - new_mu) / span0[b])
                    pay_old += s[k] * (1 - abs(x0[b, k] - mu) / span0[b])
                active = not _gt(pay_old - tol * n, pay_new, float(n))
            if active:
                x[:] = new
                played[b] += 1
                ties[b] += round_ties
                if opt[STOP] == 1 and not _gt(abs(new_mu - mu), tol * span, span):
                    active = False
                mu = new_mu
            t += 1
            position[b, t], median[b, t], mean[b, t] = x, mu, _mean(x, w)
        for k in range(t + 1, rounds + 1):  # rounds not played repeat the final state
            position[b, k], median[b, k], mean[b, k] = x, mu, mean[b, t]


def solve(
    capability: np.ndarray,
    position: np.ndarray,
    salience: np.ndarray,
    span0: np.ndarray,
    p: EUMParams,
    record_offers: bool = False,
) -> dict[str, np.ndarray]:
    """All rounds for a batch ``(batch, n)`` of draws with the compiled kernel.

    ``span0`` ``(batch,)`` is the positive initial R (the caller's choice for ``scale``).
    Returns what :func:`realpolitik.models.eum.core.run_batch` returns with ``trace=False``
    (batch axis first), plus ``offer_from`` and ``offer_kind`` ``(batch, T, n)`` if
    ``record_offers`` (rounds not played: −1 and ``NONE``).
    """
    c, x0, s = (np.ascontiguousarray(a, np.float64) for a in (capability, position, salience))
    batch, n = x0.shape
    opt, fl = codes(p)
    t = p.rounds
    out = {
        "position": np.empty((batch, t + 1, n)),
        "median": np.empty((batch, t + 1)),
        "mean": np.empty((batch, t + 1)),
        "rounds": np.zeros(batch, np.int64),
        "ties": np.zeros(batch, np.int64),
    }
    shape = (batch, t, n) if record_offers else (0, 0, 0)
    frm, kind = np.full(shape, -1, np.int64), np.full(shape, NONE, np.int64)
    results = [out[k] for k in ("position", "median", "mean", "rounds", "ties")]
    kernel: Any = _kernel  # a numba Dispatcher: its call signature is the kernel's
    kernel(c, x0, s, np.ascontiguousarray(span0, np.float64), opt, fl, *results, frm, kind)
    out["outcome"] = out["median"][:, -1].copy()
    out["final_mean"] = out["mean"][:, -1].copy()
    if record_offers:
        out["offer_from"], out["offer_kind"] = frm, kind
    return out


def is_warm() -> bool:
    """Whether the kernel runs without compiling first: compiled in this process, or found in
    numba's on-disk cache for this source and this CPU (a cold compile takes about 10 s).

    ``backend="auto"`` takes the kernel only when this holds (see
    :func:`realpolitik.models.eum.core.run_batch`); any ``backend="numba"`` run, or
    ``python -m realpolitik.models.eum.kernel``, compiles it and fills the cache.
    """
    kernel: Any = _kernel
    if kernel.signatures:
        return True
    try:  # numba's cache index: {(signature, target CPU magic, …): file}; {} if source changed
        magic = kernel.targetctx.codegen().magic_tuple()
        return any(key[1] == magic for key in kernel._cache._cache_file._load_index())
    except Exception:  # a numba without these internals: assume cold, numpy is used
        return False


def warm() -> None:
    """Compile the kernel (or load it from the cache) on a tiny batch: its one signature serves
    every setting (settings are run-time integer codes)."""
    p = EUMParams.model_validate({})
    solve(np.ones((1, 2)), np.array([[0.0, 1.0]]), np.ones((1, 2)), np.ones(1), p)


if __name__ == "__main__":  # python -m realpolitik.models.eum.kernel: warm the compile cache
    import time

    start = time.perf_counter()
    warm()
    print(f"EUM kernel ready in {time.perf_counter() - start:.1f} s (cached: {is_warm()})")
