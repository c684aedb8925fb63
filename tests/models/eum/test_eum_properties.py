"""Property tests of the EUM core: invariants that hold for every valid scenario and variant."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.models.eum.core import run_batch, win_probability

VARIANTS = st.sampled_from(
    [
        {},
        {"variant": "scholz-code"},
        {"perspective": "observer", "offer": "highest-eu"},
        {"q": 0.5, "t_rule": "median", "scale": "current"},
        {"security": "positions", "votes": "risk"},
        {"stop": "payoff"},
    ]
)


@st.composite
def actors(draw, min_n: int = 2, max_n: int = 7):
    """Capability, position, salience of 2–7 actors; positions may coincide."""
    n = draw(st.integers(min_n, max_n))
    unit = st.floats(0.05, 1.0, allow_nan=False)
    c = np.array(draw(st.lists(unit, min_size=n, max_size=n)))
    s = np.array(draw(st.lists(unit, min_size=n, max_size=n)))
    # no subnormal positions: distances of ~1e-323 underflow to 0 once weighted (P = 0)
    pos = st.floats(0, 100, allow_nan=False, allow_subnormal=False)
    x = np.array(draw(st.lists(pos, min_size=n, max_size=n)))
    return c, x, s


@settings(max_examples=60, deadline=None)
@given(actors(), VARIANTS)
def test_property_positions_never_leave_the_initial_range(data, params):
    c, x, s = data
    out = run_batch(c, x, s, {**params, "rounds": 5})
    assert np.all(out["position"] >= x.min() - 1e-9)
    assert np.all(out["position"] <= x.max() + 1e-9)
    assert x.min() - 1e-9 <= out["outcome"] <= x.max() + 1e-9


@settings(max_examples=60, deadline=None)
@given(actors(), VARIANTS, st.randoms(use_true_random=False))
def test_property_relabelling_actors_changes_nothing(data, params, rnd):
    c, x, s = data
    perm = np.array(rnd.sample(range(x.size), x.size))
    a = run_batch(c, x, s, {**params, "rounds": 4})
    b = run_batch(c[perm], x[perm], s[perm], {**params, "rounds": 4})
    np.testing.assert_allclose(b["position"], a["position"][:, perm], atol=1e-9)
    np.testing.assert_allclose(b["median"], a["median"], atol=1e-9)
    np.testing.assert_allclose(b["eu"], a["eu"][:, perm][:, :, perm], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(actors(), VARIANTS)
def test_property_median_is_a_condorcet_winner_under_linear_votes(data, params):
    c, x, s = data
    out = run_batch(c, x, s, {**params, "rounds": 3})
    w = c * s
    for t in range(out["median"].shape[0]):
        pos, mu = out["position"][t], out["median"][t]
        # v(μ vs y) = Σ_k w_k (|x_k − y| − |x_k − μ|) ≥ 0 against every actor's position y
        votes = (w * (np.abs(pos[None, :] - pos[:, None]) - np.abs(pos - mu))).sum(-1)
        assert np.all(votes >= -1e-9 * w.sum() * max(1.0, np.ptp(x)))


@settings(max_examples=60, deadline=None)
@given(actors(2, 12))
def test_property_pairwise_probabilities_are_complementary(data):
    c, x, s = data
    p = win_probability(x, c * s, max(np.ptp(x), 1.0))
    distinct = x[:, None] != x[None, :]
    np.testing.assert_allclose((p + p.T)[distinct], 1.0, atol=1e-12)
    assert np.all(p[~distinct] == 0) and np.all((p >= 0) & (p <= 1))
