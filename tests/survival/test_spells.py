"""Dyadic alliance spells against hand-checked cases (ATOP 5.1, COW states)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from realpolitik.analysis.alliance.survival import spells as sp

from shared_data import shared


@pytest.fixture(scope="module")
def raw():
    base = shared("data", "ir")
    from realpolitik.data import atop, states

    return atop.load_atop(data_dir=base), states.load_states("cow", data_dir=base)


@pytest.fixture(scope="module")
def spells(raw):
    return sp.build_spells(*raw)


@pytest.fixture(scope="module")
def defense(raw):
    return sp.build_spells(*raw, defense_only=True)


def one(frame, a, b, start=None):
    rows = frame[(frame.ccode1 == min(a, b)) & (frame.ccode2 == max(a, b))]
    if start is not None:
        rows = rows[rows.start == start]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_us_rok_runs_from_1953_and_is_censored_at_2018(spells):
    s = one(spells, 2, 732)
    assert (s.start, s.end, s.ending, s.event) == (1953, 2018, "censored", -1)


@pytest.mark.parametrize("a, b, start", [(290, 310, 1948), (290, 365, 1942), (310, 365, 1948),
                                         (310, 355, 1948), (360, 365, 1948)])
def test_warsaw_pact_defence_dyads_end_1991_by_abrogation(defense, a, b, start):
    s = one(defense, a, b, start)
    assert (s.end, s.ending, s.dead) == (1991, "abrogation", 0)


def test_warsaw_pact_dyads_end_together_and_state_deaths_compete(defense):
    pact = [one(defense, a, b, st) for a, b, st in [(290, 310, 1948), (290, 365, 1942),
                                                    (360, 365, 1948)]]
    assert len({s.event for s in pact}) == 1  # one multilateral ending event
    gdr = one(defense, 265, 290)  # the GDR left the system in October 1990
    assert (gdr.end, gdr.ending, gdr.dead) == (1990, "state_death", 265)
    albania = one(defense, 339, 365, 1955)  # Albania left the Pact in 1968
    assert (albania.end, albania.ending) == (1968, "abrogation")


def test_axis_dyads_in_the_second_world_war(spells):
    ger_ita = one(spells, 255, 325, 1925)
    assert (ger_ita.end, ger_ita.ending) == (1943, "abrogation")  # Italy's armistice
    ger_jpn = one(spells, 255, 740)
    assert (ger_jpn.start, ger_jpn.end, ger_jpn.ending, ger_jpn.dead) == (
        1936, 1945, "state_death", 255)  # Germany ceased to exist in May 1945
    ita_jpn = one(spells, 325, 740, 1937)
    assert (ita_jpn.end, ita_jpn.ending) == (1943, "abrogation")


def test_german_confederation_1849_gap_is_bridged_and_visible(raw, spells):
    hanover_bavaria = one(spells, 240, 245)
    assert (hanover_bavaria.start, hanover_bavaria.bridged) == (1815, 1)
    assert (hanover_bavaria.end, hanover_bavaria.ending) == (1866, "state_death")
    split = sp.build_spells(*raw, bridge_gap=0)
    parts = split[(split.ccode1 == 240) & (split.ccode2 == 245)].sort_values("start")
    assert parts[["start", "end"]].values.tolist() == [[1815, 1848], [1850, 1866]]
    assert parts.iloc[0].ending == "abrogation"
    confed = spells[(spells.bridged > 0) & (spells.start == 1815)]
    assert len(confed) == 42  # the issue's count of 1848 re-formations


def test_totals_match_the_issue_counts(raw):
    split = sp.build_spells(*raw, bridge_gap=0)
    assert len(split) == 5791  # "about 5,800 dyadic alliance spells"
    ended = split[split.ending != "censored"]
    assert len(ended) == 1563  # "and 1,560 endings" (rows with no obligation flag dropped)
    share_1945 = (ended.end == 1945).mean()
    assert 0.4 < share_1945 < 0.5  # "1945 alone holds about half of all dyadic endings"


def test_yugoslavia_1992_endings_are_one_event(spells):
    yug = spells[((spells.ccode1 == 345) | (spells.ccode2 == 345)) & (spells.end == 1992)
                 & (spells.ending == "abrogation")]
    assert len(yug) >= 30
    assert yug.event.nunique() == 1


def _states(end):
    return pd.DataFrame({"code": [1, 2], "end": pd.to_datetime(["9999-12-31", end]),
                         "endyear": [9999, int(end[:4])]})


def test_cow_2016_coverage_end_is_not_a_state_death():
    spells = pd.DataFrame({"ccode1": [1], "ccode2": [2], "end": [2016]})
    assert sp.classify_endings(spells, _states("2016-12-31")).ending.tolist() == ["abrogation"]
    assert sp.classify_endings(spells, _states("2016-06-30")).ending.tolist() == ["state_death"]
    assert sp.classify_endings(spells, _states("2017-01-15")).ending.tolist() == ["state_death"]
    assert sp.classify_endings(spells, _states("2017-03-01")).ending.tolist() == ["abrogation"]


def test_ending_events_join_dyads_through_shared_members():
    spells = pd.DataFrame({
        "ccode1": [1, 2, 5, 1, 7], "ccode2": [2, 3, 6, 9, 8],
        "end": [1990, 1990, 1990, 1991, 2018],
        "ending": ["abrogation", "abrogation", "abrogation", "abrogation", "censored"]})
    event = sp.ending_events(spells)
    assert event[0] == event[1]  # 1-2 and 2-3 share state 2
    assert len({event[0], event[2], event[3]}) == 3  # 5-6 apart; 1-9 another year
    assert event[4] == -1


def test_spell_years_mark_the_last_year_only():
    spells = pd.DataFrame({"spell": [0, 1], "ccode1": [1, 1], "ccode2": [2, 3],
                           "start": [2000, 2010], "end": [2002, 2018], "duration": [3, 9],
                           "ending": ["abrogation", "censored"], "event": [4, -1]})
    rows = sp.spell_years(spells)
    assert rows.age.tolist()[:3] == [0, 1, 2]
    assert rows.event.tolist() == [0, 0, 1] + [0] * 9
    assert rows.event_id.tolist()[:3] == [-1, -1, 4]
    assert np.all(rows.competing == 0)
