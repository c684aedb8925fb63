"""Yearly refits, done once: the model fitted on the data before each year, cached.

A forecast for year y may use only the dyad-years up to y − 1 (:meth:`.table.SurvivalData.
before`). That fit does not depend on the dyad, so a yearly series for any dyad — and the
report's and web app's probability lines — reuse one fit per year. Fits are made in
ascending years, each GLM starting from the previous year's coefficients (a warm start: the
same maximum, a few Fisher-scoring steps instead of a dozen), and kept

* in memory for the process, and
* on disk in the cache directory (:func:`.table.cache_dir`), one file per table fingerprint
  and model, rewritten atomically when years are added.

The key is a fingerprint of the table's *contents* (not only its input-file key), so a table
altered in memory — as the no-peeking test does — never meets fits made on another table.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from . import models as mdl
from .table import SurvivalData, _atomic_pickle, cache_dir

__all__ = ["FITS_SCHEMA", "fingerprint", "yearly_models", "derived", "clear_memory"]

FITS_SCHEMA = 3
"""Version of the cached fits; bump it when a model's fit changes."""

_MEMORY: dict[tuple[str, str], dict[int, mdl.HazardModel]] = {}
_DERIVED: dict[tuple[str, str], Any] = {}
_FINGERPRINTS: dict[int, tuple[pd.DataFrame, str]] = {}


def fingerprint(data: SurvivalData) -> str:
    """SHA-256 (20 hex digits) of the table's contents and the fit schema."""
    table = data.table
    hit = _FINGERPRINTS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    h = hashlib.sha256(f"fits{FITS_SCHEMA}".encode())
    h.update(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
    h.update(",".join(map(str, table.columns)).encode())
    digest = h.hexdigest()[:20]
    _FINGERPRINTS[id(table)] = (table, digest)
    return digest


def _path(key: str, model: str) -> Any:
    return cache_dir() / f"survival-fits-{key}-{model}.pkl"


def _load(key: str, model: str) -> dict[int, mdl.HazardModel]:
    try:
        with _path(key, model).open("rb") as fh:
            got = pickle.load(fh)
        return dict(got) if isinstance(got, dict) else {}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return {}


def clear_memory() -> None:
    """Forget the in-memory fits (the disk cache stays)."""
    _MEMORY.clear()
    _DERIVED.clear()
    _FINGERPRINTS.clear()


def derived(data: SurvivalData, name: str, compute: Callable[[SurvivalData], Any],
            use_cache: bool = True) -> Any:
    """``compute(data)``, kept in memory and on disk under ``name`` and the table's
    fingerprint (for results that take seconds and depend on the table only)."""
    if not use_cache:
        return compute(data)
    key = (fingerprint(data), name)
    if key in _DERIVED:
        return _DERIVED[key]
    path = cache_dir() / f"survival-{name}-{key[0]}.pkl"
    try:
        with path.open("rb") as fh:
            value = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        value = compute(data)
        _atomic_pickle(value, path)
    _DERIVED[key] = value
    return value


def yearly_models(data: SurvivalData, years: list[int] | range, model: str = "cox",
                  use_cache: bool = True) -> dict[int, mdl.HazardModel]:
    """``{year: model fitted on the rows before year}`` for every year asked for.

    Years without any abrogation before them are left out (nothing to fit).
    """
    key = fingerprint(data)
    fits = _MEMORY.setdefault((key, model), {}) if use_cache else {}
    wanted = sorted(set(int(y) for y in years))
    if use_cache and any(y not in fits for y in wanted):
        fits.update({y: m for y, m in _load(key, model).items() if y not in fits})
    todo = [y for y in wanted if y not in fits]
    if todo:
        table = data.table
        order = np.argsort(table["year"].to_numpy(), kind="stable")
        year = table["year"].to_numpy()[order]
        ended = np.cumsum(table["event"].to_numpy()[order])
        previous = max((y for y in fits if y < todo[0]), default=None)
        warm = fits.get(previous) if previous is not None else None
        for y in todo:
            n = int(np.searchsorted(year, y, side="left"))  # rows of years <= y − 1
            if n == 0 or ended[n - 1] == 0:
                continue
            rows = table.iloc[np.sort(order[:n])]  # = data.before(y), in the table's order
            fitted = mdl.make(model)
            if isinstance(fitted, mdl.GLMHazard):
                fitted.fit(rows, warm=warm if isinstance(warm, mdl.GLMHazard) else None)
            else:
                fitted.fit(rows)
            fits[y] = warm = fitted
        if use_cache:
            _atomic_pickle(dict(fits), _path(key, model))
    return {y: fits[y] for y in wanted if y in fits}
