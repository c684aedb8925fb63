"""The ``realpolitik`` command line (see :mod:`realpolitik.cli.app`).

Each further command family lives in its own module that registers its commands on ``app``
when imported; list it here.
"""

from . import backtest, calibrate, cohesion, data, draft, report, store, uncertainty  # noqa: F401
from .app import app, main

__all__ = ["app", "main"]
