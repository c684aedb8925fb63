"""Dyadic alliance spells from ATOP dyad-years, and how each one ended.

A *spell* is a run of consecutive years in which a (non-directed) dyad has any ATOP obligation
in either direction (or, with ``defense_only``, a defence obligation). Its ``start`` is the
first year and its ``end`` the last year with an obligation. Each spell ends in one of three
ways, decided in this order:

``censored``
    The spell runs into the last ATOP year (2018): we do not know when it ends.
``state_death``
    A member left the COW state system in the spell's last year (or in January of the next:
    Germany in 1945, the GDR in 1990, Czechoslovakia in 1992): a *competing* end, not a
    decision to end the alliance. (The USSR is not a death in COW: code 365 continues as
    Russia.) COW's 2016 release stops its coverage on 2016-12-31; a membership ending there
    (or the open end 9999 of andybega/states) is the coverage end, **not** a state death.
``abrogation``
    Every other end: the members stopped being allied while both still existed (abrogation,
    expiry or replacement; Leeds & Savun 2007 separate these, ATOP dyad-years cannot).

Two traps are handled here, visibly:

* **Gap re-formation.** 47 endings re-form after exactly one missing year; 42 of them are the
  German Confederation's dyads in 1849 (ATOP codes no obligation for the revolutionary year and
  the Confederation resumes in 1850). With ``bridge_gap=1`` (default) such a gap is bridged: the
  two runs are one spell and ``bridged`` counts the gaps; ``bridge_gap=0`` keeps them apart.
* **Clustered endings.** One multilateral event ends many dyads at once (Yugoslavia 1992,
  Syria's Arab League suspension 2011, the wartime pacts of 1945). :func:`ending_events`
  groups the endings of one year and one kind into *events*: connected components of the graph
  whose edges are the ended dyads (states that share an ended dyad belong to one event). The
  rule is conservative — two unrelated endings of the same state in one year count as one
  event — so intervals built on it are, if anything, too wide.

References
----------
.. [1] Leeds, B. A. & Savun, B. (2007). Terminating alliances: why do states abrogate
   agreements? *Journal of Politics* 69(4), 1118–1132.
.. [2] Bennett, D. S. (1997). Testing alternative models of alliance duration, 1816–1984.
   *American Journal of Political Science* 41(3), 846–878.
.. [3] Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. (2002). Alliance Treaty
   Obligations and Provisions, 1815–1944. *International Interactions* 28, 237–260.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from realpolitik.data import atop as atop_data

__all__ = [
    "ENDINGS",
    "LAST_YEAR",
    "COW_COVERAGE_END",
    "dyad_years",
    "build_spells",
    "classify_endings",
    "ending_events",
    "spell_years",
]

ENDINGS = ("abrogation", "state_death", "censored")
"""How a spell ends (see the module docstring)."""

LAST_YEAR = atop_data.COVERAGE[1]
"""Last ATOP year: spells running into it are right-censored."""

COW_COVERAGE_END = 2016
"""COW's state list (2016 release) stops here; an end on 2016-12-31 is not a state death."""

_FLAG_COLS = {"defense": "atop_defense", "offense": "atop_offense", "neutral": "atop_neutral",
              "nonagg": "atop_nonagg", "consul": "atop_consul"}


def dyad_years(atop: pd.DataFrame, defense_only: bool = False) -> pd.DataFrame:
    """Non-directed allied dyad-years (``ccode1 < ccode2``) from :func:`atop.load_atop`.

    ``atop`` must be symmetrised (an obligation in either direction counts for the dyad).
    With ``defense_only`` only years with a defence obligation are kept.
    """
    rows = atop[atop["ccode1"] < atop["ccode2"]]
    rows = rows[rows["atop_defense"] > 0] if defense_only else rows[rows["atop_any"] > 0]
    keep = ["ccode1", "ccode2", "year", *_FLAG_COLS.values()]
    return rows[keep].sort_values(["ccode1", "ccode2", "year"]).reset_index(drop=True)


def build_spells(
    atop: pd.DataFrame,
    cow_states: pd.DataFrame,
    *,
    defense_only: bool = False,
    bridge_gap: int = 1,
) -> pd.DataFrame:
    """Dyadic spells with their ending classified.

    Parameters
    ----------
    atop : DataFrame
        Symmetrised ATOP (:func:`realpolitik.data.atop.load_atop`).
    cow_states : DataFrame
        COW state list (:func:`realpolitik.data.states.load_states`).
    defense_only : bool
        Spells of defence obligations only.
    bridge_gap : int
        Bridge runs separated by at most this many missing years (0: never).

    Returns
    -------
    DataFrame
        One row per spell: ``spell`` (id), ``ccode1``, ``ccode2``, ``start``, ``end``,
        ``duration`` (years with the spell in force, end − start + 1), ``bridged`` (gaps
        bridged), ``ending`` (one of :data:`ENDINGS`), ``dead`` (COW code of the member whose
        state death ended it, else 0), the flags of the first year (``defense`` … ``consul``)
        and ``event`` (id of the ending event, see :func:`ending_events`; −1 if censored).
    """
    if bridge_gap < 0:
        raise ValueError(f"bridge_gap must be >= 0, not {bridge_gap}")
    dy = dyad_years(atop, defense_only)
    new_dyad = (dy["ccode1"].diff() != 0) | (dy["ccode2"].diff() != 0)
    gap = dy["year"].diff().fillna(0).astype(int) - 1
    new_spell = new_dyad | (gap > bridge_gap)
    bridged = (~new_spell & (gap > 0)).astype(int)
    dy = dy.assign(spell=new_spell.cumsum().to_numpy() - 1, _bridged=bridged.to_numpy())
    grouped = dy.groupby("spell", sort=True)
    spells = grouped.agg(ccode1=("ccode1", "first"), ccode2=("ccode2", "first"),
                         start=("year", "min"), end=("year", "max"), bridged=("_bridged", "sum"))
    first = grouped[list(_FLAG_COLS.values())].first()
    first.columns = list(_FLAG_COLS)
    spells = pd.concat([spells, first], axis=1).reset_index()
    spells["duration"] = spells["end"] - spells["start"] + 1
    spells = classify_endings(spells, cow_states)
    spells["event"] = ending_events(spells)
    cols = ["spell", "ccode1", "ccode2", "start", "end", "duration", "bridged", "ending", "dead",
            *_FLAG_COLS, "event"]
    return spells[cols]


