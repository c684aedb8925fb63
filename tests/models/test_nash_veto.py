"""Veto players in the Nash bargaining solution: who must consent bounds the feasible set and
forms the product (Nash 1950, with the bargainers restricted to the veto players)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik as rp
from realpolitik.analysis.strategy.whatif import remove_actor
from realpolitik.scenario import Actor, Issue, Scenario, ScenarioError, Stance
from realpolitik.testing import scenarios

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def three(w_a: float, w_b: float, veto: tuple[str, ...] | None) -> Scenario:
    """A at 40, B at 100, C at the status quo 20; bargaining weights = capabilities."""
    return Scenario(
        name="veto", actors=[Actor(id="A", capability=w_a), Actor(id="B", capability=w_b),
                             Actor(id="C", capability=1)],
        issues=[Issue(id="x", status_quo=20, veto=veto)],
        stances=[Stance(actor=a, issue="x", position=p, salience=1)
                 for a, p in (("A", 40), ("B", 100), ("C", 20))],
    )


def nash(sc: Scenario, **params: str) -> rp.Forecast:
    return rp.forecast(sc, "nash", params={"weights": "c", **params}, seed=0)


@pytest.mark.parametrize(("w_a", "w_b"), [(1, 1), (1, 3), (2, 5)])
def test_veto_players_move_nash_as_the_closed_form_says(w_a: float, w_b: float) -> None:
    # everyone holds a veto: C sits at the status quo and pins the outcome there
    everyone = nash(three(w_a, w_b, None)).result("nash").issues[0]
    assert everyone.outcome == pytest.approx(20)
    assert everyone.details["pinned_by"] == ["C"]
    # only A and B must consent: F = [20, 60]; on [40, 60] the gains are 60 - x and x - 20,
    # so argmax w_A log(60 - x) + w_B log(x - 20) = (20 w_A + 60 w_B) / (w_A + w_B)
    ab = nash(three(w_a, w_b, ("A", "B"))).result("nash").issues[0]
    assert ab.outcome == pytest.approx((20 * w_a + 60 * w_b) / (w_a + w_b), abs=1e-6)
    assert "pinned_by" not in ab.details and ab.details["veto"] == ["A", "B"]


def test_one_veto_player_gets_its_ideal_point() -> None:
    assert nash(three(1, 1, ("B",))).outcome("nash", "x") == pytest.approx(100, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(scenarios(min_actors=3, max_actors=6, max_issues=1, sit_out=False), st.data())
def test_non_veto_players_are_as_if_absent(sc: Scenario, data: st.DataObject) -> None:
    """Nash with veto players V equals Nash on the scenario without the others."""
    issue = sc.issues[0]
    sq = data.draw(st.floats(issue.low, issue.high))
    veto = tuple(data.draw(st.lists(st.sampled_from(sc.actor_ids), min_size=2, unique=True)))
    vetoed = sc.replace(issues=(issue.model_copy(update={"status_quo": sq, "veto": veto}),))
    reduced = vetoed
    for a in sc.actor_ids:
        if a not in veto:
            reduced = remove_actor(reduced, a)
    reduced = reduced.replace(issues=(reduced.issues[0].model_copy(update={"veto": None}),))
    for utility in ("linear", "quadratic"):
        got = nash(vetoed, utility=utility).outcome("nash", issue.id)
        want = nash(reduced, utility=utility).outcome("nash", issue.id)
        assert got == pytest.approx(want, abs=1e-6 * (issue.high - issue.low))


def test_default_is_every_participant() -> None:
    listed = nash(three(1, 2, ("A", "B", "C"))).result("nash").issues[0]
    default = nash(three(1, 2, None)).result("nash").issues[0]
    assert listed.outcome == default.outcome and listed.details == default.details


def test_bad_veto_lists_are_located_problems(tmp_path: Path) -> None:
    text = (EXAMPLES / "korea-2006.yaml").read_text(encoding="utf-8")
    bad = text.replace("veto: [USA, ROK]", "veto: [USA, Mars, DPRK]", 1)
    line = bad.splitlines().index("    veto: [USA, Mars, DPRK]") + 1
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        rp.load(path)
    msgs = {(p.line, p.field, p.message) for p in e.value.problems}
    assert (line, "veto", "issue 'usfk_posture': veto names unknown actor 'Mars'") in msgs
    assert (line, "veto", "issue 'usfk_posture': veto player 'DPRK' takes no stance on this "
            "issue") not in msgs  # DPRK does take a stance on the U.S. posture
    assert len(e.value.problems) == 1


def test_korea_vetoes_survive_csv_and_yaml(tmp_path: Path) -> None:
    sc = rp.load(EXAMPLES / "korea-2006.yaml")
    assert sc.issue("opcon").veto == ("USA", "ROK")
    for fmt in ("yaml", "csv"):
        rp.save(sc, tmp_path / f"k.{fmt}", fmt)
        assert rp.load(tmp_path / f"k.{fmt}") == sc
