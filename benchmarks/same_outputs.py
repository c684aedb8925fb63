"""Prove that a refactor changed no output: every CLI command's output, before and after.

Runs the same commands on the example scenarios (the EC emission case and Korea 2006) with a
fixed seed twice — once with the code of a git ref (checked out into a temporary worktree and
put first on ``PYTHONPATH``), once with the working tree — and compares the outputs byte for
byte. The commands: ``forecast`` for every registered model (point, and with ``--draws``),
``whatif``, ``sensitivity`` and ``advise`` for every model, ``alliance``, ``backtest``,
``cohesion``, ``convert`` (YAML and CSV), ``report`` (its record JSON and its HTML) and the
``models`` listing. JSON is the CLI's contract (docs/json-schema.md), so the JSON is compared
as written, after scrubbing only the fields that legitimately differ between two checkouts:
none are known today (``SCRUB`` lists them; each needs a reason).

Usage (from the repository root)::

    python benchmarks/same_outputs.py REF            # e.g. main, 454b1e8, HEAD~3
    python benchmarks/same_outputs.py REF --keep out  # also keep both output folders
    python benchmarks/same_outputs.py REF --quick     # fewer draws, no backtest/report
    python benchmarks/same_outputs.py --baseline DIR  # compare with outputs kept earlier
    python benchmarks/same_outputs.py REF --skip '*.advise.smp.json'  # leave out some outputs

Exit 0 when every output is identical, 1 when some differ (the differing files are listed
with the first differing line). Both sides use the same interpreter and the same input files
(the working tree's ``examples/``), so only the code differs.
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = {"emission": "examples/emission-1994.yaml", "korea2006": "examples/korea-2006.yaml"}
ADVISE_ACTOR = {"emission": "Germany", "korea2006": "ROK"}
SHOCK = {"emission": ["Germany capability *0.7"],
         "korea2006": ["USA capability *0.7", "remove China"]}
SEED = "7"
# Fields whose value may legitimately differ between two checkouts of the same code, with why.
# Empty: every output is compared exactly as written.
SCRUB: dict[str, str] = {}


def commands(models: list[str], quick: bool, out: Path) -> dict[str, list[str]]:
    """Output file name → realpolitik CLI arguments (the output is the command's stdout,
    except for ``report``, whose HTML and record files are written into ``out``)."""
    draws = "8" if quick else "40"
    cmds: dict[str, list[str]] = {"models.txt": ["models"]}
    for case, path in CASES.items():
        for m in models:
            cmds[f"{case}.forecast.{m}.json"] = ["forecast", path, "-m", m, "--seed", SEED,
                                                 "-f", "json"]
            cmds[f"{case}.forecast-draws.{m}.json"] = ["forecast", path, "-m", m, "--seed",
                                                       SEED, "--draws", draws, "-f", "json"]
            cmds[f"{case}.sensitivity.{m}.json"] = ["sensitivity", path, "-m", m, "--seed",
                                                    SEED, "-f", "json"]
            cmds[f"{case}.advise.{m}.json"] = ["advise", path, "--actor", ADVISE_ACTOR[case],
                                               "-m", m, "--seed", SEED, "--grid", "11",
                                               "-f", "json"]
        cmds[f"{case}.forecast.all.csv"] = ["forecast", path, *sum((["-m", m] for m in models),
                                            []), "--seed", SEED, "-f", "csv"]
        cmds[f"{case}.whatif.json"] = ["whatif", path, *SHOCK[case],
                                       *sum((["-m", m] for m in models), []),
                                       "--seed", SEED, "--draws", draws, "-f", "json"]
        cmds[f"{case}.sobol.json"] = ["sensitivity", path, "-m", "compromise", "--method",
                                      "sobol", "--samples", "32", "--seed", SEED, "-f", "json"]
        cmds[f"{case}.convert.yaml"] = ["convert", path, "--to", "yaml"]
        cmds[f"{case}.convert.csv"] = ["convert", path, "--to", "csv"]
    cmds["korea2006.alliance.json"] = ["alliance", CASES["korea2006"], "-m", "eum", "--seed",
                                       SEED, "-f", "json"]
    cmds["korea2006.alliance-data.json"] = ["alliance", CASES["korea2006"], "--data",
                                            "../shared/data/ir", "-f", "json"]
    cmds["cohesion.USA-KOR.json"] = ["cohesion", "USA", "KOR", "--from", "2000", "--to",
                                     "2005", "-f", "json"]
    if not quick:
        cmds["backtest.json"] = ["backtest", *sum((["-m", m] for m in models), []), "--boot",
                                 "200", "--seed", SEED, "--draws", "8", "-f", "json"]
        cmds["korea2006.report.stdout"] = [
            "report", CASES["korea2006"], "-o", str(out / "korea2006.report.html"),
            "--record", str(out / "korea2006.report.record.json"), "--draws", "20",
            "--sobol-samples", "16", "--seed", SEED,
        ]
    return cmds


def run_all(src: Path, out: Path, models: list[str], quick: bool,
            skip: tuple[str, ...] = ()) -> float:
    """Run every command with ``src`` first on PYTHONPATH; write outputs into ``out``
    (except those whose name matches a ``skip`` pattern)."""
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(src), COLUMNS="160", NO_COLOR="1",
               PYTHONHASHSEED="0")
    t0 = time.perf_counter()
    for name, args in commands(models, quick, out).items():
        if any(fnmatch.fnmatch(name, pat) for pat in skip):
            continue
        p = subprocess.run([sys.executable, "-m", "realpolitik", *args], cwd=ROOT, env=env,
                           capture_output=True)
        (out / name).write_bytes(p.stdout + (f"\n[exit {p.returncode}]\n".encode()
                                             if p.returncode else b""))
        if p.returncode:
            (out / (name + ".stderr")).write_bytes(p.stderr)
    return time.perf_counter() - t0


def compare(a: Path, b: Path) -> list[str]:
    """Names of files that differ (or exist on one side only), with the first difference."""
    bad = []
    for name in sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()}):
        pa, pb = a / name, b / name
        if not (pa.exists() and pb.exists()):
            bad.append(f"{name}: only in {'ref' if pa.exists() else 'working tree'}")
        elif pa.read_bytes() != pb.read_bytes():
            la = pa.read_text(errors="replace").splitlines()
            lb = pb.read_text(errors="replace").splitlines()
            diff = [d for d in difflib.unified_diff(la, lb, lineterm="", n=0)][2:6]
            bad.append(f"{name}:\n    " + "\n    ".join(diff))
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ref", nargs="?", help="git ref of the 'before' code (e.g. main, a commit)")
    ap.add_argument("--baseline", type=Path,
                    help="instead of a ref: a folder of outputs kept (--keep) from an earlier run "
                         "with the same options")
    ap.add_argument("--keep", type=Path, help="folder to keep both sides' outputs in")
    ap.add_argument("--quick", action="store_true", help="fewer draws; no backtest, no report")
    ap.add_argument("--skip", action="append", default=[], metavar="PATTERN",
                    help="leave out outputs whose file name matches (fnmatch; repeatable): e.g. "
                         "an old ref's draw-by-draw `advise -m smp`, which takes ~20 minutes")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from realpolitik.models import names

    models = list(names())
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="same-outputs-") as tmp:
            after = (args.keep or Path(tmp)) / "work"
            t_work = run_all(ROOT / "src", after, models, args.quick, tuple(args.skip))
            return report(args.baseline, after, models, str(args.baseline), None, t_work)
    if not args.ref:
        ap.error("give a git ref or --baseline DIR")
    with tempfile.TemporaryDirectory(prefix="same-outputs-") as tmp:
        tree = Path(tmp) / "ref"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), args.ref],
                       cwd=ROOT, check=True)
        try:
            keep = args.keep or Path(tmp)
            before, after = keep / "ref", keep / "work"
            t_ref = run_all(tree / "src", before, models, args.quick, tuple(args.skip))
            t_work = run_all(ROOT / "src", after, models, args.quick, tuple(args.skip))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           check=True)
        return report(before, after, models, args.ref, t_ref, t_work)


def report(before: Path, after: Path, models: list[str], ref: str, t_ref: float | None,
           t_work: float) -> int:
    """Print the comparison; 0 if every output is byte-identical, else 1."""
    bad = compare(before, after)
    n = len([p for p in before.iterdir() if not p.name.endswith(".stderr")])
    timing = f"working tree {t_work:.0f} s" + (
        f", ref {t_ref:.0f} s (ratio {t_work / t_ref:.2f})" if t_ref else "")
    print(f"{n} outputs from {len(models)} models ({', '.join(models)}); before = {ref}; "
          f"{timing}")
    failed = [p.name for p in before.glob("*.stderr")]
    if failed:
        print(f"commands that failed on the 'before' side (a match if they fail alike): {failed}")
    if bad:
        print(f"{len(bad)} outputs DIFFER:\n  " + "\n  ".join(bad))
        return 1
    print("all outputs byte-identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