def _deaths(cow_states: pd.DataFrame) -> set[tuple[int, int]]:
    """(code, year) pairs: the state left the system during ``year``, or in January of the
    next year (an alliance in force until then has that year as its last ATOP year).

    The list's coverage end (9999, or 2016-12-31 in COW's 2016 release) is not an exit.
    """
    end = pd.to_datetime(cow_states["end"])
    coverage_end = (end.dt.year >= 9999) | (
        (end.dt.year == COW_COVERAGE_END) & (end.dt.month == 12) & (end.dt.day == 31)
    )
    exits = cow_states.loc[~coverage_end.to_numpy()].assign(_end=end[~coverage_end])
    year = exits["_end"].dt.year - (exits["_end"].dt.month == 1).astype(int)
    codes = exits["code"].astype(int).tolist()
    return set(zip(codes, exits["_end"].dt.year.astype(int).tolist(), strict=True)) | set(
        zip(codes, year.astype(int).tolist(), strict=True))


def classify_endings(spells: pd.DataFrame, cow_states: pd.DataFrame) -> pd.DataFrame:
    """Add ``ending`` and ``dead`` to spells with ``ccode1, ccode2, end`` (module docstring)."""
    dead_keys = _deaths(cow_states)
    ending, dead = [], []
    for c1, c2, end in spells[["ccode1", "ccode2", "end"]].itertuples(index=False):
        if end >= LAST_YEAR:
            ending.append("censored")
            dead.append(0)
            continue
        who = [c for c in (c1, c2) if (c, end) in dead_keys]
        ending.append("state_death" if who else "abrogation")
        dead.append(int(who[0]) if who else 0)
    return spells.assign(ending=ending, dead=np.asarray(dead, dtype=np.int64))


def ending_events(spells: pd.DataFrame) -> np.ndarray:
    """Event id of each spell's ending (−1 if censored); see the module docstring.

    Endings of the same year and kind whose dyads share a state (directly or through a chain)
    form one event. Ids are dense and ordered by year, then by the smallest COW code involved.
    """
    event = np.full(len(spells), -1, dtype=np.int64)
    ended = spells[spells["ending"] != "censored"]
    labels: list[tuple[int, int, int]] = []  # (year, min code, row position)
    for (_year, _kind), group in ended.groupby(["end", "ending"], sort=True):
        parent: dict[int, int] = {}

        def find(x: int, parent: dict[int, int] = parent) -> int:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for c1, c2 in group[["ccode1", "ccode2"]].itertuples(index=False):
            ra, rb = find(int(c1)), find(int(c2))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        for pos, c1 in zip(group.index, group["ccode1"], strict=True):
            labels.append((int(_year), find(int(c1)), int(spells.index.get_loc(pos))))
    keys = sorted({(y, root) for y, root, _ in labels})
    ids = {k: i for i, k in enumerate(keys)}
    kinds = spells["ending"].to_numpy()
    for y, root, pos in labels:
        event[pos] = ids[(y, root)] * 2 + (kinds[pos] == "state_death")
    _, dense = np.unique(event[event >= 0], return_inverse=True)
    event[event >= 0] = dense
    return event


def spell_years(spells: pd.DataFrame) -> pd.DataFrame:
    """Expand spells to at-risk dyad-years: one row per spell and year start…end.

    Columns: ``spell, ccode1, ccode2, year, start, age`` (0 in the first year), ``event``
    (1 in the last year if the spell ended by abrogation), ``competing`` (1 in the last year if
    it ended by state death) and ``event_id`` (the ending event, −1 on other rows). The hazard
    of a row is the probability that the spell's last year is this one.
    """
    n = spells["duration"].to_numpy()
    idx = np.repeat(np.arange(len(spells)), n)
    offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    base = spells.iloc[idx].reset_index(drop=True)
    year = base["start"].to_numpy() + offset
    last = year == base["end"].to_numpy()
    out = pd.DataFrame({
        "spell": base["spell"].to_numpy(),
        "ccode1": base["ccode1"].to_numpy(),
        "ccode2": base["ccode2"].to_numpy(),
        "year": year,
        "start": base["start"].to_numpy(),
        "age": offset,
        "event": (last & (base["ending"].to_numpy() == "abrogation")).astype(np.int8),
        "competing": (last & (base["ending"].to_numpy() == "state_death")).astype(np.int8),
        "event_id": np.where(last, base["event"].to_numpy(), -1),
    })
    return out
