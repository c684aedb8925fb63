"""EUM detail on demand: a traced run records every round's matrices, dyads and offers; an
untraced one a summary per round — and both reach the same positions and outcome (issue 16)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.forecast import forecast
from realpolitik.models import create
from realpolitik.scenario import Scenario
from realpolitik.scenario.io import load

from shared_data import shared

SUMMARY = {"round", "median", "mean", "positions"}
DETAIL = {"risk", "security", "probability", "eu", "eu_seen", "dyads", "offers"}


def _random_scenario(n: int, k: int, seed: int) -> Scenario:
    rng = np.random.default_rng(seed)
    return Scenario.model_validate(
        {
            "name": "random",
            "actors": [{"id": f"a{i}", "capability": float(rng.uniform(1, 100))} for i in range(n)],
            "issues": [{"id": f"i{j}", "low": 0, "high": 100} for j in range(k)],
            "stances": [
                {
                    "actor": f"a{i}",
                    "issue": f"i{j}",
                    "position": float(rng.integers(0, 101)),
                    "salience": float(rng.uniform(0.1, 1)),
                }
                for i in range(n)
                for j in range(k)
            ],
        }
    )


@pytest.mark.parametrize("variant", ["paper", "scholz-code"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trace_changes_the_record_not_the_result(variant, seed):
    sc = _random_scenario(12, 2, seed)
    plain = create("eum", variant=variant, rounds=6).run(sc)
    traced = create("eum", variant=variant, rounds=6, trace=True).run(sc)
    for a, b in zip(plain.issues, traced.issues, strict=True):
        assert a.outcome == b.outcome
        assert a.details == b.details
        assert len(a.rounds) == len(b.rounds) == 7
        for ra, rb in zip(a.rounds, b.rounds, strict=True):
            assert set(ra) == SUMMARY
            assert {k: rb[k] for k in SUMMARY} == ra  # positions, median, mean bit for bit
        assert all(set(r) >= DETAIL for r in b.rounds[1:])


def test_emission_case_summary_matches_the_traced_port_run():
    sc = load(shared("data", "cases", "emission-1994", "emission_jmckib_salience01.csv"))
    plain = forecast(sc, ["eum"], {"variant": "scholz-code"}, seed=0)
    traced = forecast(sc, ["eum"], {"variant": "scholz-code"}, seed=0, trace=True)
    a, b = plain.to_dict(), traced.to_dict()
    assert a["forecasts"][0]["outcome"] == b["forecasts"][0]["outcome"]
    assert a["models"][0]["params"]["trace"] is False
    assert b["models"][0]["params"]["trace"] is True
    keep = [{k: r[k] for k in SUMMARY} for r in b["forecasts"][0]["rounds"]]
    assert a["forecasts"][0]["rounds"] == keep
    # the summary is a small part of the record: no n² matrices per round
    assert len(json.dumps(a)) * 3 < len(json.dumps(b))


def test_explicit_trace_param_wins_over_the_flag():
    sc = _random_scenario(5, 1, 3)
    fc = forecast(sc, ["eum", "compromise"], {"eum.trace": False}, seed=0, trace=True)
    assert set(fc.results[0].issues[0].rounds[1]) == SUMMARY


def test_cli_trace_flag():
    path = shared("data", "cases", "emission-1994", "emission_jmckib_salience01.csv")
    runner = CliRunner()
    plain = runner.invoke(app, ["forecast", str(path), "-m", "eum", "-m", "smp", "-f", "json"])
    traced = runner.invoke(
        app, ["forecast", str(path), "-m", "eum", "-m", "smp", "-f", "json", "--trace"]
    )
    assert plain.exit_code == 0 and traced.exit_code == 0, plain.output + traced.output
    a, b = json.loads(plain.stdout), json.loads(traced.stdout)
    assert [f["outcome"] for f in a["forecasts"]] == [f["outcome"] for f in b["forecasts"]]
    assert "dyads" not in a["forecasts"][0]["rounds"][1]
    assert "dyads" in b["forecasts"][0]["rounds"][1]
