"""The alliance-survival benchmark beside the bargaining leaderboard, cached on disk.

The bargaining leaderboard scores point forecasts of issue outcomes; the survival benchmark
scores probabilities that an alliance ends by abrogation within 5 years, out of sample from
rolling origins (:func:`realpolitik.analysis.alliance.survival.validate.validate`: C-index,
AUC and Brier per model, each against Kaplan–Meier, with event-clustered bootstrap intervals
and the number of independent ending events). The two are different questions, so they are
two tables, not one ranking.

Validating every cut takes a while, so the result is kept (in memory and in the cache
directory) under the fingerprint of the survival table's contents and the cuts, models,
replicates and seed (:func:`realpolitik.analysis.alliance.survival.fits.derived`); a changed
data file, option or :data:`SCHEMA` is a new key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..analysis.alliance.survival import validate as val
from ..analysis.alliance.survival.fits import derived
from ..analysis.alliance.survival.table import SurvivalData
from .backtest import _json_safe

__all__ = ["SCHEMA", "cache_name", "benchmark"]

SCHEMA = 1
"""Version of the cached benchmark; bump it when validation's scores change."""


def cache_name(cuts: Sequence[int], models: Sequence[str], reps: int, seed: int) -> str:
    """The cache entry's name for one set of options (the table's fingerprint is added)."""
    return (f"validation-v{SCHEMA}-c{'.'.join(map(str, cuts))}-m{'.'.join(models)}"
            f"-r{reps}-s{seed}")


def benchmark(data: SurvivalData, cuts: Sequence[int] = val.CUTS,
              models: Sequence[str] = val.DEFAULT_MODELS, reps: int = 300, seed: int = 0,
              use_cache: bool = True) -> dict[str, Any]:
    """The validation record (``Validation.to_json()``, NaN as None) and where it came from.

    Raises ValueError for a cut whose 5-year window passes the data's last year.
    """
    cuts, models = tuple(int(c) for c in cuts), tuple(models)
    name = cache_name(cuts, models, reps, seed)

    def compute(d: SurvivalData) -> dict[str, Any]:
        doc: dict[str, Any] = val.validate(d, cuts, models, reps, seed).to_json()
        return doc

    doc = derived(data, name, compute, use_cache)
    return _json_safe({**doc, "seed": seed, "table_key": data.version.get("key")})
