"""Benchmark of what a run costs besides the models (issue 16): start-up, memory, detection.

Prints, in one run, each measurement beside a baseline measured in the same run:

1. ``realpolitik --help`` wall time (best and median of several fresh processes) against a
   bare interpreter start and against importing everything the CLI used to import eagerly
   (the models, the readers, pandas); target ≤ 0.3 s on a quiet machine.
2. ``realpolitik forecast dummyData_3Dim.csv -m smp`` (KTAB's 7 × 3 case) end to end, against
   ``python -c "import numpy"`` (the floor every numpy program pays) and KTAB's ``smpc`` on the
   same file when it is installed (``smpc`` on PATH or ``$KTAB_SMPC``; skipped with a message
   otherwise); target ≤ 0.6 s on a quiet machine. Also the default forecast of
   ``examples/korea-2006.yaml`` (six models; the EUM's compiled kernel imports numba), and
   which slow libraries each run imported.
3. EUM with 1,000 actors × 10 rounds: peak resident memory of a fresh process that runs the
   forecast and writes its JSON record, untraced (the default) against traced (``--trace``:
   every round's P and EU matrices, dyads and offers, what every forecast kept before);
   target ≤ 1 GB untraced.
4. Format detection of a generated 100 actors × 50 issues decide file (5,000 ``#D`` rows)
   against reading it in full (``load``).

Times are wall seconds of fresh processes, so they include the machine's load: the load
average is printed with them. The processes run with bytecode caching on (an installed package
has its ``.pyc`` files; with ``PYTHONDONTWRITEBYTECODE`` set every run would compile the
package's sources again, ~0.1–0.2 s), after one warm-up run. Run: ``python
benchmarks/bench_footprint.py [--quick]``
(``--quick``: 300 actors for the memory test and fewer repetitions; ``--part 2``: that part
only).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KTAB_3DIM = REPO.parent / "shared" / "data" / "cases" / "ktab" / "dummyData_3Dim.csv"
EXE = Path(sys.executable).parent / "realpolitik"
KOREA = REPO / "examples" / "korea-2006.yaml"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
SLOW = ("pandas", "scipy", "numba", "sqlalchemy", "SALib", "dask")

_LOADED = """
import json, sys
sys.argv = ["realpolitik", *json.loads(sys.argv[1])]
from realpolitik.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("LOADED " + json.dumps([m for m in SLOW if m in sys.modules]))
""".replace("SLOW", repr(SLOW))

_EAGER = (
    "import realpolitik.cli, realpolitik.forecast, realpolitik.scenario.io.formats, pandas"
)

_MEMORY = """
import json, resource, sys, time
import numpy as np
from realpolitik.forecast import forecast
from realpolitik.scenario import Scenario
n, trace = int(sys.argv[1]), sys.argv[2] == "1"
rng = np.random.default_rng(0)
sc = Scenario.model_validate({
    "name": "big", "issues": [{"id": "x", "low": 0, "high": 100}],
    "actors": [{"id": f"a{i}", "capability": float(rng.uniform(1, 100))} for i in range(n)],
    "stances": [{"actor": f"a{i}", "issue": "x", "position": float(rng.integers(0, 101)),
                 "salience": float(rng.uniform(0.1, 1))} for i in range(n)]})
start = time.perf_counter()
doc = forecast(sc, ["eum"], {"rounds": 10}, seed=0, trace=trace).to_dict()
size = len(json.dumps(doc))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"peak": peak, "seconds": time.perf_counter() - start, "json": size,
                  "outcome": doc["forecasts"][0]["outcome"]}))
"""


def load_average() -> str:
    try:
        return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def wall(cmd: list[str], repeat: int) -> tuple[float, float]:
    """Best and median wall seconds of ``cmd`` run ``repeat`` times in fresh processes."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env=ENV)  # warm-up: bytecode written, file cache filled
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       env=ENV)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def loaded(args: list[str]) -> str:
    """The slow libraries (:data:`SLOW`) that ``realpolitik ARGS`` imports."""
    proc = subprocess.run([sys.executable, "-c", _LOADED, json.dumps(args)], env=ENV,
                          capture_output=True, text=True, check=True)
    names = json.loads(proc.stderr.rsplit("LOADED ", 1)[1])
    return ", ".join(names) or "none of " + "/".join(SLOW)


def line(label: str, best: float, median: float, base: float | None = None, ms=False) -> None:
    k, unit = (1000, "ms") if ms else (1, "s")
    ratio = f"  (×{best / base:.3g} of baseline)" if base else ""
    print(f"  {label:<50} best {best * k:7.3f} {unit}  median {median * k:7.3f} {unit}{ratio}")


