"""Honest accuracy: a case library, metrics, seeded splits and backtests against the baseline.

See ``docs/backtest.md``. Public API::

    from realpolitik.backtest import load_cases, run_backtest
    bt = run_backtest(load_cases(), ["compromise", "median", "eum"], seed=1)
    bt.board            # the leaderboard (pandas)

The names are imported on first use (PEP 562): a forecast's trust step imports
:mod:`.trust`, :mod:`.calibration` and :mod:`.track_record` from this package without paying
for pandas, which the backtest runner needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_LAZY = {
    "metrics": "", "Backtest": ".backtest", "run_backtest": ".backtest",
    "leaderboard": ".backtest", "frame_from_forecasts": ".backtest", "Case": ".cases",
    "load_cases": ".cases", "shipped": ".cases", "shipped_names": ".cases",
    "deu_capability": ".cases", "Split": ".splits", "make_split": ".splits",
    "load_split": ".splits", "save_split": ".splits",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = import_module(_LAZY[name] or f".{name}", __name__)
    value = module if not _LAZY[name] else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
