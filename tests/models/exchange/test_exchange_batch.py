"""The exchange model's Monte Carlo kernel (models/exchange/kernel.py, batch.py) gives every
draw exactly the draw-by-draw model's outcome, bit for bit.

Inputs are drawn as a Monte Carlo run draws them; every draw is solved by the kernel through
``evaluate`` (engine auto) and alone by the registered model (``Exchange().run`` on the
perturbed scenario with the draw's own seed, i.e. ``run_round`` round by round).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from realpolitik.analysis.uncertainty.evaluate import batched, draw_seeds, evaluate
from realpolitik.analysis.uncertainty.sampling import inputs, uniforms, with_default_uncertainty
from realpolitik.models import create
from realpolitik.models.exchange.batch import outcomes
from realpolitik.scenario import Actor, Issue, Scenario, Stance
from realpolitik.scenario.io import load

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _draws(sc: Scenario, size: int, seed: int = 1):
    spec = inputs(sc)
    return spec, spec.ppf(uniforms(spec.names, seed, 0, size)), draw_seeds(seed, 0, "x", size)


def _per_draw(spec, values, seeds, params=None) -> np.ndarray:
    m = create("exchange", **(params or {}))
    rows = []
    for row, ss in zip(values, seeds, strict=True):
        res = m.run(spec.perturb(row), rng=np.random.default_rng(ss)).outcomes()
        rows.append([res[i] for i in spec.scenario.issue_ids])
    return np.array(rows, float)


def test_korea_200_draws_equal_the_draw_by_draw_model_exactly():
    sc = with_default_uncertainty(load(EXAMPLES / "korea-2006.yaml"))
    spec, values, seeds = _draws(sc, 200)
    assert batched("exchange", {}, sc)
    got = evaluate(spec, values, "exchange", seeds=seeds, engine="batched")
    ref = _per_draw(spec, values, seeds)
    np.testing.assert_array_equal(got, ref)
    assert len({tuple(r) for r in ref}) > 150  # 200 different draws, not one run repeated
    # the exchanges moved the outcomes away from the start (the kernel did trade)
    e = spec.arrays(values, exact=True)
    w = e.capability * e.salience
    start = np.nansum(w * e.position, 1) / np.nansum(np.where(np.isnan(e.position), 0, w), 1)
    assert np.abs(got - start).max() > 1.0


def _generated(n: int, k: int, seed: int, twins: bool = False) -> Scenario:
    rng = np.random.default_rng(seed)
    actors = [Actor(id=f"A{i}", capability=float(rng.uniform(5, 100))) for i in range(n)]
    issues = [Issue(id=f"i{j}") for j in range(k)]
    stances = [Stance(actor=f"A{i}", issue=f"i{j}", position=float(rng.uniform(0, 100)),
                      salience=float(rng.uniform(0.1, 1.0)))
               for i in range(n) for j in range(k) if rng.random() > 0.1]
    if twins:  # A0's twin: every candidate with A0 has an exactly tied copy with A0b
        actors.append(actors[0].model_copy(update={"id": "A0b"}))
        stances += [s.model_copy(update={"actor": "A0b"}) for s in stances if s.actor == "A0"]
    return Scenario(name="gen", actors=actors, issues=issues, stances=stances,
                    uncertainty={"position": 15, "salience": 0.3, "capability": 0.3})


@pytest.mark.parametrize("n, k, params", [
    (9, 3, {}),
    (12, 4, {"rounds": 4}),
    (7, 5, {"tie_break": "first", "tolerance": 0.5}),
])
def test_generated_scenarios_equal_the_draw_by_draw_model(n, k, params):
    sc = _generated(n, k, seed=n * k)
    spec, values, seeds = _draws(sc, 25, seed=4)
    got = evaluate(spec, values, "exchange", params, seeds=seeds, engine="batched")
    np.testing.assert_array_equal(got, _per_draw(spec, values, seeds, params))


def test_tied_draws_are_replayed_with_their_own_seed():
    # twins tie exactly unless their inputs are drawn apart: keep the twins' inputs coded
    sc = _generated(5, 3, seed=7, twins=True)
    sc = sc.replace(uncertainty={"position": 0, "salience": 0, "capability": 0}, actors=[
        Actor(id=a.id, capability=a.capability, uncertainty={"capability": {
            "low": a.capability * 0.8, "high": a.capability * 1.2}})
        if a.id in ("A1", "A2") else a for a in sc.actors])
    spec, values, seeds = _draws(sc, 12, seed=2)
    e = spec.arrays(values, exact=True)
    _, replay = outcomes(create("exchange"), sc, e.capability, e.position, e.salience)
    assert replay.all()  # the twins' tie comes first in every draw
    got = evaluate(spec, values, "exchange", seeds=seeds, engine="batched")
    np.testing.assert_array_equal(got, _per_draw(spec, values, seeds))
    # tie_break=first breaks it in the kernel, to the earliest candidate, as the model does
    first = {"tie_break": "first"}
    _, replay = outcomes(create("exchange", **first), sc, e.capability, e.position, e.salience)
    assert not replay.any()
    got = evaluate(spec, values, "exchange", first, seeds=seeds, engine="batched")
    np.testing.assert_array_equal(got, _per_draw(spec, values, seeds, first))


def test_unsupported_settings_run_draw_by_draw():
    sc = _generated(4, 2, seed=0)
    assert not batched("exchange", {"p": 0.2}, sc)
    assert not batched("exchange", {"tie_break": "decide"}, sc)
    spec, values, seeds = _draws(sc, 3)
    np.testing.assert_array_equal(
        evaluate(spec, values, "exchange", {"p": 0.2}, seeds=seeds),
        _per_draw(spec, values, seeds, {"p": 0.2}))
