"""The ``realpolitik`` command line (see :mod:`realpolitik.cli.app`)."""

from .app import app, main

__all__ = ["app", "main"]
