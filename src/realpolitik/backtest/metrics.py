r"""Accuracy metrics for forecasts of issues with known outcomes: small pure functions.

Every error is measured on the issue's own scale rescaled to 0–100 (the DEU convention), so
issues with different scales can be pooled:

.. math:: e_j = 100\,\frac{|\hat x_j - x_j|}{h_j - l_j}

where :math:`\hat x_j` is the forecast, :math:`x_j` the known outcome and :math:`[l_j, h_j]`
the issue's scale. Point metrics (:func:`mae`, :func:`median_ae`, :func:`rmse`,
:func:`share_within`) take such errors; :func:`paired_bootstrap` compares two models on the same
issues; :func:`interval_coverage` and the CRPS functions score forecast distributions (Monte
Carlo samples, or a verbal forecast read as a uniform range).

All functions accept numpy arrays; the CRPS functions are batched over leading axes.

References
----------
1. Achen, C. H. (2006). Evaluating political decision-making models. In Thomson, Stokman,
   Achen & König (eds.), *The European Union Decides*, 264–298. Cambridge UP.
2. Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, ch. 13 (percentile
   intervals) and §8.3 (paired data). Chapman & Hall.
3. Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
   estimation. *JASA* 102(477), 359–378 (CRPS, eq. 20–21).
4. Hyndman, R. J. & Koehler, A. B. (2006). Another look at measures of forecast accuracy.
   *Int. J. Forecasting* 22(4), 679–688 (MAE, RMSE).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "absolute_errors",
    "mae",
    "median_ae",
    "rmse",
    "share_within",
    "BootstrapCI",
    "paired_bootstrap",
    "interval_coverage",
    "crps_samples",
    "crps_uniform",
]


def absolute_errors(
    forecast: npt.ArrayLike,
    outcome: npt.ArrayLike,
    low: npt.ArrayLike = 0.0,
    high: npt.ArrayLike = 100.0,
) -> np.ndarray:
    r"""Absolute errors on each issue's scale rescaled to 0–100: :math:`100|\hat x-x|/(h-l)`.

    Examples
    --------
    >>> absolute_errors(np.array([7.0, 50.0]), np.array([8.5, 40.0]),
    ...                 np.array([4.0, 0.0]), np.array([10.0, 100.0])).tolist()
    [25.0, 10.0]
    """
    f, o = np.asarray(forecast, float), np.asarray(outcome, float)
    width = np.asarray(high, float) - np.asarray(low, float)
    return 100.0 * np.abs(f - o) / width


def mae(errors: npt.ArrayLike) -> float:
    r"""Mean absolute error :math:`\frac1n\sum_j e_j` [1, 4].

    >>> mae(np.array([0.0, 10.0, 20.0]))
    10.0
    """
    return float(np.mean(np.abs(errors)))


def median_ae(errors: npt.ArrayLike) -> float:
    """Median absolute error: robust to the few issues a model gets badly wrong.

    >>> median_ae(np.array([0.0, 10.0, 90.0]))
    10.0
    """
    return float(np.median(np.abs(errors)))


def rmse(errors: npt.ArrayLike) -> float:
    r"""Root mean squared error :math:`\sqrt{\frac1n\sum_j e_j^2}` [4].

    >>> rmse(np.array([3.0, 4.0, 0.0, 0.0])) == 2.5
    True
    """
    e = np.asarray(errors, float)
    return float(np.sqrt(np.mean(e * e)))


def share_within(errors: npt.ArrayLike, points: float) -> float:
    """Share of issues (0–1) forecast within ``points`` of the outcome (on the 0–100 scale).

    >>> share_within(np.array([0.0, 5.0, 5.1, 30.0]), 5)
    0.5
    """
    return float(np.mean(np.abs(errors) <= points))


@dataclass(frozen=True)
class BootstrapCI:
    """A statistic of paired differences with its percentile bootstrap interval."""

    estimate: float
    low: float
    high: float
    level: float
    n: int
    n_boot: int


def paired_bootstrap(
    errors: npt.ArrayLike,
    baseline_errors: npt.ArrayLike,
    rng: np.random.Generator,
    n_boot: int = 2000,
    level: float = 0.95,
    stat: Callable[[np.ndarray], np.ndarray] | None = None,
    clusters: npt.ArrayLike | None = None,
) -> BootstrapCI:
    r"""Percentile bootstrap interval of a model's error minus the baseline's, paired by issue.

    The estimate is :math:`\bar d = \frac1n \sum_j (e_j - e^{(0)}_j)` (negative: the model is
    more accurate than the baseline). Each replicate resamples *issues* with replacement — the
    same issues for both models, which keeps the pairing [2] — and the interval is the
    :math:`(1\pm\text{level})/2` quantiles of the replicated statistic. With ``clusters``
    (e.g. the DEU dossier of each issue) whole clusters are resampled instead, since issues of
    one proposal are not independent.

    Parameters
    ----------
    errors, baseline_errors : arrays of the same length, the two models' errors on each issue.
    rng : numpy Generator (the replicates are drawn from it).
    n_boot : number of bootstrap replicates (default 2000).
    level : interval coverage (default 0.95).
    stat : statistic of the differences along the last axis (default the mean).
    clusters : optional labels; resample clusters rather than issues.

    Examples
    --------
    >>> ci = paired_bootstrap(np.array([1.0, 2, 3, 4]), np.array([2.0, 3, 4, 5]),
    ...                       np.random.default_rng(0), n_boot=200)
    >>> (ci.estimate, ci.low, ci.high)
    (-1.0, -1.0, -1.0)
    """
    d = np.asarray(errors, float) - np.asarray(baseline_errors, float)
    if d.ndim != 1 or d.size == 0:
        raise ValueError("paired_bootstrap needs two equally long, non-empty error vectors")
    f = stat or (lambda x: np.mean(x, axis=-1))
    if clusters is None:
        idx = rng.integers(0, d.size, size=(n_boot, d.size))
        reps = f(d[idx])
    else:
        if stat is not None:
            raise ValueError("the clustered bootstrap supports the mean only")
        labels, inv = np.unique(np.asarray(clusters), return_inverse=True)
        sums = np.bincount(inv, weights=d, minlength=labels.size)
        sizes = np.bincount(inv, minlength=labels.size).astype(float)
        pick = rng.integers(0, labels.size, size=(n_boot, labels.size))
        reps = sums[pick].sum(-1) / sizes[pick].sum(-1)  # mean over the issues drawn
    a = (1.0 - level) / 2.0
    lo, hi = np.quantile(reps, [a, 1.0 - a])
    return BootstrapCI(float(f(d)), float(lo), float(hi), level, int(d.size), n_boot)


def interval_coverage(low: npt.ArrayLike, high: npt.ArrayLike, outcome: npt.ArrayLike) -> float:
    """Share (0–1) of outcomes inside their forecast interval ``[low, high]`` (closed).

    A calibrated 90% interval covers about 0.9 of the outcomes.

    >>> interval_coverage(np.array([0, 10]), np.array([5, 20]), np.array([5, 30]))
    0.5
    """
    lo, hi, y = (np.asarray(v, float) for v in (low, high, outcome))
    return float(np.mean((lo <= y) & (y <= hi)))


def crps_samples(samples: npt.ArrayLike, outcome: npt.ArrayLike) -> np.ndarray:
    r"""CRPS of the empirical distribution of ``samples`` (last axis) at ``outcome`` [3].

    .. math:: \mathrm{CRPS}(F, y) = \mathbb E|X - y| - \tfrac12 \mathbb E|X - X'|

    with :math:`X, X'` independent draws from :math:`F`. For :math:`m` sorted samples
    :math:`x_{(1)} \le \dots \le x_{(m)}`,
    :math:`\sum_{i,k}|x_i - x_k| = 2\sum_i (2i - m - 1)\,x_{(i)}`, so the cost is
    :math:`O(m \log m)`. Lower is better; for a single sample (a point forecast) the CRPS is the
    absolute error, so CRPS and MAE are on the same scale. Batched over leading axes.

    Examples
    --------
    >>> float(crps_samples(np.array([3.0]), 5.0))
    2.0
    >>> float(crps_samples(np.array([0.0, 10.0]), 5.0))
    2.5
    """
    x = np.sort(np.asarray(samples, float), axis=-1)
    y = np.asarray(outcome, float)[..., None]
    m = x.shape[-1]
    term1 = np.mean(np.abs(x - y), axis=-1)
    i = np.arange(1, m + 1)
    term2 = np.sum((2 * i - m - 1) * x, axis=-1) / (m * m)
    return term1 - term2


def crps_uniform(low: npt.ArrayLike, high: npt.ArrayLike, outcome: npt.ArrayLike) -> np.ndarray:
    r"""CRPS of the uniform distribution on ``[low, high]`` at ``outcome``, in closed form.

    With :math:`\mathbb E|X - X'| = (b-a)/3` for :math:`X \sim U[a, b]`,

    .. math::
        \mathrm{CRPS} = \mathbb E|X - y| - \frac{b-a}{6}, \qquad
        \mathbb E|X-y| = \begin{cases}
            \frac{(y-a)^2 + (b-y)^2}{2(b-a)} & a \le y \le b \\
            \left|y - \frac{a+b}2\right| & \text{otherwise.} \end{cases}

    Used for verbal (pundit) forecasts read as "somewhere in this range". ``low == high``
    gives the absolute error of the point forecast.

    >>> float(crps_uniform(0.0, 10.0, 20.0))  # |20 - 5| - 10/6
    13.333333333333334
    """
    a, b, y = (np.asarray(v, float) for v in (low, high, outcome))
    w = b - a
    inside = (a <= y) & (y <= b) & (w > 0)
    safe = np.where(w > 0, w, 1.0)
    e_in = ((y - a) ** 2 + (b - y) ** 2) / (2 * safe)
    e_out = np.abs(y - (a + b) / 2)
    return np.where(inside, e_in, e_out) - w / 6.0
