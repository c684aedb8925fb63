r"""The state of one round of Stokman's exchange model and the rules every candidate obeys.

Positions are on 0–100; arrays are actors × issues; ``weight`` is :math:`w_{it} = c_{it} s_{it}`
and :math:`D_t = \sum_i w_{it}`. :class:`Round` holds the start and voting positions, each
demander's view of the others' executed trades (decide's bookkeeping, see
:mod:`realpolitik.models.exchange.core`) and the candidate arrays; :func:`outcome` is the
weighted mean of step 1 there, :func:`_valid_move` decide's test of a move and
:func:`_seen_outcome` the outcome as one candidate sees it. The tolerances are shared with the
compiled kernel (:mod:`realpolitik.models.exchange.kernel`).

References: Stokman & Van Oosten (1994); Draaijer (2022), decide-exchange-model — as in
:mod:`realpolitik.models.exchange.core`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import ties

__all__ = ["EPS", "BOUND_TOL", "CROSS_TOL", "outcome", "Round"]

EPS = 1e-10  # decide's threshold for a zero move or gain
BOUND_TOL = 1e-9  # float slack on the 0–100 bounds (decide computes in 28-digit decimals)
#: A seen outcome within this of the demander's position counts as at it (the tie rule's
#: RTOL on the 0–100 scale): a truncated trade leaves it exactly there, and float noise must
#: not decide on which side it is.
CROSS_TOL = ties.RTOL * 100.0


def outcome(position: np.ndarray, weight: np.ndarray) -> np.ndarray:
    r"""Per-issue outcome :math:`O_t = \sum_i w_{it} x_{it} / \sum_i w_{it}` (0 if no weight)."""
    total = weight.sum(0)
    num = (weight * np.nan_to_num(position)).sum(0)
    return np.divide(num, total, out=np.zeros_like(total), where=total > 0)


@dataclass
class Round:
    """State of one round: start positions ``x0``, voting positions ``y``, the candidates.

    ``seen[B, t, u]`` is the position of actor u on issue t as seen by candidates in which B
    demands t (NaN: not seen, the start position counts), ``shift[B, t, u]`` that sighting's
    weighted shift :math:`w_{ut} (\text{seen} - x^0_{ut})` (0 if none); ``offset[B, t]`` the
    running sum of those shifts. Candidate arrays: actors ``I``, ``J``, issues ``p``, ``q``,
    the sums and signs of earlier (superseded) moves per side, current moves, gains and the
    tie order.
    """

    x0: np.ndarray
    salience: np.ndarray
    weight: np.ndarray
    p_random: float
    rng: np.random.Generator
    y: np.ndarray = field(init=False)
    D: np.ndarray = field(init=False)
    O0: np.ndarray = field(init=False)
    seen: np.ndarray = field(init=False)
    shift: np.ndarray = field(init=False)
    offset: np.ndarray = field(init=False)
    c: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n, k = self.x0.shape
        self.y = self.x0.copy()
        self.D = self.weight.sum(0)
        self.O0 = outcome(self.x0, self.weight)
        self.seen = np.full((n, k, n), np.nan)
        self.shift = np.zeros((n, k, n))
        self.offset = np.zeros((n, k))


def _seen_outcome(r: Round, sup: int, dem: int, t: int, z: float) -> float:
    """Outcome on t as one candidate sees it: supplier ``sup`` at z, the demander's view of
    the others (:math:`O^0_t + (\text{offset} - \text{own shift} + w (z - x^0)) / D_t`)."""
    w = r.weight[sup, t]
    own_shift = r.shift[dem, t, sup]
    return float(r.O0[t] + (r.offset[dem, t] - own_shift + w * (z - r.x0[sup, t])) / r.D[t])


def _valid_move(m: np.ndarray, z: np.ndarray, hist: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """A move is valid if nonzero, inside [0, 100], in the direction of earlier moves of the
    same actor on the same issue in this candidate, and their sum is at most 100."""
    am = np.abs(m)
    return (
        (am > EPS)
        & (am <= 100)
        & (z + m >= -BOUND_TOL)
        & (z + m <= 100 + BOUND_TOL)
        & (hist + m <= 100 + BOUND_TOL)
        & ((sign == 0) | (sign == np.sign(m)))
    )
