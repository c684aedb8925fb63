"""The ``realpolitik`` command line (see :mod:`realpolitik.cli.app`).

Each further command family lives in its own module that registers on ``app``; import it
below (one line per module).
"""

from .app import app, main

# Command modules (each registers its commands on `app` when imported):
from . import cohesion  # noqa: E402,F401

__all__ = ["app", "main"]
