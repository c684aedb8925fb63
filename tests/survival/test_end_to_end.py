"""The assembled table, its cache, validation, forecasts and the CLI on the real data."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from realpolitik.analysis.alliance.survival import forecast as fc
from realpolitik.analysis.alliance.survival import table as tb
from realpolitik.analysis.alliance.survival import validate as val
from realpolitik.cli import app


@pytest.fixture(scope="module")
def env(survival_env):
    return survival_env


def test_table_is_cached_on_input_hashes(env):
    data, cache = env
    files = [f for f in cache.glob("survival-*.pkl") if f.name.count("-") == 1]
    assert len(files) == 1 and data.version["key"] in files[0].name
    again = tb.load_table()
    assert again.table.equals(data.table)
    assert not list(cache.glob(".survival-*"))  # no temporary file left behind
    assert len(data.spells) == 5744 and int(data.table["event"].sum()) == 1303


def test_validate_output_and_clustered_event_count(env):
    data, _ = env
    result = val.validate(data, (2000,), ("km", "controls"), reps=20)
    doc = result.to_json()
    ended = result.frame[result.frame["y"] == 1]
    assert doc["independent_events"] == ended["cluster"].nunique() <= doc["ended"]
    assert doc["ended"] == len(ended)
    for row in doc["models"]:
        for key in ("c_index", "auc", "brier"):
            lo, hi = row[f"{key}_ci"]
            assert lo <= row[key] <= hi or np.isnan(row[key])
        assert row["independent_events"] == doc["independent_events"]
    assert "c_index_vs_km_ci" in doc["models"][1]


def test_forecast_does_not_peek(env):
    data, _ = env
    year = 2003
    base = fc.forecast_year(data, "USA", "KOR", year, model="logit")
    # Rewrite the future: every alliance alive in 2003 or later "ends" at once, and the
    # covariates of later rows (measured in 2003 or after) change.
    future = data.table.copy()
    future.loc[future["year"] >= year, "event"] = 1
    future.loc[future["year"] > year, "un_agree"] = 0.0
    altered = dataclasses.replace(data, table=future)
    again = fc.forecast_year(altered, "USA", "KOR", year, model="logit")
    assert again["p_end_5y"] == base["p_end_5y"]
    assert again["interval_90"] == base["interval_90"]
    past = data.table.copy()
    past.loc[past["year"] == year - 1, "event"] = 1  # ... while the past does matter
    changed = fc.forecast_year(dataclasses.replace(data, table=past), "USA", "KOR", year,
                               model="logit")
    assert changed["p_end_5y"] != base["p_end_5y"]


def test_cli_forecast_json_and_errors(env):
    runner = CliRunner()
    res = runner.invoke(app, ["survival", "forecast", "FRA", "DEU", "--year", "1966",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    row = doc["rows"][0]
    assert row["year"] == 1966 and row["dyad"] == [220, 260]
    assert 0 <= row["interval_90"][0] <= row["p_end_5y"] <= row["interval_90"][1] <= 1
    bad = runner.invoke(app, ["survival", "forecast", "USA", "ZZZ", "--year", "1966"])
    assert bad.exit_code == 2 and "ZZZ" in bad.output
    none = runner.invoke(app, ["survival", "forecast", "USA", "KOR", "--year", "1900"])
    assert none.exit_code == 2 and "no ATOP alliance" in none.output
    late = runner.invoke(app, ["survival", "forecast", "USA", "KOR", "--year", "2030"])
    assert late.exit_code == 2 and "no alliance data" in late.output


@pytest.mark.slow
def test_cli_validate_and_thesis(env):
    runner = CliRunner()
    res = runner.invoke(app, ["survival", "validate", "--cut", "1989", "--reps", "50",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["cuts"] == [1989] and {m["model"] for m in doc["models"]} >= {"km", "cox"}
    res = runner.invoke(app, ["survival", "thesis", "--format", "json"])
    assert res.exit_code == 0, res.output
    thesis = json.loads(res.stdout)
    assert {r["verdict"] for r in thesis["covariates"]} <= {
        "supported", "fragile", "not supported"}
    ph = thesis["ph_checks"]  # one proportional-hazards row per thesis covariate
    assert [r["covariate"] for r in ph["covariates"]] == [
        r["covariate"] for r in thesis["covariates"]]
    assert ph["global"]["df"] == len(thesis["covariates"]) and 0 <= ph["global"]["p"] <= 1
    assert set(ph["other_samples"]) == {"no_1945", "events_once"}


def test_alliance_command_adds_the_pairs_survival_beside_the_strain(env):
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    runner = CliRunner()
    res = runner.invoke(app, ["alliance", str(repo / "examples" / "korea-2003.yaml"),
                              "--survival", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = {a["alliance"]: a for a in json.loads(res.stdout)["alliances"]}
    got = rows["US-ROK alliance"]["survival"]
    assert got["available"] and got["dyad"] == ["KOR", "USA"] and got["year"] == 2003
    same = fc.forecast_year(env[0], "USA", "KOR", 2003)  # the survival command's number
    assert got["p_end_5y"] == same["p_end_5y"] and got["ended_within_5y"] is False
    plain = runner.invoke(app, ["alliance", str(repo / "examples" / "korea-2003.yaml"),
                                "--format", "json"])
    assert "survival" not in json.loads(plain.stdout)["alliances"][0]
