"""realpolitik: alliance politics as bargaining — scenarios, models, forecasts, cohesion.

Quick start
-----------
>>> import realpolitik as rp
>>> sc = rp.load("examples/emission-1994.yaml")  # doctest: +SKIP
>>> rp.forecast(sc, models=["compromise"]).table()  # doctest: +SKIP

The names below are imported on first use (PEP 562), so ``import realpolitik`` — and with it
every ``realpolitik`` command, ``--help`` included — does not pay for numpy, pydantic or the
models until something needs them.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .forecast import Forecast, forecast
    from .scenario import Scenario, ScenarioError
    from .scenario.io import load, save

__all__ = ["Scenario", "ScenarioError", "Forecast", "load", "save", "forecast", "__version__"]

_LAZY = {
    "Scenario": ".scenario",
    "ScenarioError": ".scenario.problems",
    "Forecast": ".forecast",
    "forecast": ".forecast",
    "load": ".scenario.io",
    "save": ".scenario.io",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """``realpolitik.forecast`` stays the function after the module of that name is imported.

    Importing a submodule binds it as an attribute of its package; for ``forecast`` that would
    hide the function, so that one binding is dropped (the module stays importable as
    ``realpolitik.forecast`` through ``sys.modules``, and its record types with ``from
    realpolitik.forecast import Forecast``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "forecast" and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
