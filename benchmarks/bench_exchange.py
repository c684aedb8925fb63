"""Seconds per round of the exchange model on synthetic, seeded scenarios; ratio to decide.

Run: ``python benchmarks/bench_exchange.py [--rounds N] [--decide-max 30x20] [--sizes ...]``.
Times are CPU seconds of this process (``time.process_time``), so other jobs on a shared
machine do not inflate them; the peak resident memory so far is printed too. The decide
column appears only when ``decide-exchange-model`` is importable (install it in a throwaway
venv; it is GPL and never a dependency); sizes above ``--decide-max`` skip it (decide's cost
grows like (actors·issues)³ per round: 30×20 took minutes per round).
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from realpolitik.models.exchange.core import run_round

SIZES = [(10, 6), (30, 20), (100, 50), (200, 100)]


def synthetic(n: int, k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions on 0–100 (multiples of 5), saliences and capabilities in (0, 1]."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 21, (n, k)) * 5.0
    s = rng.integers(1, 21, (n, k)) / 20
    c = np.repeat(rng.integers(1, 21, (n, 1)) / 20, k, axis=1)
    return x, s, c


def ours(n: int, k: int, rounds: int) -> float:
    x, s, c = synthetic(n, k)
    start = time.process_time()
    for _ in range(rounds):
        run_round(x, s, c * s, tie_break="first")
    return (time.process_time() - start) / rounds


def decide(n: int, k: int, rounds: int) -> float | None:
    try:
        from decide.model import equalgain
        from decide.model.utils import ModelLoop
    except ImportError:
        return None
    x, s, c = synthetic(n, k)
    model = equalgain.EqualGainModel()
    for i in range(n):
        model.add_actor(f"a{i}")
    for j in range(k):
        issue = model.add_issue(f"i{j}")
        issue.lower, issue.upper = 0, 100
    for i in range(n):
        for j in range(k):
            model.add_actor_issue(f"a{i}", f"i{j}", x[i, j], s[i, j], c[i, j])

    class Quiet:
        def __getattr__(self, name):  # decide's event hooks: ignore them all
            return lambda *a, **kw: None

    loop = ModelLoop(model, Quiet(), 0)
    start = time.process_time()
    for _ in range(rounds):
        loop.loop()
    return (time.process_time() - start) / rounds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--decide-max", default="30x20")
    ap.add_argument("--sizes", default=",".join(f"{n}x{k}" for n, k in SIZES))
    args = ap.parse_args()
    sizes = [tuple(int(v) for v in size.split("x")) for size in args.sizes.split(",")]
    dn, dk = (int(v) for v in args.decide_max.split("x"))
    head = f"{'size':>9} {'ours s/round':>13} {'decide s/round':>15} {'ratio':>8} {'peak MB':>8}"
    print(head, flush=True)
    for n, k in sizes:
        t = ours(n, k, args.rounds)
        d = decide(n, k, 1) if n * k <= dn * dk else None
        ratio = f"{d / t:8.0f}" if d else "       -"
        dcol = f"{d:15.3f}" if d else "              -"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>4}×{k:<4} {t:13.3f} {dcol} {ratio} {peak:8.0f}", flush=True)


if __name__ == "__main__":
    main()
