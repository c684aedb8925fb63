"""CAMEO event-code tables: CAMEO→Goldstein weights, CAMEO→PLOVER crosswalk, quad classes.

CAMEO codes are strings with leading zeros (``"010"``, ``"0311"``); they are read as strings
everywhere, never as numbers.

Files:

* ``gdelt/CAMEO.goldsteinscale.txt`` — GDELT 1.0 lookup, tab-separated (311 codes);
* ``icews/goldstein_mappings.rda`` — ICEWS mapping (312 codes), or ``icews/cameo-codes.csv``
  (cp1252-encoded; the ``.rda`` twin ``cameo_codes.rda`` has a non-UTF-8 byte and does not
  load in pyreadr);
* ``plover/CAMEO2PLOVER-2021.txt`` — ``code: TYPE, mode, context # description`` lines,
  many-to-one; root-code header lines (``08: CONCEDE``) and a ``~~~~~`` trailer are skipped.

References
----------
.. [1] Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data.
   *Journal of Conflict Resolution* 36(2), 369–385.
.. [2] Schrodt, P. A. (2012). CAMEO Conflict and Mediation Event Observations Codebook 1.1b3.
.. [3] Halterman, A., Schrodt, P. A. et al. (2021). PLOVER codebook, draft 0.8.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
import pandas as pd

from realpolitik.data._io import DataError, PathLike, locate, read_rda, read_table, require_columns

__all__ = ["load_goldstein", "load_plover", "quad_class", "QUAD_CLASSES"]

QUAD_CLASSES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
"""GDELT QuadClass labels: CAMEO roots 01–05, 06–09, 10–14, 15–20 (as GDELT codes them)."""

_PLOVER_LINE = re.compile(r"^(\d{2,4}):\s*([^,#]+)(?:,([^,#]*))?(?:,([^#]*))?(?:#\s*(.*))?$")


def load_goldstein(
    source: str = "gdelt", path: PathLike | None = None, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """CAMEO→Goldstein lookup: columns ``code`` (str) and ``goldstein`` (float, −10…10).

    Parameters
    ----------
    source : {"gdelt", "icews"}
        ``gdelt`` reads ``CAMEO.goldsteinscale.txt``; ``icews`` reads ``goldstein_mappings.rda``
        (or, given a ``.csv`` path, the cp1252 ``cameo-codes.csv``).
    """
    if source == "gdelt":
        target = locate("gdelt/CAMEO.goldsteinscale.txt", path, data_dir)
        raw = read_table(target, sep="\t", dtype=str)
        require_columns(raw, ["CAMEOEVENTCODE", "GOLDSTEINSCALE"], target)
        out = raw.rename(columns={"CAMEOEVENTCODE": "code", "GOLDSTEINSCALE": "goldstein"})
    elif source == "icews":
        target = locate("icews/goldstein_mappings.rda", path, data_dir)
        if target.suffix.lower() == ".csv":
            out = read_table(target, encoding="cp1252", dtype=str)
        else:
            out = read_rda(target)
        require_columns(out, ["code", "goldstein"], target)
    else:
        raise ValueError(f"source must be 'gdelt' or 'icews', not {source!r}")
    out = out[["code", "goldstein"]].copy()
    out["code"] = out["code"].astype(str).str.strip()
    out["goldstein"] = pd.to_numeric(out["goldstein"], errors="coerce")
    if out["goldstein"].isna().any() or not out["goldstein"].between(-10, 10).all():
        raise DataError(f"{target}: Goldstein weights must be numbers in [-10, 10]")
    return out.reset_index(drop=True)


def load_plover(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """CAMEO→PLOVER crosswalk: ``code, plover_type, mode, context, description``.

    Root-code header lines without mode or context (``08: CONCEDE``) are kept only when no
    detailed line repeats them; exact duplicate codes keep their first line.
    """
    target = locate("plover/CAMEO2PLOVER-2021.txt", path, data_dir)
    try:
        lines = target.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{target}: cannot be read ({exc})") from exc
    rows = []
    for line in lines:
        match = _PLOVER_LINE.match(line.strip())
        if match:
            code, ptype, mode, context, desc = (g.strip() if g else "" for g in match.groups())
            rows.append((code, ptype, mode, context, desc, "," in line))
    if not rows:
        raise DataError(f"{target}: no 'code: TYPE, mode, context' lines found")
    cols = ["code", "plover_type", "mode", "context", "description", "detailed"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values("detailed", ascending=False, kind="stable").drop_duplicates("code")
    return out.drop(columns="detailed").sort_values("code").reset_index(drop=True)


def quad_class(codes: pd.Series | npt.ArrayLike) -> npt.NDArray[np.int64]:
    """GDELT QuadClass (1–4) from CAMEO codes by their two-digit root; 0 if unparseable.

    Roots 01–05 verbal cooperation, 06–09 material cooperation, 10–14 verbal conflict, 15–20
    material conflict: the boundaries GDELT 1.0 itself uses (checked against every event of the
    sample's ``QuadClass`` column). Note that ``cohesion.md`` §3.4 lists 06–08 / 09–13 / 14–20,
    which disagrees with GDELT's data for roots 09 (investigate) and 14 (protest).

    >>> quad_class(["010", "0311", "061", "090", "112", "141", "1823", "20", "x"]).tolist()
    [1, 1, 2, 2, 3, 3, 4, 4, 0]
    """
    text = pd.Series(np.asarray(codes, dtype=object)).astype(str).str.strip()
    root = pd.to_numeric(text.str[:2], errors="coerce").to_numpy()
    bins = np.select(
        [
            (root >= 1) & (root <= 5),
            (root >= 6) & (root <= 9),
            (root >= 10) & (root <= 14),
            (root >= 15) & (root <= 20),
        ],
        [1, 2, 3, 4],
        0,
    )
    return bins.astype(np.int64)
