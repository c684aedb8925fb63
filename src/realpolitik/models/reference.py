"""Reference models: the compromise model, the weighted median, the mean, the status quo.

These are the baselines every strategic model is judged against (Achen 2006). The numpy
cores work on arrays with any leading batch axes; the last axis runs over actors, and absent
actors are marked by NaN positions (their weight is ignored).

References
----------
1. Achen, C. H. (2006). Evaluating political decision-making models. In Thomson, Stokman,
   Achen & König (eds.), *The European Union Decides*, 264–298. Cambridge UP.
2. Black, D. (1948). On the rationale of group decision-making. *J. Political Economy*
   56(1), 23–34.
3. Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
   Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*, 71–104.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from ..scenario import Scenario
from .base import IssueForecast, Model, NoParams
from .registry import register
from .ties import first_true, greater, tied

__all__ = ["weights", "compromise", "weighted_median", "Compromise", "Median", "Mean", "StatusQuo"]

Weighting = Literal["cs", "c", "s"]
TieRule = Literal["mid", "lower", "upper"]


def weights(
    capability: np.ndarray, salience: np.ndarray, position: np.ndarray, by: Weighting = "cs"
) -> np.ndarray:
    """Actor weights ``c·s``, ``c`` or ``s``; zero where the actor is absent (NaN position)."""
    w = {"cs": capability * salience, "c": capability, "s": salience}[by]
    return np.where(np.isnan(position), 0.0, np.broadcast_to(w, position.shape))


#: What a weighted model says when it counted the actors equally because every weight was zero.
ALL_WEIGHTS_ZERO = (
    "every participant's weight is zero (e.g. every salience is 0): actors counted equally"
)


def equal_if_all_zero(w: np.ndarray, position: np.ndarray) -> np.ndarray:
    """``w`` (zero where absent), or weight 1 for every present actor where all ``w`` are 0.

    The one fallback of every weighted model (compromise, median, Nash): with no weights to
    tell the actors apart, each counts equally — the unweighted mean, median or symmetric
    Nash solution — rather than no answer or a division by zero. Batched over leading axes.
    """
    here = ~np.isnan(position)
    w = np.where(here, np.broadcast_to(w, position.shape), 0.0)
    return np.where((w.sum(-1, keepdims=True) <= 0) & here, 1.0, w)


def compromise(
    capability: np.ndarray, salience: np.ndarray, position: np.ndarray, by: Weighting = "cs"
) -> np.ndarray:
    r"""The compromise model: the weighted mean of positions.

    .. math:: \hat x = \frac{\sum_i w_i x_i}{\sum_i w_i}, \quad w_i = c_i s_i
       \text{ (or } c_i \text{, or } s_i)

    Where every weight is zero the actors count equally (:func:`equal_if_all_zero`): the
    unweighted mean. Batched over leading axes.

    Examples
    --------
    >>> round(float(compromise(np.array([2., 1]), np.array([1., 1]), np.array([0., 9]))), 6)
    3.0
    """
    w = equal_if_all_zero(weights(capability, salience, position, by), position)
    x = np.nan_to_num(position)
    total = w.sum(-1)
    return (w * x).sum(-1) / np.where(total > 0, total, 1)


def weighted_median(position: np.ndarray, w: np.ndarray, tie: TieRule = "mid") -> np.ndarray:
    """The weighted median of positions: the Condorcet winner under linear single-peaked votes.

    The smallest position whose cumulative weight reaches half the total. When it reaches
    exactly half (within the tolerance of :mod:`~realpolitik.models.ties`, relative to the
    total weight), every point up to the next position ties; ``tie`` picks the ``lower`` one,
    the ``upper`` one, or their midpoint (``mid``, the default: symmetric under reversing the
    scale). Absent actors have NaN positions; where every weight is zero the actors count
    equally (:func:`equal_if_all_zero`). Batched over leading axes.

    Examples
    --------
    >>> float(weighted_median(np.array([0., 10.]), np.array([1., 1.])))
    5.0
    >>> float(weighted_median(np.array([0., 10.]), np.array([1., 1.]), tie="lower"))
    0.0
    """
    x = np.where(np.isnan(position), np.inf, position)
    w = equal_if_all_zero(w, position)
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, -1)
    cum = np.cumsum(np.take_along_axis(w, order, -1), -1)
    total = cum[..., -1:]
    half = total / 2
    k = first_true(~greater(half, cum, total), axis=-1)[..., None]  # reaches half
    lower = np.take_along_axis(xs, k, -1)[..., 0]
    exact = tied(np.take_along_axis(cum, k, -1), half, total)[..., 0]
    k_up = np.minimum(first_true(greater(cum, half, total), axis=-1)[..., None], x.shape[-1] - 1)
    upper = np.where(exact, np.take_along_axis(xs, k_up, -1)[..., 0], lower)
    upper = np.where(np.isfinite(upper), upper, lower)
    if tie == "lower":
        return lower
    if tie == "upper":
        return upper
    return (lower + upper) / 2


class WeightParams(NoParams):
    """``weights``: ``cs`` (capability × salience, default), ``c`` or ``s``."""

    weights: Weighting = "cs"


class MedianParams(WeightParams):
    """Weights plus the tie rule: ``mid`` (default), ``lower`` or ``upper``."""

    tie: TieRule = "mid"


class _PerIssue(Model):
    """A static model that forecasts each issue from its participants' arrays."""

    def solve(
        self, scenario: Scenario, rng: np.random.Generator
    ) -> tuple[list[IssueForecast], None, dict[str, Any]]:
        a = scenario.arrays()
        out = []
        by = getattr(self.params, "weights", None)
        for j, iid in enumerate(a.issue_ids):
            c, x, s = a.issue(j)
            value = self.outcome(c, s, x, float(a.status_quo[j]))
            if value is None:
                out.append(IssueForecast(iid, None, details={"skipped": "no status quo"}))
            elif by is not None and not weights(c, s, x, by).sum() > 0:
                out.append(IssueForecast(iid, float(value), details={"fallback": ALL_WEIGHTS_ZERO}))
            else:
                out.append(IssueForecast(iid, float(value)))
        return out, None, {}

    def outcome(self, c: np.ndarray, s: np.ndarray, x: np.ndarray, sq: float) -> float | None:
        raise NotImplementedError


