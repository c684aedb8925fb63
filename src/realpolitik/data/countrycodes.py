"""Explicit country-code conversions: ISO 3166 (alpha-2/-3), COW, Gleditsch–Ward.

The table ``tables/countrycodes.csv`` (package data, built from the COW and G–W state lists by
:mod:`realpolitik.data._build_countrycodes`) has one row per COW state-system spell:

=============  ===============================================================
column         meaning
=============  ===============================================================
name           COW state name
cown, cowc     COW numeric code and abbreviation
gwn, gwc       Gleditsch–Ward code and abbreviation of the same state (may be empty)
iso2, iso3     ISO 3166 codes used for that spell (empty before ISO existed for
               states that never got one, e.g. Bavaria, Korea 1887–1905)
unvotes_name   country name in the unvotes tables (empty if it never voted)
start, end     first and last year of the spell (9999 = ongoing)
note           the trap, where there is one
=============  ===============================================================

Codes change meaning over time, so conversions take an optional ``year``:

* ISO ``DEU`` is COW 260 (West Germany) for 1955–1989 and COW 255 from 1990; G–W codes
  unified Germany 260. The GDR is COW/G–W 265, ISO DD/DDR.
* ISO ``YEM`` is COW 678 (North Yemen) before 1990 and COW 679 after; G–W keeps 678.
* COW 816 is (North) Vietnam and unified Vietnam; 817 is the Republic of Vietnam (to 1975).
* ISO ``KOR``/``KR`` is South Korea, COW 732 (``ROK``); North Korea is 731 (``PRK``, ISO KP).
  The COW *abbreviation* ``KOR`` is Korea 1887–1905 (COW 730).
* COW 345 is Yugoslavia and, from 2006, Serbia (ISO RS/SRB, G–W 340).
* Three-letter strings are read as ISO3 first. Several collide with other states' COW
  abbreviations (ISO ``AUS`` Australia vs COW ``AUS`` Austria; ISO ``CZE`` Czech Republic vs
  COW ``CZE`` Czechoslovakia; ``SLV``, ``MNG``, ``SWZ``...); pass ``code="cowc"`` to force COW.
* Namibia's ISO2 is the string ``"NA"``: the table is read with ``keep_default_na=False``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = [
    "CODE_TYPES",
    "CountryCodeError",
    "country_table",
    "detect_code",
    "lookup",
    "convert",
    "to_cow",
]

CODE_TYPES = ("iso3", "iso2", "cowc", "cown", "gwn", "gwc")
"""Identifier systems understood by :func:`convert`."""


class CountryCodeError(ValueError):
    """An identifier is unknown or cannot be converted."""


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    ref = resources.files("realpolitik.data") / "tables" / "countrycodes.csv"
    with resources.as_file(ref) as path:
        table = pd.read_csv(path, keep_default_na=False, dtype=str)
    for col in ("cown", "start", "end"):
        table[col] = table[col].astype(int)
    table["gwn"] = pd.to_numeric(table["gwn"]).astype("Int64")
    return table


def country_table() -> pd.DataFrame:
    """Return a copy of the country-code table (columns as in the module docstring).

    Examples
    --------
    >>> t = country_table()
    >>> t.loc[t.iso3 == "KOR", ["cown", "cowc", "gwn"]].values.tolist()
    [[732, 'ROK', 732]]
    """
    return _table().copy()


def detect_code(ident: str | int) -> str:
    """Guess the identifier system of ``ident``.

    Integers and digit strings are COW codes; two letters are ISO2; three letters are ISO3
    when the table knows that ISO3 code, else a COW abbreviation.

    >>> detect_code("KOR"), detect_code("ROK"), detect_code(732), detect_code("kr")
    ('iso3', 'cowc', 'cown', 'iso2')
    """
    text = str(ident).strip()
    if text.isdigit():
        return "cown"
    if len(text) == 2:
        return "iso2"
    if len(text) == 3:
        return "iso3" if text.upper() in set(_table()["iso3"]) else "cowc"
    raise CountryCodeError(f"cannot tell which code system {ident!r} belongs to")


def lookup(ident: str | int, year: int | None = None, code: str | None = None) -> pd.Series:
    """Return the table row that ``ident`` denotes in ``year``.

    Parameters
    ----------
    ident : str or int
        Identifier (case-insensitive).
    year : int, optional
        Year the code is used in. Rows whose spell contains ``year`` win (the latest-starting
        one on a transition year); otherwise the spell nearest in time. Without a year the
        current (latest) spell is used.
    code : {"iso3", "iso2", "cowc", "cown", "gwn", "gwc"}, optional
        Identifier system; default :func:`detect_code`.

    Raises
    ------
    CountryCodeError
        If no row matches.
    """
    guessed = code is None
    code = code or detect_code(ident)
    if code not in CODE_TYPES:
        raise CountryCodeError(f"unknown code system {code!r}; use one of {CODE_TYPES}")
    table = _table()
    column = table[code]
    if code in ("cown", "gwn"):
        rows = table[column == int(ident)]
    else:
        rows = table[column.str.upper() == str(ident).strip().upper()]
    if rows.empty:
        if guessed:
            raise CountryCodeError(f"{ident!r} is not a known country code (ISO3, ISO2, COW "
                                   "abbreviation or number)")
        raise CountryCodeError(f"{ident!r} is not a known {code} code")
    row: pd.Series = rows.iloc[_best_row(rows, year)]
    return row


def _best_row(rows: pd.DataFrame, year: int | None) -> int:
    """Position (in ``rows``) of the spell that a code denotes in ``year``."""
    start, end = rows["start"].to_numpy(), rows["end"].to_numpy()
    if year is None:
        return int(np.lexsort((start, end))[-1])
    inside = np.flatnonzero((start <= year) & (end >= year))
    if inside.size:
        return int(inside[np.argmax(start[inside])])
    distance = np.clip(start - year, 0, None) + np.clip(year - end, 0, None)
    return int(np.argmin(distance))


def convert(
    ident: str | int, to: str, year: int | None = None, code: str | None = None
) -> str | int | None:
    """Convert ``ident`` to the ``to`` system; ``None`` if the state has no such code.

    Examples
    --------
    >>> convert("DEU", "cown", year=1980), convert("DEU", "cown", year=2000)
    (260, 255)
    >>> convert(255, "gwn", year=2000), convert("KP", "cown"), convert("AUS", "cown")
    (260, 731, 900)
    >>> convert("AUS", "cown", code="cowc")
    305
    """
    if to not in CODE_TYPES:
        raise CountryCodeError(f"unknown target system {to!r}; use one of {CODE_TYPES}")
    value = lookup(ident, year=year, code=code)[to]
    if value is pd.NA or value == "":
        return None
    return int(value) if to in ("cown", "gwn") else str(value)


def to_cow(ident: str | int, year: int | None = None, code: str | None = None) -> int:
    """COW numeric code of ``ident`` (ISO2/ISO3/COW abbreviation/COW code).

    >>> to_cow("USA"), to_cow("KOR"), to_cow("ROK"), to_cow("KR"), to_cow(732)
    (2, 732, 732, 732, 732)
    """
    return int(lookup(ident, year=year, code=code)["cown"])
