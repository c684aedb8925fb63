"""Alliance cohesion from a scenario: congruence, risk sharing, dynamics, strain."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from realpolitik import forecast, load
from realpolitik.analysis.alliance.cohesion import alliance_strain, alliance_strains, congruence
from realpolitik.cli import app
from realpolitik.scenario import Actor, Issue, Scenario, Stance
from realpolitik.testing import scenarios

from shared_data import REPO


def _pair(xa, xb, sa=(1.0, 1.0), sb=(1.0, 1.0), tags=((), ())) -> Scenario:
    return Scenario(
        name="pair", salience_scale=1,
        actors=[Actor(id="A", capability=3, groups=("ally",)),
                Actor(id="B", capability=1, groups=("ally",)),
                Actor(id="C", capability=1)],
        issues=[Issue(id="p", tags=tags[0]), Issue(id="q", low=0, high=10, tags=tags[1])],
        stances=[Stance(actor="A", issue="p", position=xa[0], salience=sa[0]),
                 Stance(actor="A", issue="q", position=xa[1], salience=sa[1]),
                 Stance(actor="B", issue="p", position=xb[0], salience=sb[0]),
                 Stance(actor="B", issue="q", position=xb[1], salience=sb[1]),
                 Stance(actor="C", issue="p", position=50, salience=1),
                 Stance(actor="C", issue="q", position=5, salience=1)])


def test_identical_positions_give_congruence_one():
    s = alliance_strain(_pair((20, 3), (20, 3)), "ally", ("A", "B"))
    assert s.congruence == 1.0 and s.components["interest_divergence"] == 0.0


def test_opposite_ends_give_congruence_minus_one():
    s = alliance_strain(_pair((0, 0), (100, 10)), "ally", ("A", "B"))
    assert s.congruence == -1.0


def test_congruence_hand_computed():
    """d_p = 50/100, d_q = 2/10; joint saliences w_p = sqrt(.8·.2) = .4, w_q = sqrt(.5·.5) = .5:
    C = 1 − 2 (.4·.5 + .5·.2)/.9 = 1 − 0.6/.9 = 1/3."""
    s = alliance_strain(_pair((0, 4), (50, 6), sa=(0.8, 0.5), sb=(0.2, 0.5)), "ally",
                        ("A", "B"))
    assert s.congruence == pytest.approx(1 / 3)


def test_issue_nobody_cares_about_is_ignored_and_none_when_nothing_shared():
    assert congruence(np.array([0.0, 0]), np.array([100.0, 0]), np.array([0.0, 1]),
                      np.array([1.0, 1]), np.array([100.0, 100])) == 1.0
    assert congruence(np.array([0.0]), np.array([np.nan]), np.ones(1), np.ones(1),
                      np.array([100.0])) is None


def test_risk_sharing_uses_security_issues():
    sc = _pair((0, 0), (0, 0), sa=(1.0, 0.2), sb=(0.5, 1.0), tags=(("security",), ()))
    s = alliance_strain(sc, "ally", ("A", "B"))
    assert s.security_issues == ("p",)
    assert s.stakes == {"A": 3.0, "B": 0.5}  # c · s on the security issue only
    assert s.risk_balance == pytest.approx(0.5 / 3)
    assert s.risk_shares["A"] == pytest.approx(3 / 3.5)


def test_strain_is_the_mean_of_visible_components_and_verdict_follows():
    s = alliance_strain(_pair((0, 0), (100, 10)), "ally", ("A", "B"))
    assert s.strain == pytest.approx(np.mean(list(s.components.values())))
    assert s.verdict == "at risk"
    calm = alliance_strain(_pair((20, 3), (20, 3), sa=(1, 1), sb=(1, 1)), "ally", ("A", "B"))
    assert calm.components["risk_imbalance"] == pytest.approx(1 - 1 / 3)


@settings(max_examples=50, deadline=None)
@given(sc=scenarios(min_actors=3), data=st.data())
def test_property_congruence_bounded_and_symmetric(sc, data):
    a, b = data.draw(st.permutations(sc.actor_ids))[:2]
    ab = alliance_strain(sc, "x", (a, b))
    ba = alliance_strain(sc, "x", (b, a))
    assert ab.congruence == ba.congruence
    if ab.congruence is not None:
        assert -1 - 1e-12 <= ab.congruence <= 1 + 1e-12
    if ab.strain is not None:
        assert 0 <= ab.strain <= 1


def test_dynamics_from_the_expected_utility_rounds():
    sc = load(REPO / "examples" / "korea-2006.yaml")
    fc = forecast(sc, ["eum"], seed=1, trace=True)  # the dyads are in the traced rounds
    (us_rok,) = [s for s in alliance_strains(sc, fc) if s.alliance == "US-ROK alliance"]
    dyn = us_rok.dynamics
    assert dyn["rounds"] == len(fc.result("eum").issues[0].rounds) - 1
    assert dyn["congruence_by_round"][0] == pytest.approx(us_rok.congruence)
    assert 0 <= dyn["challenge_rate"] <= 1 and 0 < dyn["dyad_rounds"] <= dyn["rounds"] * 4


def test_cli_alliance_json_joins_data(tmp_path):
    r = CliRunner().invoke(app, ["alliance", str(REPO / "examples" / "korea-2006.yaml"),
                                 "-f", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    us_rok = next(a for a in doc["alliances"] if a["alliance"] == "US-ROK alliance")
    assert set(us_rok["components"]) == {"interest_divergence", "risk_imbalance"}
    assert "available" in us_rok["data"]  # data-based congruence, or the reason it is absent
