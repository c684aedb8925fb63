"""Benchmark: SMP and exchange Monte Carlo draws per second, batched vs draw by draw (issue 16).

On the Korea 2006 scenario (6 actors, 4 issues) with its declared input uncertainty (±10
points on positions, ±20 % on salience and capability), runs ``realpolitik forecast --model
smp|exchange --draws N``'s engine — :func:`realpolitik.analysis.uncertainty.sweep.sweep` —
once with the batched cores and once draw by draw (``engine="per-draw"``: the registered
model's ``run`` on each perturbed scenario), in the same process, and prints draws per second
of both and their ratio. The batched outcomes of the baseline's draws are checked to equal
the draw-by-draw ones exactly (the tests check every draw of 200 as well).

Targets (issue 16): SMP ≥ 2,000 and exchange ≥ 1,000 draws/s on one core, each ≥ 30× its
draw-by-draw baseline. Run on one core: ``taskset -c 0 python
benchmarks/bench_montecarlo_models.py [--draws 10000] [--per-draw 200] [--models smp]``.
Rates are CPU seconds of this process (robust on a shared machine); the load average is
printed with them.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from realpolitik.analysis.uncertainty.evaluate import batched  # noqa: E402
from realpolitik.analysis.uncertainty.sweep import Run, sweep  # noqa: E402
from realpolitik.scenario.io import load  # noqa: E402

KOREA = Path(__file__).resolve().parents[1] / "examples" / "korea-2006.yaml"
TARGET = {"smp": 2_000, "exchange": 1_000}


def rate(sc, model: str, draws: int, engine: str, chunk: int) -> tuple[float, np.ndarray]:
    """Draws per CPU second of one serial sweep, and its outcomes."""
    t0 = time.process_time()
    res = sweep(sc, Run(model), draws, seed=1, chunk_size=chunk, engine=engine)
    return draws / (time.process_time() - t0), res.outcomes[(0, 0)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=10_000, help="batched draws")
    ap.add_argument("--chunk", type=int, default=1_000, help="draws per chunk (the default)")
    ap.add_argument("--per-draw", type=int, default=200, help="draws of the baseline")
    ap.add_argument("--models", nargs="+", default=["smp", "exchange"])
    args = ap.parse_args()
    sc = load(KOREA)
    load1 = os.getloadavg()[0]
    print(f"Korea 2006 Monte Carlo, serial; cpus allowed: {len(os.sched_getaffinity(0))}, "
          f"load average {load1:.2f}")
    print(f"{'model':<9} {'engine':<9} {'draws':>7} {'batched /s':>11} {'per-draw /s':>12} "
          f"{'ratio':>7} {'target /s':>10}")
    for model in args.models:
        engine = "auto" if batched(model, {}, sc) else "per-draw"
        slow, y_slow = rate(sc, model, args.per_draw, "per-draw", min(args.chunk,
                                                                       args.per_draw))
        _, y_fast = rate(sc, model, args.per_draw, engine, min(args.chunk, args.per_draw))
        same = np.array_equal(y_fast, y_slow, equal_nan=True)
        fast, _ = rate(sc, model, args.draws, engine, args.chunk)
        print(f"{model:<9} {'batched' if engine == 'auto' else 'per-draw':<9} {args.draws:>7} "
              f"{fast:>11,.0f} {slow:>12,.0f} {fast / slow:>6.1f}x {TARGET[model]:>10,}"
              f"{'' if same else '  OUTCOMES DIFFER'}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