@register
class Compromise(_PerIssue):
    """The compromise model: capability × salience weighted mean of positions (Achen 2006)."""

    name = "compromise"
    summary = "weighted mean of positions (c·s, c or s weights): the baseline to beat"
    Params = WeightParams

    def outcome(self, c: np.ndarray, s: np.ndarray, x: np.ndarray, sq: float) -> float:
        return float(compromise(c, s, x, self.params.weights))  # type: ignore[attr-defined]


@register
class Median(_PerIssue):
    """The weighted median voter position (Black 1948; BdM 1994's forecast rule)."""

    name = "median"
    summary = "weighted median of positions (the Condorcet winner), explicit tie rule"
    Params = MedianParams

    def outcome(self, c: np.ndarray, s: np.ndarray, x: np.ndarray, sq: float) -> float:
        p = self.params
        return float(weighted_median(x, weights(c, s, x, p.weights), p.tie))  # type: ignore


@register
class Mean(_PerIssue):
    """The unweighted mean of positions: the naive baseline."""

    name = "mean"
    summary = "unweighted mean of the participants' positions"

    def outcome(self, c: np.ndarray, s: np.ndarray, x: np.ndarray, sq: float) -> float:
        return float(np.mean(x))


@register
class StatusQuo(_PerIssue):
    """Nothing changes: the forecast is the issue's status quo (skipped where none is coded)."""

    name = "status-quo"
    summary = "the issue's status quo / reference point (no change)"
    needs_status_quo = True
    within_hull = False

    def outcome(self, c: np.ndarray, s: np.ndarray, x: np.ndarray, sq: float) -> float | None:
        return None if np.isnan(sq) else sq
