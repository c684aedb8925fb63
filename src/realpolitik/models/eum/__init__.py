"""Bueno de Mesquita's expected-utility model (EUM), after Scholz, Calbert & Smith (2011).

One concept per module, lowest first: ``params`` (the variants and their switches), ``votes``
(votes and :math:`P_{ij}`), ``utility`` (utilities, security, risk), ``dyads`` (dyad codes and
offers, reference round), ``round`` (the fused batched round), ``core`` (the numpy driver
``run_batch``), ``kernel`` (the same rounds compiled with numba) and ``model`` (the registered
:class:`ExpectedUtility`). Modules here import ``models.base``/``registry``/``reference``/
``ties`` and ``scenario``, never ``analysis`` or anything above.
"""

from .model import EUMParams, ExpectedUtility, trajectory

__all__ = ["ExpectedUtility", "EUMParams", "trajectory"]
