"""The cohesion page's survival section (issue 19): will the alliance of the two states hold?

Computed only when asked for (``/cohesion?...&survival=1``): the yearly refits behind the line
take about a minute the first time and are cached after (:mod:`realpolitik.analysis.alliance.
survival.fits`). Any failure (no data, no alliance in the years shown) is a sentence on the
page, never an error page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..report import charts_survival

__all__ = ["survival_context"]


def survival_context(a: str, b: str, start: int, end: int,
                     data_dir: str | Path | None) -> dict[str, Any]:
    """``{"survival": record part | None, "specs": {id: spec}, "note": str | None}``."""
    from ..analysis.alliance.survival import figures
    from ..analysis.alliance.survival.forecast import ForecastError
    from ..analysis.alliance.survival.table import load_table

    out: dict[str, Any] = {"survival": None, "specs": {}, "note": None}
    try:
        data = load_table(data_dir)
        part: dict[str, Any] = {**figures.overview(data), "line": None}
        try:
            part["line"] = figures.dyad_line(data, a, b, start, end)
        except ForecastError as e:
            out["note"] = str(e)
    except Exception as e:  # missing data, unreadable files: said on the page
        out["note"] = f"{type(e).__name__}: {e}"
        return out
    out["survival"] = part
    for key, spec in (("chart-survival-line", charts_survival.dyad_line(part["line"])),
                      ("chart-survival-km", charts_survival.km_by_type(part["km_by_type"])),
                      ("chart-survival-forest", charts_survival.forest(part["forest"]))):
        if spec:
            out["specs"][key] = spec
    return out
