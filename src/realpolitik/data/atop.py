"""ATOP 5.1 alliance dyad-years: loading, validation, symmetrisation, binary and valued codings.

File: ``peacesciencer/atop_alliance.rda`` — directed dyad-years (``ccode1``, ``ccode2``,
``year``) with 0/1 flags ``atop_defense, atop_offense, atop_neutral, atop_nonagg,
atop_consul`` (COW codes). Only dyads with some obligation are rows; every other system dyad
in 1815–2018 has no tie (0). Years outside :data:`COVERAGE` are *unknown* (NA), never 0.

:func:`load_atop` returns the symmetrised table (both directions of each dyad, flags OR-ed
over the two directions, since a portfolio tie exists if either state is obliged to the
other) with two codings:

* ``atop_any`` — binary: 1 if any obligation;
* ``atop_value`` — valued, after Chiba et al. as used by fpsim: 3 = defence and/or offence;
  2 = neutrality and/or consultation without defence or offence; 1 = non-aggression only;
  0 = none.

References
----------
.. [1] Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. (2002). Alliance Treaty
   Obligations and Provisions, 1815–1944. *International Interactions* 28, 237–260.
.. [2] Chiba, D., Johnson, J. C. & Leeds, B. A. (2015). Careful commitments: democratic
   states and alliance design. *Journal of Politics* 77(4), 968–982.
.. [3] Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science
   research. *Conflict Management and Peace Science* 39(6).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from realpolitik.data._io import DataError, PathLike, locate, read_rda, require_columns

__all__ = [
    "COVERAGE",
    "FLAGS",
    "load_atop_directed",
    "validate_atop",
    "symmetrise",
    "code_atop",
    "load_atop",
    "in_coverage",
    "portfolio_matrix",
]

COVERAGE = (1815, 2018)
"""First and last year covered by ATOP 5.1."""

FLAGS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
_KEY = ["ccode1", "ccode2", "year"]


def load_atop_directed(
    path: PathLike | None = None, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """Read the directed file as is (ints), after :func:`validate_atop`."""
    target = locate("peacesciencer/atop_alliance.rda", path, data_dir)
    raw = read_rda(target)
    require_columns(raw, [*_KEY, *FLAGS], target)
    if raw[[*_KEY, *FLAGS]].isna().any().any():
        raise DataError(f"{target}: missing values in codes, years or flags")
    frame = raw[[*_KEY, *FLAGS]].astype(int)
    validate_atop(frame, str(target))
    return frame


def validate_atop(frame: pd.DataFrame, source: str = "ATOP table") -> None:
    """Check flags are 0/1, no self-dyads, no duplicate rows, years inside :data:`COVERAGE`.

    Raises
    ------
    DataError
        Naming ``source`` and the first problem found.
    """
    flags = frame[list(FLAGS)]
    if not flags.isin([0, 1]).all().all():
        raise DataError(f"{source}: ATOP flags must be 0/1")
    if (frame["ccode1"] == frame["ccode2"]).any():
        raise DataError(f"{source}: contains self-dyads (ccode1 == ccode2)")
    if frame.duplicated(_KEY).any():
        raise DataError(f"{source}: duplicate directed dyad-years")
    years = frame["year"]
    if len(years) and (years.min() < COVERAGE[0] or years.max() > COVERAGE[1]):
        raise DataError(f"{source}: years {years.min()}-{years.max()} outside {COVERAGE}")


def symmetrise(frame: pd.DataFrame) -> pd.DataFrame:
    """Both directions of every dyad, flags OR-ed over (i, j) and (j, i).

    >>> d = pd.DataFrame({"ccode1": [2], "ccode2": [732], "year": [2000], "atop_defense": [1],
    ...                   "atop_offense": [0], "atop_neutral": [0], "atop_nonagg": [0],
    ...                   "atop_consul": [0]})
    >>> symmetrise(d)[["ccode1", "ccode2", "atop_defense"]].values.tolist()
    [[2, 732, 1], [732, 2, 1]]
    """
    flipped = frame.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    both = pd.concat([frame, flipped[frame.columns]], ignore_index=True)
    out = both.groupby(_KEY, as_index=False)[list(FLAGS)].max()
    return out.sort_values(_KEY, kind="stable").reset_index(drop=True)


def code_atop(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``atop_any`` (0/1) and ``atop_value`` (0–3, Chiba et al./fpsim) columns."""
    out = frame.copy()
    f = {name: out[name].to_numpy() > 0 for name in FLAGS}
    strong = f["atop_defense"] | f["atop_offense"]
    middle = f["atop_neutral"] | f["atop_consul"]
    out["atop_any"] = np.any(np.column_stack(list(f.values())), axis=1).astype(int)
    out["atop_value"] = np.select([strong, middle, f["atop_nonagg"]], [3, 2, 1], 0)
    return out


def load_atop(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Validated, symmetrised, coded ATOP dyad-years (see module docstring).

    Columns: ``ccode1, ccode2, year``, the five flags, ``atop_any``, ``atop_value``.
    """
    return code_atop(symmetrise(load_atop_directed(path, data_dir)))


def in_coverage(year: int) -> bool:
    """Whether ATOP 5.1 covers ``year`` (outside it, ties are NA, not 0).

    >>> in_coverage(2018), in_coverage(2019)
    (True, False)
    """
    return COVERAGE[0] <= year <= COVERAGE[1]


def portfolio_matrix(
    atop: pd.DataFrame, members: npt.ArrayLike, year: int, valued: bool = False
) -> npt.NDArray[np.float64]:
    """Alliance portfolios of the system members in ``year`` as a square matrix.

    Parameters
    ----------
    atop : DataFrame
        Output of :func:`load_atop` (symmetric).
    members : array_like of int
        COW codes of the system members (rows and columns, in this order).
    year : int
        Year.
    valued : bool
        Valued 0–3 coding if True, else binary 0/1.

    Returns
    -------
    ndarray, shape (n, n)
        ``M[i, k]`` = tie of i to k; each state's tie to itself is the maximum value (1 or 3).
        All NaN if ``year`` is outside :data:`COVERAGE`.
    """
    codes = np.asarray(members, dtype=np.int64)
    n = len(codes)
    if not in_coverage(year):
        return np.full((n, n), np.nan)
    column = "atop_value" if valued else "atop_any"
    rows = atop[atop["year"] == year]
    index = pd.Index(codes)
    i = index.get_indexer(pd.Index(rows["ccode1"]))
    j = index.get_indexer(pd.Index(rows["ccode2"]))
    keep = (i >= 0) & (j >= 0)
    matrix = np.zeros((n, n))
    matrix[i[keep], j[keep]] = rows[column].to_numpy()[keep]
    np.fill_diagonal(matrix, 3.0 if valued else 1.0)
    return matrix
