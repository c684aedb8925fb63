r"""Utilities, expected utility, security and risk in the expected-utility model.

With :math:`d_{ij} = |x_i - x_j|/R`, risk exponent :math:`r` and
:math:`g_{ij} = (|x_i - \mu| + |x_i - x_j|)/R` [1]_:
:math:`U^s = 2 - 4(\tfrac12 - \tfrac12 d_{ij})^{r}`,
:math:`U^f = 2 - 4(\tfrac12 + \tfrac12 d_{ij})^{r}`,
:math:`U^{b,w} = 2 - 4(\tfrac12 \mp \tfrac14 g_{ij})^{r}`, :math:`U^{sq} = 2 - 4 \cdot 0.5^{r}`,
and :math:`E_i(U_{ij}) = s_j[P_{ij} U^s + (1 - P_{ij}) U^f] + (1 - s_j) U^s - Q U^{sq}
- (1 - Q)[T U^b + (1 - T) U^w]`. Security and the risk map are in :func:`security` and
:func:`risk_exponent`. Arrays have the batch axes first.

References
----------
.. [1] Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's
   group decision model. *J. Theoretical Politics* 23(4), 510–531.
"""

from __future__ import annotations

import numpy as np

from ..libm import functions
from ..ties import greater
from .params import UTILITY_SCALE, EUMParams
from .votes import _support, win_probability

__all__ = ["utilities", "expected_utility", "risk_exponent", "security"]


def _curve(base: np.ndarray, r: np.ndarray | None) -> np.ndarray:
    return base if r is None else functions().power(base, r)


