r"""Vectorised core of Bueno de Mesquita's expected-utility model (EUM).

Pure functions over arrays whose last axis (last two, for dyads ``[..., i, j]``) runs over
actors, with any leading batch axes: many perturbed copies of one scenario are solved at once
and no Python loop runs over actor pairs or draws. :func:`run_batch` is the public entry
point; the ``eum`` model (:mod:`realpolitik.models.eum`) and Monte Carlo both call it.
With :math:`w_k = c_k s_k`, range :math:`R`, :math:`d_{ij} = |x_i - x_j|/R` [1]_ [2]_:

* votes :math:`a_k = \delta_{kj} - \delta_{ki}`, :math:`\delta_{km} = (|x_k - x_m|/R)^{e_k}`
  (``votes="linear"``: :math:`e_k = 1`; ``"risk"``: the voter's risk exponent :math:`r_k`);
* :math:`P_{ij} = \sum_k w_k \max(0, a_k) / Z` with :math:`Z = \sum_k w_k |a_k|`
  (``probability="pairwise"``, so :math:`P_{ij} + P_{ji} = 1`) or Scholz's one global
  constant :math:`Z = \sum_k w_k \sum_{a,b} |\delta_{kb} - \delta_{ka}|` (``"global"``);
* :math:`U^s = 2 - 4(\tfrac12 - \tfrac12 d_{ij})^{r}`,
  :math:`U^f = 2 - 4(\tfrac12 + \tfrac12 d_{ij})^{r}`,
  :math:`U^{b,w} = 2 - 4(\tfrac12 \mp \tfrac14 g_{ij})^{r}` with
  :math:`g_{ij} = (|x_i - \mu| + |x_i - x_j|)/R`, and :math:`U^{sq} = 2 - 4 \cdot 0.5^{r}`;
* :math:`E_i(U_{ij}) = s_j[P_{ij} U^s + (1 - P_{ij}) U^f] + (1 - s_j) U^s - Q U^{sq}
  - (1 - Q)[T U^b + (1 - T) U^w]`;
* security :math:`\mathrm{Sec}_i = \sum_{j \ne i} E_j(U_{ji})` in a first pass with every
  :math:`r = 1`; :math:`R_i = (2\,\mathrm{Sec}_i - \max - \min)/(\max - \min)` and
  :math:`r_i = (1 - R_i/3)/(1 + R_i/3) \in [\tfrac12, 2]` (:math:`r_i = 1` if max = min).

The pieces live in their own modules, re-exported here: settings in
:mod:`~realpolitik.models.eum.params`, votes and :math:`P_{ij}` in
:mod:`~realpolitik.models.eum.votes`, utilities, security and risk in
:mod:`~realpolitik.models.eum.utility`, dyads and offers in
:mod:`~realpolitik.models.eum.dyads`, and the fused round that :func:`run_batch` plays (the
same numbers, fewer array passes, batch axis last) in :mod:`~realpolitik.models.eum.round`.

References
----------
.. [1] Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's
   group decision model. *J. Theoretical Politics* 23(4), 510–531; ICAART 2011, 18–30.
.. [2] Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
   Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*, 71–104.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..reference import weighted_median
from ..ties import greater
from .dyads import choose_offers, classify, reference_round
from .params import (
    COMPEL,
    COMPROMISE,
    CONFLICT,
    GIVES,
    KINDS,
    NONE,
    PRESETS,
    STALEMATE,
    EUMParams,
)
from .round import play_round
from .utility import expected_utility, risk_exponent, security, utilities
from .votes import win_probability

__all__ = [
    "EUMParams",
    "PRESETS",
    "KINDS",
    "GIVES",
    "run_batch",
    "win_probability",
    "utilities",
    "expected_utility",
    "risk_exponent",
    "security",
    "classify",
    "choose_offers",
    "reference_round",
    "NONE",
    "STALEMATE",
    "CONFLICT",
    "COMPROMISE",
    "COMPEL",
]

#: Most actors for which ``backend="auto"`` takes the compiled kernel (its support sums are
#: O(n³) per draw; above this numpy's O(n² log n) prefix sums win).
NUMBA_MAX_ACTORS = 128
_BLOCK_ELEMENTS = 1 << 20  # draws per block × n³: big enough to amortise the Python per call
_TRACE = (
    "risk",
    "security",
    "probability",
    "eu",
    "eu_seen",
    "kind",
    "gives",
    "offer_from",
    "offer_kind",
    "offer_tied",
)


def _compiled(backend: str, n: int) -> bool:
    """Whether an untraced run of ``n`` actors goes to the compiled kernel."""
    if backend == "numpy" or n == 0:
        return False
    if backend == "numba":
        import numba  # noqa: F401  (ImportError: the caller asked for numba explicitly)

        return True
    if backend != "auto":
        raise ValueError(f"backend must be 'auto', 'numpy' or 'numba', not {backend!r}")
    if n > NUMBA_MAX_ACTORS:
        return False
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    from .kernel import is_warm

    return is_warm()  # never make a small job wait ~10 s for a compile


def _initial_span(
    p: EUMParams, x0: np.ndarray, issue_range: np.ndarray | float | None
) -> np.ndarray:
    """R of each draw before the first round: the positions' range or the issue's (0 → 1)."""
    if p.scale == "issue":
        if issue_range is None:
            raise ValueError("scale='issue' needs issue_range")
        span0 = np.broadcast_to(np.asarray(issue_range, float), x0.shape[:1]).copy()
    else:
        span0 = np.ptp(x0, axis=-1)
    return np.where(span0 > 0, span0, 1.0)


def run_batch(
    capability: np.ndarray,
    position: np.ndarray,
    salience: np.ndarray,
    params: EUMParams | dict[str, Any] | None = None,
    *,
    issue_range: np.ndarray | float | None = None,
    trace: bool = True,
    backend: str | None = None,
) -> dict[str, np.ndarray]:
    """Run the EUM on one scenario or a batch of perturbed copies at once.

    Parameters
    ----------
    capability, position, salience : array_like, shape ``(n,)`` or ``(batch, n)``
        Per actor (last axis): capability c ≥ 0, position x, salience s in [0, 1].
        They broadcast against each other.
    params : EUMParams or dict, optional
        The model's settings (default: the paper variant).
    issue_range : float or array_like of shape ``(batch,)``, optional
        The issue's scale width, used as R when ``params.scale == "issue"``.
    trace : bool, default True
        Also return every round's risk, security, P, EU matrices, dyads and offers.
    backend : {"auto", "numpy", "numba"}, optional
        Code for untraced runs (default: ``params.backend``, itself ``"auto"``): the compiled
        kernel of :mod:`~realpolitik.models.eum.kernel` when numba is installed, there are
        at most :data:`NUMBA_MAX_ACTORS` actors and the kernel is compiled already (in this
        process or in numba's cache: ``python -m realpolitik.models.eum.kernel`` warms it),
        else numpy (``"auto"``); or always numpy, or always numba (ImportError if numba is
        missing; compiles on first use). Both give the same numbers to rounding. Traced
        runs (``trace=True``) always use numpy: the kernel keeps no per-round record.

    Returns
    -------
    dict of numpy arrays (batch axis first when the input has one; T = ``params.rounds``)
        ``position`` (T+1, n), ``median`` and ``mean`` (T+1,): round 0 is the initial
        state; ``rounds``: rounds actually played (the stopping rule), entries past it
        repeat the final state; ``outcome``: the median after the last round played;
        ``final_mean``; ``ties``: how many accepted offers the tie rule decided (offers with
        different targets tied within the tolerance of :mod:`~realpolitik.models.ties`, the
        lowest proposer index taken). With ``trace``: ``risk``, ``security`` (T, n),
        ``probability``, ``eu`` (E_i(U_ij)), ``eu_seen`` (E_j(U_ji) as i sees it), ``kind``,
        ``gives`` (T, n, n; codes in :data:`KINDS`, :data:`GIVES`), ``offer_from`` (proposer
        index or −1), ``offer_kind``, ``offer_tied`` (T, n).

    Examples
    --------
    >>> out = run_batch([2., 1, 1], [0., 4, 10], [0.9, 0.5, 0.5], {"rounds": 2})
    >>> out["position"].round(3).tolist()
    [[0.0, 4.0, 10.0], [0.0, 2.522, 4.0], [0.0, 1.876, 2.522]]
    >>> [KINDS[k] for k in out["offer_kind"][0]], out["offer_from"][0].tolist()
    (['none', 'compromise', 'conflict'], [-1, 0, 1])
    """
    p = params if isinstance(params, EUMParams) else EUMParams(**(params or {}))
    x0, c, s = np.broadcast_arrays(
        *(np.asarray(a, float) for a in (position, capability, salience))
    )
    single = x0.ndim == 1
    x0, c, s = (np.atleast_2d(a).copy() for a in (x0, c, s))
    batch, n = x0.shape
    if not trace and _compiled(backend or p.backend, n):
        from .kernel import solve

        res = solve(c, x0, s, _initial_span(p, x0, issue_range), p)
        return {k: v[0] for k, v in res.items()} if single else res
    block = max(1, _BLOCK_ELEMENTS // n**3)
    if batch > block:  # cache-sized blocks of draws, each solved vectorised
        parts = [
            run_batch(
                c[k : k + block],
                x0[k : k + block],
                s[k : k + block],
                p,
                issue_range=None
                if issue_range is None
                else np.broadcast_to(np.asarray(issue_range, float), (batch,))[k : k + block],
                trace=trace,
                backend="numpy",  # decided above
            )
            for k in range(0, batch, block)
        ]
        return {key: np.concatenate([q[key] for q in parts]) for key in parts[0]}
    w = c * s
    span0 = _initial_span(p, x0, issue_range)
    rounds = p.rounds
    out: dict[str, np.ndarray] = {
        "position": np.empty((batch, rounds + 1, n)),
        "median": np.empty((batch, rounds + 1)),
        "mean": np.empty((batch, rounds + 1)),
        "rounds": np.zeros(batch, int),
        "ties": np.zeros(batch, int),
    }

    def _median(x: np.ndarray) -> np.ndarray:
        return weighted_median(x, w, p.median_tie)

    def _mean(x: np.ndarray) -> np.ndarray:
        tot = w.sum(-1)
        return np.where(tot > 0, (w * x).sum(-1) / np.where(tot > 0, tot, 1), x.mean(-1))

    def _payoff(mu: np.ndarray) -> np.ndarray:
        return (s * (1 - np.abs(x0 - mu[:, None]) / span0[:, None])).sum(-1)

    x, mu = x0.copy(), _median(x0)
    out["position"][:, 0], out["median"][:, 0], out["mean"][:, 0] = x, mu, _mean(x)
    active = np.ones(batch, bool)
    r_fixed: np.ndarray | None = None
    w_last, s_last = np.ascontiguousarray(w.T), np.ascontiguousarray(s.T)  # [actor, draw]
    for t in range(rounds):
        if not active.any():
            break
        span = span0
        if p.scale == "current":
            span = np.ptp(x, axis=-1)
            span = np.where(span > 0, span, 1.0)
        step = play_round(np.ascontiguousarray(x.T), w_last, s_last, span, mu, p, r_fixed, trace)
        if p.risk == "first-round" and r_fixed is None:
            r_fixed = step["risk"]
        if trace:
            for key in _TRACE:
                v = np.moveaxis(step[key], -1, 0)  # batch axis first again
                out.setdefault(key, np.zeros((batch, rounds) + v.shape[1:], v.dtype))[:, t] = v
        new = step["new"].T
        new_mu = _median(new)
        if p.stop == "payoff":  # the payoff (a sum of n terms ≤ 1) would fall
            active &= ~greater(_payoff(mu) - p.tol * n, _payoff(new_mu), n)
        x = np.where(active[:, None], new, x)
        moved_mu = np.where(active, new_mu, mu)
        out["rounds"] += active
        out["ties"] += np.where(active, step["offer_tied"].sum(0), 0)
        if p.stop == "stable":
            active &= greater(np.abs(moved_mu - mu), p.tol * span, span)  # still moving
        mu = moved_mu
        out["position"][:, t + 1], out["median"][:, t + 1] = x, mu
        out["mean"][:, t + 1] = _mean(x)
    last = out["rounds"].max() if batch else 0
    for key in ("position", "median", "mean"):  # rounds not played repeat the final state
        out[key][:, last + 1 :] = out[key][:, last : last + 1]
    out["outcome"] = mu
    out["final_mean"] = _mean(x)
    return {k: v[0] for k, v in out.items()} if single else out
