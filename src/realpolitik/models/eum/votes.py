r"""Votes and the probability of prevailing, :math:`P_{ij}`, in the expected-utility model.

With voters' weights :math:`w_k = c_k s_k` and :math:`\delta_{km} = (|x_k - x_m|/R)^{e_k}`
(:math:`e_k = 1` for linear votes), the support for :math:`x_i` over :math:`x_j` is
:math:`S_{ij} = \sum_k w_k \max(0, \delta_{kj} - \delta_{ki})` and
:math:`P_{ij} = S_{ij} / (S_{ij} + S_{ji})` (``"pairwise"``) or :math:`S_{ij} / Z` with
Scholz's one constant :math:`Z = \sum_k w_k \sum_{a,b} |\delta_{kb} - \delta_{ka}|
= 2 \sum_{a,b} S_{ab}` (``"global"``) [1]_.

Two layouts: :func:`win_probability` takes the batch axes first (``x[..., n]``) and is the
reference; :func:`win_probability_last` takes them last (``x[n, batch]``, dyads
``[i, j, batch]``), the layout of the fused round in :mod:`realpolitik.models.eum.round`,
where every elementwise pass runs over a contiguous batch.

For many actors the support sums cost :math:`O(n^2 \log n)`, not :math:`O(n^3)`: the voters
who prefer :math:`x_i` to :math:`x_j` are those strictly on :math:`x_i`'s side of the
midpoint (any increasing power keeps the sign), a prefix or suffix of the actors sorted by
position, so prefix sums over sorted voters answer every pair at once.

References
----------
.. [1] Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's
   group decision model. *J. Theoretical Politics* 23(4), 510–531.
"""

from __future__ import annotations

import numpy as np

from ..libm import functions

__all__ = ["win_probability", "win_probability_last"]


def _count_below(y: np.ndarray, q: np.ndarray, strict: bool) -> np.ndarray:
    """How many of the sorted ``y[..., n]`` lie below (``strict``) or at/below ``q[..., m]``."""
    n, m = y.shape[-1], q.shape[-1]
    if n * m * max(1, q[..., 0].size) <= _COUNT_LIMIT:  # small: compare everything
        cmp = y[..., None, :] < q[..., :, None] if strict else y[..., None, :] <= q[..., :, None]
        return cmp.sum(-1)
    if q[..., 0].size == 1:  # one scenario: binary search
        found = np.searchsorted(y.ravel(), q.ravel(), side="left" if strict else "right")
        return np.asarray(found).reshape(q.shape)
    # large batch: one stable sort of queries and values together (ties: queries first if strict)
    vals = np.concatenate([q, y] if strict else [y, q], axis=-1)
    order = np.argsort(vals, axis=-1, kind="stable")
    is_y = (order >= m) if strict else (order < n)
    before = np.cumsum(is_y, axis=-1) - is_y
    out = np.empty_like(before)
    np.put_along_axis(out, order, before, axis=-1)
    return out[..., :m] if strict else out[..., n:]


_COUNT_LIMIT = 1 << 23  # comparisons below which counting compares everything at once
_DIRECT_LIMIT = 1 << 24  # elements of the n³ voter × pair array below which it is used


