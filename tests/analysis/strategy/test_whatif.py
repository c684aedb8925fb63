"""What-if shocks: the grammar, their effect on the scenario, and paired base/shock draws."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from realpolitik.analysis.strategy.whatif import apply_shocks, parse_shock, read_shocks, whatif
from realpolitik.cli import app
from realpolitik.scenario import Actor, Issue, Scenario, ScenarioError, Stance, Uncertainty
from realpolitik.scenario.io import load

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def toy() -> Scenario:
    return Scenario(
        name="toy",
        actors=[
            Actor(id="A", capability=3, uncertainty={"capability": Uncertainty(low=2, high=4)}),
            Actor(id="B", capability=1),
            Actor(id="C", capability=1),
        ],
        issues=[Issue(id="x"), Issue(id="y")],
        stances=[
            Stance(
                actor="A",
                issue="x",
                position=0,
                salience=1,
                uncertainty={"position": Uncertainty(low=0, high=10)},
            ),
            Stance(actor="B", issue="x", position=100, salience=1),
            Stance(actor="C", issue="x", position=50, salience=1),
            Stance(actor="A", issue="y", position=20, salience=1),
            Stance(actor="B", issue="y", position=60, salience=1),
        ],
        uncertainty={"position": 5},
    )


@pytest.mark.parametrize(
    "text,op,value,issue",
    [
        ("A capability *0.7", "*", 0.7, None),
        ("A capability ×0.7", "*", 0.7, None),
        ("A capability - 1", "-", 1.0, None),
        ("A position x = 20", "=", 20.0, "x"),
        ("A position on x +5", "+", 5.0, "x"),
        ("A salience y *2", "*", 2.0, "y"),
    ],
)
def test_grammar(text, op, value, issue):
    s = parse_shock(text)
    assert (s.kind, s.op, s.value, s.issue) == ("change", op, value, issue)


def test_changes_and_their_uncertainty():
    sc = apply_shocks(toy(), ["A capability *0.5", "A position x = 20", "B salience y *0.5"])
    a = sc.actor("A")
    assert a.capability == 1.5 and (
        a.uncertainty["capability"].low,
        a.uncertainty["capability"].high,
    ) == (1.0, 2.0)
    st_ = sc.stance("A", "x")
    assert st_.position == 20 and (
        st_.uncertainty["position"].low,
        st_.uncertainty["position"].high,
    ) == (20, 30)
    assert sc.stance("B", "y").salience == 0.5
    assert apply_shocks(toy(), ["B position x +50"]).stance("B", "x").position == 100  # clipped


def test_remove_and_add():
    sc = apply_shocks(toy(), ["remove C", "add actor D capability 2 x=30@0.5 y=40@1"])
    assert sc.actor_ids == ("A", "B", "D")
    assert sc.stance("D", "x").position == 30 and sc.stance("D", "y").salience == 1


@pytest.mark.parametrize(
    "bad",
    [
        "remove Z",
        "Z capability *2",
        "A position z = 1",
        "C position y = 3",
        "A position x = 500",
        "frobnicate",
        "remove B",
    ],
)
def test_bad_shocks_are_located_user_errors(bad):
    with pytest.raises(ScenarioError) as e:
        apply_shocks(toy(), [bad])
    assert all(p.field == "shock" for p in e.value.problems)


def test_point_whatif_difference():
    w = whatif(toy(), ["A capability *0.5"], ["compromise"], seed=1).to_dict()
    rows = {r["issue"]: r for r in w["rows"]}
    assert rows["x"]["base"] == pytest.approx(150 / 5)
    assert rows["x"]["shocked"] == pytest.approx(150 / 3.5)
    assert rows["x"]["difference"] == pytest.approx(150 / 3.5 - 30)


def test_paired_draws_isolate_the_shock():
    # a shock on issue y leaves every draw of a per-issue model on issue x unchanged
    w = whatif(
        toy(), ["B position y = 90"], ["compromise", "median"], seed=3, draws=300, chunk_size=100
    )
    doc = w.to_dict()
    for r in doc["rows"]:
        d = r["difference_distribution"]
        if r["issue"] == "x":
            assert d["sd"] == 0 and d["p_increase"] == d["p_decrease"] == 0
        else:
            assert r["base_distribution"]["n"] == 300
    base, shocked = w.base.outcomes["compromise"], w.shocked.outcomes["compromise"]
    assert np.array_equal(base[:, 0], shocked[:, 0]) and (shocked[:, 1] > base[:, 1]).all()


def test_shock_file(tmp_path):
    f = tmp_path / "shocks.yaml"
    f.write_text(
        "shocks:\n  - A capability *0.7\n  - add_actor: {id: E, capability: 1, "
        "stances: {x: {position: 10, salience: 1}}}\n"
    )
    shocks = read_shocks(f)
    assert [s.kind for s in shocks] == ["change", "add"]
    assert apply_shocks(toy(), shocks).stance("E", "x").position == 10


@settings(max_examples=30, deadline=None)
@given(k=st.floats(0, 3), d=st.floats(-200, 200))
def test_property_shocked_scenarios_stay_valid(k, d):
    sc = apply_shocks(
        toy(),
        [
            f"A capability *{k}",
            f"A position x +{d}" if d >= 0 else f"A position x -{-d}",
            f"B salience x *{k}",
        ],
    )
    x = sc.stance("A", "x")
    u = x.uncertainty["position"]
    assert 0 <= x.position <= 100 and u.low <= x.position <= u.high
    assert 0 <= sc.stance("B", "x").salience <= 1


def test_cli_whatif_korea():
    r = CliRunner().invoke(
        app,
        [
            "whatif",
            str(EXAMPLES / "korea-2006.yaml"),
            "USA capability *0.7",
            "remove China",
            "-m",
            "compromise",
            "--draws",
            "200",
            "--format",
            "json",
        ],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["shocks"] == ["USA capability *0.7", "remove China"]
    assert "China" not in doc["shocked_scenario"]["actors"]
    assert all(x["difference_distribution"]["n"] == 200 for x in doc["rows"])
    assert load(EXAMPLES / "korea-2006.yaml").actor("China")


def test_with_draws_base_is_the_point_forecast_and_the_mean_has_its_own_column():
    sc = toy().replace(uncertainty={"position": 20})
    w = whatif(sc, ["A capability *0.5"], ["compromise"], seed=1, draws=300).to_dict()
    point = whatif(sc, ["A capability *0.5"], ["compromise"], seed=1).to_dict()
    for r, p in zip(w["rows"], point["rows"], strict=True):
        assert r["base"] == p["base"] and r["shocked"] == p["shocked"]
        assert r["base_mc_mean"] == pytest.approx(r["base_distribution"]["mean"])
        assert r["base_mc_mean"] != r["base"]
