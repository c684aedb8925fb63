"""The Python API speaks its own words: one model name, API-named errors, tidy frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import realpolitik as rp
from realpolitik.analysis.uncertainty.montecarlo import forecast_draws
from realpolitik.scenario import ScenarioError

KOREA = Path(__file__).resolve().parents[1] / "examples" / "korea-2006.yaml"


@pytest.fixture(scope="module")
def korea() -> rp.Scenario:
    return rp.load(KOREA)


def test_one_model_name_is_one_model(korea: rp.Scenario) -> None:
    one = rp.forecast(korea, "eum", seed=0)
    assert [r.model for r in one.results] == ["eum"]
    assert one.to_frame().equals(rp.forecast(korea, ["eum"], seed=0).to_frame())


def test_errors_name_the_api_arguments_not_cli_flags(korea: rp.Scenario) -> None:
    with pytest.raises(ScenarioError) as e:
        rp.forecast(korea, "eumm")
    assert e.value.problems[0].field == "models" and "--" not in str(e.value)
    with pytest.raises(ScenarioError) as e:
        rp.forecast(korea, "median", params={"tie": "sideways"})
    assert e.value.problems[0].field == "params median.tie" and "--" not in str(e.value)
    with pytest.raises(ScenarioError) as e:
        rp.forecast(korea, "median", params={"no_such": 1})
    assert e.value.problems[0].field == "params no_such"


def test_rounds_frame_has_each_actors_position_per_round(korea: rp.Scenario) -> None:
    f = rp.forecast(korea, ["eum", "exchange", "smp"], seed=0)
    df = f.rounds_frame()
    cols = {f"position.{a}" for a in korea.actor_ids}
    assert cols <= set(df.columns)
    for model in ("eum", "exchange", "smp"):
        first = df[(df.model == model) & (df.issue == "opcon") & (df["round"] == 0)].iloc[0]
        for s in korea.stances:
            if s.issue == "opcon":  # round 0 is the coded state
                assert first[f"position.{s.actor}"] == pytest.approx(s.position)
    # the last EUM round's positions are those the model reports as its final state
    eum = df[(df.model == "eum") & (df.issue == "opcon")]
    last = f.result("eum").issues[2].rounds[-1]["positions"]  # type: ignore[index]
    for a, x in last.items():
        assert eum.iloc[-1][f"position.{a}"] == pytest.approx(x)
    assert np.isnan(eum.iloc[0]["position.DPRK"])  # DPRK sits out opcon


def test_monte_carlo_results_have_a_tidy_frame(korea: rp.Scenario) -> None:
    sc = korea.replace(uncertainty={"position": 10})
    mc = forecast_draws(sc, ["compromise", "median"], seed=0, draws=200)
    df = mc.to_frame()
    assert len(df) == 2 * len(sc.issues)
    row = df[(df.model == "compromise") & (df.issue == "opcon")].iloc[0]
    assert row.point == pytest.approx(mc.base.outcome("compromise", "opcon"))
    draws = mc.outcomes["compromise"][:, sc.issue_ids.index("opcon")]
    assert row["mean"] == pytest.approx(draws.mean())
    assert row.p10 <= row["median"] <= row.p90 and row.n == 200
