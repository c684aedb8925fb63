"""Benchmark: expected-utility Monte Carlo draws per second, batched vs draw by draw.

For the emission case (BdM 1994: 10 actors, 1 issue) and the Korea 2006 scenario (6 actors,
4 issues) with the default input uncertainty (±10% of each scale on positions, ±20% on
salience and capability), runs ``realpolitik forecast --model eum --draws N`` 's engine —
:func:`realpolitik.analysis.uncertainty.sweep.sweep` with the batched EUM core — at 1k, 10k and 100k
draws on one core (serial) and on all cores (process pool), and prints draws per second and
the ratio against the unbatched model run draw by draw (``engine="per-draw"``: the registered
model's ``run`` on each perturbed scenario), measured on a sample of draws in the same run and
checked to give the same outcomes. EUM: paper variant, 10 rounds.

Target (issue 7): ≥ 25,000 emission-case EUM draws per second on one core.

Run: ``python benchmarks/bench_montecarlo.py [--sizes 1000 10000 100000] [--quick]``. One-core
rates are CPU seconds of this process (robust on a shared machine); all-core rates are wall
clock. BLAS threads are pinned to 1 so one core means one core.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from realpolitik.analysis.uncertainty.sampling import with_default_uncertainty  # noqa: E402
from realpolitik.analysis.uncertainty.sweep import Run, sweep  # noqa: E402
from realpolitik.scenario.io import load  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CASES = {"emission": "emission-1994.yaml", "korea-2006": "korea-2006.yaml"}
EUM = Run("eum", {"rounds": 10})


def rate(sc, draws: int, workers: int, engine: str = "auto") -> tuple[float, np.ndarray]:
    """Draws per second (CPU time when serial, wall clock with a pool) and the outcomes."""
    clock = time.process_time if workers == 1 else time.perf_counter
    t0 = clock()
    res = sweep(sc, EUM, draws, seed=1, chunk_size=min(draws, 10_000), workers=workers,
                engine=engine)
    return draws / (clock() - t0), res.outcomes[(0, 0)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--per-draw", type=int, default=300, help="draws for the unbatched baseline")
    ap.add_argument("--quick", action="store_true", help="sizes 1k and 10k only")
    args = ap.parse_args()
    sizes = [s for s in args.sizes if not args.quick or s <= 10_000]
    cores = os.cpu_count() or 1
    print(f"EUM Monte Carlo, paper variant, 10 rounds; {cores} cores")
    print(f"{'case':<11} {'draws':>7} {'1 core /s':>10} {'all cores /s':>13} "
          f"{'per-draw /s':>12} {'1-core ratio':>13}")
    for case, file in CASES.items():
        sc = with_default_uncertainty(load(EXAMPLES / file))
        slow, y_slow = rate(sc, args.per_draw, 1, engine="per-draw")
        _, y_fast = rate(sc, args.per_draw, 1)
        np.testing.assert_allclose(y_fast, y_slow, rtol=0, atol=1e-9)  # same numbers
        for n in sizes:
            one, _ = rate(sc, n, 1)
            many, _ = rate(sc, n, 0) if cores > 1 else (one, None)
            print(f"{case:<11} {n:>7} {one:>10,.0f} {many:>13,.0f} {slow:>12,.0f} "
                  f"{one / slow:>12.1f}x")
    print("target: >= 25,000 emission-case draws/s on one core")


if __name__ == "__main__":
    main()
