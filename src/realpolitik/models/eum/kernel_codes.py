"""Settings of the compiled EUM kernel as integer codes, and the tie rule compiled for it.

The kernel (:mod:`realpolitik.models.eum.kernel`) is compiled once for one signature; the
settings of :class:`~realpolitik.models.eum.params.EUMParams` therefore reach it as run-time
integers (:func:`codes`), indexed by the constants below. The tie rule is
:mod:`realpolitik.models.ties`'s own Python functions compiled with numba (its ``RTOL`` and
``TINY`` frozen in as constants), so the kernel and the numpy core take the same decisions.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..ties import greater_scalar, tolerance_scalar
from .params import UTILITY_SCALE, EUMParams

__all__ = ["codes", "greater", "tolerance"]

# The tie rule of :mod:`realpolitik.models.ties`, compiled from the very same Python functions
# (RTOL and TINY are frozen in as constants), so both backends take the same decisions.
greater = njit(cache=True)(greater_scalar)
tolerance = njit(cache=True)(tolerance_scalar)
U = UTILITY_SCALE

_CHOICES = {  # setting → its values in code order
    "probability": ("pairwise", "global"),
    "votes": ("linear", "risk"),
    "perspective": ("own", "observer"),
    "security": ("actors", "positions"),
    "offer": ("least-move", "highest-eu", "scholz-code"),
    "t_rule": ("median", "better", "worse", "half"),
    "scale": ("initial", "current", "issue"),
    "median_tie": ("mid", "lower", "upper"),
    "risk": ("every-round", "first-round", "neutral"),
    "stop": ("rounds", "stable", "payoff"),
}
# positions in the integer settings array
PROB, VOTES, PERSP, SEC, OFFER, T_RULE, SCALE, TIE, RISK, STOP, CAPIT, ROUNDS = range(12)
_T_CONST = (0.0, 1.0, 0.0, 0.5)  # T for t_rule median (unused), better, worse, half


def codes(p: EUMParams) -> tuple[np.ndarray, np.ndarray]:
    """The settings as the kernel takes them: int64 codes and float64 ``[q, tol, 0.5]``."""
    ints = [_CHOICES[k].index(getattr(p, k)) for k in _CHOICES]
    ints += [int(p.capitulation), p.rounds]
    return np.array(ints, np.int64), np.array([p.q, p.tol, 0.5], np.float64)
