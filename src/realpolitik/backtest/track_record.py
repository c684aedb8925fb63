"""Each model's track record, to print beside its forecast: error relative to compromise.

A forecast without its model's record invites reading the most dramatic number. So every
forecast shows, per model, the mean paired difference of its absolute error from the
compromise model's (points of a 0–100 scale; negative = more accurate), its bootstrap interval
and the number of issues — from the shipped cases with known outcomes (the ``realpolitik
backtest`` machinery, run once per process) and, for the expected-utility family, from the 351
DEU III issues (packaged with the conformal quantiles; an expected-utility challenger, not this
package's EUM). :func:`verdict` says in one line which model the evidence favours: a model
only beats compromise if its interval lies below 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import numpy as np

__all__ = ["Record", "track_record", "verdict", "BASELINE"]

BASELINE = "compromise"


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


@cache
def _shipped(models: tuple[str, ...], seed: int) -> tuple[Record, ...]:
    from .backtest import run_backtest
    from .cases import load_cases

    chosen = tuple(dict.fromkeys((BASELINE, *models)))
    bt = run_backtest(load_cases(), list(chosen), seed=seed, baseline=BASELINE)
    out = []
    for r in bt.board.to_dict("records"):
        out.append(Record(str(r["model"]), "shipped cases", int(r["n"]), _num(r["mae"]),
                          0.0 if r["model"] == BASELINE else _num(r.get("diff")),
                          _num(r.get("diff_low")), _num(r.get("diff_high"))))
    return tuple(out)


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
