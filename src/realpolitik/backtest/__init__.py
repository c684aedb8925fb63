"""Honest accuracy: a case library, metrics, seeded splits and backtests against the baseline.

See ``docs/backtest.md``. Public API::

    from realpolitik.backtest import load_cases, run_backtest
    bt = run_backtest(load_cases(), ["compromise", "median", "eum"], seed=1)
    bt.board            # the leaderboard (pandas)
"""

from . import metrics
from .backtest import Backtest, frame_from_forecasts, leaderboard, run_backtest
from .cases import Case, deu_capability, load_cases, shipped, shipped_names
from .splits import Split, load_split, make_split, save_split

__all__ = [
    "metrics",
    "Backtest",
    "run_backtest",
    "leaderboard",
    "frame_from_forecasts",
    "Case",
    "load_cases",
    "shipped",
    "shipped_names",
    "deu_capability",
    "Split",
    "make_split",
    "load_split",
    "save_split",
]
