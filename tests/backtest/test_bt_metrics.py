"""Metrics: the DEU III compromise MAE (22.99) reproduced, hand values, CRPS identities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from realpolitik.backtest import frame_from_forecasts, leaderboard
from realpolitik.backtest import metrics as M

from shared_data import shared


@pytest.fixture(scope="module")
def paired():
    return pd.read_csv(shared("data", "cases", "deu3", "deu-paired-differences.csv"))


def test_compromise_mae_on_351_deu_issues(paired):
    """Achen's baseline on DEU III: compromise MAE 22.99 vs the expected-utility model's 26.83."""
    assert len(paired) == 351
    rows = frame_from_forecasts(
        paired,
        {"compromise": "compromise_forecast", "eu-challenge": "challenge_forecast"},
        cluster="dossier",
    )
    board = leaderboard(rows, n_boot=2000, rng=np.random.default_rng(1)).set_index("model")
    assert round(board.loc["compromise", "mae"], 2) == 22.99
    assert round(board.loc["eu-challenge", "mae"], 2) == 26.83
    assert board.loc["compromise", "n"] == 351
    # the paired difference is the published column's mean, and its interval excludes 0
    d = board.loc["eu-challenge"]
    # (the file rounds each difference to 3 decimals)
    diffs = paired["paired_diff_challenge_minus_compromise"]
    assert d["diff"] == pytest.approx(diffs.mean(), abs=1e-4)
    assert 0 < d["diff_low"] < d["diff"] < d["diff_high"]
    # the per-issue errors are the file's own
    e = M.absolute_errors(paired["compromise_forecast"], paired["outcome"])
    np.testing.assert_allclose(e, paired["compromise_ae"], atol=5e-4)


def test_point_metrics_by_hand():
    e = np.array([0.0, 4.0, 10.0, 30.0])
    assert M.mae(e) == 11.0
    assert M.median_ae(e) == 7.0
    assert M.rmse(e) == pytest.approx(np.sqrt((16 + 100 + 900) / 4))
    assert [M.share_within(e, k) for k in (5, 10, 20)] == [0.5, 0.75, 0.75]
    # errors on a 4-10 scale are rescaled to 0-100
    assert M.absolute_errors(np.array([7.0]), np.array([8.5]), 4, 10).tolist() == [25.0]


def test_interval_coverage():
    assert M.interval_coverage([0, 0, 0], [10, 10, 10], [0, 10, 10.5]) == pytest.approx(2 / 3)


def test_paired_bootstrap():
    rng = np.random.default_rng(3)
    a, b = rng.uniform(0, 50, 60), rng.uniform(0, 50, 60)
    ci = M.paired_bootstrap(a, b, np.random.default_rng(5), n_boot=500)
    assert ci.estimate == pytest.approx(np.mean(a - b))
    assert ci.low < ci.estimate < ci.high
    again = M.paired_bootstrap(a, b, np.random.default_rng(5), n_boot=500)
    assert again == ci  # seeded
    # a constant shift has a degenerate interval; clusters of one issue = issues
    c = M.paired_bootstrap(a + 2, a, np.random.default_rng(0), n_boot=200, clusters=np.arange(60))
    assert (c.estimate, c.low, c.high) == pytest.approx((2.0, 2.0, 2.0))
    # clustered resampling is wider when issues within a cluster move together
    d = np.repeat(rng.normal(0, 5, 10), 6)
    plain = M.paired_bootstrap(d, 0 * d, np.random.default_rng(0), 2000)
    clus = M.paired_bootstrap(d, 0 * d, np.random.default_rng(0), 2000, clusters=np.arange(60) // 6)
    assert clus.high - clus.low > plain.high - plain.low
    with pytest.raises(ValueError):
        M.paired_bootstrap(np.array([]), np.array([]), rng)


finite = st.floats(-100, 100, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(arrays(float, st.integers(1, 30), elements=finite), finite)
def test_property_crps_samples_is_the_energy_form(x, y):
    """CRPS = E|X-y| - E|X-X'|/2, by the O(m²) double sum; ≥ 0; = |x-y| for one sample."""
    brute = np.mean(np.abs(x - y)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))
    assert float(M.crps_samples(x, y)) == pytest.approx(brute, abs=1e-9)
    assert float(M.crps_samples(x, y)) >= -1e-9
    assert float(M.crps_samples(x[:1], y)) == pytest.approx(abs(x[0] - y))


def test_crps_batched():
    x = np.array([[0.0, 10.0], [5.0, 5.0]])
    np.testing.assert_allclose(M.crps_samples(x, np.array([5.0, 0.0])), [2.5, 5.0])


@settings(max_examples=40, deadline=None)
@given(finite, st.floats(0.1, 50), finite)
def test_property_crps_uniform_matches_quantile_samples(a, w, y):
    """The closed form agrees with the CRPS of a fine grid of the uniform's quantiles."""
    grid = a + w * (np.arange(4000) + 0.5) / 4000
    assert float(M.crps_uniform(a, a + w, y)) == pytest.approx(
        float(M.crps_samples(grid, y)), abs=1e-3 * (1 + w)
    )


def test_crps_uniform_degenerate_is_absolute_error():
    assert float(M.crps_uniform(3.0, 3.0, 10.0)) == 7.0
