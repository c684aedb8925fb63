"""The editable table's logic: cells ↔ scenario, problems pinned to their cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.scenario import Problem
from realpolitik.scenario.io import load
from realpolitik.web.editing import apply_edits, cell_of, cells

KOREA = load(Path(__file__).resolve().parents[2] / "examples" / "korea-2006.yaml")


def test_unchanged_cells_give_the_same_scenario():
    edit = apply_edits(KOREA, cells(KOREA))
    assert edit.ok and edit.scenario == KOREA


def test_cells_cover_every_value():
    c = cells(KOREA)
    assert c["cap:USA"] == "100" and c["pos:ROK:nk_policy"] == "20"
    assert c["sal:DPRK:nk_policy"] == "100" and c["sq:opcon"] == "20"
    assert "pos:China:opcon" not in c  # China sits out OPCON
    assert len(c) == len(KOREA.actors) + 2 * len(KOREA.stances) + len(KOREA.issues)


def test_one_edit_changes_one_value():
    edit = apply_edits(KOREA, {"pos:USA:nk_policy": " 12.5 ", "unknown:cell": "7",
                               "pos:China:opcon": "3"})
    assert edit.ok
    sc = edit.scenario
    assert sc.stance("USA", "nk_policy").position == 12.5
    diff = [(a, b) for a, b in zip(cells(KOREA).items(), cells(sc).items(), strict=True)
            if a != b]
    assert diff == [(("pos:USA:nk_policy", "75"), ("pos:USA:nk_policy", "12.5"))]


def test_empty_status_quo_means_none_and_numbers_are_required_elsewhere():
    edit = apply_edits(KOREA, {"sq:opcon": "", "cap:USA": "", "sal:ROK:opcon": "1e400",
                               "pos:ROK:opcon": "−5"})  # a typographic minus is a minus
    assert not edit.ok
    assert set(edit.errors) == {"cap:USA", "sal:ROK:opcon", "pos:ROK:opcon"}
    assert edit.errors["cap:USA"] == ["a number is required"]
    assert edit.errors["sal:ROK:opcon"] == ["must be a finite number"]
    assert "-5" in edit.errors["pos:ROK:opcon"][0]  # read as −5: outside the 0–100 scale
    edit = apply_edits(KOREA, {"sq:opcon": ""})
    assert edit.ok and edit.scenario.issue("opcon").status_quo is None


@pytest.mark.parametrize(("key", "cell"), [
    (("actor", "USA", "capability"), "cap:USA"),
    (("stance", "ROK", "opcon", "salience"), "sal:ROK:opcon"),
    (("stance", "ROK", "opcon", "position"), "pos:ROK:opcon"),
    (("issue", "opcon", "status_quo"), "sq:opcon"),
    (("issue", "opcon", "low"), ""),
    ((), ""),
])
def test_problem_to_cell(key, cell):
    assert cell_of(Problem("x", key=key)) == cell


@settings(max_examples=40, deadline=None)
@given(actor=st.sampled_from([s.actor for s in KOREA.stances]),
       value=st.floats(-300, 300, allow_nan=False), field=st.sampled_from(["pos", "sal"]))
def test_property_in_range_accepted_out_of_range_pinned(actor, value, field):
    issue = next(s.issue for s in KOREA.stances if s.actor == actor)
    name = f"{field}:{actor}:{issue}"
    edit = apply_edits(KOREA, {name: repr(value)})
    if 0 <= value <= 100:  # every Korea scale (positions and salience) is 0–100
        assert edit.ok
        s = edit.scenario.stance(actor, issue)
        assert (s.position if field == "pos" else s.salience) == value
    else:
        assert not edit.ok and list(edit.errors) == [name]