def utilities(
    d: np.ndarray, r: np.ndarray | None, g: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """The five utilities for distance ``d`` (= |x_i − x_j|/R), exponent ``r`` (None = 1).

    ``g`` = (|x_i − μ| + |x_i − x_j|)/R enters U_b and U_w (omitted if None).

    Examples
    --------
    >>> u = utilities(np.array(0.5), np.array(2.0))
    >>> [round(float(u[k]), 4) for k in ("s", "f", "sq")]
    [1.75, -0.25, 1.0]
    """
    out = {
        "s": 2 - 4 * _curve(0.5 - 0.5 * d, r),
        "f": 2 - 4 * _curve(0.5 + 0.5 * d, r),
        "sq": 2 - 4 * _curve(np.asarray(0.5), r),
    }
    if g is not None:
        out["b"] = 2 - 4 * _curve(0.5 - 0.25 * g, r)
        out["w"] = 2 - 4 * _curve(0.5 + 0.25 * g, r)
    return out


def expected_utility(
    p: np.ndarray,
    d: np.ndarray,
    s_target: np.ndarray,
    r: np.ndarray | None,
    q: float,
    t: np.ndarray | float,
    g: np.ndarray,
) -> np.ndarray:
    """E_i(U_ij) elementwise (all arguments broadcast; see the module equations)."""
    u = utilities(d, r, g if q < 1 else None)
    # = s_t [P U_s + (1 − P) U_f] + (1 − s_t) U_s − Q U_sq, with fewer array passes
    e = u["s"] + s_target * (1 - p) * (u["f"] - u["s"]) - q * u["sq"]
    if q < 1:
        e = e - (1 - q) * (t * u["b"] + (1 - t) * u["w"])
    return e


def risk_exponent(sec: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """r = (1 − R/3)/(1 + R/3) with R = (2 Sec − hi − lo)/(hi − lo); r = 1 where hi = lo.

    hi = lo is a discrete test (R is the ratio of two rounding errors otherwise): it holds
    within the tolerance of :mod:`~realpolitik.models.ties` on the utility scale.

    Examples
    --------
    >>> risk_exponent(np.array([0., 1., 2.]), np.array(2.), np.array(0.)).round(12).tolist()
    [2.0, 1.0, 0.5]
    """
    span = hi - lo
    spread = greater(hi, lo, UTILITY_SCALE)
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(spread, (2 * sec - hi - lo) / np.where(spread, span, 1.0), 0.0)
    return (1 - big_r / 3) / (1 + big_r / 3)


def _t_matrix(rule: str, x: np.ndarray, mu: np.ndarray, scale: np.ndarray) -> np.ndarray | float:
    """T[i, j] = 1 iff |x_i − μ| < |x_i − x_j| beyond the tie tolerance (× R), for "median"."""
    if rule != "median":
        return {"better": 1.0, "worse": 0.0, "half": 0.5}[rule]
    to_mu = np.abs(x - mu[..., None])[..., :, None]
    ad = np.abs(x[..., :, None] - x[..., None, :])
    return greater(ad, to_mu, scale[..., None, None]).astype(float)


def _better_or_worse(
    p: EUMParams, x: np.ndarray, mu: np.ndarray, scale: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray | float, np.ndarray]:
    """T and g = (|x_i − μ| + |x_i − x_j|)/R for U_b/U_w (not needed, so not built, if Q = 1)."""
    if p.q >= 1:
        return 0.0, d
    to_mu = (np.abs(x - mu[..., None]) / scale[..., None])[..., :, None]
    return _t_matrix(p.t_rule, x, mu, scale), to_mu + d


def security(
    x: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    scale: np.ndarray,
    mu: np.ndarray,
    p: EUMParams,
    prob: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First pass (every r = 1): each actor's security and the max/min it is scaled by.

    Returns ``(sec, hi, lo)``. ``sec[..., i] = Σ_{j≠i} E_j(U_ji)``. With
    ``security="actors"`` hi/lo are the max/min of ``sec`` over actors; with
    ``"positions"`` they are the max/min of i's security were i to stand at each actor's
    position (other actors, their votes and the median held fixed) — :math:`O(n^3)`.
    ``prob`` is P under linear votes if already computed.
    """
    n = x.shape[-1]
    r = scale[..., None, None]
    eye = np.eye(n, dtype=bool)
    if p.security == "actors":
        d = np.abs(x[..., :, None] - x[..., None, :]) / r
        t, g = _better_or_worse(p, x, mu, scale, d)
        if prob is None:
            prob = win_probability(x, w, scale, None, p.probability)
        e = expected_utility(prob, d, s[..., None, :], None, p.q, t, g)
        sec = np.where(eye, 0.0, e).sum(-2)
        hi = sec.max(-1, keepdims=True)
        lo = sec.min(-1, keepdims=True)
        return sec, hi, lo
    # i (axis -3) moved to candidate position y = x_m (axis -2), challenged by j (axis -1)
    delta = np.abs(x[..., :, None] - x[..., None, :]) / r
    sup = _support(x, w, delta)  # sup[a, b]: votes for x_a over x_b
    wi = w[..., :, None, None]
    d_im, d_ij = delta[..., :, :, None], delta[..., :, None, :]
    d_mj = delta[..., None, :, :]
    fwd = np.swapaxes(sup, -1, -2)[..., None, :, :] - wi * np.maximum(0.0, d_im - d_ij)
    back = sup[..., None, :, :] - wi * np.maximum(0.0, d_ij - d_im) + wi * d_mj
    den = fwd + back
    with np.errstate(invalid="ignore", divide="ignore"):
        prob = np.where(den > 0, fwd / np.where(den > 0, den, 1.0), 0.0)
    xj = x[..., None, None, :]
    xm = x[..., None, :, None]
    j_mu = np.abs(xj - mu[..., None, None, None])
    tt = (
        greater(np.abs(xj - xm), j_mu, r[..., None]).astype(float)
        if p.t_rule == "median"
        else _t_matrix(p.t_rule, x, mu, scale)
    )
    e = expected_utility(
        prob, d_mj, s[..., :, None, None], None, p.q, tt, j_mu / r[..., None] + d_mj
    )
    sec_at = np.where(eye[:, None, :], 0.0, e).sum(-1)  # [i, m]
    sec = np.diagonal(sec_at, axis1=-2, axis2=-1)
    return sec, sec_at.max(-1), sec_at.min(-1)
