"""State-system membership lists (Correlates of War and Gleditsch–Ward) with their dates.

Files: ``states/cowstates.rda`` and ``states/gwstates.rda`` (andybega/states), or
``peacesciencer/cow_states.rda`` (COW 2016 release, ``styear``/``stmonth``… columns). All are
normalised to one layout, one row per membership spell:

==========  ==========================================================
column      meaning
==========  ==========================================================
code        COW or G–W numeric code (int)
abbrev      three-letter abbreviation of that system
name        state name
start, end  first and last day of the spell (datetime64; ongoing spells
            end 9999-12-31 in andybega/states, 2016-12-31 in peacesciencer)
styear,     calendar years of ``start`` and ``end``
endyear
==========  ==========================================================

A state is a *system member in year t* if any spell overlaps year t (peacesciencer's rule
for state-years).

References
----------
.. [1] Correlates of War Project (2017). State System Membership List, v2016.
.. [2] Gleditsch, K. S. & Ward, M. D. (1999). Interstate system membership: a revised list of
   the independent states since 1816. *International Interactions* 25(4), 393–413.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from realpolitik.data._io import DataError, PathLike, locate, read_rda

__all__ = ["load_states", "system_members", "state_years"]

System = Literal["cow", "gw", "cow-peacesciencer"]

_FILES = {
    "cow": "states/cowstates.rda",
    "gw": "states/gwstates.rda",
    "cow-peacesciencer": "peacesciencer/cow_states.rda",
}
_COLUMNS = ["code", "abbrev", "name", "start", "end", "styear", "endyear"]


def load_states(
    system: System = "cow", path: PathLike | None = None, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """Load a state list in the common layout (see module docstring).

    Parameters
    ----------
    system : {"cow", "gw", "cow-peacesciencer"}
        Which list; picks the default file.
    path : path-like, optional
        Explicit file (either layout is recognised from its columns).
    data_dir : path-like, optional
        Data directory (default: ``$REALPOLITIK_DATA`` or ``../shared/data/ir``).
    """
    if system not in _FILES:
        raise ValueError(f"system must be one of {sorted(_FILES)}, not {system!r}")
    target = locate(_FILES[system], path, data_dir)
    raw = read_rda(target)
    if {"stateabb", "ccode", "styear"} <= set(raw.columns):
        out = _from_peacesciencer(raw)
    elif {"start", "end", "country_name"} <= set(raw.columns):
        code = "cowcode" if "cowcode" in raw.columns else "gwcode"
        abbrev = "cowc" if code == "cowcode" else "gwc"
        out = pd.DataFrame(
            {
                "code": raw[code].astype(int),
                "abbrev": raw[abbrev].astype(str),
                "name": raw["country_name"].astype(str),
                "start": pd.to_datetime(raw["start"].astype(str)),
                "end": pd.to_datetime(raw["end"].astype(str)),
            }
        )
    else:
        raise DataError(f"{target}: not a recognised state list (columns {list(raw.columns)})")
    out["styear"] = out["start"].dt.year
    out["endyear"] = out["end"].dt.year
    return out[_COLUMNS].reset_index(drop=True)


def _from_peacesciencer(raw: pd.DataFrame) -> pd.DataFrame:
    def date(prefix: str) -> pd.Series:
        parts = raw[[f"{prefix}year", f"{prefix}month", f"{prefix}day"]].astype(int)
        parts.columns = ["year", "month", "day"]
        return pd.to_datetime(parts)

    return pd.DataFrame(
        {
            "code": raw["ccode"].astype(int),
            "abbrev": raw["stateabb"].astype(str),
            "name": raw["statenme"].astype(str),
            "start": date("st"),
            "end": date("end"),
        }
    )


def system_members(states: pd.DataFrame, year: int) -> npt.NDArray[np.int64]:
    """Sorted codes of the states in the system at any time during ``year``.

    Examples
    --------
    >>> s = pd.DataFrame({"code": [255, 260, 265], "styear": [1816, 1955, 1954],
    ...                   "endyear": [1945, 1990, 1990]})
    >>> system_members(s, 1990).tolist(), system_members(s, 1950).tolist()
    ([260, 265], [])
    """
    inside = (states["styear"] <= year) & (states["endyear"] >= year)
    return np.unique(states.loc[inside, "code"].to_numpy(dtype=np.int64))


def state_years(states: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """All (code, year) system-membership pairs for ``start <= year <= end``."""
    rows = [(int(c), y) for y in range(start, end + 1) for c in system_members(states, y)]
    return pd.DataFrame(rows, columns=["code", "year"])
