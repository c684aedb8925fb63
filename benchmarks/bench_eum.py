"""Benchmark of the EUM core (``realpolitik.models.eum_core.run_batch``).

Prints (1) time per round for 10, 100 and 1,000 actors, (2) batched throughput on the
emission case (scenarios per second at batch sizes 1, 1,000 and 10,000), each against a
straightforward per-pair Python loop of the same (paper-variant) model measured in the same
run. Targets from issue 3: 1,000 actors × 10 rounds in seconds; ≥ 10,000 emission-case solves
per second batched on one core (issue 7 asks ≥ 25,000 Monte Carlo draws per second, the same
``trace=False`` call). Times are CPU seconds of this process (see ``best_of``).
Run: ``python benchmarks/bench_eum.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from realpolitik.models.eum_core import run_batch

EMISSION = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/cases/emission-1994/emission_jmckib_salience01.csv"
)
C = np.array([0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08])
X = np.array([4.0, 7, 4, 4, 10, 10, 10, 7, 4, 7])
S = np.array([0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7])


# --- the straightforward loop: one pair at a time, plain Python floats ----------------


def loop_round(c, x, s, span):
    """One round of the paper variant with Python loops over actor pairs (and voters)."""
    n = len(x)
    w = [c[k] * s[k] for k in range(n)]

    def prob(i, j):
        num = den = 0.0
        for k in range(n):
            a = (abs(x[k] - x[j]) - abs(x[k] - x[i])) / span
            num += w[k] * max(a, 0.0)
            den += w[k] * abs(a)
        return num / den if den > 0 else 0.0

    def eu(i, j, r):
        d = abs(x[i] - x[j]) / span
        us, uf = 2 - 4 * (0.5 - 0.5 * d) ** r, 2 - 4 * (0.5 + 0.5 * d) ** r
        p = prob(i, j)
        return s[j] * (p * us + (1 - p) * uf) + (1 - s[j]) * us - (2 - 4 * 0.5**r)

    sec = [sum(eu(j, i, 1.0) for j in range(n) if j != i) for i in range(n)]
    hi, lo = max(sec), min(sec)
    big_r = [(2 * v - hi - lo) / (hi - lo) if hi > lo else 0.0 for v in sec]
    r = [(1 - q / 3) / (1 + q / 3) for q in big_r]
    e = [[eu(i, j, r[i]) for j in range(n)] for i in range(n)]
    new = list(x)
    for i in range(n):
        best = None  # (rank, move, -proposer EU, new position)
        for j in range(n):
            if x[i] == x[j]:
                continue
            a, b = e[i][j], e[j][i]
            if a > 0 and b > a:
                cand = (0, x[j])
            elif b > 0 > a:
                f = -a / b
                cand = (1, x[i] + f * (x[j] - x[i])) if f < 1 else (2, x[j])
            else:
                continue
            key = (cand[0], abs(cand[1] - x[i]), -b, cand[1])
            if best is None or key < best:
                best = key
        if best is not None:
            new[i] = best[3]
    return new


def loop_median(x, w):
    order = sorted(range(len(x)), key=lambda k: x[k])
    half, cum = sum(w) / 2, 0.0
    for k in order:
        cum += w[k]
        if cum >= half:
            return x[k]
    return x[order[-1]]


def loop_solve(c, x, s, rounds=10):
    x = list(x)
    span = max(x) - min(x)
    for _ in range(rounds):
        x = loop_round(c, x, s, span)
    return x


# --- timing ---------------------------------------------------------------------------


def best_of(fn, repeat: int) -> float:
    """Best CPU time of ``repeat`` calls (numpy here is single-threaded, so CPU time is the
    time on one core, and it is less disturbed than wall time by other jobs on the machine)."""
    return best_of_both(fn, repeat)[0]


def best_of_both(fn, repeat: int) -> tuple[float, float]:
    """Best CPU and best wall-clock time of ``repeat`` calls."""
    cpu, wall = [], []
    for _ in range(repeat):
        t, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - t)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall)


def per_round(quick: bool) -> None:
    print("time per round (random scenarios; vectorised core vs per-pair Python loop)")
    print(f"{'actors':>7} {'variant':>12} {'core ms':>10} {'loop ms':>10} {'ratio':>8}")
    rng = np.random.default_rng(0)
    loop_100 = float("nan")
    for n in (10, 100, 1000):
        c, x, s = rng.uniform(0.1, 1, n), rng.uniform(0, 100, n), rng.uniform(0.1, 1, n)
        rounds = 2 if n == 1000 else 5
        for variant in ("paper", "scholz-code"):
            p = {"variant": variant, "rounds": rounds}
            repeat = 1 + 2 * (n < 1000)
            core = best_of(lambda p=p, a=(c, x, s): run_batch(*a, p, trace=False), repeat)
            core /= rounds
            loop = float("nan")
            if variant == "paper" and (n <= 10 or (n == 100 and not quick)):
                args = (list(c), list(x), list(s), float(np.ptp(x)))
                loop = best_of(lambda a=args: loop_round(*a), 1)
                loop_100 = loop if n == 100 else loop_100
            note = ""
            if variant == "paper" and n == 1000:  # the loop is O(n³): extrapolate from n = 100
                loop, note = loop_100 * 1000, "  (loop extrapolated ×n³ from 100 actors)"
            ratio = f"{loop / core:8.0f}" if loop == loop else "     n/a"
            print(f"{n:>7} {variant:>12} {core * 1e3:>10.2f} {loop * 1e3:>10.2f} {ratio}{note}")
    c, x, s = rng.uniform(0.1, 1, 1000), rng.uniform(0, 100, 1000), rng.uniform(0.1, 1, 1000)
    t = best_of(lambda: run_batch(c, x, s, {"rounds": 10}, trace=False), 1)
    print(f"1,000 actors × 10 rounds (paper, with stopping bookkeeping): {t:.2f} s\n")


def throughput(quick: bool) -> None:
    print("batched throughput on the emission case (10 actors, 10 rounds, perturbed copies)")
    rng = np.random.default_rng(1)
    loop = best_of(lambda: loop_solve(list(C), list(X), list(S)), 3)
    check = run_batch(C, X, S, {})["position"][-1]
    agree = np.allclose(loop_solve(list(C), list(X), list(S)), check, atol=1e-9)
    print(f"per-pair Python loop: {1 / loop:,.0f} scenarios/s (agrees with core: {agree})")
    print(f"{'batch':>7} {'variant':>12} {'scen/s (CPU)':>13} {'(wall)':>9} {'× loop':>8}")
    for batch in (1, 1000) if quick else (1, 1000, 10000):
        cs = C * rng.uniform(0.8, 1.2, (batch, C.size))
        xs = np.clip(X + rng.normal(0, 0.5, (batch, X.size)), 4, 10)
        for variant in ("paper", "scholz-code"):
            p = {"variant": variant}
            t, w = best_of_both(lambda p=p, a=(cs, xs, S): run_batch(*a, p, trace=False), 3)
            rate = batch / t
            print(f"{batch:>7} {variant:>12} {rate:>13,.0f} {batch / w:>9,.0f} {rate * loop:>8.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the slowest measurements")
    quick = ap.parse_args().quick
    per_round(quick)
    throughput(quick)


if __name__ == "__main__":
    main()
