"""COW National Material Capabilities (NMC 7.0): military spending, personnel, CINC.

File: ``peacesciencer/cow_nmc.rda`` — one row per state-year, 1816–2022:

======  ==========================================================
column  meaning
======  ==========================================================
ccode   COW code (int)
year    year (int)
milex   military expenditure, thousands of current US dollars
milper  military personnel, thousands
irst    iron and steel production, thousands of tons
pec     primary energy consumption, thousands of coal-ton equivalents
tpop    total population, thousands
upop    urban population, thousands
cinc    Composite Index of National Capability (share of the system total)
======  ==========================================================

COW's missing-value code −9 (if present in a CSV export) is converted to NA.

References
----------
.. [1] Singer, J. D., Bremer, S. & Stuckey, J. (1972). Capability distribution, uncertainty,
   and major power war, 1820–1965. In B. Russett (ed.), *Peace, War, and Numbers*, 19–48.
.. [2] Greig, J. M. & Enterline, A. J. (2021). National Material Capabilities (v7.0),
   Correlates of War Project.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from realpolitik.data._io import DataError, PathLike, locate, read_rda, read_table, require_columns

__all__ = ["COVERAGE", "NMC_COLUMNS", "load_nmc", "capabilities"]

COVERAGE = (1816, 2022)
"""First and last year of NMC 7.0 in peacesciencer's copy."""

NMC_COLUMNS = ("ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc")


def load_nmc(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Load NMC state-years (``.rda`` or ``.csv`` with the columns above).

    Raises
    ------
    DataError
        If the file is missing, lacks a column, or repeats a state-year.
    """
    target = locate("peacesciencer/cow_nmc.rda", path, data_dir)
    raw = read_table(target) if target.suffix.lower() == ".csv" else read_rda(target)
    if "stateabb" in raw.columns and "ccode" in raw.columns:  # COW's own CSV layout
        raw = raw.drop(columns=["stateabb", "version"], errors="ignore")
    require_columns(raw, NMC_COLUMNS, target)
    out = raw[list(NMC_COLUMNS)].copy()
    values = out.columns[2:]
    out[values] = out[values].astype(float).where(out[values] != -9, np.nan)
    out["ccode"] = out["ccode"].astype(int)
    out["year"] = out["year"].astype(int)
    if out.duplicated(["ccode", "year"]).any():
        raise DataError(f"{target}: duplicate (ccode, year) rows")
    return out.sort_values(["ccode", "year"]).reset_index(drop=True)


def capabilities(nmc: pd.DataFrame, ccode: int, years: range | list[int]) -> pd.DataFrame:
    """One state's NMC rows reindexed to ``years`` (NA where absent or outside coverage)."""
    rows = nmc[nmc["ccode"] == ccode].set_index("year")
    return rows.reindex(pd.Index(list(years), name="year")).drop(columns="ccode")
