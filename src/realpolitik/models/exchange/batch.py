"""Many Monte Carlo draws of one scenario through the exchange model, draw for draw exact.

The draw-by-draw model spends a small run in Python: a round of 6 actors × 4 issues is a few
dozen executions, each a handful of numpy calls on a few dozen candidates. Here the compiled
kernel (:mod:`.kernel`) plays every draw's rounds, the candidate search included, with the
numpy core's arithmetic (so the same exchanges, positions and outcomes, bit for bit); a draw
whose best gains tie under ``tie_break="random"`` is handed back and replayed draw by draw
with its own generator, so the tie is broken by the same 50/50 draw as in the model.

Supported: ``p = 0`` (equal gains) with ``tie_break`` ``random`` or ``first``; :func:`supports`
says so, anything else runs draw by draw. The kernel compiles once (about as long as a few
hundred draws take draw by draw) and is cached on disk: :func:`use_kernel` takes it when it
is warm, or when the batch is large enough that compiling costs less than it saves.
"""

from __future__ import annotations

import numpy as np

from ...scenario import Scenario
from .model import Exchange

__all__ = ["supports", "use_kernel", "outcomes", "COLD_MIN_DRAWS", "WARM_MIN_DRAWS"]

#: A batch at least this large compiles a cold kernel (the compile costs a few seconds; the
#: draw-by-draw model runs about 30-60 Korea 2006 draws a second).
COLD_MIN_DRAWS = 500
#: A batch smaller than this runs draw by draw without importing numba (a small forecast's
#: diagnostics stay free of it), unless the kernel is asked for.
WARM_MIN_DRAWS = 200


def supports(model: Exchange) -> bool:
    """Whether :func:`outcomes` runs this parameter set in the kernel."""
    p = model.params
    return p.p == 0 and p.tie_break in ("random", "first")  # type: ignore[attr-defined]


def use_kernel(draws: int) -> bool:
    """Take the compiled kernel for ``draws`` draws: when it is warm (compiled in this process
    or cached on disk) and the batch has :data:`WARM_MIN_DRAWS` draws or more, or when the
    batch is large enough to pay for compiling it (:data:`COLD_MIN_DRAWS`)."""
    if draws < WARM_MIN_DRAWS:
        return False
    try:
        from .kernel import is_warm
    except ImportError:  # numba absent
        return False
    return draws >= COLD_MIN_DRAWS or is_warm()


def outcomes(model: Exchange, scenario: Scenario, capability: np.ndarray, position: np.ndarray,
             salience: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every issue's forecast (B, k) for draws of the scenario's arrays (B, n, k) as
    :meth:`Scenario.arrays` gives them, and a mask of the draws the caller must replay draw
    by draw (a tie the 50/50 rule breaks); every other draw equals ``model.run`` on it."""
    from .kernel import solve

    a = scenario.arrays()
    present = a.present
    span = a.high - a.low
    x = np.where(present, (position - a.low) * (100.0 / span), np.nan)
    w = np.where(present, capability * salience, 0.0)
    s = np.where(present, salience, 0.0)
    prm = model.params
    out, status = solve(x, s, w, present, prm.rounds, prm.tolerance,  # type: ignore[attr-defined]
                        prm.tie_break == "first")  # type: ignore[attr-defined]
    return a.low + out * span / 100.0, status != 0