def startup(repeat: int) -> None:
    print(f"1. realpolitik --help ({load_average()})")
    py_best, py_med = wall([sys.executable, "-c", "pass"], repeat)
    eager_best, eager_med = wall([sys.executable, "-c", _EAGER], repeat)
    help_best, help_med = wall([str(EXE), "--help"], repeat)
    line("python -c pass (interpreter start)", py_best, py_med)
    line("baseline: eager imports (models, readers, pandas)", eager_best, eager_med)
    line("realpolitik --help", help_best, help_med, eager_best)
    print(f"  target ≤ 0.3 s on a quiet machine: {'met' if help_best <= 0.3 else 'NOT met'}")


def forecast_7x3(repeat: int) -> None:
    print(f"2. forecast of KTAB's 7×3 case with SMP, end to end ({load_average()})")
    if not KTAB_3DIM.exists():
        print(f"  skipped: {KTAB_3DIM} not found (../shared is absent)")
        return
    py = wall([sys.executable, "-c", "pass"], repeat)
    numpy = wall([sys.executable, "-c", "import numpy"], repeat)
    args = ["forecast", str(KTAB_3DIM), "-m", "smp"]
    ours = wall([str(EXE), *args], repeat)
    korea = wall([str(EXE), "forecast", str(KOREA)], repeat)
    line("python -c pass (interpreter start)", *py)
    line("baseline: python -c 'import numpy'", *numpy)
    smpc = os.environ.get("KTAB_SMPC") or shutil.which("smpc")
    if smpc:
        line("KTAB smpc --csv", *wall([smpc, "--csv", str(KTAB_3DIM)], repeat))
    else:
        print("  KTAB smpc not installed (set $KTAB_SMPC or put smpc on PATH): no comparison")
    line("realpolitik forecast 3Dim -m smp", *ours, numpy[0])
    line("realpolitik forecast korea-2006 (default models)", *korea, numpy[0])
    print(f"  beyond import numpy: 3Dim -m smp {ours[0] - numpy[0]:.3f} s, korea-2006 "
          f"{korea[0] - numpy[0]:.3f} s (best of each)")
    print(f"  slow libraries imported: 3Dim -m smp: {loaded(args)}; korea-2006: "
          f"{loaded(['forecast', str(KOREA)])}")
    print(f"  target ≤ 0.6 s on a quiet machine: {'met' if ours[0] <= 0.6 else 'NOT met'}")


def memory(n: int) -> None:
    print(f"3. EUM {n:,} actors × 10 rounds, peak memory of a fresh process ({load_average()})")
    got = {}
    for trace in (False, True):
        proc = subprocess.run(
            [sys.executable, "-c", _MEMORY, str(n), "1" if trace else "0"],
            capture_output=True, text=True, check=True,
        )
        got[trace] = json.loads(proc.stdout)
    base = got[True]
    for trace, label in ((True, "baseline: traced (--trace)"), (False, "untraced (default)")):
        r = got[trace]
        print(f"  {label:<30} peak {r['peak'] / 2**20:8.0f} MiB  JSON {r['json'] / 2**20:7.1f} "
              f"MiB  {r['seconds']:6.1f} s  (peak ×{r['peak'] / base['peak']:.2f})")
    same = got[True]["outcome"] == got[False]["outcome"]
    print(f"  same outcome traced and untraced: {same}; untraced ≤ 1 GB: "
          f"{'met' if got[False]['peak'] <= 2**30 else 'NOT met'}")


def detection(repeat: int) -> None:
    from realpolitik.scenario.io import detect_format, load

    print(f"4. format detection, generated 100 actors × 50 issues decide file ({load_average()})")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        rows = [f"'#A'\t'a{i}'\t'Actor {i}'\t''" for i in range(100)]
        for k in range(50):
            rows += [f"'#P'\t'i{k}'\t'Issue {k}'\t''", f"'#M'\t'i{k}'\t0", f"'#M'\t'i{k}'\t100"]
        rows += [f"'#D'\t'a{i}'\t'i{k}'\t{(7 * i + k) % 101}\t0.5\t0.5"
                 for i in range(100) for k in range(50)]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")

        def best(fn) -> tuple[float, float]:
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            return min(times), statistics.median(times)

        fmt = detect_format(path)
        full = best(lambda: load(path))
        sniff = best(lambda: detect_format(path))
        print(f"  detected as {fmt!r} ({path.stat().st_size / 1024:.0f} KiB, {len(rows)} rows)")
        line("baseline: load (reads every row)", *full, ms=True)
        line("detect_format (first rows only)", *sniff, full[0], ms=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="300 actors, fewer repetitions")
    ap.add_argument("--part", type=int, action="append", choices=range(1, 5),
                    help="run only this part (repeatable; default: all four)")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7
    parts = args.part or [1, 2, 3, 4]
    for k, run in ((1, lambda: startup(repeat)), (2, lambda: forecast_7x3(repeat)),
                   (3, lambda: memory(300 if args.quick else 1000)),
                   (4, lambda: detection(repeat))):
        if k in parts:
            run()


if __name__ == "__main__":
    main()
