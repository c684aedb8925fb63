"""Backtest runner and leaderboard on the shipped cases; the CLI prints bootstrap intervals."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from realpolitik.backtest import load_cases, make_split, run_backtest, shipped
from realpolitik.cli import app
from realpolitik.forecast import forecast
from realpolitik.models import registry
from realpolitik.models.reference import Compromise

from shared_data import shared


@pytest.fixture(scope="module")
def bt():
    return run_backtest(load_cases(), ["compromise", "median", "mean"], seed=3, n_boot=500)


def test_leaderboard_from_the_rows(bt):
    assert len(bt.rows) == 3 * 8  # 3 models × 8 issues with known outcomes
    comp = bt.rows[bt.rows["model"] == "compromise"]
    # each error is the forecast's, rescaled to 0–100
    for case in load_cases():
        fc = forecast(case.scenario, ["compromise"], seed=3)
        for issue in case.scenario.issues:
            got = comp[(comp["case"] == case.name) & (comp["issue"] == issue.id)]["error"].item()
            want = 100 * abs(fc.outcome("compromise", issue.id) - issue.outcome.value)
            assert got == pytest.approx(want / (issue.high - issue.low))
    board = bt.board.set_index("model")
    assert board.loc["compromise", "mae"] == pytest.approx(comp["error"].mean())
    assert board.loc["compromise", "diff"] == 0.0
    med = bt.board.set_index("model").loc["median"]
    paired = bt.rows.pivot_table(index=["case", "issue"], columns="model", values="error")
    assert med["diff"] == pytest.approx((paired["median"] - paired["compromise"]).mean())
    assert med["diff_low"] <= med["diff"] <= med["diff_high"]
    assert list(bt.board["mae"]) == sorted(bt.board["mae"])
    doc = bt.to_dict()
    json.dumps(doc, allow_nan=False)
    assert doc["leaderboard"][0]["model"] == bt.board["model"][0]


def test_emission_case_compromise_error():
    b = run_backtest(shipped("emission-1994"), ["compromise"], n_boot=100)
    # BdM's case: c·s-weighted mean 7.390 vs outcome 8.833 on the 4–10 scale
    assert b.board["mae"].item() == pytest.approx(100 * (8.833 - 7.390) / 6, abs=0.01)


def test_failing_model_is_skipped_not_fatal(monkeypatch):
    class Broken(Compromise):
        name = "broken"

        def solve(self, scenario, rng):
            raise ValueError("cannot do this case")

    monkeypatch.setitem(registry._REGISTRY, "broken", Broken)
    b = run_backtest(shipped("korea-2003"), ["broken"], n_boot=100)
    assert b.models == ("broken", "compromise")  # the baseline is always scored
    assert b.skipped == (
        {"case": "korea-2003", "model": "broken", "reason": "cannot do this case"},
    )
    assert list(b.board["model"]) == ["compromise"]


def test_split_subset_and_published_keys():
    path = shared("data", "cases", "deu3", "deu_sample_SYNTHETIC_fixture.csv")
    cases = load_cases([str(path)])
    split = make_split(["t01i1", "t01i2", "t02i1", "t03i1"], seed=1)  # bare ids, as DEU III's
    b = run_backtest(cases, ["compromise"], split=split, subset="test", n_boot=100)
    assert set(b.rows["issue"]) == set(split.subset("test"))
    assert set(b.rows["subset"]) == {"test"}


def test_monte_carlo_samples_give_coverage_and_crps():
    def sampler(scenario, model, params, seed):
        rng = np.random.default_rng(seed)
        fc = forecast(scenario, [model], params, seed)
        return {i: fc.outcome(model, i) + rng.normal(0, 5, 400) for i in scenario.issue_ids}

    b = run_backtest(shipped("korea-2006"), ["compromise"], sampler=sampler, n_boot=100)
    row = b.board.set_index("model").loc["compromise"]
    rows = b.rows
    want = np.mean(
        [
            float(np.mean(np.abs(s - y)) - 0.5 * np.mean(np.abs(s[:, None] - s[None, :])))
            for s, y in zip(rows["samples"], rows["outcome"], strict=True)
        ]
    )
    assert row["crps"] == pytest.approx(want)  # the 0–100 scale is the issues' own here
    hits = [
        np.quantile(s, 0.05) <= y <= np.quantile(s, 0.95)
        for s, y in zip(rows["samples"], rows["outcome"], strict=True)
    ]
    assert row["coverage90"] == np.mean(hits)


def test_cli_prints_leaderboard_with_intervals(tmp_path):
    r = CliRunner().invoke(app, ["backtest", "-m", "compromise", "-m", "median", "--boot", "200"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())  # the title may wrap
    assert "Leaderboard" in text and "95% paired bootstrap interval" in text
    assert "3 case(s), 8 issue(s)" in r.output
    median = next(line for line in r.output.splitlines() if "median" in line)
    assert "[" in median and "]" in median  # Δ with its interval
    assert "baseline" in next(line for line in r.output.splitlines() if "compromise │" in line)


def test_cli_split_is_saved_first_and_backtest_stored(tmp_path):
    split, db = tmp_path / "split.json", f"sqlite:///{tmp_path / 'rp.db'}"
    args = [
        "backtest",
        "-m",
        "compromise",
        "--split",
        str(split),
        "--subset",
        "test",
        "--format",
        "json",
        "--save",
        "--db",
        db,
        "--boot",
        "100",
    ]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert split.exists()
    saved = json.loads(split.read_text())
    doc = json.loads(r.stdout)
    assert {f"{f['case']}:{f['issue']}" for f in doc["forecasts"]} == {
        k for k, v in saved["assignment"].items() if v == "test"
    }
    listed = CliRunner().invoke(app, ["runs", "list", "--db", db, "--format", "json"])
    assert [x["kind"] for x in json.loads(listed.stdout)] == ["backtest"]


def test_cli_user_errors():
    r = CliRunner().invoke(app, ["backtest", "no-such-case"])
    assert r.exit_code == 2
    r = CliRunner().invoke(app, ["backtest", "--subset", "test"])
    assert r.exit_code == 2
    r = CliRunner().invoke(app, ["backtest", "--deu", "29"])
    assert r.exit_code == 2
