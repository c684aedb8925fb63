"""Exchange ``tie_break="decide"`` on a generated case full of exact rational ties.

The case (``tests/oracles/decide_ties.txt``: 16 actors × 6 issues on a coarse grid, three
pairs of identical actors) and its oracle (``decide_ties.json``: decide-exchange-model
2022.1.28's round-1 executed exchanges, in order, and outcomes, random.seed(1)) were made by
``tests/oracles_build/decide_ties.py`` running decide itself in a throwaway environment.
Round 1 has 32 ties that decide orders by the last digits of its 28-digit Decimal gains.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from realpolitik.models.exchange.core import run_round
from realpolitik.models.exchange.model import Exchange, _normalise
from realpolitik.scenario.io import load

pytestmark = pytest.mark.numerics

HERE = Path(__file__).resolve().parents[2] / "oracles"
CASE, ORACLE = HERE / "decide_ties.txt", HERE / "decide_ties.json"


def _key(ex: dict) -> tuple:
    return tuple((ex[s]["actor"], ex[s]["supply"]) for s in ("i", "j"))


@pytest.fixture(scope="module")
def oracle() -> dict:
    return json.loads(ORACLE.read_text())


@pytest.fixture(scope="module")
def run():
    sc = load(CASE)
    return sc, Exchange(rounds=1, tie_break="decide", decide_seed=1).run(sc, rng=1)


def test_every_exchange_in_decides_order(oracle, run):
    _, res = run
    done = res.rounds[1]["exchanges"]
    assert len(done) == len(oracle["exchanges"]) == 53
    for k, (mine, theirs) in enumerate(zip(done, oracle["exchanges"], strict=True)):
        assert _key(mine) == _key(theirs), f"exchange {k + 1}"
        for s in ("i", "j"):
            assert mine[s]["voting"] == pytest.approx(theirs[s]["voting"], abs=1e-6)
    assert res.rounds[1]["ties"] == oracle["ties"] == 32


def test_outcomes_to_1e6(oracle, run):
    _, res = run
    for iid, value in oracle["outcome"].items():
        assert res.outcome(iid) == pytest.approx(value, abs=1e-6)


def test_the_float_queue_alone_orders_these_ties_otherwise(oracle, run):
    """Without decide's Decimal numbers the same queue departs from decide: the case really
    tests the tie order, not just the equal-gain arithmetic."""
    sc, _ = run
    a = sc.arrays()
    x, s, w = _normalise(a)
    import random

    _, done, _ = run_round(x, s, w, tie_break="decide", draw=random.Random(1).random)
    names = [tuple((a.actor_ids[ex[k]["actor"]], a.issue_ids[ex[k]["supply"]]) for k in "ij")
             for ex in done]
    assert names != [_key(e) for e in oracle["exchanges"]]
    assert np.isfinite([ex["i"]["gain"] for ex in done]).all()
