"""Benchmark of the EUM core (``realpolitik.models.eum.core.run_batch``).

Prints (1) time per round for 10, 100 and 1,000 actors, (2) batched throughput on the
emission case (scenarios per second at batch sizes 1, 1,000 and 10,000), each against a
straightforward per-pair Python loop of the same (paper-variant) model measured in the same
run, and (3) the compiled numba kernel against the numpy core (``backend=``) on the emission
case and the Korea 2006 scenario at 1k, 10k and 100k draws, with the kernel's first-call time
(compilation, or loading it from numba's cache in ``__pycache__``). Targets from issue 3:
1,000 actors × 10 rounds in seconds; ≥ 10,000 emission-case solves per second batched on one
core; issue 7: ≥ 25,000 emission-case Monte Carlo draws per second on one core (the same
``trace=False`` call). Times are CPU seconds of this process (see ``best_of``); the kernel
runs on one thread. Run: ``python benchmarks/bench_eum.py [--quick] [--backends-only]``.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # one core (the kernel is serial anyway)

import numpy as np  # noqa: E402

from realpolitik.models.eum.core import run_batch  # noqa: E402
from realpolitik.scenario.io import load  # noqa: E402

KOREA = Path(__file__).resolve().parents[1] / "examples" / "korea-2006.yaml"

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
            p = {"variant": variant, "rounds": rounds, "backend": "numpy"}
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
    t = best_of(lambda: run_batch(c, x, s, {"rounds": 10, "backend": "numpy"}, trace=False), 1)
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
            p = {"variant": variant, "backend": "numpy"}
            t, w = best_of_both(lambda p=p, a=(cs, xs, S): run_batch(*a, p, trace=False), 3)
            rate = batch / t
            print(f"{batch:>7} {variant:>12} {rate:>13,.0f} {batch / w:>9,.0f} {rate * loop:>8.0f}")


def _perturbed(c, x, s, low, high, batch, rng):
    """``batch`` draws: capability ×U(0.8, 1.2), position + N(0, 5% of the scale), clipped."""
    cs = c * rng.uniform(0.8, 1.2, (batch, c.size))
    xs = np.clip(x + rng.normal(0, 0.05 * (high - low), (batch, x.size)), low, high)
    return cs, xs, np.broadcast_to(s, xs.shape)


def _cases(batch: int, rng) -> dict[str, list[tuple]]:
    """Per case, the perturbed (c, x, s, issue width) of each issue."""
    korea = load(KOREA).arrays()
    issues = []
    for j in range(len(korea.issue_ids)):
        lo, hi = float(korea.low[j]), float(korea.high[j])
        issues.append((*_perturbed(*korea.issue(j), lo, hi, batch, rng), hi - lo))
    return {"emission": [(*_perturbed(C, X, S, 4.0, 10.0, batch, rng), 6.0)], "korea-2006": issues}


def backends(quick: bool) -> None:
    print("\ncompiled kernel vs numpy core, trace=False (Monte Carlo draws; all issues)")
    t = time.perf_counter()
    run_batch(C, X, S, {}, trace=False, backend="numba")
    print(f"numba first call (compile, or load from __pycache__): {time.perf_counter() - t:.1f} s")
    rng = np.random.default_rng(2)
    print(
        f"{'case':>11} {'draws':>7} {'variant':>12} {'numba /s':>10} {'numpy /s':>10} {'ratio':>6}"
    )
    for batch in (1_000, 10_000) if quick else (1_000, 10_000, 100_000):
        for case, issues in _cases(batch, rng).items():
            for variant in ("paper", "scholz-code"):
                rate = {}
                for backend in ("numba", "numpy"):
                    p = {"variant": variant, "backend": backend}

                    def solve(p=p, issues=issues):
                        for c, x, s, width in issues:
                            run_batch(c, x, s, p, issue_range=width, trace=False)

                    rate[backend] = batch / best_of(solve, 1 if batch > 10_000 else 3)
                ratio = rate["numba"] / rate["numpy"]
                print(
                    f"{case:>11} {batch:>7} {variant:>12} {rate['numba']:>10,.0f} "
                    f"{rate['numpy']:>10,.0f} {ratio:>6.1f}"
                )
    print("target (issue 7): >= 25,000 emission-case draws/s on one core")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the slowest measurements")
    ap.add_argument("--backends-only", action="store_true", help="only numba vs numpy")
    args = ap.parse_args()
    if not args.backends_only:
        per_round(args.quick)
        throughput(args.quick)
    backends(args.quick)


if __name__ == "__main__":
    main()