def _support(x: np.ndarray, w: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """``S[i, j] = Σ_k w_k max(0, δ_kj − δ_ki)``: the weight of votes for x_i over x_j."""
    n = x.shape[-1]
    if n**3 * max(1, x[..., 0].size) <= _DIRECT_LIMIT:  # few actors: sum over voters directly
        # max(0, a) = (a + |a|)/2: the a-part is linear, the |a|-part symmetric (i < j only)
        iu, ju = np.triu_indices(n, 1)
        a = np.abs(delta[..., :, ju] - delta[..., :, iu])  # [k, pair] = |δ_kj − δ_ki|
        h = np.einsum("...kp,...k->...p", a, w)
        m = np.einsum("...kj,...k->...j", delta, w)
        lin = m[..., ju] - m[..., iu]
        s = np.zeros(x.shape + (n,))
        s[..., iu, ju] = np.maximum((h + lin) / 2, 0.0)
        s[..., ju, iu] = np.maximum((h - lin) / 2, 0.0)
        return s
    order = np.argsort(x, axis=-1, kind="stable")
    y = np.take_along_axis(x, order, -1)
    wd = np.take_along_axis(w[..., :, None] * delta, order[..., :, None], -2)
    g = np.concatenate([np.zeros_like(wd[..., :1, :]), np.cumsum(wd, axis=-2)], axis=-2)
    mid = ((x[..., :, None] + x[..., None, :]) / 2).reshape(*x.shape[:-1], n * n)
    below = x[..., :, None] < x[..., None, :]
    idx = np.where(
        below,
        _count_below(y, mid, True).reshape(*x.shape, n),
        _count_below(y, mid, False).reshape(*x.shape, n),
    )
    at_j = np.take_along_axis(g, idx, -2)  # g[idx_ij, j]
    at_i = np.swapaxes(np.take_along_axis(g, np.swapaxes(idx, -1, -2), -2), -1, -2)
    tot = g[..., -1, :]
    s = np.where(below, at_j - at_i, (tot[..., None, :] - at_j) - (tot[..., :, None] - at_i))
    return np.where(x[..., :, None] == x[..., None, :], 0.0, np.maximum(s, 0.0))


def win_probability(
    x: np.ndarray,
    w: np.ndarray,
    scale: np.ndarray | float,
    exponent: np.ndarray | None = None,
    probability: str = "pairwise",
) -> np.ndarray:
    """``P[..., i, j]``: the probability that i prevails over j (0 where x_i = x_j).

    ``w`` are the voters' weights c·s, ``scale`` the range R (batch-shaped), ``exponent``
    the voters' exponents e_k (None: linear votes). ``probability`` is ``"pairwise"``
    (P_ij + P_ji = 1) or ``"global"`` (Scholz's code: one constant for all pairs).

    Examples
    --------
    >>> p = win_probability(np.array([0., 1.]), np.array([3., 1.]), 1.0)
    >>> p.round(3).tolist()
    [[0.0, 0.75], [0.25, 0.0]]
    """
    r = np.asarray(scale, float)[..., None, None]
    delta = np.abs(x[..., :, None] - x[..., None, :]) / r
    if exponent is not None:
        delta = functions().power(delta, exponent[..., :, None])
    s = _support(x, w, delta)
    if probability == "pairwise":
        z = s + np.swapaxes(s, -1, -2)
    else:
        u = np.sort(delta, axis=-1)
        n = x.shape[-1]
        per_voter = 2 * (u * (2 * np.arange(n) - n + 1)).sum(-1)
        z = (w * per_voter).sum(-1)[..., None, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(z > 0, s / np.where(z > 0, z, 1.0), 0.0)


#: Actors up to which the batch-last support sums loop over actors (O(n³) but cache-friendly).
_LOOP_ACTORS = 128


def _sum0(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Σ over axis 0 in order, whatever the other axes' sizes (numpy sums a lone contiguous
    axis pairwise, so one scenario would differ in the last bit from itself in a batch)."""
    if a[0].size > 1:
        return a.sum(0, out=out)
    acc = np.copy(a[0]) if out is None else out
    if out is not None:
        out[...] = a[0]
    for row in a[1:]:
        acc += row
    return acc


def _support_last(wdelta: np.ndarray) -> np.ndarray:
    r"""``S[i, j, b]`` from ``wdelta[k, m, b] = w_k δ_km``, looping over the row actor i.

    As in :func:`_support`, :math:`\max(0, a) = (a + |a|)/2`: the symmetric part
    :math:`h_{ij} = \sum_k |w_k \delta_{kj} - w_k \delta_{ki}|` is summed over voters for
    i < j only and the antisymmetric part is :math:`M_j - M_i` with
    :math:`M_m = \sum_k w_k \delta_{km}`. Both halves come from one formula, so actors at the
    same position get bit-identical support (ties between them break by actor order).
    """
    n = wdelta.shape[0]
    h = np.zeros(wdelta.shape)
    tmp = np.empty(wdelta.shape)
    for i in range(n - 1):
        t = tmp[:, : n - i - 1]
        np.subtract(wdelta[:, i + 1 :], wdelta[:, i : i + 1], out=t)  # [k, j>i]
        np.abs(t, out=t)
        _sum0(t, out=h[i, i + 1 :])
    h += h.transpose(1, 0, 2)
    m = _sum0(wdelta)  # M_m
    h += m[None, :, :] - m[:, None, :]
    h /= 2
    return np.maximum(h, 0.0, out=h)


def win_probability_last(
    x: np.ndarray,
    w: np.ndarray,
    d: np.ndarray,
    scale: np.ndarray,
    exponent: np.ndarray | None = None,
    probability: str = "pairwise",
) -> np.ndarray:
    """:func:`win_probability` with the batch axis last: ``x, w[n, B]``, ``P[i, j, B]``.

    ``d[k, m, B] = |x_k - x_m|/R`` are the dyads' distances (already computed by the caller).
    """
    n = x.shape[0]
    if n > _LOOP_ACTORS:  # many actors: the prefix-sum reference, batch axis moved first
        e = None if exponent is None else exponent.T
        p = win_probability(x.T, w.T, scale, e, probability)
        return np.moveaxis(p, 0, -1)
    delta = d if exponent is None else functions().power(d, exponent[:, None, :])
    s = _support_last(w[:, None, :] * delta)
    with np.errstate(invalid="ignore", divide="ignore"):
        if probability == "pairwise":
            z = s + s.transpose(1, 0, 2)
            return np.where(z > 0, s / np.where(z > 0, z, 1.0), 0.0)
        z = 2 * _sum0(s.sum(0))
        return np.where(z > 0, s / np.where(z > 0, z, 1.0), 0.0)
