"""Benchmark: the alliance-survival table and model fits (issue 19).

Run on demand (not part of the test suite)::

    python benchmarks/bench_survival.py [--data DIR]

Prints wall-clock times (one core: BLAS/OpenMP limited to one thread) for

0. the whole assembly from the raw files into the table, cold (an empty cache);
1. reading every raw file (ATOP, COW states, NMC, UN votes, peacesciencer tables) again;
2. assembling spells and the dyad-year table with its lagged covariates from them;
3. loading the same table from the cache (the baseline the ratios are measured against);
4. fitting Kaplan–Meier, the grouped-time Cox model, the logit and the boosted trees on all
   dyad-years.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from realpolitik.analysis.alliance.survival import covariates as cov
from realpolitik.analysis.alliance.survival import models as mdl
from realpolitik.analysis.alliance.survival import spells as sp
from realpolitik.analysis.alliance.survival import table as tb


def timed(label: str, fn, baseline: float | None = None):
    t = time.perf_counter()
    out = fn()
    took = time.perf_counter() - t
    ratio = f"  ({took / baseline:8.0f}× the cached load)" if baseline else ""
    print(f"{label:<52s} {took:8.2f} s{ratio}")
    return out, took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["REALPOLITIK_CACHE"] = cache
        t = time.perf_counter()
        tb.load_table(args.data)  # raw files → table, written to the (empty) cache
        cold = time.perf_counter() - t
        data, base = timed("load the cached table", lambda: tb.load_table(args.data))
        print(f"{'raw files → table, cold (nothing cached, one process)':<52s} {cold:8.2f} s"
              f"  ({cold / base:8.0f}× the cached load)")
        (atop, cow, src), _ = timed("read the raw files again (in-process caches warm)",
                                    lambda: tb.load_sources(args.data), base)

        def assemble():
            spells = sp.build_spells(atop, cow)
            rows = sp.spell_years(spells)
            return cov.compute(rows, spells, src)

        timed("spells + dyad-years + lagged covariates", assemble, base)
        print(f"  {len(data.spells)} spells, {len(data.table)} dyad-years, "
              f"{int(data.table['event'].sum())} abrogations")
        for name in ("km", "cox", "logit", "gbm"):
            timed(f"fit {name} on every dyad-year", lambda n=name: mdl.make(n).fit(data.table),
                  base)


if __name__ == "__main__":
    main()
