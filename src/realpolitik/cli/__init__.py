"""The ``realpolitik`` command line (see :mod:`realpolitik.cli.app`).

Each further command family lives in its own module that registers on ``app``; import it
below (one line per module).
"""

# Command modules (each registers its commands on `app` when imported):
from . import uncertainty  # noqa: E402,F401
from . import report  # noqa: E402,F401
from . import (
    backtest,  # noqa: E402,F401
    cohesion,  # noqa: E402,F401
    data,  # noqa: E402,F401
    store,  # noqa: E402,F401
)
from .app import app, main

__all__ = ["app", "main"]
