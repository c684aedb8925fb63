"""Sensitivity: tornado ranks, drop-one effects and Sobol indices against closed forms."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from realpolitik.analysis.uncertainty.sampling import with_default_uncertainty
from realpolitik.analysis.uncertainty.sensitivity import drop_actor, drop_issue, sobol, tornado
from realpolitik.cli import app
from realpolitik.scenario import Actor, Issue, Scenario, Stance, Uncertainty
from realpolitik.scenario.io import load

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def dominant(wide: str = "C") -> Scenario:
    """Four actors; one input (``wide``'s position) is far more uncertain than the rest."""
    caps = {"A": 4.0, "B": 3.0, "C": 2.0, "D": 1.0}
    pos = {"A": 30.0, "B": 45.0, "C": 60.0, "D": 80.0}
    return Scenario(
        name="dominant",
        actors=[Actor(id=a, capability=c) for a, c in caps.items()],
        issues=[Issue(id="x"), Issue(id="y")],
        stances=[
            *[
                Stance(
                    actor=a,
                    issue="x",
                    position=p,
                    salience=1,
                    uncertainty={"position": Uncertainty(low=0, high=100)} if a == wide else {},
                )
                for a, p in pos.items()
            ],
            *[Stance(actor=a, issue="y", position=p, salience=1) for a, p in pos.items()],
        ],
        uncertainty={"position": 2, "capability": 0.05, "salience": 0.05},
    )


@pytest.mark.parametrize("model", ["compromise", "median", "eum"])
def test_tornado_ranks_the_dominant_input_first(model):
    for wide in ("C", "D"):
        t = tornado(dominant(wide), model)
        top = t[t.issue == "x"].iloc[0]
        assert top["rank"] == 1 and top["input"] == f"{wide} position x"


def test_tornado_swing_equals_the_compromise_closed_form():
    sc = dominant("C")
    t = tornado(sc, "compromise").set_index(["issue", "input"])
    # outcome = sum w_i x_i / W with w = c*s (s = 1): C's swing = w_C / W * (q95 - q05)
    row = t.loc[("x", "C position x")]
    assert row.low == pytest.approx(5.0) and row.high == pytest.approx(95.0)
    assert row.swing == pytest.approx(2 / 10 * 90)
    assert t.loc[("y", "C position x")].swing == 0  # an issue's input leaves others alone


def test_drop_actor_equals_the_compromise_of_the_rest():
    sc = dominant()
    d = drop_actor(sc, "compromise").set_index(["actor", "issue"])
    assert d.loc[("A", "x")].outcome == pytest.approx((120 + 135 + 120 + 80) / 10)
    assert d.loc[("A", "x")].without == pytest.approx((135 + 120 + 80) / 6)
    assert d.loc[("D", "y")].change == pytest.approx((120 + 135 + 120) / 9 - 45.5)


def test_drop_actor_drops_issues_left_with_one_participant():
    sc = Scenario(
        name="t",
        actors=[Actor(id=a, capability=1) for a in "ABC"],
        issues=[Issue(id="x"), Issue(id="y")],
        stances=[
            Stance(actor=a, issue="x", position=p, salience=1)
            for a, p in zip("ABC", (0, 50, 100), strict=True)
        ]
        + [
            Stance(actor=a, issue="y", position=p, salience=1)
            for a, p in zip("AB", (0, 100), strict=True)
        ],
    )
    d = drop_actor(sc, "compromise").set_index(["actor", "issue"])
    assert np.isnan(d.loc[("A", "y")].without) and d.loc[("A", "y")].note
    assert d.loc[("A", "x")].without == 75


def test_drop_issue_leaves_per_issue_models_unchanged():
    d = drop_issue(dominant(), "median")
    other = d[d.issue_dropped != d.issue]
    assert (other.change == 0).all() and d[d.issue_dropped == d.issue].without.isna().all()


def test_sobol_first_order_matches_the_linear_closed_form():
    # compromise with only position inputs is linear: S_i = w_i^2 var_i / sum_j w_j^2 var_j
    sc = dominant("C").replace(uncertainty={"position": 10})
    s = sobol(sc, "compromise", samples=1024, seed=2)
    x = s[s.issue == "x"].set_index("input")
    var = {"A": 400 / 12, "B": 400 / 12, "C": 100**2 / 12, "D": 400 / 12}  # ±10: width 20
    w = {"A": 4, "B": 3, "C": 2, "D": 1}
    tot = sum(w[a] ** 2 * var[a] for a in w)
    for a in w:
        expect = w[a] ** 2 * var[a] / tot
        assert x.loc[f"{a} position x", "S1"] == pytest.approx(expect, abs=0.05)
        assert x.loc[f"{a} position x", "ST"] == pytest.approx(expect, abs=0.05)
    assert x.index[0] == "C position x"


@pytest.mark.parametrize("seed", [0, 5])
def test_sobol_is_a_function_of_its_seed_zero_included(seed):
    """SALib treats an int seed 0 as no seed (its bootstrap intervals then come from numpy's
    global state): 0 must be a seed like any other, and other seeds keep their results."""
    sc = dominant("C").replace(uncertainty={"position": 10})
    first = sobol(sc, "compromise", samples=64, seed=seed)
    np.random.seed(12345)  # global state must not matter
    np.random.random(7)
    again = sobol(sc, "compromise", samples=64, seed=seed)
    assert first.S1_conf.notna().any()
    assert first.equals(again)
    other = sobol(sc, "compromise", samples=64, seed=seed + 1)
    assert not first.S1_conf.equals(other.S1_conf)  # the seed does reach the intervals


def test_sobol_of_an_issue_that_cannot_vary_is_nan():
    sc = dominant().replace(uncertainty={})
    s = sobol(sc, "compromise", samples=64)
    assert s[s.issue == "y"].ST.isna().all()


def test_cli_sensitivity_json():
    r = CliRunner().invoke(
        app,
        [
            "sensitivity",
            str(EXAMPLES / "korea-2006.yaml"),
            "-m",
            "eum",
            "--method",
            "tornado",
            "--method",
            "drop-actor",
            "--format",
            "json",
        ],
    )
    assert r.exit_code == 0, r.output
    import json

    doc = json.loads(r.stdout)
    assert doc["schema"] == "realpolitik.sensitivity/1" and doc["tornado"][0]["rank"] == 1
    assert {x["actor"] for x in doc["drop_actor"]} == set(
        with_default_uncertainty(load(EXAMPLES / "korea-2006.yaml")).actor_ids
    )
