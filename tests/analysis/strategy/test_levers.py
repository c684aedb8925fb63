"""Levers: the compromise closed form is exact and optimal; the search is labelled and agrees."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from typer.testing import CliRunner

from realpolitik.analysis.strategy.levers import advise, closed_form, search
from realpolitik.analysis.strategy.whatif import apply_shocks
from realpolitik.cli import app
from realpolitik.models import create
from realpolitik.scenario.io import load
from realpolitik.testing import scenarios

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def rerun(sc, shock, issue):
    return create("compromise").run(apply_shocks(sc, [shock])).outcome(issue)


def check_closed_form(sc, actor):
    for ia in closed_form(sc, actor):
        assert ia.outcome == pytest.approx(create("compromise").run(sc).outcome(ia.issue))
        moves = [(ia.own_position, "position"), (ia.own_salience, "salience")]
        moves += [(m, "position") for m in ia.persuade]
        for mv, field in moves:
            if mv is None:
                continue
            after = rerun(sc, f"{mv.actor} {field} {ia.issue} = {mv.value_to!r}", ia.issue)
            assert mv.outcome == pytest.approx(after, abs=1e-9 * (1 + abs(after)))
            gap = abs(ia.outcome - ia.ideal)
            assert mv.benefit == pytest.approx(gap - abs(after - ia.ideal), abs=1e-9 * (1 + gap))
            assert mv.cost == pytest.approx(abs(mv.value_to - mv.value_from))


def test_compromise_lever_equals_its_closed_form_korea():
    sc = load(EXAMPLES / "korea-2006.yaml")
    for actor in ("ROK", "USA"):
        check_closed_form(sc, actor)
    adv = advise(sc, "ROK")
    nk = next(i for i in adv.issues if i.issue == "nk_policy")
    a = sc.arrays()
    j = a.issue_ids.index("nk_policy")
    w = np.nan_to_num(a.capability[:, j] * a.salience[:, j])
    me = a.actor_ids.index("ROK")
    o = float((w * np.nan_to_num(a.position[:, j])).sum() / w.sum())
    x = a.position[me, j]
    target = np.clip(x + (x - o) * w.sum() / w[me], 0, 100)
    assert nk.own_position.value_to == pytest.approx(target)
    assert adv.method == "exact (closed form)"


@settings(max_examples=20, deadline=None)
@given(sc=scenarios(max_actors=5, max_issues=2))
def test_property_closed_form_is_exact(sc):
    check_closed_form(sc, sc.actor_ids[0])


def test_closed_form_is_optimal_and_the_search_finds_it():
    sc = load(EXAMPLES / "korea-2006.yaml")
    exact = {i.issue: i for i in closed_form(sc, "ROK")}
    found = {i.issue: i for i in search(sc, "ROK", "compromise", grid=401)}
    for iid, ia in exact.items():
        s = found[iid]
        for a, b in ((ia.own_position, s.own_position), (ia.own_salience, s.own_salience)):
            assert b.benefit <= a.benefit + 1e-9  # no grid point beats the closed form
            assert b.benefit == pytest.approx(a.benefit, abs=0.02 * (1 + a.benefit))
        # (several actors may close the whole gap: the grid decides their order)
        assert s.persuade[0].benefit == pytest.approx(ia.persuade[0].benefit, abs=0.05)


def test_dynamic_models_get_a_labelled_search():
    sc = load(EXAMPLES / "emission-1994.yaml")
    adv = advise(sc, "Germany", "eum", grid=21)
    assert adv.method.startswith("search")
    ia = adv.issues[0]
    assert ia.own_position.benefit >= 0 and ia.own_salience.benefit >= 0
    assert all(m.benefit > 0 for m in ia.persuade)
    benefits = [m.benefit for m in ia.persuade]
    assert benefits == sorted(benefits, reverse=True)


def test_cli_advise_json():
    r = CliRunner().invoke(
        app, ["advise", str(EXAMPLES / "korea-2006.yaml"), "--actor", "ROK", "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == "realpolitik.advise/1" and doc["method"] == "exact (closed form)"
    bad = CliRunner().invoke(app, ["advise", str(EXAMPLES / "korea-2006.yaml"), "--actor", "XX"])
    assert bad.exit_code == 2


def test_ranking_never_hinges_on_the_last_bit_of_a_benefit():
    """Benefits within the tie tolerance rank as equal (then the smaller move, then the actor
    id); a benefit larger beyond the tolerance still comes first."""
    from realpolitik.analysis.strategy.levers import Move, _rank

    def move(actor, benefit, to):
        return Move("persuade", actor, 50.0, to, abs(to - 50.0), 40.0, benefit, 0.5)

    b = 3.0
    for nudge in (np.nextafter(b, 4.0), np.nextafter(b, 2.0), b + 1e-11):
        ranked = _rank([move("Z", float(nudge), 60.0), move("Y", b, 55.0), move("X", b, 55.0)],
                       100.0)
        assert [m.actor for m in ranked] == ["X", "Y", "Z"], nudge
    ranked = _rank([move("Y", b, 55.0), move("Z", b + 1e-3, 60.0)], 100.0)
    assert [m.actor for m in ranked] == ["Z", "Y"]
