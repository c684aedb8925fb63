"""Invariants of the SMP on random scenarios (hypothesis) and on native scenarios.

Scenarios are drawn from a seed (continuous values, so exact ties — where KTAB's first-index
rules would make order matter — have probability zero).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.models import create
from realpolitik.scenario import Actor, Issue, Scenario, Space, Stance


def random_scenario(seed: int, n: int, m: int, order: list[int] | None = None,
                    low: float = 0.0, high: float = 100.0, same: bool = False) -> Scenario:
    g = np.random.default_rng(seed)
    cap = g.uniform(10, 200, n)
    pos = g.uniform(low, high, (n, m))
    if same:
        pos[:] = pos[0]
    sal = g.uniform(0.1, 1, (n, m))
    sal = sal / sal.sum(1, keepdims=True) * g.uniform(0.5, 0.99, (n, 1))
    ids = [f"a{i}" for i in range(n)]
    rows = order or list(range(n))
    issues = [Issue(id=f"d{k}", low=low, high=high) for k in range(m)]
    return Scenario(
        name="random", actors=[Actor(id=ids[i], capability=float(cap[i])) for i in rows],
        issues=issues, spaces=[Space(id="s", issues=tuple(i.id for i in issues))],
        stances=[Stance(actor=ids[i], issue=f"d{k}", position=float(pos[i, k]),
                        salience=float(sal[i, k])) for i in rows for k in range(m)])


def final(res, issue: str) -> dict[str, float]:
    return res.rounds[-1]["positions"][issue]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 9), m=st.integers(1, 3))
def test_property_positions_stay_on_the_scale(seed, n, m):
    res = create("smp").run(random_scenario(seed, n, m), rng=0)
    for r in res.rounds:
        for values in r["positions"].values():
            assert all(0.0 <= v <= 100.0 for v in values.values())
    for f in res.issues:
        assert 0.0 <= f.outcome <= 100.0
        assert sum(d["probability"] for d in f.details["distribution"]) == pytest.approx(1.0)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 8), m=st.integers(1, 3),
       data=st.data())
def test_property_actor_order_does_not_matter(seed, n, m, data):
    order = data.draw(st.permutations(list(range(n))))
    a = create("smp").run(random_scenario(seed, n, m), rng=0)
    b = create("smp").run(random_scenario(seed, n, m, order=list(order)), rng=0)
    assert len(a.rounds) == len(b.rounds)
    for k in range(m):
        fa, fb = final(a, f"d{k}"), final(b, f"d{k}")
        assert fa == pytest.approx({key: fb[key] for key in fa}, abs=1e-9)
        assert a.outcome(f"d{k}") == pytest.approx(b.outcome(f"d{k}"), abs=1e-9)
    pa, pb = a.rounds[-1]["probabilities"]["s"], b.rounds[-1]["probabilities"]["s"]
    assert pa == pytest.approx({key: pb[key] for key in pa}, abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 12), m=st.integers(1, 4))
def test_property_one_shared_position_is_a_fixed_point(seed, n, m):
    """KTAB aborts here (its risk attitudes divide 0 by 0); ours: nobody moves, stop at 2."""
    sc = random_scenario(seed, n, m, same=True)
    res = create("smp").run(sc, rng=0)
    start = res.rounds[0]["positions"]
    assert all(r["positions"] == start for r in res.rounds)
    assert len(res.rounds) == 3  # states 0, 1, 2: the minimum number of turns
    assert all(r["challenges"]["s"] == [] for r in res.rounds)
    probs = res.rounds[-1]["probabilities"]["s"]
    assert all(p == pytest.approx(1.0) for p in probs.values())  # one position, certain


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_property_issue_scale_is_affine(seed):
    """Positions are scaled to [0, 1] inside: an issue on [−10, 30] gives the same run."""
    a = create("smp").run(random_scenario(seed, 6, 2), rng=0)
    g = np.random.default_rng(seed)
    b = create("smp").run(random_scenario(seed, 6, 2, low=-10, high=30), rng=0)
    del g
    assert len(a.rounds) == len(b.rounds)
    # random_scenario draws positions as low + (high-low)·U, so the runs coincide after scaling
    for k in ("d0", "d1"):
        assert b.outcome(k) == pytest.approx(-10 + 0.4 * a.outcome(k), abs=1e-6)


def test_stochastic_transitions_reproducible_from_the_seed():
    sc = random_scenario(11, 8, 2)
    model = create("smp", state_transitions="Stochastic")
    r1, r2 = model.run(sc, rng=5), model.run(sc, rng=5)
    assert r1.rounds == r2.rounds
    runs = {tuple(model.run(sc, rng=s).outcomes().values()) for s in range(6)}
    assert len(runs) > 1  # the draws do matter


def test_spaces_and_lone_issues_run_separately():
    """A scenario with one 2-D space and one lone issue: the lone issue is a 1-D SMP of
    its own, unaffected by the space."""
    base = random_scenario(3, 5, 2)
    lone = Issue(id="z", low=0, high=10)
    stances = [Stance(actor=a.id, issue="z", position=float(v), salience=0.5)
               for a, v in zip(base.actors, (1, 3, 5, 8, 9), strict=True)]
    sc = base.replace(issues=(*base.issues, lone), stances=(*base.stances, *stances))
    res = create("smp").run(sc, rng=0)
    groups = {g["id"]: g["issues"] for g in res.details["groups"]}
    assert groups == {"s": ["d0", "d1"], "z": ["z"]}
    alone = create("smp").run(sc.replace(spaces=(), issues=(lone,), stances=tuple(stances)),
                              rng=0)
    assert res.outcome("z") == alone.outcome("z")
    assert res.outcome("d0") == create("smp").run(base, rng=0).outcome("d0")
