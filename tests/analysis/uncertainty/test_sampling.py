"""Draws of uncertain inputs: supports, distributions, seeding and the two paths to arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.analysis.uncertainty.sampling import (
    DEFAULT_UNCERTAINTY,
    declares_uncertainty,
    draw,
    inputs,
    uniforms,
    with_default_uncertainty,
)
from realpolitik.scenario import Actor, Issue, Scenario, Stance, Uncertainty
from realpolitik.scenario.io import load
from realpolitik.testing import scenarios

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def toy(**unc) -> Scenario:
    return Scenario(
        name="toy",
        actors=[
            Actor(id="A", capability=10, uncertainty=unc.get("A", {})),
            Actor(id="B", capability=5),
        ],
        issues=[Issue(id="x", low=0, high=100), Issue(id="y", low=-1, high=1)],
        stances=[
            Stance(actor="A", issue="x", position=50, salience=0.5, uncertainty=unc.get("Ax", {})),
            Stance(actor="B", issue="x", position=95, salience=1.0),
            Stance(actor="A", issue="y", position=0, salience=1.0),
            Stance(actor="B", issue="y", position=1, salience=0.5, capability=2),
        ],
        uncertainty=unc.get("defaults", {}),
    )


def test_exact_scenario_has_no_inputs_and_draws_equal_the_coded_arrays():
    sc = toy()
    assert len(inputs(sc)) == 0 and not declares_uncertainty(sc)
    d = draw(sc, 5, seed=1)
    a = sc.arrays()
    np.testing.assert_array_equal(d.position, np.broadcast_to(a.position, (5, 2, 2)))
    np.testing.assert_array_equal(d.capability[:, :, 1], np.broadcast_to([10.0, 2.0], (5, 2)))


def test_default_position_halfwidth_is_percent_of_scale_and_truncated():
    sc = toy(defaults={"position": 10})
    d = draw(sc, 20000, seed=2)
    x = d.position[:, 0, 0]  # A on x: 50 ± 10
    assert x.min() >= 40 and x.max() <= 60 and abs(x.mean() - 50) < 0.2
    xb = d.position[:, 1, 0]  # B at 95, truncated to the scale's top (100)
    assert xb.max() <= 100 and xb.min() >= 85 and abs(xb.mean() - 92.5) < 0.2
    y = d.position[:, 0, 1]  # ±10% of a width-2 scale = ±0.2
    assert y.min() >= -0.2 and y.max() <= 0.2


def test_uniform_triangular_normal_moments():
    sc = toy(
        Ax={"position": Uncertainty(dist="triangular", low=30, high=60)},
        A={"capability": Uncertainty(dist="normal", sd=1.0)},
    )
    d = draw(sc, 40000, seed=3)
    tri = d.position[:, 0, 0]
    assert abs(tri.mean() - (30 + 60 + 50) / 3) < 0.15  # triangular mean (a + b + m)/3
    cap = d.capability[:, 0, 0]
    assert abs(cap.mean() - 10) < 0.02 and abs(cap.std() - 1.0) < 0.02
    uni = toy(Ax={"position": Uncertainty(dist="uniform", low=40, high=70)})
    u = draw(uni, 40000, seed=3).position[:, 0, 0]
    assert abs(u.mean() - 55) < 0.15 and abs(u.var() - 30**2 / 12) < 1.5


def test_normal_is_truncated_to_the_scale():
    sc = toy(Ax={"position": Uncertainty(dist="normal", sd=40)})
    x = draw(sc, 5000, seed=4).position[:, 0, 0]
    assert x.min() >= 0 and x.max() <= 100 and x.std() < 40


def test_actor_capability_is_one_draw_shared_by_issues_overrides_are_their_own():
    sc = toy(defaults={"capability": 0.2})
    d = draw(sc, 100, seed=5)
    np.testing.assert_array_equal(d.capability[:, 0, 0], d.capability[:, 0, 1])
    b = d.capability[:, 1]  # B's override on y (2 ± 20%) is drawn apart from B's 5 ± 20%
    assert (b[:, 0] >= 4).all() and (b[:, 1] <= 2.4).all()
    assert "B capability y" in inputs(sc).names


def test_salience_is_normalised_and_inside_the_scale():
    sc = toy(defaults={"salience": 0.5})
    s = draw(sc, 2000, seed=6).salience
    assert s.min() >= 0 and s.max() <= 1
    assert abs(s[:, 0, 0].mean() - 0.5) < 0.02


def test_streams_are_keyed_by_seed_chunk_and_name():
    u1 = uniforms(["a", "b"], 7, 0, 4)
    np.testing.assert_array_equal(u1, uniforms(["a", "b"], 7, 0, 4))
    np.testing.assert_array_equal(u1[:, ::-1], uniforms(["b", "a"], 7, 0, 4))
    np.testing.assert_array_equal(u1[:, 1], uniforms(["b"], 7, 0, 4)[:, 0])
    assert not np.allclose(u1, uniforms(["a", "b"], 7, 1, 4))
    assert not np.allclose(u1, uniforms(["a", "b"], 8, 0, 4))


def test_actor_order_does_not_change_any_actors_draws():
    sc = with_default_uncertainty(load(EXAMPLES / "korea-2006.yaml"))
    rev = sc.replace(actors=tuple(reversed(sc.actors)))
    d1, d2 = draw(sc, 50, 9), draw(rev, 50, 9)
    np.testing.assert_array_equal(d1.position, d2.position[:, ::-1])
    np.testing.assert_array_equal(d1.capability, d2.capability[:, ::-1])


@settings(max_examples=40, deadline=None)
@given(sc=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_property_draws_stay_valid_and_both_paths_agree(sc, seed):
    sc = sc.replace(uncertainty=DEFAULT_UNCERTAINTY)
    spec = inputs(sc)
    d = draw(sc, 8, seed, spec=spec)
    a = sc.arrays()
    pres = np.broadcast_to(a.present, d.position.shape)
    assert np.all(
        (d.position[pres] >= np.broadcast_to(a.low, d.position.shape)[pres])
        & (d.position[pres] <= np.broadcast_to(a.high, d.position.shape)[pres])
    )
    assert np.isnan(d.position[~pres]).all()
    assert (d.salience >= 0).all() and (d.salience <= 1).all() and (d.capability >= 0).all()
    for b in (0, 7):  # the array path equals the scenario path (perturb → arrays)
        p = spec.perturb(d.values[b]).arrays()
        np.testing.assert_allclose(p.position, d.position[b], rtol=0, atol=1e-12)
        np.testing.assert_allclose(p.salience, d.salience[b], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(p.capability, d.capability[b], rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(u=st.lists(st.floats(0, 1), min_size=3, max_size=3))
def test_property_ppf_is_monotone_and_inside_the_support(u):
    sc = toy(
        Ax={"position": Uncertainty(dist="triangular", low=30, high=60)},
        A={"capability": Uncertainty(dist="normal", sd=3, low=5, high=12)},
        defaults={"salience": 0.3},
    )
    spec = inputs(sc)
    m = len(spec)
    grid = np.sort(np.array(u))[:, None].repeat(m, 1)
    v = spec.ppf(grid)
    assert (np.diff(v, axis=0) >= -1e-12).all()
    lo = np.array([x.low for x in spec.items])
    hi = np.array([x.high for x in spec.items])
    assert (v >= lo - 1e-9).all() and (v <= hi + 1e-9).all()


def test_ppf_hits_the_support_ends():
    spec = inputs(toy(Ax={"position": Uncertainty(low=40, high=70)}))
    v = spec.ppf(np.array([[0.0], [1.0]]))
    assert v[:, 0].tolist() == [40.0, 70.0]


def test_default_uncertainty_constant_is_the_documented_example():
    assert (
        DEFAULT_UNCERTAINTY.position,
        DEFAULT_UNCERTAINTY.salience,
        DEFAULT_UNCERTAINTY.capability,
    ) == (10, 0.2, 0.2)
    with pytest.raises(ValueError):
        Uncertainty(dist="normal")
