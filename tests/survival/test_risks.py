"""Competing risks: Aalen–Johansen invariants and hand-computed values, 1 − KM against the
dyad-year Kaplan–Meier model, and the cause-specific models on the real data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from realpolitik.analysis.alliance.survival import models as mdl
from realpolitik.analysis.alliance.survival import risks
from realpolitik.analysis.alliance.survival import spells as sp
from realpolitik.cli import app

spell_sets = st.lists(st.tuples(st.integers(1, 12), st.integers(0, 2)), min_size=1,
                      max_size=60)


@given(spell_sets)
@settings(max_examples=200, deadline=None)
def test_property_cifs_and_survival_add_to_one_and_never_fall(pairs):
    duration, cause = (np.array(v) for v in zip(*pairs, strict=True))
    est = risks.aalen_johansen(duration, cause, 2)
    total = est["cif"].sum(axis=0) + est["survival"]
    assert total == pytest.approx(np.ones_like(total), abs=1e-12)
    assert (np.diff(est["cif"], axis=1) >= -1e-15).all()
    assert (np.diff(est["survival"]) <= 1e-15).all()
    # 1 − KM keeps the competing cause's spells at risk: never below the CIF
    assert (est["one_minus_km"] >= est["cif"] - 1e-12).all()


@given(st.lists(st.tuples(st.integers(1, 12), st.integers(0, 1)), min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_property_without_competing_ends_cif_is_one_minus_km(pairs):
    duration, cause = (np.array(v) for v in zip(*pairs, strict=True))
    est = risks.aalen_johansen(duration, cause, 2)
    assert est["cif"][0] == pytest.approx(est["one_minus_km"][0], abs=1e-12)
    assert (est["cif"][1] == 0).all()


def test_hand_computed_small_set():
    # Five spells: ends in year 1 (abrogation), year 2 (state death; and one censored),
    # year 2 (abrogation, tied with the death), year 3 (abrogation).
    duration = np.array([1, 2, 2, 2, 3])
    cause = np.array([1, 2, 0, 1, 1])
    est = risks.aalen_johansen(duration, cause, 2)
    assert est["at_risk"].tolist() == [5, 4, 1, 0]
    # age 0: h1 = 1/5 -> S(1) = 4/5; age 1: h1 = h2 = 1/4 -> S(2) = 4/5 · 1/2 = 2/5;
    # age 2: h1 = 1 -> S(3) = 0.
    assert est["survival"] == pytest.approx([1, 0.8, 0.4, 0.0])
    assert est["cif"][0] == pytest.approx([0, 0.2, 0.2 + 0.8 / 4, 0.4 + 0.4])
    assert est["cif"][1] == pytest.approx([0, 0, 0.2, 0.2])
    # 1 − KM: abrogation 1 − (4/5)(3/4)(0) = 1; state death 1 − (1)(3/4)(1) = 1/4
    assert est["one_minus_km"][0] == pytest.approx([0, 0.2, 0.4, 1.0])
    assert est["one_minus_km"][1] == pytest.approx([0, 0, 0.25, 0.25])


@given(spell_sets, st.lists(st.integers(0, 3), min_size=60, max_size=60))
@settings(max_examples=100, deadline=None)
def test_property_integer_weights_equal_repeated_spells(pairs, counts):
    duration, cause = (np.array(v) for v in zip(*pairs, strict=True))
    w = np.array(counts[: len(duration)], dtype=float)
    if w.sum() == 0:
        w[0] = 1.0
    weighted = risks.aalen_johansen(duration, cause, 2, w)
    repeated = risks.aalen_johansen(np.repeat(duration, w.astype(int)),
                                    np.repeat(cause, w.astype(int)), 2)
    n = len(repeated["cif"][0])  # the weighted horizon may run past the last kept spell
    assert weighted["cif"][:, :n] == pytest.approx(repeated["cif"], abs=1e-12)
    assert weighted["survival"][:n] == pytest.approx(repeated["survival"], abs=1e-12)


def _spells(duration, ending, event):
    return pd.DataFrame({"duration": duration, "ending": ending, "event": event})


def test_bootstrap_resamples_an_ending_event_as_one_cluster():
    """40 of 200 spells abrogated in year 3: as one multilateral event the CIF's interval is
    far wider than as 40 separate events; a fixed seed repeats the interval exactly."""
    rng = np.random.default_rng(0)
    duration = np.concatenate([np.full(40, 3), rng.integers(1, 10, 160)])
    ending = np.array(["abrogation"] * 40 + ["censored"] * 100 + ["abrogation"] * 60)
    separate = np.where(ending == "abrogation", np.arange(200), -1)
    one = separate.copy()
    one[:40] = 0
    wide = risks.bootstrap_cif(_spells(duration, ending, one), (5,), reps=200)
    narrow = risks.bootstrap_cif(_spells(duration, ending, separate), (5,), reps=200)
    width = {k: float(np.diff(v[0, 0])[0]) for k, v in (("one", wide), ("sep", narrow))}
    assert width["one"] > 1.5 * width["sep"]
    again = risks.bootstrap_cif(_spells(duration, ending, one), (5,), reps=200)
    assert np.array_equal(wide, again)
    point = risks.aalen_johansen(duration, np.where(ending == "abrogation", 1, 0), 2)
    assert narrow[0, 0, 0] < point["cif"][0, 5] < narrow[0, 0, 1]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="durations"):
        risks.aalen_johansen(np.array([0, 2]), np.array([1, 0]), 2)
    with pytest.raises(ValueError, match="causes"):
        risks.aalen_johansen(np.array([1, 2]), np.array([3, 0]), 2)


def test_one_minus_km_equals_the_dyad_year_kaplan_meier():
    """Two routes to the same estimate: spells → Aalen–Johansen's 1 − KM, and spells →
    dyad-years → :class:`models.KaplanMeier` → P(abrogated within t years)."""
    rng = np.random.default_rng(0)
    n = 400
    duration = rng.integers(1, 30, n)
    ending = rng.choice(["abrogation", "state_death", "censored"], n, p=[0.5, 0.2, 0.3])
    start = rng.integers(1900, 1950, n)
    spells = pd.DataFrame({"spell": np.arange(n), "ccode1": 2, "ccode2": 20, "start": start,
                           "end": start + duration - 1, "duration": duration,
                           "ending": ending, "event": np.arange(n)})
    rows = sp.spell_years(spells)
    km = mdl.KaplanMeier(pool_from=100).fit(rows)
    got = {r["age"]: r for r in risks.cumulative_incidence(spells, (1, 5, 10, 20))}
    for t in (1, 5, 10, 20):
        p = mdl.ending_within(km, pd.DataFrame({"age": [0]}), t)[0]
        assert got[t]["one_minus_km_abrogation"] == pytest.approx(p, abs=1e-12)
    # in the first year no one has died yet: equal; later the CIF is strictly below
    assert got[1]["cif_abrogation"] == pytest.approx(got[1]["one_minus_km_abrogation"])
    assert all(got[t]["cif_abrogation"] < got[t]["one_minus_km_abrogation"] - 1e-3
               for t in (5, 10, 20))


def test_real_spells_and_cause_specific_models(survival_env):
    data, _ = survival_env
    rows = {r["age"]: r for r in risks.cumulative_incidence(data.spells)}
    for r in rows.values():
        assert r["cif_abrogation"] + r["cif_state_death"] + r["survival"] == pytest.approx(1)
    # state deaths happen: censoring them overstates both causes by 50 years
    assert rows[50]["cif_abrogation"] < rows[50]["one_minus_km_abrogation"]
    assert rows[50]["cif_state_death"] < rows[50]["one_minus_km_state_death"]
    doc = risks.cause_specific(data.table, ["un_agree", "igos", "joint_dem"])
    assert doc["causes"]["state_death"]["events"] == 213
    assert doc["causes"]["abrogation"]["events"] == 1303
    by = {r["covariate"]: r for r in doc["covariates"]}
    assert not by["un_agree"]["estimable"]  # UN votes exist from 1946: 2 death events
    assert by["igos"]["estimable"] and by["igos"]["state_death_events_observed"] >= 10
    assert "joint_dem = 1" in by["joint_dem"]["note"]
    for r in by.values():
        lo, hi = r["state_death_ci"]
        assert lo <= r["state_death"] <= hi


def test_cli_risks_json_and_bad_age(survival_env):
    runner = CliRunner()
    res = runner.invoke(app, ["survival", "risks", "--no-models", "--age", "5",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [r["age"] for r in doc["cif"]] == [5] and "cause_specific" not in doc
    lo, hi = doc["cif"][0]["cif_abrogation_ci"]
    assert lo < doc["cif"][0]["cif_abrogation"] < hi and doc["bootstrap_reps"] == 300
    assert doc["ended"]["abrogation"] + doc["ended"]["state_death"] + doc["censored"] == (
        doc["spells"])
    bad = runner.invoke(app, ["survival", "risks", "--age", "0"])
    assert bad.exit_code == 2 and "--age" in bad.output
