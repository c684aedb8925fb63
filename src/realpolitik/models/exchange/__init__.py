"""Stokman's exchange model: equal-gain vote trading across issue pairs (Stokman & van Oosten
1994; Dijkstra et al. 2008).

``queue`` (the ranked exchange candidates and their tie rules), ``core`` (one round of
exchanges, numpy) and ``model`` (the registered :class:`Exchange`). Modules here import
``models.base``/``registry``/``ties`` and ``scenario``, never ``analysis`` or anything above.
"""

from .model import Exchange, ExchangeParams

__all__ = ["Exchange", "ExchangeParams"]
