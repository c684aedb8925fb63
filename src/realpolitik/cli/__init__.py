"""The ``realpolitik`` command line (see :mod:`realpolitik.cli.app` for the shared plumbing).

Each command family lives in its own module that registers its commands on ``app`` when
imported; list it here. Import order is ``--help``'s order: the main job first.
"""

# isort: off
from . import forecast, scenario, catalogue  # noqa: F401
from . import (  # noqa: F401
    backtest,
    calibrate,
    cohesion,
    data,
    draft,
    report,
    store,
    survival,
    survival_ledger,
    uncertainty,
    strategy,
)

# isort: on
from .app import app, main

__all__ = ["app", "main"]
