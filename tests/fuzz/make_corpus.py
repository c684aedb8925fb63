"""Grow ``tests/bad_inputs/`` from the fuzzer: one minimised damaged file per class of problem.

Run on demand (not a test)::

    python tests/fuzz/make_corpus.py --per-format 40 --seed 0

A *class* is the reader's format plus the problem's message with names and numbers blanked
out. For each new class the first damaged input found is minimised (lines, then bytes, are
dropped while the same class still comes out), written as ``<prefix>_gen_<n>.<ext>`` and
listed in ``MANIFEST.csv`` with the line, field and message it must report. Inputs that take
over 2 s of CPU or that the contract check rejects are skipped (the fuzz suite reports those).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from fuzz import engine  # noqa: E402
from realpolitik.scenario import ScenarioError  # noqa: E402
from realpolitik.scenario.io import load  # noqa: E402

BAD = Path(__file__).parents[1] / "bad_inputs"
PREFIX = {"yaml": "yaml", "csv": "tidy", "predictioneer": "pred", "ktab-csv": "ktab",
          "ktab-xml": "ktabxml", "decide": "decide", "deu": "deu"}


def template(message: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"|0x[0-9a-f]+|-?\d[\d.e+-]*", "#", message)[:60]


def outcome(path: Path) -> tuple[str, object, object, str] | None:
    """(class, line, field, message) of the first problem ``load`` reports, if it fails."""
    start = time.process_time()
    try:
        load(path)
    except ScenarioError as e:
        if time.process_time() - start > 1.0 or not e.problems:
            return None
        p = e.problems[0]
        if p.line is None or "\n" in p.message or "," in (p.field or ""):
            return None
        return f"{p.field}|{template(p.message)}", p.line, p.field, p.message
    except Exception:  # noqa: BLE001 - the fuzz suite reports these
        return None
    return None


def minimise(data: bytes, path: Path, cls: str) -> bytes:
    def same(candidate: bytes) -> bool:
        path.write_bytes(candidate)
        got = outcome(path)
        return got is not None and got[0] == cls

    lines = data.split(b"\n")
    k = len(lines) - 1
    while k >= 0:  # drop lines from the end backwards, keeping the class
        trial = lines[:k] + lines[k + 1:]
        if trial and same(b"\n".join(trial)):
            lines = trial
        k -= 1
    return b"\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-format", type=int, default=30)
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    manifest = BAD / "MANIFEST.csv"
    with open(manifest, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    n_done = sum(1 for r in rows if "_gen_" in r["file"])
    seeds = engine.seed_inputs()
    new = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in engine.EXT:
            rng = random.Random(f"corpus:{args.seed}:{fmt}")
            stream = engine.mutants(seeds[fmt], rng)
            path = Path(tmp) / f"input{engine.EXT[fmt]}"
            seen: set[str] = set()
            for _ in range(args.cases):
                if len(seen) >= args.per_format:
                    break
                data = next(stream)
                path.write_bytes(data)
                got = outcome(path)
                if got is None or got[0] in seen or len(data) > 20_000:
                    continue
                seen.add(got[0])
                small = minimise(data, path, got[0])
                n_done += 1
                out = BAD / f"{PREFIX[fmt]}_gen_{n_done:03d}{engine.EXT[fmt]}"
                out.write_bytes(small)
                final = outcome(out)
                if final is None:
                    out.unlink()
                    continue
                _, line, field, message = final
                new.append({"file": out.name, "line": line, "field": field or "",
                            "message": message, "what": f"fuzzer-generated ({fmt}, seed "
                            f"{args.seed}), minimised: {template(message)}"})
            print(fmt, len(seen), file=sys.stderr)
    with open(manifest, "a", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["file", "line", "field", "message", "what"])
        w.writerows(new)
    print(f"added {len(new)} files", file=sys.stderr)


if __name__ == "__main__":
    main()
