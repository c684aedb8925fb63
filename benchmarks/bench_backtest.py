"""Benchmark: backtest scoring and the run store.

Run on demand (not part of the test suite)::

    python benchmarks/bench_backtest.py [--db URL]

Prints wall-clock times for

1. the leaderboard of 351 issues × 2 models with 2000 paired bootstrap replicates (the DEU III
   size), vectorised, against a Python loop over replicates (results checked equal first);
2. a backtest of the shipped cases with the reference models;
3. saving 200 forecast runs and sealing 200 ledger entries, then verifying the chain
   (SQLite in a temporary folder by default; pass a PostgreSQL URL to time that).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from realpolitik.backtest import load_cases, metrics, run_backtest
from realpolitik.forecast import forecast
from realpolitik.store import Store, ledger


def timed(label: str, fn, repeat: int = 3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    print(f"{label:<58s} {best * 1000:9.1f} ms")
    return out, best


def bootstrap_loop(a: np.ndarray, b: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    d = a - b
    idx = rng.integers(0, d.size, size=(n, d.size))
    return np.array([d[i].mean() for i in idx])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0, 60, 351), rng.uniform(0, 60, 351)
    ci = metrics.paired_bootstrap(a, b, np.random.default_rng(1), 2000)
    loop = bootstrap_loop(a, b, np.random.default_rng(1), 2000)
    assert np.allclose(np.quantile(loop, [0.025, 0.975]), [ci.low, ci.high])
    _, tv = timed(
        "paired bootstrap, 351 issues × 2000 (vectorised)",
        lambda: metrics.paired_bootstrap(a, b, np.random.default_rng(1), 2000),
    )
    _, tl = timed(
        "paired bootstrap, 351 issues × 2000 (loop)",
        lambda: bootstrap_loop(a, b, np.random.default_rng(1), 2000),
    )
    print(f"{'':<58s} {tl / tv:9.1f} ×")
    cases = load_cases()
    timed(
        "backtest: shipped cases × reference models",
        lambda: run_backtest(cases, ["compromise", "median", "mean", "status-quo"]),
        1,
    )
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = Store(url)
        fc = forecast(cases[1].scenario, ["compromise"], seed=1)
        timed("save 200 forecast runs", lambda: [store.save_forecast(fc) for _ in range(200)], 1)
        rec = {"type": "forecast", "question": "q", "forecaster": "f", "value": 1.0}
        timed("seal 200 ledger entries", lambda: [ledger.seal(store, rec) for _ in range(200)], 1)
        v, _ = timed("verify the chain", lambda: ledger.verify(store), 1)
        assert v.ok
        store.close()


if __name__ == "__main__":
    main()
