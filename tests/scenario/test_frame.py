"""``Scenario.from_frame`` inverts ``Scenario.to_frame`` (the tidy stance table)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings

from realpolitik.scenario import Scenario, ScenarioError
from realpolitik.testing import scenarios


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["actor", "issue"]).reset_index(drop=True)


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_from_frame_round_trips_the_table(sc: Scenario) -> None:
    table = sc.to_frame()
    back = Scenario.from_frame(table, name=sc.name)
    assert back.salience_scale == sc.salience_scale
    pd.testing.assert_frame_equal(_sorted(back.to_frame()), _sorted(table))
    # and the numbers the models read are the same
    assert back.to_frame().equals(Scenario.from_frame(back.to_frame()).to_frame())


def test_per_issue_capability_survives_as_a_stance_override() -> None:
    df = pd.DataFrame({"actor": ["A", "A", "A", "B", "B", "B"],
                       "issue": ["x", "y", "z", "x", "y", "z"],
                       "capability": [2.0, 2.0, 5.0, 1.0, 1.0, 1.0],
                       "position": [0, 1, 2, 3, 4, 5], "salience": [0.5] * 6,
                       "low": 0.0, "high": 10.0})
    sc = Scenario.from_frame(df)
    assert sc.actor("A").capability == 2.0
    assert sc.stance("A", "z").capability == 5.0 and sc.stance("A", "x").capability is None


def test_missing_columns_are_a_located_problem() -> None:
    with pytest.raises(ScenarioError, match="lacks column.*salience"):
        Scenario.from_frame(pd.DataFrame({"actor": ["A"], "issue": ["x"], "capability": [1],
                                          "position": [0]}))


def test_an_invalid_table_is_a_problem_not_a_traceback() -> None:
    df = pd.DataFrame({"actor": ["A", "B"], "issue": ["x", "y"], "capability": [1, 1],
                       "position": [0, 1], "salience": [1, 1]})
    with pytest.raises(ScenarioError, match="at least two"):
        Scenario.from_frame(df)
