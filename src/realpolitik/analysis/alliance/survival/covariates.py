"""Covariates of every allied dyad-year, each lagged one year: no look-ahead.

The row of a spell in year t describes the hazard that t is the spell's last year. Every
covariate on it is measured in year ``t − 1`` (or over years before t), so a forecast made
with data through year t − 1 could have computed it. Missing stays missing: a value the sources
do not give (outside their coverage, a state not in them) is NA, never a silent 0; the models
add an explicit is-missing indicator (:mod:`.models`). :func:`coverage` shows by decade how
much of each covariate is known.

Groups (the thesis of the seed op-eds: *congruence of strategic interest* and *willingness to
share risk*; the *changes* of Leeds & Savun 2007; controls as in Bennett 1997):

==================  ===============================================================  ==========
covariate           definition (year t − 1 unless said)                              NA when
==================  ===============================================================  ==========
**congruence**
un_agree            Voeten agreement of the members' UNGA votes (session-years)      <1946, no
                                                                                     common vote
un_kappa            Cohen's κ (nominal) of the same votes, chance-corrected (Häge)   same
shared_rival        both members in a Thompson–Dreyer rivalry with one third state   >2010
rivals              the members are strategic rivals of each other                   >2010
joint_dem           both Polity2 ≥ 6                                                 either NA
dem_change          max over members of abs(UDS(t−1) − UDS(start−1)): institutions
                    changed since formation (Leeds & Savun)                          either NA
igos                shared IGO memberships                                           >2014
**risk sharing**
burden_min          min over members of (share of the pair's military spending) /
                    (share of its CINC): the more free-riding member's effort        milex NA
burden_change       burden_min(t−1) − burden_min(t−2)                                either NA
same_side_mid       both on the same side of a MID in the 10 years up to t−1 (GML)   >2010
mid_between         the members on opposite sides of a MID in t−1 (GML)              >2010
**changes**
cap_change          abs(log(cinc1/cinc2)(t−1) − log(cinc1/cinc2)(start−1))           CINC NA
new_outside         a member formed a new alliance with a third state in t−1, after
                    the spell's first year (ATOP)                                    never
**controls**
age                 years since the spell began (0 in its first year)                never
defense, offense,   obligation types of the spell's first year (known at formation)  never
nonagg_only
cap_asym            weaker member's share of the pair's CINC                         CINC NA
majors              number of COW major powers in the dyad (0–2)                     >2016
contig_land         direct land contiguity (COW type 1; sea distances are not
                    contiguity)                                                      >2016
log_distance        log(1 + minimum distance in km)                                  <1886
==================  ===============================================================  ==========

References
----------
.. [1] Leeds, B. A. & Savun, B. (2007). Terminating alliances. *J. Politics* 69(4).
.. [2] Bennett, D. S. (1997). Testing alternative models of alliance duration. *AJPS* 41(3).
.. [3] Voeten, E. (2000). Clashes in the Assembly. *International Organization* 54(2).
.. [4] Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign policy
   similarity for chance agreement. *Political Analysis* 19(3), 287–305.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Sources", "CONGRUENCE", "RISK_SHARING", "CHANGES", "CONTROLS", "COVARIATES",
           "compute", "coverage", "un_dyad_years"]

CONGRUENCE = ["un_agree", "un_kappa", "shared_rival", "rivals", "joint_dem", "dem_change", "igos"]
RISK_SHARING = ["burden_min", "burden_change", "same_side_mid", "mid_between"]
CHANGES = ["cap_change", "new_outside"]
CONTROLS = ["age", "defense", "offense", "nonagg_only", "cap_asym", "majors", "contig_land",
            "log_distance"]
COVARIATES = CONTROLS + CONGRUENCE + RISK_SHARING + CHANGES

_END = {"rival": 2010, "mid": 2010, "igo": 2014, "major": 2016, "contig": 2016}
_KEY = ["ccode1", "ccode2", "year"]


@dataclass(frozen=True)
class Sources:
    """The raw tables the covariates are computed from (see :mod:`.table` for loading)."""

    nmc: pd.DataFrame          # ccode, year, milex, cinc
    democracy: pd.DataFrame    # ccode, year, polity2, xm_qudsest
    majors: pd.DataFrame       # ccode, styear, endyear
    contdir: pd.DataFrame      # ccode1, ccode2, conttype, stdate, enddate
    mindist: pd.DataFrame      # ccode1, ccode2, year, mindist
    igos: pd.DataFrame         # ccode1, ccode2, year, dyadigos
    rivalries: pd.DataFrame    # ccode1, ccode2, styear, endyear
    mid_part: pd.DataFrame     # dispnum, ccode, styear, endyear, sidea
    mid_dyads: pd.DataFrame    # dispnum, ccode1, ccode2, year, sidea1, sidea2
    un: pd.DataFrame           # ccode1, ccode2, year, un_agree, un_kappa (from un_dyad_years)


def _ordered(frame: pd.DataFrame, a: str = "ccode1", b: str = "ccode2") -> pd.DataFrame:
    """Non-directed keys: ccode1 < ccode2."""
    lo = np.minimum(frame[a].to_numpy(), frame[b].to_numpy())
    hi = np.maximum(frame[a].to_numpy(), frame[b].to_numpy())
    return frame.assign(**{a: lo, b: hi})


def _span_years(frame: pd.DataFrame, cols: list[str], first: str, last: str) -> pd.DataFrame:
    """One row per year of each [first, last] span, keeping ``cols``."""
    n = (frame[last] - frame[first] + 1).clip(lower=0).to_numpy()
    idx = np.repeat(np.arange(len(frame)), n)
    out = frame.iloc[idx][cols].reset_index(drop=True)
    out["year"] = np.repeat(frame[first].to_numpy(), n) + (
        np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    return out


def _lookup(rows: pd.DataFrame, table: pd.DataFrame, year: np.ndarray, cols: list[str],
            keys: tuple[str, ...] = ("ccode1", "ccode2")) -> pd.DataFrame:
    """Values of ``table`` (keyed by ``keys`` + year) at ``year`` for each row (NA if absent)."""
    index = pd.MultiIndex.from_arrays([*(rows[k].to_numpy() for k in keys), year])
    keyed = table.drop_duplicates([*keys, "year"]).set_index([*keys, "year"])[cols]
    return keyed.reindex(index).reset_index(drop=True)


def _flag(rows: pd.DataFrame, pairs: pd.DataFrame, year: np.ndarray, last: int) -> np.ndarray:
    """1.0 where (ccode1, ccode2, year) is in ``pairs``, 0.0 elsewhere, NA after ``last``."""
    hit = _lookup(rows, pairs.assign(_x=1.0), year, ["_x"])["_x"].fillna(0.0).to_numpy()
    return np.where(year > last, np.nan, hit)


def _monadic(rows: pd.DataFrame, table: pd.DataFrame, col: str, year: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    keyed = table.drop_duplicates(["ccode", "year"]).set_index(["ccode", "year"])[col]
    a = keyed.reindex(pd.MultiIndex.from_arrays([rows["ccode1"].to_numpy(), year])).to_numpy()
    b = keyed.reindex(pd.MultiIndex.from_arrays([rows["ccode2"].to_numpy(), year])).to_numpy()
    return a.astype(float), b.astype(float)


def un_dyad_years(votes: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """Voeten agreement and nominal κ of every pair of voting states per session-year.

    ``votes`` is :func:`realpolitik.data.unvotes.load_unvotes`; ``names`` maps ``unvotes_name``
    to COW ``cown`` per year (columns ``unvotes_name, cown, start, end``). Formulas as in
    ``docs/cohesion.md``: agreement = 1 − mean|a − b|/2 over roll calls both voted yes/abstain/
    no (codes 0/1/2); κ = (P_o − P_e)/(1 − P_e) with each state's own marginals.
    """
    out = []
    country, labels = pd.factorize(votes["country"].astype(str))
    year_all = votes["year"].to_numpy()
    code_all = votes["vote_code"].to_numpy()
    rcid_all = votes["rcid"].to_numpy()
    for year in np.unique(year_all):
        live = names[(names["start"] <= year) & (names["end"] >= year)]
        cow = live.drop_duplicates("unvotes_name").set_index("unvotes_name")["cown"]
        pick = year_all == year
        who, rc = country[pick], pd.factorize(rcid_all[pick])[0]
        x = np.full((len(labels), rc.max() + 1), np.nan)
        x[who, rc] = code_all[pick]
        codes = cow.reindex(labels).to_numpy(dtype=float)
        keep = np.flatnonzero(~np.isnan(codes) & ~np.isnan(x).all(axis=1))
        if len(keep) < 2:
            continue
        x = x[keep]
        onehot = np.stack([(x == a).astype(float) for a in range(3)])  # (3, n, rc)
        table = np.einsum("aiu,bju->ijab", onehot, onehot, optimize=True)
        n = table.sum(axis=(2, 3))
        with np.errstate(invalid="ignore", divide="ignore"):
            p = table / n[..., None, None]
            dist = np.abs(np.subtract.outer(np.arange(3), np.arange(3))) / 2.0
            agree = 1.0 - (p * dist).sum(axis=(2, 3))
            p_o = np.trace(p, axis1=2, axis2=3)
            p_e = (p.sum(axis=3) * p.sum(axis=2)).sum(axis=2)
            kappa = (p_o - p_e) / (1.0 - p_e)
        i, j = np.triu_indices(len(keep), k=1)
        cc = codes[keep].astype(np.int64)
        frame = pd.DataFrame({"ccode1": cc[i], "ccode2": cc[j], "year": int(year),
                              "un_agree": agree[i, j], "un_kappa": kappa[i, j], "un_n": n[i, j]})
        out.append(frame[frame["un_n"] > 0])
    un = _ordered(pd.concat(out, ignore_index=True))
    return un.drop(columns="un_n")


def compute(rows: pd.DataFrame, spells: pd.DataFrame, src: Sources) -> pd.DataFrame:
    """Covariates (:data:`COVARIATES`) for the at-risk rows of :func:`.spells.spell_years`.

    Returns a frame aligned with ``rows`` (same length and order); see the module docstring.
    """
    rows = rows.reset_index(drop=True)
    lag = rows["year"].to_numpy() - 1
    before = rows["start"].to_numpy() - 1
    out = pd.DataFrame(index=rows.index)
    out["age"] = rows["age"].to_numpy().astype(float)
    first = spells.set_index("spell").loc[rows["spell"].to_numpy()]
    out["defense"] = first["defense"].to_numpy().astype(float)
    out["offense"] = first["offense"].to_numpy().astype(float)
    nonagg_only = (first["nonagg"] > 0) & (first[["defense", "offense", "neutral", "consul"]]
                                           .sum(axis=1) == 0)
    out["nonagg_only"] = nonagg_only.to_numpy().astype(float)

    c1, c2 = _monadic(rows, src.nmc, "cinc", lag)
    out["cap_asym"] = np.minimum(c1, c2) / (c1 + c2)
    s1, s2 = _monadic(rows, src.nmc, "cinc", before)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_now, ratio_then = np.log(c1 / c2), np.log(s1 / s2)
    change = np.abs(ratio_now - ratio_then)
    out["cap_change"] = np.where(np.isfinite(change), change, np.nan)

    majors = _span_years(src.majors, ["ccode"], "styear", "endyear").assign(m=1.0)
    m1, m2 = _monadic(rows, majors, "m", lag)
    out["majors"] = np.where(lag > _END["major"], np.nan, np.nan_to_num(m1) + np.nan_to_num(m2))

    land = src.contdir[src.contdir["conttype"] == 1].assign(
        styear=lambda f: pd.to_datetime(f["stdate"]).dt.year,
        endyear=lambda f: pd.to_datetime(f["enddate"]).dt.year)
    contig = _ordered(_span_years(land, ["ccode1", "ccode2"], "styear", "endyear"))
    out["contig_land"] = _flag(rows, contig, lag, _END["contig"])
    dist = _lookup(rows, _ordered(src.mindist), lag, ["mindist"])["mindist"].to_numpy()
    out["log_distance"] = np.log1p(dist.astype(float))

    un = _lookup(rows, src.un, lag, ["un_agree", "un_kappa"])
    out["un_agree"], out["un_kappa"] = un["un_agree"].to_numpy(), un["un_kappa"].to_numpy()

    riv = _span_years(src.rivalries, ["ccode1", "ccode2"], "styear", "endyear")
    out["rivals"] = _flag(rows, _ordered(riv), lag, _END["rival"])
    directed = pd.concat([riv, riv.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})])
    shared = directed.merge(directed, on=["ccode2", "year"], suffixes=("", "_b"))
    shared = shared[shared["ccode1"] < shared["ccode1_b"]]
    shared = shared[["ccode1", "ccode1_b", "year"]].rename(columns={"ccode1_b": "ccode2"})
    out["shared_rival"] = _flag(rows, shared, lag, _END["rival"])

    p1, p2 = _monadic(rows, src.democracy, "polity2", lag)
    joint = ((p1 >= 6) & (p2 >= 6)).astype(float)
    out["joint_dem"] = np.where(np.isnan(p1) | np.isnan(p2), np.nan, joint)
    u1, u2 = _monadic(rows, src.democracy, "xm_qudsest", lag)
    v1, v2 = _monadic(rows, src.democracy, "xm_qudsest", before)
    with np.errstate(invalid="ignore"):
        d1, d2 = np.abs(u1 - v1), np.abs(u2 - v2)
    out["dem_change"] = np.where(np.isnan(d1) | np.isnan(d2), np.nan, np.fmax(d1, d2))
    igo = _lookup(rows, _ordered(src.igos), lag, ["dyadigos"])["dyadigos"].to_numpy()
    out["igos"] = np.where(lag > _END["igo"], np.nan, igo.astype(float))

    out["burden_min"] = _burden(rows, src.nmc, lag)
    out["burden_change"] = out["burden_min"].to_numpy() - _burden(rows, src.nmc, lag - 1)
    out["same_side_mid"] = _flag(rows, _same_side(src.mid_part), lag, _END["mid"])
    opposite = src.mid_dyads[src.mid_dyads["sidea1"] != src.mid_dyads["sidea2"]]
    out["mid_between"] = _flag(rows, _ordered(opposite)[_KEY], lag, _END["mid"])
    out["new_outside"] = _new_outside(rows, spells, lag)
    return out[COVARIATES]


def _burden(rows: pd.DataFrame, nmc: pd.DataFrame, year: np.ndarray) -> np.ndarray:
    """min over members of milex share / CINC share within the dyad (NA if unknown)."""
    m1, m2 = _monadic(rows, nmc, "milex", year)
    c1, c2 = _monadic(rows, nmc, "cinc", year)
    with np.errstate(divide="ignore", invalid="ignore"):
        e1 = (m1 / (m1 + m2)) / (c1 / (c1 + c2))
        e2 = (m2 / (m1 + m2)) / (c2 / (c1 + c2))
        value = np.minimum(e1, e2)
    return np.where(np.isfinite(value), value, np.nan)


def _same_side(part: pd.DataFrame, window: int = 10) -> pd.DataFrame:
    """(ccode1, ccode2, year) where the two fought on one MID side within ``window`` years
    up to and including ``year``."""
    pairs = part.merge(part, on=["dispnum", "sidea"], suffixes=("", "_b"))
    pairs = pairs[pairs["ccode"] < pairs["ccode_b"]]
    pairs = pairs.assign(endyear=np.maximum(pairs["endyear"], pairs["endyear_b"]) + window - 1)
    pairs = pairs.rename(columns={"ccode": "ccode1", "ccode_b": "ccode2"})
    years = _span_years(pairs, ["ccode1", "ccode2"], "styear", "endyear")
    return years.drop_duplicates()


def _new_outside(rows: pd.DataFrame, spells: pd.DataFrame, year: np.ndarray) -> np.ndarray:
    """1.0 if either member began a spell with a third state in ``year``."""
    both = pd.concat([
        spells[["ccode1", "ccode2", "start"]],
        spells[["ccode2", "ccode1", "start"]].set_axis(["ccode1", "ccode2", "start"], axis=1),
    ])
    starts = both.rename(columns={"ccode1": "ccode", "ccode2": "partner", "start": "year"})
    counts = starts.groupby(["ccode", "year"]).agg(partners=("partner", lambda s: frozenset(s)))
    out = np.zeros(len(rows))
    for col, other in (("ccode1", "ccode2"), ("ccode2", "ccode1")):
        idx = pd.MultiIndex.from_arrays([rows[col].to_numpy(), year])
        found = counts["partners"].reindex(idx).to_numpy()
        partner = rows[other].to_numpy()
        hit = [isinstance(f, frozenset) and bool(f - {p}) for f, p in zip(found, partner,
                                                                            strict=True)]
        out = np.maximum(out, np.asarray(hit, dtype=float))
    # Only after formation: the founding year's other members are not an outside alliance.
    return np.where(year > rows["start"].to_numpy(), out, 0.0)


def coverage(table: pd.DataFrame, columns: list[str] | None = None, step: int = 10
             ) -> pd.DataFrame:
    """Share of dyad-years with a known value, per covariate and ``step``-year period."""
    columns = columns or [c for c in COVARIATES if c in table.columns]
    period = (table["year"] // step) * step
    return table[columns].notna().groupby(period.rename("period")).mean().round(3)
