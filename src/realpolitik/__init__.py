"""realpolitik: alliance politics as bargaining — scenarios, models, forecasts, cohesion.

Quick start
-----------
>>> import realpolitik as rp
>>> sc = rp.load("examples/emission-1994.yaml")  # doctest: +SKIP
>>> rp.forecast(sc, models=["compromise"]).table()  # doctest: +SKIP
"""

__version__ = "0.1.0"

from .scenario import Scenario, ScenarioError  # noqa: E402
from .scenario.io import load, save  # noqa: E402

__all__ = ["Scenario", "ScenarioError", "load", "save", "forecast", "__version__"]


def __getattr__(name: str):  # keep `import realpolitik` light
    if name == "forecast":
        from .forecast import forecast

        return forecast
    raise AttributeError(name)
