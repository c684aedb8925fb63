"""Build the generated exchange case with exact rational ties and its decide oracle.

Run with a Python that has ``decide-exchange-model`` 2022.1.28 installed (a throwaway venv;
decide is *not* a project dependency), from the repository root::

    python tests/oracles_build/decide_ties.py

It writes ``tests/oracles/decide_ties.txt`` (the case, decide's ``#A/#P/#M/#D`` format) and
``tests/oracles/decide_ties.json`` (decide's round-1 executed exchanges, in order, and the
outcomes after round 1, with provenance). The case is drawn from a small grid (positions in
steps of 25, saliences in quarters, powers 1/2/4) with a few actors duplicated, so many
candidate exchanges have exactly equal gains as rational numbers; decide orders those by its
28-digit ``Decimal`` rounding, which is what ``tie_break="decide"`` must reproduce.
"""

from __future__ import annotations

import json
import platform
import random
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "oracles"
SEED = 13
N_ACTORS, N_ISSUES = 16, 6


def generate(path: Path) -> None:
    rng = np.random.default_rng(SEED)
    actors = [f"A{i:02d}" for i in range(N_ACTORS)]
    issues = [f"I{t}" for t in range(N_ISSUES)]
    pos = rng.choice([0, 25, 50, 75, 100], size=(N_ACTORS, N_ISSUES))
    sal = rng.choice([0.25, 0.5, 0.75], size=(N_ACTORS, N_ISSUES))
    power = rng.choice([1, 2, 4], size=N_ACTORS)
    for src, dst in ((0, 1), (2, 3), (4, 5)):  # twins: identical rows, exact ties
        pos[dst], sal[dst], power[dst] = pos[src], sal[src], power[src]
    lines = [f"'#A'\t'{a}'\t'{a}'\t''" for a in actors]
    for t in issues:
        lines += [f"'#P'\t'{t}'\t'{t}'\t'{t}'", f"'#M'\t'{t}'\t0", f"'#M'\t'{t}'\t100"]
    for i, a in enumerate(actors):
        for j, t in enumerate(issues):
            lines.append(f"'#D'\t'{a}'\t'{t}'\t{float(pos[i, j])}\t{sal[i, j]}\t{float(power[i])}")
    path.write_text("\n".join(lines) + "\n")


def run_decide(path: Path) -> dict:
    from importlib.metadata import version

    from decide.data.modelfactory import ModelFactory
    from decide.data.reader import InputDataFile
    from decide.model.equalgain import EqualGainModel

    model = ModelFactory(InputDataFile.open(str(path)))(model_klass=EqualGainModel,
                                                       randomized_value=None)
    random.seed(1)  # decide's tie draws; realpolitik's decide_seed=1
    model.calc_nbs()
    model.determine_positions()
    model.calc_combinations()
    model.determine_groups_and_calculate_exchanges()
    candidates = len(model.exchanges)
    realized = []
    while model.exchanges:
        ex = model.highest_gain()
        if ex and ex.is_valid:
            model.remove_invalid_exchanges(ex)
            realized.append(ex)
    rows = [
        {
            side: {"actor": str(s.actor.name), "supply": str(s.supply.issue.name),
                   "voting": float(s.y)}
            for side, s in (("i", ex.i), ("j", ex.j))
        } | {"gain": float(ex.gain)}
        for ex in realized
    ]
    for ex in realized:
        for s in (ex.i, ex.j):
            model.actor_issues[s.supply.issue][s.actor].position = s.y
    model.calc_nbs()
    outcome = {str(issue.name): float(issue.de_normalize(model.nbs[issue]))
               for issue in model.issues.values()}
    return {
        "provenance": {
            "tool": f"decide-exchange-model {version('decide-exchange-model')}",
            "model": "equal gain, p = 0, one round, random.seed(1)",
            "python": platform.python_version(),
            "built_by": "tests/oracles_build/decide_ties.py",
            "case": f"decide_ties.txt (generated, seed {SEED})",
        },
        "candidates": candidates,
        "ties": int(model.tie_count),
        "exchanges": rows,
        "outcome": outcome,
    }


def main() -> int:
    case = OUT / "decide_ties.txt"
    generate(case)
    oracle = run_decide(case)
    (OUT / "decide_ties.json").write_text(json.dumps(oracle, indent=1) + "\n")
    print(f"{len(oracle['exchanges'])} exchanges, {oracle['ties']} ties", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
