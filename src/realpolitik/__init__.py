"""realpolitik: alliance politics as bargaining — scenarios, models, forecasts, cohesion.

Quick start
-----------
>>> import realpolitik as rp
>>> sc = rp.load("examples/emission-1994.yaml")  # doctest: +SKIP
>>> rp.forecast(sc, models=["compromise"]).table()  # doctest: +SKIP
"""

__version__ = "0.1.0"

# Bound after the submodule of the same name is imported, so `realpolitik.forecast` is the
# function; the record types live in `realpolitik.forecast` the module (import from there).
from .forecast import Forecast, forecast  # noqa: E402, I001
from .scenario import Scenario, ScenarioError  # noqa: E402
from .scenario.io import load, save  # noqa: E402

__all__ = ["Scenario", "ScenarioError", "Forecast", "load", "save", "forecast", "__version__"]
