"""The dyad-year survival table: spells × covariates, assembled once and cached.

:func:`load_table` reads the raw files (ATOP, COW states, NMC, UN votes and the peacesciencer
tables of :mod:`realpolitik.data.peacescience`), builds the spells
(:func:`.spells.build_spells`), expands them to at-risk dyad-years and attaches the lagged
covariates (:func:`.covariates.compute`). The result is cached as a pickle in the cache
directory, keyed on the SHA-256 of every input file, the options and :data:`SCHEMA`; a changed
file or option is a new key. Writes are atomic (temporary file, then rename), so a killed run
never leaves half a cache file.

Cache directory: ``$REALPOLITIK_CACHE``, else ``$XDG_CACHE_HOME/realpolitik``, else
``~/.cache/realpolitik``.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from realpolitik.data import atop as atop_data
from realpolitik.data import countrycodes, nmc, peacescience, states, unvotes
from realpolitik.data._io import PathLike, data_dir, locate

from . import covariates as cov
from . import spells as sp

__all__ = ["SCHEMA", "INPUTS", "SurvivalData", "cache_dir", "input_hashes", "build",
           "load_table"]

SCHEMA = 3
"""Version of the table layout; bump it when the construction changes."""

INPUTS = (
    "peacesciencer/atop_alliance.rda",
    "states/cowstates.rda",
    "peacesciencer/cow_nmc.rda",
    "unvotes/un_votes.rda",
    "unvotes/un_roll_calls.rda",
    *(f"peacesciencer/{name}.rda" for name in peacescience.TABLES),
)
"""Files the table is built from (relative to the data directory)."""


@dataclass(frozen=True)
class SurvivalData:
    """Spells, their at-risk dyad-years with covariates, and what they were built from."""

    spells: pd.DataFrame
    table: pd.DataFrame
    version: dict[str, Any] = field(default_factory=dict)

    def before(self, year: int) -> pd.DataFrame:
        """Rows whose outcome is known by ``year``: row years up to ``year − 1``."""
        return self.table[self.table["year"] <= year - 1]


def cache_dir() -> Path:
    """The cache directory (see the module docstring); not created here."""
    env = os.environ.get("REALPOLITIK_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "realpolitik"


def input_hashes(data_dir_: PathLike | None = None) -> dict[str, str]:
    """SHA-256 of every input file (raises DataError naming a missing one)."""
    out = {}
    for rel in INPUTS:
        path = locate(rel, None, data_dir_)
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def load_sources(data_dir_: PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame,
                                                              cov.Sources]:
    """Read every input: (symmetrised ATOP, COW states, covariate sources)."""
    atop = atop_data.load_atop(data_dir=data_dir_)
    cow = states.load_states("cow", data_dir=data_dir_)
    votes = unvotes.load_unvotes(data_dir_)
    names = countrycodes.country_table()
    names = names[names["unvotes_name"].astype(str) != ""][["unvotes_name", "cown", "start",
                                                            "end"]]
    ps = {name: peacescience.load(name, data_dir_) for name in peacescience.TABLES}
    sources = cov.Sources(
        nmc=nmc.load_nmc(data_dir=data_dir_),
        democracy=ps["ccode_democracy"],
        majors=ps["cow_majors"],
        contdir=ps["cow_contdir"],
        mindist=ps["cow_mindist"],
        igos=ps["cow_igo_ndy"],
        rivalries=ps["td_rivalries"],
        mid_part=ps["gml_part"],
        mid_dyads=ps["gml_dirdisp"],
        un=cov.un_dyad_years(votes, names.astype({"cown": int, "start": int, "end": int})),
    )
    return atop, cow, sources


def build(data_dir_: PathLike | None = None, *, defense_only: bool = False,
          bridge_gap: int = 1) -> SurvivalData:
    """Assemble spells and the dyad-year table from the raw files (no cache)."""
    atop, cow, sources = load_sources(data_dir_)
    spells = sp.build_spells(atop, cow, defense_only=defense_only, bridge_gap=bridge_gap)
    rows = sp.spell_years(spells)
    covs = cov.compute(rows, spells, sources)
    table = pd.concat([rows, covs.drop(columns=[c for c in covs if c in rows])], axis=1)
    return SurvivalData(spells, table, {"defense_only": defense_only, "bridge_gap": bridge_gap})


def _key(hashes: dict[str, str], options: dict[str, Any]) -> str:
    blob = json.dumps({"schema": SCHEMA, "inputs": hashes, "options": options}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def load_table(data_dir_: PathLike | None = None, *, defense_only: bool = False,
               bridge_gap: int = 1, use_cache: bool = True) -> SurvivalData:
    """The survival data, from the cache when the inputs and options are unchanged."""
    hashes = input_hashes(data_dir_)
    options = {"defense_only": defense_only, "bridge_gap": bridge_gap}
    key = _key(hashes, options)
    target = cache_dir() / f"survival-{key}.pkl"
    if use_cache and target.exists():
        try:
            with target.open("rb") as fh:
                cached = pickle.load(fh)
            if isinstance(cached, SurvivalData):
                return cached
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a stale or broken cache file is rebuilt below
    data = build(data_dir_, defense_only=defense_only, bridge_gap=bridge_gap)
    version = {**data.version, "key": key, "data_dir": str(data_dir(data_dir_)),
               "inputs": {k: v[:16] for k, v in hashes.items()}}
    data = SurvivalData(data.spells, data.table, version)
    if use_cache:
        _atomic_pickle(data, target)
    return data


def _atomic_pickle(obj: Any, target: Path) -> None:
    """Write ``obj`` to ``target`` through a temporary file in the same directory."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".survival-", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        return  # an unwritable cache is not an error: the table was built
