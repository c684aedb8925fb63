"""Survival models and scores on synthetic data, against independent oracles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.analysis.alliance.survival import models as mdl
from realpolitik.analysis.alliance.survival import validate as val


def test_kaplan_meier_hazard_is_events_over_at_risk():
    rows = pd.DataFrame({"age": [0, 0, 0, 0, 1, 1, 2], "event": [1, 0, 0, 0, 1, 0, 0]})
    km = mdl.KaplanMeier().fit(rows)
    assert km.hazard(pd.DataFrame({"age": [0, 1, 2]})).tolist() == [0.25, 0.5, 0.0]
    p = mdl.ending_within(km, pd.DataFrame({"age": [0]}), 2)
    assert p[0] == pytest.approx(1 - 0.75 * 0.5)


@pytest.mark.parametrize("link", ["logit", "cloglog"])
def test_binomial_fit_matches_statsmodels(link):
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(3000), rng.normal(size=3000), rng.integers(0, 2, 3000)])
    eta = -2.0 + 0.7 * x[:, 1] - 0.5 * x[:, 2]
    p = 1 / (1 + np.exp(-eta)) if link == "logit" else 1 - np.exp(-np.exp(eta))
    y = (rng.random(3000) < p).astype(float)
    beta, cov = mdl.fit_binomial(x, y, link)
    family = sm.families.Binomial(sm.families.links.CLogLog() if link == "cloglog"
                                  else sm.families.links.Logit())
    ref = sm.GLM(y, x, family=family).fit()
    assert beta == pytest.approx(ref.params, abs=1e-5)
    assert np.sqrt(np.diag(cov)) == pytest.approx(ref.bse, rel=1e-4)
    groups = rng.integers(0, 40, 3000)
    _, robust = mdl.fit_binomial(x, y, link, cluster=groups)
    ref_cl = sm.GLM(y, x, family=family).fit(cov_type="cluster", cov_kwds={"groups": groups})
    # statsmodels' sandwich uses the observed Hessian, ours the expected information: they
    # coincide for the canonical logit link and differ slightly for cloglog.
    tol = 1e-3 if link == "logit" else 1e-2
    assert np.sqrt(np.diag(robust)) == pytest.approx(ref_cl.bse, rel=tol)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=2, max_size=40))
def test_weighted_auc_equals_pairwise_definition(pairs):
    score = np.array([s for s, _ in pairs], dtype=float)
    pos = np.array([p for _, p in pairs])
    if pos.all() or not pos.any():
        return
    w = np.ones(len(score))
    brute = np.mean([(a > b) + 0.5 * (a == b) for a in score[pos] for b in score[~pos]])
    assert val.weighted_auc(score, pos, w) == pytest.approx(brute)


def test_c_index_equals_harrell_pairs():
    rng = np.random.default_rng(1)
    time = rng.integers(1, 6, 60)
    y = (rng.random(60) < 0.4).astype(int)
    time[y == 0] = 5
    score = rng.random(60)
    num = den = 0.0
    for i in range(60):
        for j in range(60):
            if y[i] == 1 and (time[j] > time[i] or (time[j] == time[i] and y[j] == 0)):
                den += 1
                num += (score[i] > score[j]) + 0.5 * (score[i] == score[j])
    assert val.c_index(score, time, y, np.ones(60)) == pytest.approx(num / den)


def test_bootstrap_resamples_ending_events_as_clusters():
    # Two ending events: one multilateral (9 dyads), one bilateral; 30 survivors. With every
    # prediction 0, the Brier score is (weight of ended dyads) / (total weight), so each
    # replicate reveals how many ended dyads it drew: whole clusters give 2, 10 or 18.
    frame = pd.DataFrame({
        "y": [1] * 10 + [0] * 30, "time": [2] * 10 + [5] * 30,
        "cluster": ["c:e1"] * 9 + ["c:e2"] + [f"c:d{i}" for i in range(30)],
        "p_km": np.zeros(40)})
    brier = val.bootstrap(frame, ("km",), reps=200, seed=0)["km.brier"]
    ended = np.round(30 * brier / (1 - brier), 9)
    assert set(ended) == {2.0, 10.0, 18.0}
