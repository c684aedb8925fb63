"""Benchmark KTAB's SMP: KTAB's inputs and seeded synthetic n × 3 scenarios.

Run ``python benchmarks/bench_smp.py [--sizes 50 100 200 500] [--repeat 3]``. Prints, per
input, actors × dimensions, turns to convergence, seconds per run (best of ``--repeat``) and
per turn, next to KTAB ``smpc``'s time on this machine where known
(``../shared/docs/models.md``). If an ``smpc`` executable is on PATH, it is timed on the
same KTAB CSV inputs in the same run and the ratio printed.
"""

from __future__ import annotations

import os

# The SMP's inner sums are many small matrix-vector products: multi-threaded BLAS only adds
# contention there (8 s vs 25 s for 200×3 on a busy 2-core machine). Set before numpy loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from realpolitik.models import create  # noqa: E402
from realpolitik.scenario import Actor, Issue, Scenario, Space, Stance  # noqa: E402
from realpolitik.scenario.io import load  # noqa: E402

KTAB_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cases" / "ktab"
#: smpc's wall time on this machine (../shared/docs/models.md); None = not reported.
KTAB_SECONDS = {"dummyData_3Dim.csv": 0.075, "SOE-Pol-Comp.csv": 0.57,
                "dummyData_6Dim.csv": 5.0, "dummyData-a040.csv": 11.0, "synthetic-50x3": 29.0}


def synthetic(n: int, m: int = 3, seed: int = 2024) -> Scenario:
    """KTAB-like random actors: capability U(10, 200), positions U(0, 100), total salience
    U(0.75, 0.99) split over dimensions in proportion to U(0.1, 1) (KTAB's randomize)."""
    g = np.random.default_rng(seed)
    cap, pos = g.uniform(10, 200, n), g.uniform(0, 100, (n, m))
    share = g.uniform(0.1, 1, (n, m))
    sal = share / share.sum(1, keepdims=True) * g.uniform(0.75, 0.99, (n, 1))
    issues = [Issue(id=f"d{k}") for k in range(m)]
    return Scenario(name=f"synthetic-{n}x{m}", actors=[Actor(id=f"a{i:03d}", capability=c)
                                                       for i, c in enumerate(cap)],
                    issues=issues, spaces=[Space(id="space", issues=tuple(i.id for i in issues))],
                    stances=[Stance(actor=f"a{i:03d}", issue=f"d{k}", position=pos[i, k],
                                    salience=sal[i, k]) for i in range(n) for k in range(m)])


def best_of(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def time_smpc(path: Path) -> float | None:
    exe = shutil.which("smpc")
    if exe is None or path.suffix != ".csv":
        return None
    t = time.perf_counter()
    subprocess.run([exe, "--csv", str(path)], capture_output=True, check=False, timeout=3600)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[50, 100, 200, 500])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-ktab-inputs", action="store_true")
    args = ap.parse_args()
    cases: list[tuple[str, Scenario, Path | None]] = []
    if not args.no_ktab_inputs and KTAB_DIR.exists():
        cases += [(p.name, load(p), p) for p in sorted(KTAB_DIR.iterdir())]
    cases += [(f"synthetic-{n}x3", synthetic(n), None) for n in args.sizes]
    model = create("smp")
    print(f"{'input':24} {'n×m':>7} {'turns':>5} {'s/run':>8} {'s/turn':>8} {'KTAB s':>8}"
          f" {'ratio':>7}")
    for name, sc, path in cases:
        reps = args.repeat if len(sc.actors) <= 200 else 1
        seconds, res = best_of(lambda sc=sc: model.run(sc, rng=0), reps)
        turns = len(res.rounds) - 1  # type: ignore[union-attr]
        measured = time_smpc(path) if path is not None else None
        ktab = measured if measured is not None else KTAB_SECONDS.get(name)
        ratio = f"{ktab / seconds:7.0f}" if ktab else "       "
        ktab_s = f"{ktab:8.2f}" if ktab else "       —"
        print(f"{name:24} {len(sc.actors):>3}×{len(sc.issues):<3} {turns:>5} {seconds:8.3f} "
              f"{seconds / max(turns, 1):8.4f} {ktab_s} {ratio}", flush=True)


if __name__ == "__main__":
    main()
