"""Benchmark: SMP and exchange Monte Carlo draws per second, batched vs draw by draw (issue 16).

On the Korea 2006 scenario (6 actors, 4 issues) with its declared input uncertainty (±10
points on positions, ±20 % on salience and capability), solves the draws of a Monte Carlo
run (``realpolitik forecast --model smp|exchange --draws N``: the same seeded chunks of 1,000
draws, :mod:`realpolitik.analysis.uncertainty.sampling`) with

* the draw-by-draw model (the baseline: the registered model's ``run`` on each perturbed
  scenario, what ``engine="per-draw"`` does),
* the SMP's batched numpy core and its compiled kernel (``models/smp/batch.py``,
  ``models/smp/kernel.py``), the exchange model's compiled kernel (``models/exchange``),

in the same process, and prints draws per second and the ratio to the baseline. The kernels
are compiled (or loaded from numba's cache) before the clock starts. Every batched engine's
outcomes on the baseline's draws are checked to equal the draw-by-draw ones exactly (the
tests check 200 draws each as well).

Targets (issue 16): SMP ≥ 2,000 and exchange ≥ 1,000 draws/s on one core, each ≥ 30× its
draw-by-draw baseline. Run on one core: ``taskset -c 0 python
benchmarks/bench_montecarlo_models.py [--draws 10000] [--per-draw 200]``. Rates are CPU
seconds of this process (robust on a shared machine); the load average is printed with them.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from realpolitik.analysis.uncertainty.evaluate import draw_seeds, evaluate  # noqa: E402
from realpolitik.analysis.uncertainty.sampling import Inputs, inputs, uniforms  # noqa: E402
from realpolitik.models import create  # noqa: E402
from realpolitik.models.exchange import batch as exchange_batch  # noqa: E402
from realpolitik.models.exchange import kernel as exchange_kernel  # noqa: E402
from realpolitik.models.smp import batch as smp_batch  # noqa: E402
from realpolitik.models.smp import kernel as smp_kernel  # noqa: E402
from realpolitik.scenario.io import load  # noqa: E402

KOREA = Path(__file__).resolve().parents[1] / "examples" / "korea-2006.yaml"
TARGET = {"smp": 2_000, "exchange": 1_000}
CHUNK = 1_000


def _chunks(spec: Inputs, draws: int, seed: int = 1):
    for c, lo in enumerate(range(0, draws, CHUNK)):
        size = min(CHUNK, draws - lo)
        yield c, size, spec.ppf(uniforms(spec.names, seed, c, size))


def run(spec: Inputs, model: str, draws: int,
        engine: Callable[[np.ndarray, list], np.ndarray]) -> tuple[float, np.ndarray]:
    """Draws per CPU second of ``engine`` over a run's chunks, and its outcomes."""
    out = []
    t0 = time.process_time()
    for c, size, values in _chunks(spec, draws):
        out.append(engine(values, draw_seeds(1, c, model, size)))
    return draws / (time.process_time() - t0), np.concatenate(out)


def engines(spec: Inputs, model: str) -> dict[str, Callable[[np.ndarray, list], np.ndarray]]:
    sc = spec.scenario
    m = create(model)

    def per_draw(values, seeds):
        return evaluate(spec, values, model, seeds=seeds, engine="per-draw")

    if model == "smp":
        def smp(backend):
            def solve(values, seeds):
                e = spec.arrays(values, exact=True)
                return smp_batch.outcomes(m, sc, e.capability, e.position, e.salience, backend)
            return solve

        return {"per-draw": per_draw, "batched numpy": smp("numpy"),
                "batched kernel": smp("numba")}

    def kernel(values, seeds):
        return evaluate(spec, values, model, seeds=seeds, engine="batched")

    return {"per-draw": per_draw, "batched kernel": kernel}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=10_000, help="batched draws")
    ap.add_argument("--per-draw", type=int, default=200, help="draws of the baseline")
    ap.add_argument("--models", nargs="+", default=["smp", "exchange"])
    args = ap.parse_args()
    spec = inputs(load(KOREA))
    t0 = time.perf_counter()
    smp_kernel.warm()
    exchange_kernel.warm()
    print(f"kernels ready in {time.perf_counter() - t0:.1f} s (compiled or loaded from cache: "
          f"smp {smp_kernel.is_warm()}, exchange {exchange_kernel.is_warm()})")
    assert exchange_batch.supports(create("exchange"))
    print(f"Korea 2006 Monte Carlo, serial, chunks of {CHUNK}; cpus allowed: "
          f"{len(os.sched_getaffinity(0))}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'model':<9} {'engine':<15} {'draws':>7} {'draws/s':>9} {'ratio':>7} {'target':>7}")
    for model in args.models:
        slow = None
        ref = None
        for name, engine in engines(spec, model).items():
            n = args.per_draw if name == "per-draw" else args.draws
            rate, y = run(spec, model, n, engine)
            if name == "per-draw":
                slow, ref = rate, y
                note = ""
            else:
                same = np.array_equal(y[: len(ref)], ref, equal_nan=True)
                note = "" if same else "  OUTCOMES DIFFER FROM THE DRAW-BY-DRAW MODEL"
            ratio = f"{rate / slow:.1f}x" if slow else ""
            target = f"{TARGET[model]:,}" if name != "per-draw" else ""
            print(f"{model:<9} {name:<15} {n:>7} {rate:>9,.0f} {ratio:>7} {target:>7}{note}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
