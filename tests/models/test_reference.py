"""Reference models against published values, hand-computed cases and invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.forecast import forecast
from realpolitik.models import create
from realpolitik.models.nash import nash_bargaining
from realpolitik.models.reference import compromise, weighted_median
from realpolitik.scenario import Actor, Issue, Scenario, Stance
from realpolitik.scenario.io import load
from realpolitik.testing import scenarios

from shared_data import shared

EMISSION = ["emission_jmckib_salience01.csv", "emission_dmasad_salience100.csv"]


@pytest.mark.parametrize("name", EMISSION)
def test_emission_case_compromise_and_median(name):
    """BdM 1994 EC car-emission case: compromise 7.390, weighted median 7 (models.md)."""
    sc = load(shared("data", "cases", "emission-1994", name))
    f = forecast(sc, ["compromise", "median"], seed=0)
    (issue,) = sc.issue_ids
    assert f.outcome("compromise", issue) == pytest.approx(7.390, abs=5e-4)
    assert f.outcome("median", issue) == 7.0


def test_compromise_weight_variants():
    c, s, x = np.array([1.0, 3.0]), np.array([1.0, 0.5]), np.array([0.0, 10.0])
    assert compromise(c, s, x, "cs") == pytest.approx(10 * 1.5 / 2.5)
    assert compromise(c, s, x, "c") == pytest.approx(7.5)
    assert compromise(c, s, x, "s") == pytest.approx(10 * 0.5 / 1.5)


def test_compromise_ignores_absent_and_survives_zero_weights():
    x = np.array([0.0, np.nan, 10.0])
    assert compromise(np.ones(3), np.ones(3), x) == 5.0
    assert compromise(np.zeros(3), np.ones(3), x) == 5.0  # all weights zero → plain mean


@pytest.mark.parametrize("tie,expected", [("lower", 0.0), ("upper", 10.0), ("mid", 5.0)])
def test_median_tie_rules(tie, expected):
    assert weighted_median(np.array([10.0, 0.0]), np.array([1.0, 1.0]), tie) == expected


def test_median_batched_equals_one_at_a_time():
    rng = np.random.default_rng(7)
    x, w = rng.uniform(0, 10, (50, 6)), rng.uniform(0, 1, (50, 6))
    x[rng.uniform(size=x.shape) < 0.2] = np.nan
    batch = weighted_median(x, w)
    one = [weighted_median(x[b], w[b]) for b in range(50)]
    np.testing.assert_array_equal(batch, one)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.floats(0.01, 10)), min_size=1, max_size=9))
def test_property_median_is_a_condorcet_winner(actors):
    """No actor position beats the median in a pairwise weighted vote (Black 1948)."""
    x = np.array([a[0] for a in actors], float)
    w = np.array([a[1] for a in actors])
    m = float(weighted_median(x, w, "lower"))
    for alt in x:
        prefer_alt = w[np.abs(x - alt) < np.abs(x - m)].sum()
        prefer_m = w[np.abs(x - m) < np.abs(x - alt)].sum()
        assert prefer_alt <= prefer_m + 1e-9


def _two_actor(sq: float | None = None) -> Scenario:
    return Scenario(name="two", actors=[Actor(id="A", capability=1), Actor(id="B", capability=1)],
                    issues=[Issue(id="x", low=0, high=10, status_quo=sq)],
                    stances=[Stance(actor="A", issue="x", position=2, salience=1),
                             Stance(actor="B", issue="x", position=10, salience=1)])


def test_nash_equal_weights_splits_the_gains():
    """Linear utilities, d = 0, ideals 2 and 10, so F = [0, 4].

    Gains: A = 2 − |x − 2|, B = x. On [0, 2] the product x·x increases; on [2, 4] the product
    (4 − x)·x decreases — so the solution is x = 2 (A's ideal point).
    """
    assert nash_bargaining(np.array([2.0, 10.0]), np.ones(2), np.array(0.0)) == pytest.approx(
        2.0, abs=1e-6)


def test_nash_quadratic_closed_form():
    """Quadratic gains, d = 0, ideals 4 and 10 (F = [0, 8]): maximise log(8x − x²) +
    log(20x − x²), checked against scipy's bounded scalar minimiser as an independent solver."""
    from scipy.optimize import minimize_scalar

    f = minimize_scalar(lambda x: -(np.log(8 * x - x * x) + np.log(20 * x - x * x)),
                        bounds=(1e-9, 8 - 1e-9), method="bounded", options={"xatol": 1e-10})
    got = nash_bargaining(np.array([4.0, 10.0]), np.ones(2), np.array(0.0), "quadratic")
    assert got == pytest.approx(f.x, abs=1e-6)


def test_nash_actor_at_status_quo_pins_the_outcome():
    assert nash_bargaining(np.array([5.0, 9.0]), np.ones(2), np.array(5.0)) == 5.0


def test_nash_skips_issues_without_status_quo():
    r = create("nash").run(_two_actor(None))
    assert r.issues[0].outcome is None and "status quo" in r.issues[0].details["skipped"]
    assert create("nash").run(_two_actor(0.0)).outcome("x") == pytest.approx(2.0, abs=1e-6)


def test_nash_tends_to_compromise_with_remote_status_quo():
    """Quadratic utilities, d far away: NBS → compromise (van den Bos 1991)."""
    x, w = np.array([2.0, 5.0, 9.0]), np.array([1.0, 2.0, 3.0])
    got = nash_bargaining(x, w, np.array(-1e4), "quadratic")
    assert got == pytest.approx(compromise(w, np.ones(3), x), abs=1e-2)


@settings(max_examples=60, deadline=None)
@given(sc=scenarios())
def test_property_compromise_inside_range_of_positions(sc):
    a = sc.arrays()
    for model in ("compromise", "median", "mean"):
        r = create(model).run(sc)
        for j, iid in enumerate(a.issue_ids):
            _, x, _ = a.issue(j)
            assert x.min() - 1e-9 <= r.outcome(iid) <= x.max() + 1e-9


@settings(max_examples=40, deadline=None)
@given(sc=scenarios(), data=st.data())
def test_property_relabelling_and_reordering_actors_changes_nothing(sc, data):
    perm = data.draw(st.permutations(range(len(sc.actors))))
    names = {a.id: f"z{n}" for n, a in enumerate(sc.actors)}
    actors = [sc.actors[i].model_copy(update={"id": names[sc.actors[i].id]}) for i in perm]
    stances = [s.model_copy(update={"actor": names[s.actor]}) for s in sc.stances]
    other = sc.replace(actors=actors, stances=stances)
    for model in ("compromise", "median", "mean"):
        a, b = create(model).run(sc).outcomes(), create(model).run(other).outcomes()
        for k in a:
            assert a[k] == pytest.approx(b[k], rel=1e-12, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(sc=scenarios(), factor=st.floats(0.01, 1000))
def test_property_scaling_capabilities_changes_nothing(sc, factor):
    scaled = sc.replace(actors=[a.model_copy(update={"capability": a.capability * factor})
                                for a in sc.actors])
    for model in ("compromise", "median"):
        a, b = create(model).run(sc).outcomes(), create(model).run(scaled).outcomes()
        for k in a:
            assert a[k] == pytest.approx(b[k], rel=1e-9, abs=1e-9)
