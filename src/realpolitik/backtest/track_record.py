"""Each model's track record, to print beside its forecast: error relative to compromise.

A forecast without its model's record invites reading the most dramatic number. So every
forecast shows, per model, the mean paired difference of its absolute error from the
compromise model's (points of a 0–100 scale; negative = more accurate), its bootstrap interval
and the number of issues — from the shipped cases with known outcomes (the ``realpolitik
backtest`` machinery) and, for the expected-utility family, from the 351 DEU III issues
(packaged with the conformal quantiles; an expected-utility challenger, not this package's
EUM). :func:`verdict` says in one line which model the evidence favours: a model only beats
compromise if its interval lies below 0.

The shipped-case records depend only on the model set and the seed, not on the scenario being
forecast, so the sets a forecast asks for most (:func:`common_sets`, at seed 0) are packaged
(``track_record.json``, written by :func:`table`; a test recomputes every entry and asks for
equality): a small forecast then neither reruns the backtest nor imports pandas for it (issue
16). Any other set or seed is backtested, once per process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["Record", "track_record", "verdict", "BASELINE", "common_sets", "table",
           "PACKAGED_SEED"]

BASELINE = "compromise"

#: The seed whose records are packaged (every command's default).
PACKAGED_SEED = 0


@dataclass(frozen=True)
class Record:
    """A model's error relative to compromise on one body of evidence."""

    model: str
    source: str
    n: int
    mae: float | None
    diff: float | None
    diff_low: float | None
    diff_high: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        if self.model == BASELINE:
            return f"baseline (MAE {self.mae:.1f}, n={self.n})" if self.mae is not None else "—"
        if self.diff is None or not np.isfinite(self.diff):
            return "—"
        return f"{self.diff:+.1f} [{self.diff_low:+.1f}, {self.diff_high:+.1f}] n={self.n}"


def _num(x: Any) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


def common_sets() -> list[tuple[str, ...]]:
    """The model sets (baseline first, as backtested) whose records are packaged: a forecast's
    defaults with and without the models that need a status quo, and each model alone."""
    from ..forecast import default_sets
    from ..models import names

    sets = [*default_sets(), *((m,) for m in names())]
    return list(dict.fromkeys(_chosen(s) for s in sets))


def _chosen(models: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((BASELINE, *models)))


def _backtested(chosen: tuple[str, ...], seed: int) -> tuple[Record, ...]:
    from .backtest import run_backtest
    from .cases import load_cases

    bt = run_backtest(load_cases(), list(chosen), seed=seed, baseline=BASELINE)
    out = []
    for r in bt.board.to_dict("records"):
        out.append(Record(str(r["model"]), "shipped cases", int(r["n"]), _num(r["mae"]),
                          0.0 if r["model"] == BASELINE else _num(r.get("diff")),
                          _num(r.get("diff_low")), _num(r.get("diff_high"))))
    return tuple(out)


def table() -> dict[str, Any]:
    """What ``track_record.json`` holds: the records of every :func:`common_sets` set at
    :data:`PACKAGED_SEED`, keyed by the comma-joined set."""
    return {"seed": PACKAGED_SEED,
            "records": {",".join(c): [r.to_dict() for r in _backtested(c, PACKAGED_SEED)]
                        for c in common_sets()}}


@cache
def packaged_doc() -> dict[str, Any]:
    """``backtest/track_record.json`` as shipped (regenerate with :func:`table`)."""
    import json

    text = resources.files(__package__).joinpath("track_record.json").read_text("utf-8")
    return dict(json.loads(text))


@cache
def _shipped(models: tuple[str, ...], seed: int) -> tuple[Record, ...]:
    chosen = _chosen(models)
    doc = packaged_doc()
    rows = doc["records"].get(",".join(chosen)) if seed == doc["seed"] else None
    if rows is not None:
        return tuple(Record(**r) for r in rows)
    return _backtested(chosen, seed)


def _deu() -> list[Record]:
    from .calibration import packaged_doc

    ev = packaged_doc().get("deu_evidence", {})
    return [Record(m, "DEU III (expected-utility challenger)" if m == "eum" else "DEU III",
                   int(e["n"]), e["mae"], e["diff"], e["diff_low"], e["diff_high"])
            for m, e in ev.items()]


def track_record(models: Iterable[str], seed: int = 0) -> dict[str, list[Record]]:
    """Per model, its records (shipped cases first, then DEU III where the family has one)."""
    models = tuple(models)
    out: dict[str, list[Record]] = {m: [] for m in models}
    for r in (*_shipped(models, seed), *_deu()):
        if r.model in out:
            out[r.model].append(r)
    return out


def verdict(records: dict[str, list[Record]]) -> str:
    """One line: which model the evidence favours (compromise unless one beats it clearly)."""
    better = sorted({r.model for rs in records.values() for r in rs
                     if r.model != BASELINE and r.diff_high is not None and r.diff_high < 0})
    worse = sorted({r.model for rs in records.values() for r in rs
                    if r.model != BASELINE and r.diff_low is not None and r.diff_low > 0})
    if better:
        return (f"The evidence favours {', '.join(better)}: more accurate than compromise with "
                "an interval below 0.")
    tail = f" ({', '.join(worse)} clearly worse)" if worse else ""
    return ("The evidence favours compromise: no model beats it with an interval excluding 0"
            f"{tail}.")


if __name__ == "__main__":  # python -m realpolitik.backtest.track_record > track_record.json
    import json
    import sys

    json.dump(table(), sys.stdout, indent=1)
    sys.stdout.write("\n")
