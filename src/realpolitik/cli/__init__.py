"""The ``realpolitik`` command line (see :mod:`realpolitik.cli.app`).

Each further command family lives in its own module that registers its commands on ``app``
when imported; list it here.
"""

from . import (  # noqa: F401
    backtest,
    calibrate,
    cohesion,
    data,
    draft,
    report,
    store,
    survival,
    uncertainty,
)
from .app import app, main

__all__ = ["app", "main"]
