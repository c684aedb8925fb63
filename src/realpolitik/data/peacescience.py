"""Dyadic and monadic peace-science tables from peacesciencer, read with their coverage.

Each table is an ``.rda`` under ``peacesciencer/`` (see ``PROVENANCE.md`` and the roxygen
documentation in ``peacesciencer/man/``). :func:`load` reads one by name, checks its columns,
turns code and year columns into ints and returns it with its *coverage*: the last year the
source speaks for. Beyond it a value is unknown (NA), never an absence — the traps measured on
these files are that rivalries and disputes end in 2010, contiguity and major-power status in
2016, shared IGOs in 2014 and Polity in 2017, while ATOP runs to 2018.

==================  =============================================  ========  ========
name                what                                           years     cite
==================  =============================================  ========  ========
cow_majors          COW major powers (spells with dates)           1816–2016 COW 2016
cow_contdir         direct contiguity (type 1 land … 5 sea ≤400mi) 1816–2016 Stinnett et al. 2002
cow_mindist         minimum distance, km (non-directed)            1886–2019 Schvitz et al. 2022
cow_igo_ndy         shared IGO memberships (non-directed)          1816–2014 Pevehouse et al. 2020
ccode_democracy     V-Dem polyarchy, Polity2, extended UDS         1816–2020 Coppedge; Marshall;
                                                                             Marquez
td_rivalries        Thompson–Dreyer strategic rivalries            –2010     Thompson & Dreyer
                                                                             2012
gml_part            GML MID participants with sides                1816–2010 Gibler, Miller &
                                                                             Little 2016
gml_dirdisp         GML directed dispute dyad-years                1816–2010 same
==================  =============================================  ========  ========
"""

from __future__ import annotations

import pandas as pd

from realpolitik.data._io import DataError, PathLike, locate, read_rda, require_columns

__all__ = ["TABLES", "COVERAGE_END", "load"]

TABLES: dict[str, tuple[str, ...]] = {
    "cow_majors": ("ccode", "styear", "endyear"),
    "cow_contdir": ("ccode1", "ccode2", "conttype", "stdate", "enddate"),
    "cow_mindist": ("ccode1", "ccode2", "year", "mindist"),
    "cow_igo_ndy": ("ccode1", "ccode2", "year", "dyadigos"),
    "ccode_democracy": ("ccode", "year", "v2x_polyarchy", "polity2", "xm_qudsest"),
    "td_rivalries": ("ccode1", "ccode2", "styear", "endyear"),
    "gml_part": ("dispnum", "ccode", "styear", "endyear", "sidea"),
    "gml_dirdisp": ("dispnum", "ccode1", "ccode2", "year", "sidea1", "sidea2"),
}
"""Known tables and the columns each must have."""

COVERAGE_END: dict[str, int] = {
    "cow_majors": 2016,
    "cow_contdir": 2016,
    "cow_mindist": 2019,
    "cow_igo_ndy": 2014,
    "ccode_democracy": 2020,
    "td_rivalries": 2010,
    "gml_part": 2010,
    "gml_dirdisp": 2010,
}
"""Last year each table covers (measured on the files; later years are NA)."""

_INTS = ("ccode", "ccode1", "ccode2", "year", "styear", "endyear", "dispnum", "sidea",
         "sidea1", "sidea2", "conttype")


def load(name: str, data_dir: PathLike | None = None, path: PathLike | None = None
         ) -> pd.DataFrame:
    """Read table ``name`` (a key of :data:`TABLES`), validated, with int codes and years.

    Raises
    ------
    DataError
        If the name is unknown, the file is missing or unreadable, a column is missing, or a
        code or year is missing.
    """
    if name not in TABLES:
        raise DataError(f"{name}: unknown table; known: {sorted(TABLES)}")
    target = locate(f"peacesciencer/{name}.rda", path, data_dir)
    raw = read_rda(target)
    columns = list(TABLES[name])
    require_columns(raw, columns, target)
    out = raw[columns].copy()
    ints = [c for c in columns if c in _INTS]
    if out[ints].isna().any().any():
        raise DataError(f"{target}: missing values in {ints}")
    out[ints] = out[ints].astype(int)
    return out.reset_index(drop=True)
