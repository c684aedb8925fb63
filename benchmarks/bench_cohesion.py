"""Benchmark: the US–ROK cohesion panel and all-dyads S for one year, against pandas loops.

Run on demand (not part of the test suite)::

    python benchmarks/bench_cohesion.py [--data DIR] [--year 2003]

Prints wall-clock times for

1. loading the data (unvotes 870k rows, ATOP, NMC, COW states);
2. the USA–KOR 1991–2019 panel (every measure) from the loaded data, and the UN-vote part of
   it computed by a straightforward baseline: one boolean filter + merge per year and a Python
   loop over the merged rows;
3. Signorino–Ritter S (and every other measure) for all ≈190² country pairs of one UN session,
   vectorised (one-hot matrix products) vs a baseline loop over pairs of a pivoted pandas table;
4. the same for ATOP valued portfolios (all system members, one year).

Each baseline's results are checked against the vectorised ones before the ratio is printed.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from realpolitik.analysis.alliance import similarity as sim
from realpolitik.analysis.alliance.cohesion_data import cohesion_panel, load_bundle, un_all_dyads
from realpolitik.data.atop import portfolio_matrix
from realpolitik.data.states import system_members


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall-clock time of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def baseline_un_panel(votes: pd.DataFrame, a: str, b: str, years: range) -> pd.DataFrame:
    """UN S, agreement and nominal κ per year, the obvious way."""
    rows = []
    for year in years:
        va = votes[(votes["year"] == year) & (votes["country"] == a)][["rcid", "vote_code"]]
        vb = votes[(votes["year"] == year) & (votes["country"] == b)][["rcid", "vote_code"]]
        both = va.merge(vb, on="rcid", suffixes=("_a", "_b"))
        dist, same = 0.0, 0
        pa, pb = np.zeros(3), np.zeros(3)
        for _, r in both.iterrows():
            dist += abs(r["vote_code_a"] - r["vote_code_b"]) / 2
            same += int(r["vote_code_a"] == r["vote_code_b"])
            pa[r["vote_code_a"]] += 1
            pb[r["vote_code_b"]] += 1
        n = len(both)
        p_e = float((pa / n) @ (pb / n)) if n else np.nan
        kappa = (same / n - p_e) / (1 - p_e) if n and p_e < 1 else np.nan
        s_abs = 1 - 2 * dist / n if n else np.nan
        rows.append({"year": year, "un_s_abs": s_abs, "un_kappa_nominal": kappa})
    return pd.DataFrame(rows).set_index("year")


def baseline_all_pairs_s(wide: pd.DataFrame, d_max: float) -> np.ndarray:
    """S for every pair of rows of a states × units table, one pair at a time."""
    out = []
    for i, j in itertools.combinations(range(len(wide)), 2):
        x, y = wide.iloc[i], wide.iloc[j]
        both = x.notna() & y.notna()
        out.append(1 - 2 * (x[both] - y[both]).abs().mean() / d_max)
    return np.array(out)


def report(label: str, fast: float, slow: float) -> None:
    print(f"{label:<46} {fast * 1e3:9.1f} ms   baseline {slow * 1e3:9.1f} ms   x{slow / fast:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="data directory (default: $REALPOLITIK_DATA)")
    parser.add_argument("--year", type=int, default=2003)
    args = parser.parse_args()

    t_load, bundle = timed(lambda: load_bundle(args.data), repeat=1)
    print(f"{'load unvotes + ATOP + NMC + states':<46} {t_load * 1e3:9.1f} ms")

    years = range(1991, 2020)
    t_panel, panel = timed(lambda: cohesion_panel("USA", "KOR", 1991, 2019, bundle=bundle))
    t_base, base = timed(
        lambda: baseline_un_panel(bundle.votes, "United States", "South Korea", years), repeat=1
    )
    ours = panel.set_index("year")[["un_s_abs", "un_kappa_nominal"]]
    assert np.allclose(ours.to_numpy(), base.to_numpy(), equal_nan=True)
    print(f"  (panel has {panel.shape[1]} columns; baseline computes 2 UN measures only)")
    report("USA-KOR panel 1991-2019 (all measures)", t_panel, t_base)
    t_all, _ = timed(lambda: cohesion_panel("USA", "KOR", 1946, 2019, bundle=bundle), repeat=1)
    print(f"{'USA-KOR panel 1946-2019 (all measures)':<46} {t_all * 1e3:9.1f} ms")

    votes = bundle.votes[bundle.votes["year"] == args.year]
    wide = votes.pivot(index="country", columns="rcid", values="vote_code").astype(float)
    t_fast, every = timed(lambda: un_all_dyads(bundle.votes, args.year))
    t_slow, slow = timed(lambda: baseline_all_pairs_s(wide, 2.0), repeat=1)
    assert np.allclose(every["s_abs"].to_numpy(), slow, equal_nan=True)
    report(f"UN {args.year}: all {len(every):,} pairs, every measure", t_fast, t_slow)

    year = min(args.year, 2018)
    members = system_members(bundle.states, year)
    matrix = portfolio_matrix(bundle.atop, members, year, valued=True)
    t_fast, tables = timed(lambda: sim.pairwise_contingency(matrix, 4))
    i, j = np.triu_indices(len(members), k=1)
    fast_s = sim.s_score(tables[i, j])
    t_slow, slow = timed(lambda: baseline_all_pairs_s(pd.DataFrame(matrix), 3.0), repeat=1)
    assert np.allclose(fast_s, slow)
    report(f"ATOP {year}: all {len(i):,} pairs, valued S", t_fast, t_slow)


if __name__ == "__main__":
    main()
