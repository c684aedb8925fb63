"""Bargaining models behind one protocol (:class:`~realpolitik.models.base.Model`).

Each model family is one module that ``@register``-s its class; importing this package
registers them all. ``create(name, **params)`` builds one, ``names()`` lists them.
"""

# Registration order is listing order: the baselines first, then the strategic models.
# isort: off
from . import reference  # noqa: F401  (compromise, median, mean, status-quo)
from . import nash  # noqa: F401
from . import eum  # noqa: F401
from . import exchange  # noqa: F401
from . import smp  # noqa: F401
# isort: on

from .base import IssueForecast, Model, ModelResult, as_rng
from .registry import UnknownModel, create, get, names, register

__all__ = [
    "Model",
    "ModelResult",
    "IssueForecast",
    "as_rng",
    "create",
    "get",
    "names",
    "register",
    "UnknownModel",
]
