"""Reports: one self-contained HTML file per forecast (charts inlined, no network needed).

>>> from realpolitik.report import build_report  # doctest: +SKIP
>>> html = build_report(scenario)                # doctest: +SKIP

:func:`build_report` runs the analyses (:func:`collect`) and renders the record
(:func:`render`); the same record always gives the same bytes. See ``docs/report.md``.
"""

from __future__ import annotations

from typing import Any

from ..scenario import Scenario
from .html import PANELS, render, to_pdf
from .record import SCHEMA, collect, from_forecast_json

__all__ = ["build_report", "collect", "from_forecast_json", "render", "to_pdf", "PANELS",
           "SCHEMA"]


def build_report(scenario: Scenario, **options: Any) -> str:
    """The HTML report of ``scenario`` (options as for :func:`collect`)."""
    return render(collect(scenario, **options))
