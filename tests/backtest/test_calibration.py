"""Prediction intervals from real errors: split conformal on DEU III, checked on held-out issues."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from realpolitik.backtest.calibration import (
    calibrate,
    conformal_quantile,
    coverage_report,
    deu_errors,
    packaged,
)
from realpolitik.cli import app

from shared_data import shared


@pytest.fixture(scope="module")
def deu():
    return deu_errors(shared("data", "cases", "deu3", "deu-paired-differences.csv"),
                      shared("data", "cases", "deu3", "deu3_split.json"))


def test_packaged_table_is_that_of_the_data(deu) -> None:
    """conformal.json = calibration.table(DEU III): regenerate it if this fails."""
    from realpolitik.backtest.calibration import packaged_doc, table

    fresh, shipped = table(deu), packaged_doc()
    assert fresh["source"] == shipped["source"] and fresh["n"] == shipped["n"]
    for fam, ev in fresh["deu_evidence"].items():
        for k, v in ev.items():
            assert shipped["deu_evidence"][fam][k] == pytest.approx(v, abs=1e-9)
    # DEU III's published compromise MAE (docs/backtest.md): 22.99
    assert shipped["deu_evidence"]["compromise"]["mae"] == pytest.approx(22.99, abs=0.005)
    cal = calibrate(deu)
    assert cal.n == {"compromise": 140, "eum": 140}
    for fam, qs in cal.quantiles.items():
        for lv, q in qs.items():
            assert packaged().quantiles[fam][lv] == pytest.approx(q, abs=1e-12)


def test_80_percent_intervals_cover_75_to_85_percent_of_held_out_outcomes(deu) -> None:
    rows = coverage_report(deu, calibrate(deu))
    assert {r["n_held_out"] for r in rows} == {211}
    for r in rows:
        if r["level"] == 0.8:
            assert 0.75 <= r["coverage"] <= 0.85, r
    # and the calibration set itself is not what is scored: no held-out issue was used
    assert set(deu[deu.subset == "train"].issue_id).isdisjoint(
        deu[deu.subset.isin(["dev", "test"])].issue_id)


def test_the_compromise_margin_is_its_own_error_quantile(deu) -> None:
    e = np.sort(deu.loc[deu.subset == "train", "error_compromise"].to_numpy())
    k = math.ceil(141 * 0.8)  # the 113th of 140 errors
    assert packaged().margin("compromise", 0.8) == (pytest.approx(e[k - 1]),
                                                    "compromise's errors on DEU III")


def test_models_without_a_record_borrow_compromises_and_say_so() -> None:
    q, basis = packaged().margin("smp", 0.8)
    assert q == packaged().margin("compromise", 0.8)[0] and "no error record for smp" in basis
    lo, hi = packaged().interval("smp", 90.0, 90.0, (0.0, 100.0), 0.8)
    assert hi == 100.0 and lo == pytest.approx(90 - 100 * q)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=60), st.sampled_from([0.5, 0.8, 0.95]))
def test_conformal_quantile_covers_at_least_the_level_of_its_own_errors(errors, level) -> None:
    q = conformal_quantile(errors, level)
    n = len(errors)
    if math.isinf(q):
        assert math.ceil((n + 1) * level) > n
    else:  # at least ⌈(n+1)·level⌉ of the n errors are ≤ q
        assert sum(e <= q for e in errors) >= math.ceil((n + 1) * level)


def test_cli_calibrate_json(deu) -> None:
    r = CliRunner().invoke(app, ["calibrate", "--format", "json",
                                 "--deu", str(shared("data", "cases", "deu3",
                                                     "deu-paired-differences.csv"))])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["packaged_matches"] is True
    cov = {(x["family"], x["level"]): x["coverage"] for x in doc["held_out"]}
    assert set(cov) == {("compromise", 0.8), ("compromise", 0.95), ("eum", 0.8), ("eum", 0.95)}
    assert {s["model"] for s in doc["scored_cases"]} >= {"compromise", "eum", "smp"}


def test_cli_calibrate_without_data_is_a_located_problem(tmp_path) -> None:
    r = CliRunner().invoke(app, ["calibrate", "--deu", str(tmp_path / "nope.csv")])
    assert r.exit_code == 2 and "--deu" in r.output
