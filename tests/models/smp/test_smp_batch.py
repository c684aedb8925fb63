"""The batched SMP (models/smp/batch.py) gives every Monte Carlo draw exactly the draw-by-draw
model's result: same outcomes, same number of turns, same final positions, bit for bit.

Each test draws inputs the way a Monte Carlo run does (the scenario's declared or default
uncertainty), solves all draws at once with the batched core, and each draw alone with the
registered model (``SMP().run`` on the perturbed scenario, i.e. ``run_smp`` turn by turn).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from realpolitik.analysis.uncertainty.evaluate import batched, evaluate
from realpolitik.analysis.uncertainty.sampling import inputs, uniforms, with_default_uncertainty
from realpolitik.models import create
from realpolitik.models.smp.batch import outcomes, run_batch
from realpolitik.models.smp.dynamics import run_smp
from realpolitik.models.smp.model import _groups
from realpolitik.scenario import Actor, Issue, Scenario, Stance
from realpolitik.scenario.io import load

from shared_data import shared

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _draws(sc: Scenario, size: int, seed: int = 1):
    spec = inputs(sc)
    return spec, spec.ppf(uniforms(spec.names, seed, 0, size))


def _per_draw(spec, values, params=None) -> tuple[np.ndarray, list]:
    m = create("smp", **(params or {}))
    out, groups = [], []
    for row in values:
        res = m.run(spec.perturb(row), rng=0)
        out.append([res.outcomes()[i] for i in spec.scenario.issue_ids])
        groups.append(res)
    return np.array(out, float), groups


def _batched(spec, values, params=None, backend="numpy") -> np.ndarray:
    e = spec.arrays(values, exact=True)
    m = create("smp", **(params or {}))
    return outcomes(m, spec.scenario, e.capability, e.position, e.salience, backend)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_korea_200_draws_equal_the_draw_by_draw_model_exactly(backend):
    sc = with_default_uncertainty(load(EXAMPLES / "korea-2006.yaml"))
    spec, values = _draws(sc, 200)
    ref, results = _per_draw(spec, values)
    assert batched("smp", {}, sc)
    np.testing.assert_array_equal(evaluate(spec, values, "smp"), ref)  # engine auto
    np.testing.assert_array_equal(_batched(spec, values, backend=backend), ref)
    # the draws differ (the test is not comparing 200 copies of one run)
    assert len({tuple(r) for r in ref}) > 50
    # every draw's turns and final positions, group by group, also equal
    m = create("smp")
    e = spec.arrays(values, exact=True)
    a, rules = sc.arrays(), m._rules(sc)[0]
    for g in _groups(sc, a, True):
        cols = np.asarray(g.issues)
        x = (e.position[:, g.actors][:, :, cols] - a.low[cols]) / (a.high[cols] - a.low[cols])
        run = run_batch(x, e.salience[:, g.actors][:, :, cols],
                        e.capability[:, g.actors][:, :, cols][..., 0], rules, backend=backend)
        turns = [next(d for d in r.details["groups"] if d["id"] == g.id)["turns"]
                 for r in results]
        np.testing.assert_array_equal(run.turns, turns)
        for z in range(0, 200, 7):
            tr = run_smp(x[z], e.salience[z][g.actors][:, cols],
                         e.capability[z][g.actors][:, cols][:, 0], rules, lambda: 0.0)
            np.testing.assert_array_equal(run.positions[z], tr.positions[-1])
        assert len(set(run.turns.tolist())) > 3  # draws stop at different turns


def _generated(n: int, k: int, seed: int) -> Scenario:
    """n actors on k issues, coded positions/saliences from a seeded generator."""
    rng = np.random.default_rng(seed)
    actors = [Actor(id=f"A{i}", capability=float(rng.uniform(5, 100))) for i in range(n)]
    issues = [Issue(id=f"i{j}") for j in range(k)]
    stances = [Stance(actor=f"A{i}", issue=f"i{j}", position=float(rng.uniform(0, 100)),
                      salience=float(rng.uniform(0.1, 1.0)))
               for i in range(n) for j in range(k) if rng.random() > 0.1]
    spaces = [{"id": "joint", "issues": [f"i{j}" for j in range(k)]}] if k > 1 else []
    return Scenario(name="gen", actors=actors, issues=issues, stances=stances, spaces=spaces,
                    uncertainty={"position": 15, "salience": 0.3, "capability": 0.3})


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("params", [
    {},
    {"voting_rule": "ASymProsp", "victory_prob_model": "Square", "big_r_range": "Max"},
    {"voting_rule": "Binary", "victory_prob_model": "Binary", "big_r_adjust": "Half"},
    {"voting_rule": "PropCbc", "third_party_commit": "NoCommit", "inter_vec_brgn": "S2PMax",
     "big_r_range": "Min"},
    {"inter_vec_brgn": "S1P1", "actor_order": "given", "min_turns": 1, "max_turns": 12},
])
def test_rule_variants_and_several_dimensions_equal_the_draw_by_draw_model(params, backend):
    # 9 actors: queues of up to 10 bargains, where numpy sums pairwise (8 and more terms)
    sc = _generated(9, 2, seed=len(str(params)))
    spec, values = _draws(sc, 12, seed=5)
    ref, _ = _per_draw(spec, values, params)
    assert batched("smp", params, sc)
    np.testing.assert_array_equal(_batched(spec, values, params, backend), ref)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_ktab_multidimensional_case_equals_the_draw_by_draw_model(backend):
    sc = with_default_uncertainty(load(shared("data", "cases", "ktab", "dummyData_3Dim.csv")))
    spec, values = _draws(sc, 20, seed=2)
    ref, _ = _per_draw(spec, values)
    np.testing.assert_array_equal(_batched(spec, values, backend=backend), ref)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_ideal_adjustment_equals_the_draw_by_draw_model(backend):
    sc = with_default_uncertainty(load(shared("data", "cases", "ktab", "smpExample-fixed.xml")))
    spec, values = _draws(sc, 10, seed=3)
    ref, _ = _per_draw(spec, values)
    np.testing.assert_array_equal(_batched(spec, values, backend=backend), ref)


def test_unsupported_settings_run_draw_by_draw():
    sc = _generated(4, 1, seed=0)
    assert not batched("smp", {"state_transitions": "Stochastic"}, sc)
    assert not batched("smp", {"pce_model": "MarkovUniform"}, sc)
    assert not batched("smp", {"bargn_model": "InitRcvrInterp"}, sc)
    with pytest.raises(ValueError):
        evaluate(inputs(sc), np.zeros((1, len(inputs(sc)))), "smp",
                 {"state_transitions": "Stochastic"}, engine="batched")


def test_outcomes_of_unperturbed_arrays_equal_the_point_forecast():
    sc = load(EXAMPLES / "korea-2006.yaml")
    a = sc.arrays()
    m = create("smp")
    got = outcomes(m, sc, a.capability[None], a.position[None], a.salience[None])[0]
    want = m.run(sc).outcomes()
    assert got.tolist() == [want[i] for i in sc.issue_ids]
