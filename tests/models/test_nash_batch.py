"""The batched Nash solution (``models/nash.outcomes``, the Monte Carlo engine's) gives every
draw bit for bit what the registered model gives on that draw's scenario — vetoes, issues
without a status quo, both utilities and every weighting included."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.analysis.uncertainty.evaluate import batched, evaluate
from realpolitik.analysis.uncertainty.sampling import inputs, uniforms, with_default_uncertainty
from realpolitik.scenario import Actor, Issue, Scenario, Stance
from realpolitik.scenario.io import load

pytestmark = pytest.mark.numerics

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _draws(sc: Scenario, size: int, seed: int = 1):
    spec = inputs(sc)
    return spec, spec.ppf(uniforms(spec.names, seed, 0, size))


def _same(spec, values, params=None) -> np.ndarray:
    fast = evaluate(spec, values, "nash", params, engine="batched")
    slow = evaluate(spec, values, "nash", params, engine="per-draw")
    np.testing.assert_array_equal(fast, slow)
    return slow


@pytest.mark.parametrize(("name", "params"), [
    ("korea-2006.yaml", {}), ("korea-2003.yaml", {}), ("emission-1994.yaml", {}),
    ("korea-2006.yaml", {"utility": "quadratic"}), ("korea-2003.yaml", {"weights": "c"})])
def test_example_draws_equal_the_draw_by_draw_model_exactly(name, params):
    sc = with_default_uncertainty(load(EXAMPLES / name))
    spec, values = _draws(sc, 150)
    assert batched("nash", params, sc)
    out = _same(spec, values, params)
    has_sq = [i.status_quo is not None for i in sc.issues]
    assert np.isnan(out[:, [not h for h in has_sq]]).all()
    moving = [j for j, h in enumerate(has_sq) if h and len(set(out[:, j])) > 20]
    assert moving or not any(has_sq)  # draws that differ, not 200 copies of one answer


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 7), st.data())
def test_random_scenarios_with_vetoes_equal_the_model(n, data):
    ids = [f"A{k}" for k in range(n)]
    pos = st.floats(0, 100, allow_nan=False)
    veto = data.draw(st.none() | st.lists(st.sampled_from(ids), min_size=1, unique=True))
    sc = Scenario(
        name="r", actors=[Actor(id=a, capability=data.draw(st.floats(0.1, 10))) for a in ids],
        issues=[Issue(id="x", status_quo=data.draw(pos), veto=veto), Issue(id="y")],
        stances=[Stance(actor=a, issue=i, position=data.draw(pos),
                        salience=data.draw(st.floats(0, 1))) for a in ids for i in "xy"],
        uncertainty={"position": 20, "salience": 0.3, "capability": 0.3})
    spec, values = _draws(sc, 40, seed=data.draw(st.integers(0, 5)))
    _same(spec, values)
