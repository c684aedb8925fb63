"""KTAB's spatial model of politics (SMP): challenges, bargains and probabilistic Condorcet
elections, in many dimensions (Wise, Lester & Efird 2015; KTAB ``smpc``).

``prng`` (KTAB's Mersenne Twister draws), ``core`` (votes, victory probabilities, PCE, risk),
``challenge`` (who challenges whom, third parties), ``dynamics`` (one turn and the run to a
stop) and ``model`` (the registered :class:`SMP`). Modules here import ``models.base``/
``registry``/``ties`` and ``scenario``, never ``analysis`` or anything above.
"""

from .model import KTAB_PARAMETERS, SMP, SMPParams

__all__ = ["SMP", "SMPParams", "KTAB_PARAMETERS"]
