"""Foreign-policy similarity of two states: agreement, Signorino–Ritter S, Cohen's κ, Scott's π.

Every measure here is a function of the *contingency table* of the two states' positions.
Code the N common units (roll calls both voted on; states in the system) on K equally spaced
ordinal categories 0 … K−1 (UN votes: yes=0, abstain=1, no=2; binary alliance 0/1; valued
ATOP 0–3), and let ``n[a, b]`` be the (optionally weighted) number of units where i is in
category a and j in category b. With ``p = n / Σn`` and ``d_max = K − 1``:

* identical share        ``Σ_a p_aa``
* Voeten agreement       ``1 − Σ p_ab |a − b| / d_max``  (1 same, ½ one abstains, 0 opposite)
* S (absolute)           ``1 − 2 Σ p_ab |a − b| / d_max``          = 2·agreement − 1
* S (squared)            ``1 − 2 Σ p_ab (a − b)² / d_max²``
* S (weighted)           S (absolute) on a table built with unit weights ``w_k``
* Cohen's κ              ``1 − D_o / D_e``,  ``D_o = Σ v_ab p_ab``,  ``D_e = Σ v_ab p_a· p_·b``
* Scott's π              ``1 − D_o / D_e^π``, ``D_e^π = Σ v_ab π_a π_b``, ``π_a = (p_a· + p_·a)/2``

with disagreement weights ``v_ab`` nominal ``1[a≠b]``, linear ``|a−b|/(K−1)`` or quadratic
``((a−b)/(K−1))²``. κ and π are NaN when the expected disagreement is 0 (both states put every
unit in one category, e.g. two states without allies); all measures are NaN when N = 0.

Functions accept a table of shape ``(K, K)`` or a stack ``(..., K, K)`` (e.g. all dyads of a
year) and return a float or an array of the leading shape. All are symmetric in i and j.

References
----------
.. [1] Signorino, C. S. & Ritter, J. M. (1999). Tau-b or not tau-b: measuring the similarity
   of foreign policy positions. *International Studies Quarterly* 43(1), 115–144.
.. [2] Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign policy
   similarity for chance agreement. *Political Analysis* 19(3), 287–305.
.. [3] Cohen, J. (1968). Weighted kappa. *Psychological Bulletin* 70(4), 213–220.
.. [4] Scott, W. A. (1955). Reliability of content analysis. *Public Opinion Quarterly*
   19(3), 321–325.
.. [5] Voeten, E. (2000). Clashes in the Assembly. *International Organization* 54(2),
   185–215.
.. [6] Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data.
   *Journal of Conflict Resolution* 36(2), 369–385.

Two non-table measures sit here too: :func:`burden_share` (military spending) and
:func:`goldstein_index` (dyadic event cooperation per period).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "Weighting",
    "contingency",
    "pairwise_contingency",
    "disagreement_weights",
    "identical_share",
    "voeten_agreement",
    "s_score",
    "cohen_kappa",
    "scott_pi",
    "all_measures",
    "burden_share",
    "goldstein_index",
]

Weighting = Literal["nominal", "linear", "quadratic"]
ArrayLike = npt.ArrayLike
FloatOrArray = float | npt.NDArray[np.float64]


def contingency(
    x: ArrayLike, y: ArrayLike, k: int, weights: ArrayLike | None = None
) -> npt.NDArray[np.float64]:
    """Contingency table of two codings over common units.

    Parameters
    ----------
    x, y : array_like
        Category indices 0 … k−1 per unit; NaN (or negative) marks a unit to drop.
    k : int
        Number of categories.
    weights : array_like, optional
        Unit weights w_k (e.g. CINC shares); default 1.

    Returns
    -------
    ndarray, shape (k, k)
        ``n[a, b] = Σ_k w_k 1[x_k = a] 1[y_k = b]``.

    Examples
    --------
    >>> contingency([0, 0, 2, 1], [0, 2, 2, float("nan")], 3).tolist()
    [[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = np.ones_like(xa) if weights is None else np.asarray(weights, dtype=float)
    keep = np.isfinite(xa) & np.isfinite(ya) & (xa >= 0) & (ya >= 0)
    flat = xa[keep].astype(int) * k + ya[keep].astype(int)
    counts = np.bincount(flat, weights=w[keep], minlength=k * k)
    return counts.reshape(k, k).astype(float)


def pairwise_contingency(
    codes: ArrayLike, k: int, weights: ArrayLike | None = None
) -> npt.NDArray[np.float64]:
    """Contingency tables of every pair of rows of a states × units matrix.

    Parameters
    ----------
    codes : array_like, shape (n_states, n_units)
        Category indices; NaN marks a missing position.
    k : int
        Number of categories.
    weights : array_like, shape (n_units,), optional
        Unit weights.

    Returns
    -------
    ndarray, shape (n_states, n_states, k, k)
        ``out[i, j]`` equals ``contingency(codes[i], codes[j], k, weights)``; computed with
        k² matrix products of one-hot indicator matrices, ``n_ab = A_a W A_bᵀ``.
    """
    c = np.asarray(codes, dtype=float)
    w = np.ones(c.shape[1]) if weights is None else np.asarray(weights, dtype=float)
    onehot = np.stack([(c == a).astype(float) for a in range(k)])  # (k, n, units)
    weighted = onehot * w
    return np.einsum("aiu,bju->ijab", weighted, onehot, optimize=True)


def disagreement_weights(k: int, weighting: Weighting = "nominal") -> npt.NDArray[np.float64]:
    """Disagreement weights ``v_ab`` (nominal, linear or quadratic), zero on the diagonal.

    >>> disagreement_weights(3, "linear").tolist()
    [[0.0, 0.5, 1.0], [0.5, 0.0, 0.5], [1.0, 0.5, 0.0]]
    """
    a = np.arange(k)
    dist = np.abs(a[:, None] - a[None, :]) / max(k - 1, 1)
    if weighting == "nominal":
        return (dist > 0).astype(float)
    if weighting == "linear":
        return dist
    if weighting == "quadratic":
        return dist**2
    raise ValueError(f"weighting must be nominal, linear or quadratic, not {weighting!r}")


def _shares(table: ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    n = np.asarray(table, dtype=float)
    total = n.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = n / total[..., None, None]
    return p, total


def _out(values: npt.NDArray[np.float64]) -> FloatOrArray:
    return float(values) if values.ndim == 0 else values


def identical_share(table: ArrayLike) -> FloatOrArray:
    """Share of units on which both states take the same position, ``Σ_a p_aa``.

    >>> identical_share([[2, 1], [0, 1]])
    0.75
    """
    p, _ = _shares(table)
    return _out(np.trace(p, axis1=-2, axis2=-1))


def _mean_distance(table: ArrayLike, power: int = 1) -> npt.NDArray[np.float64]:
    p, _ = _shares(table)
    k = p.shape[-1]
    a = np.arange(k)
    dist = (np.abs(a[:, None] - a[None, :]) / max(k - 1, 1)) ** power
    return np.asarray((p * dist).sum(axis=(-2, -1)))


def voeten_agreement(table: ArrayLike) -> FloatOrArray:
    """Voeten's agreement index ``1 − Σ p_ab |a−b| / d_max`` [5]_.

    For UN votes: 1 if both vote alike, ½ if one abstains, 0 if they vote yes against no.

    >>> voeten_agreement([[1, 1, 1], [0, 0, 0], [0, 0, 1]])
    0.625
    """
    return _out(1.0 - _mean_distance(table, 1))


def s_score(table: ArrayLike, metric: Literal["absolute", "squared"] = "absolute") -> FloatOrArray:
    """Signorino–Ritter S [1]_: ``1 − 2 Σ p_ab δ(a, b)`` with δ the normalised distance.

    ``metric="absolute"`` uses ``|a−b| / d_max``, ``"squared"`` uses ``(a−b)² / d_max²``.
    For a weighted S pass a table built with unit weights (:func:`contingency`), which gives
    ``1 − 2 Σ_k w_k |x_ik − x_jk| / (d_max Σ_k w_k)``. S lies in [−1, 1]; S_abs equals
    ``2 · voeten_agreement − 1``.

    >>> s_score([[1, 1, 1], [0, 0, 0], [0, 0, 1]])
    0.25
    """
    power = {"absolute": 1, "squared": 2}[metric]
    return _out(1.0 - 2.0 * _mean_distance(table, power))


def _chance_corrected(table: ArrayLike, weighting: Weighting, pooled: bool) -> FloatOrArray:
    p, _ = _shares(table)
    v = disagreement_weights(p.shape[-1], weighting)
    rows, cols = p.sum(axis=-1), p.sum(axis=-2)
    if pooled:
        rows = cols = (rows + cols) / 2.0
    observed = (v * p).sum(axis=(-2, -1))
    expected = np.einsum("ab,...a,...b->...", v, rows, cols)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(expected > 1e-12, 1.0 - observed / expected, np.nan)
    return _out(np.asarray(value, dtype=float))


def cohen_kappa(table: ArrayLike, weighting: Weighting = "nominal") -> FloatOrArray:
    """Cohen's (weighted) κ [2]_ [3]_: ``1 − D_o / D_e`` with each state's own marginals.

    NaN when ``D_e = 0`` (both states use a single category, e.g. no allies at all).

    >>> round(cohen_kappa([[20, 5], [10, 15]]), 4)
    0.4
    >>> cohen_kappa([[0, 0], [0, 7]])
    nan
    """
    return _chance_corrected(table, weighting, pooled=False)


def scott_pi(table: ArrayLike, weighting: Weighting = "nominal") -> FloatOrArray:
    """Scott's π [4]_: like κ, but the expected disagreement uses the pooled marginals.

    >>> round(scott_pi([[20, 5], [10, 15]]), 4)
    0.3939
    """
    return _chance_corrected(table, weighting, pooled=True)


def all_measures(table: ArrayLike, prefix: str = "") -> dict[str, FloatOrArray]:
    """Every measure of one table (or stack), keyed ``prefix + name``.

    Keys: ``n``, ``identical``, ``agree``, ``s_abs``, ``s_sq``, ``kappa_nominal``,
    ``kappa_linear``, ``kappa_quadratic``, ``pi_nominal``, ``pi_linear``, ``pi_quadratic``.
    """
    _, total = _shares(table)
    out: dict[str, FloatOrArray] = {
        "n": _out(total),
        "identical": identical_share(table),
        "agree": voeten_agreement(table),
        "s_abs": s_score(table, "absolute"),
        "s_sq": s_score(table, "squared"),
    }
    weightings: tuple[Weighting, ...] = ("nominal", "linear", "quadratic")
    for w in weightings:
        out[f"kappa_{w}"] = cohen_kappa(table, w)
    for w in weightings:
        out[f"pi_{w}"] = scott_pi(table, w)
    return {prefix + key: value for key, value in out.items()}


def burden_share(own: ArrayLike, partner: ArrayLike) -> FloatOrArray:
    """Share of the dyad's combined military spending borne by ``own``.

    ``own / (own + partner)``; NaN if either is missing or the sum is 0. For US–ROK
    (COW NMC 7.0 ``milex``) the ROK share is 3.49% in 2003 and 4.51% in 2006.

    >>> round(burden_share(14632.0, 404920.0), 4)
    0.0349
    """
    x, y = np.asarray(own, dtype=float), np.asarray(partner, dtype=float)
    total = x + y
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(total > 0, x / total, np.nan)
    return _out(np.asarray(value, dtype=float))


def goldstein_index(events: pd.DataFrame, a: str, b: str, period: str = "year") -> pd.DataFrame:
    """Dyadic Goldstein cooperation index per period (Goldstein 1992; cohesion.md §3.4).

    For the directed dyad i→j in period τ with events E (Goldstein weights G_e):

    * ``n_ab`` = |E|; ``nc_ab`` = Σ G_e (net cooperation); ``mean_ab`` = nc_ab / n_ab;
    * ``balance_ab`` = (Σ_{G>0} G − Σ_{G<0} |G|) / Σ |G| ∈ [−1, 1] (NaN if all G = 0);
    * the same for b→a, then ``nc`` = nc_ab + nc_ba (undirected), ``reciprocity`` =
      nc_ab − nc_ba, and ``quad1`` … ``quad4`` = quad-class shares of all the dyad's events.

    Parameters
    ----------
    events : DataFrame
        Tidy events (``realpolitik.data.events``): ``date, source, target, goldstein,
        quad_class``. Filter first (root events, state actors, mirrored duplicates) as needed.
    a, b : str
        Actor codes as in ``source``/``target`` (ISO3 in the loaders).
    period : {"year", "month", "day"}
        Aggregation period; periods without events are absent (not 0).

    Returns
    -------
    DataFrame
        Indexed by period.
    """
    ab = (events["source"] == a) & (events["target"] == b)
    ba = (events["source"] == b) & (events["target"] == a)
    ev = events[ab | ba]
    fmt = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}[period]
    g = ev["goldstein"].astype(float)
    frame = pd.DataFrame(
        {
            "period": ev["date"].dt.strftime(fmt),
            "dir": np.where(ab[ab | ba], "ab", "ba"),
            "g": g,
            "pos": g.clip(lower=0),
            "neg": (-g).clip(lower=0),
            "quad": ev["quad_class"],
        }
    )
    sums = frame.groupby(["period", "dir"])[["g", "pos", "neg"]].sum().unstack("dir")
    counts = frame.groupby(["period", "dir"]).size().unstack("dir")
    out = pd.DataFrame(index=sums.index)
    for d in ("ab", "ba"):
        n = counts.get(d, pd.Series(0, index=out.index)).fillna(0)
        nc = sums["g"].get(d, pd.Series(0.0, index=out.index)).fillna(0.0)
        pos = sums["pos"].get(d, pd.Series(0.0, index=out.index)).fillna(0.0)
        neg = sums["neg"].get(d, pd.Series(0.0, index=out.index)).fillna(0.0)
        out[f"n_{d}"], out[f"nc_{d}"] = n.astype(int), nc
        out[f"mean_{d}"] = nc / n.where(n > 0)
        out[f"balance_{d}"] = (pos - neg) / (pos + neg).where(pos + neg > 0)
    out["nc"] = out["nc_ab"] + out["nc_ba"]
    out["reciprocity"] = out["nc_ab"] - out["nc_ba"]
    shares = pd.crosstab(frame["period"], frame["quad"], normalize="index")
    for q in (1, 2, 3, 4):
        out[f"quad{q}"] = shares.get(q, pd.Series(0.0, index=shares.index)).reindex(out.index)
    out.index.name = period
    return out
