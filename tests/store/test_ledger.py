"""Forecast ledger: seal → tamper → verify fails loudly; resolve → score; pundit forecasts."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import sys

import numpy as np
import pytest
import yaml
from sqlalchemy import text
from typer.testing import CliRunner

from realpolitik.backtest import shipped
from realpolitik.cli import app
from realpolitik.forecast import forecast
from realpolitik.store import Store, canonical_json
from realpolitik.store import ledger as L

from shared_data import shared


@pytest.fixture
def sealed(store):
    """The emission and Korea 2003 compromise forecasts and the two pundit forecasts, sealed."""
    runs = {}
    for name in ("emission-1994", "korea-2003"):
        rid = store.save_forecast(forecast(shipped(name)[0].scenario, ["compromise"], seed=1))
        runs[name] = rid
        L.seal_run(store, rid)
    L.seal_pundits(store)
    return runs


def _tamper(store, sql, **params):
    """Raw SQL behind the ledger's back, as someone with database access could."""
    with store.engine.begin() as c:
        c.execute(text(sql), params)


def test_intact_chain_verifies(store, sealed):
    v = L.verify(store)
    assert v.ok and v.problems == []
    assert v.n == 1 + 3 + 2
    assert v.head == L.entries(store)[-1].entry_hash


def test_changed_record_is_detected_and_named(store, sealed):
    _tamper(
        store,
        "UPDATE ledger SET record = replace(record, '87.5', '50.0') "
        "WHERE forecaster LIKE 'pundit%2003%'",
    )
    v = L.verify(store)
    assert not v.ok
    assert len(v.problems) == 1
    assert "entry 5" in v.problems[0] and "korea-2003:usfk_posture" in v.problems[0]
    assert "pundit: op-ed 2003" in v.problems[0] and "record was changed" in v.problems[0]


def test_resealed_record_breaks_the_chain(store, sealed):
    e = L.entries(store)[0]
    rec = json.loads(e.record)
    rec["value"] = 8.833  # pretend the model had it right, and recompute the record's seal
    forged = canonical_json(rec)
    h = hashlib.sha256(forged.encode()).hexdigest()
    with store.engine.begin() as c:
        c.execute(
            text("UPDATE ledger SET record = :r, record_hash = :h WHERE seq = 1"),
            {"r": forged, "h": h},
        )
    v = L.verify(store)
    assert not v.ok
    assert any("entry 1" in p and "chain hash" in p for p in v.problems)


def test_deleted_entry_and_edited_column_are_detected(store, sealed):
    _tamper(store, "DELETE FROM ledger WHERE seq = 2")
    _tamper(store, "UPDATE ledger SET forecaster = 'someone else' WHERE seq = 3")
    v = L.verify(store)
    assert any("entry 3" in p and "previous entry" in p for p in v.problems)
    assert any("entry 3" in p and "column forecaster" in p for p in v.problems)
    assert any("sequence gap" in p for p in v.problems)


def test_cli_verify_fails_loudly(db_url, store, sealed):
    runner = CliRunner()
    ok = runner.invoke(app, ["ledger", "verify", "--db", db_url])
    assert ok.exit_code == 0, ok.output
    assert "ledger intact: 6 entries" in ok.output
    _tamper(
        store,
        "UPDATE ledger SET record = replace(record, :a, :b) WHERE seq = 2",
        a='"seed":1',
        b='"seed":2',
    )
    bad = runner.invoke(app, ["ledger", "verify", "--db", db_url])
    assert bad.exit_code == 1
    assert "LEDGER TAMPERED" in bad.output
    assert "entry 2 (forecast 'korea-2003:nk_policy', compromise)" in bad.output


def test_resolve_then_score(store, sealed):
    L.resolve_case(store, shipped("emission-1994")[0].scenario)
    L.resolve_case(store, shipped("korea-2003")[0].scenario)
    s = L.score(store).set_index("forecaster")
    # the emission case: compromise 7.390 vs 8.833 on a [4, 10] scale = 24.05 points
    em = s[s["question"] == "emission-1994:emission_standards"].loc["compromise"]
    assert em["abs_error"] == pytest.approx(100 * abs(7.390 - 8.833) / 6, abs=0.01)
    assert em["crps"] == pytest.approx(em["abs_error"])  # a point forecast's CRPS = its error
    assert bool(em["hindsight"])  # the scenario itself records the outcome: a backtest
    p = s.loc["pundit: op-ed 2003 (beyond repair)"]
    # uniform on [75, 100], outcome 50: |50 - 87.5| = 37.5, CRPS = 37.5 - 25/6
    assert (p["value"], p["abs_error"], p["interval_hit"]) == (87.5, 37.5, False)
    assert p["crps"] == pytest.approx(37.5 - 25 / 6)
    assert not bool(p["hindsight"])
    # the 2006 pundit forecast is unresolved until its question is
    assert "pundit: op-ed 2006 (will hold)" not in s.index
    L.resolve(store, "korea-2006:usfk_posture", 50, "2018-06-29", "humphreys-2018")
    s2 = L.score(store).set_index("forecaster").loc["pundit: op-ed 2006 (will hold)"]
    # uniform on [0, 50], outcome 50 (inside): E|X - 50| = 25, CRPS = 25 - 50/6
    assert (s2["abs_error"], s2["interval_hit"]) == (25.0, True)
    assert s2["crps"] == pytest.approx(25 - 50 / 6)
    summary = L.summarise(L.score(store)).set_index("forecaster")
    assert summary.loc["compromise", "n"] == 4
    assert summary.loc["pundit: op-ed 2006 (will hold)", "hit_rate"] == 1.0
    assert L.verify(store).ok  # resolutions are sealed in the same chain


def test_a_later_resolution_supersedes(store, sealed):
    L.resolve(store, "korea-2003:usfk_posture", 100)
    L.resolve(store, "korea-2003:usfk_posture", 50)
    s = L.score(store)
    assert set(s["outcome"]) == {50.0}


def _bernoulli(question, forecaster, p):
    return {"type": "forecast", "question": question, "forecaster": forecaster,
            "forecaster_kind": "model", "value": p, "interval": None,
            "distribution": "bernoulli", "scale": [0.0, 1.0], "made": "2003-01"}


def test_probability_forecasts_are_scored_by_brier_and_sealed_once(store, sealed):
    records = [_bernoulli("war:yes", "a", 0.3), _bernoulli("war:yes", "b", 0.8),
               {"type": "resolution", "question": "war:yes", "value": 1.0, "date": None,
                "source": "history", "note": None}]
    seqs, skipped = L.seal_new(store, records)
    assert (seqs, skipped) == ([7, 8, 9], 0)
    # again, and with a re-computed forecast of "a": nothing new, the sealed forecast stands
    again = [_bernoulli("war:yes", "a", 0.31), *records[1:]]
    assert L.seal_new(store, again) == ([], 3)
    L.resolve_case(store, shipped("emission-1994")[0].scenario)
    s = L.score(store).set_index("forecaster")
    a, b = s.loc["a"], s.loc["b"]
    assert a["brier"] == pytest.approx(0.49) and b["brier"] == pytest.approx(0.04)
    assert a["crps"] == pytest.approx(100 * 0.49)  # Bernoulli CRPS = Brier, on 0–100
    assert a["abs_error"] == pytest.approx(70.0) and a["interval_hit"] is None
    assert np.isnan(s.loc["compromise", "brier"])  # not a probability forecast
    summary = L.summarise(L.score(store)).set_index("forecaster")
    assert summary.loc["b", "brier"] == pytest.approx(0.04)
    assert np.isnan(summary.loc["compromise", "brier"])
    # a different outcome is a new resolution, and supersedes
    assert len(L.seal_new(store, [{**records[2], "value": 0.0}])[0]) == 1
    assert L.score(store).set_index("forecaster").loc["b", "brier"] == pytest.approx(0.64)
    assert L.verify(store).ok


def test_cli_resolve_and_score(db_url, store, sealed):
    runner = CliRunner()
    r = runner.invoke(
        app,
        [
            "ledger",
            "resolve",
            "korea-2003:usfk_posture",
            "--outcome",
            "50",
            "--date",
            "2018-06-29",
            "--source",
            "humphreys-2018",
            "--db",
            db_url,
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ledger", "score", "--by", "entry", "--format", "json", "--db", db_url])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert {x["forecaster"] for x in rows} == {"compromise", "pundit: op-ed 2003 (beyond repair)"}
    r = runner.invoke(app, ["ledger", "resolve", "--db", db_url])
    assert r.exit_code == 2


def test_pundit_quotes_are_verbatim():
    doc = yaml.safe_load(
        (L.resources.files("realpolitik.store") / L.PUNDITS).read_text(encoding="utf-8")
    )
    seeds = {p.name: p.read_text(encoding="utf-8") for p in shared("seeds").iterdir()}
    for f in doc["forecasts"]:
        assert f["verbal"] in seeds[f["source"].rsplit("/", 1)[-1]], f["forecaster"]
        lo, hi = f["range"]
        case = shipped(f["question"].split(":")[0])[0].scenario
        issue = case.issue(f["question"].split(":")[1])
        assert issue.low <= lo < hi <= issue.high
        assert str(int(lo)) in issue.anchors and str(int(hi)) in issue.anchors


def _seal_many(url: str, tag: str, n: int, barrier) -> None:
    s = Store(url)
    barrier.wait()
    for k in range(n):
        L.seal(
            s,
            {
                "type": "forecast",
                "question": f"q{k}",
                "forecaster": tag,
                "value": k,
                "scale": [0, 100],
            },
        )
    s.close()


def test_concurrent_seals_keep_one_chain(db_url):
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    barrier, n = ctx.Barrier(2), 25
    Store(db_url).close()
    procs = [ctx.Process(target=_seal_many, args=(db_url, t, n, barrier)) for t in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with Store(db_url) as s:
        v = L.verify(s)
        assert v.ok, v.problems
        assert v.n == 2 * n
        assert sorted(e.forecaster for e in L.entries(s)) == ["a"] * n + ["b"] * n


def test_monte_carlo_run_is_sealed_with_its_distribution(store):
    from realpolitik.analysis.uncertainty.montecarlo import forecast_draws
    from realpolitik.backtest.metrics import crps_samples

    sc = shipped("korea-2003")[0].scenario
    mc = forecast_draws(sc, ["compromise"], seed=2, draws=300)
    rid = store.save_montecarlo(mc)
    assert store.run(rid).kind == "montecarlo"
    L.seal_run(store, rid)
    L.resolve_case(store, sc)
    rec = json.loads(L.entries(store)[0].record)
    draws = mc.outcomes["compromise"][:, 0]
    assert rec["interval"] == pytest.approx(list(np.quantile(draws, [0.1, 0.9])))
    assert rec["samples"] == pytest.approx(list(np.quantile(draws, np.arange(1, 100) / 100)))
    row = L.score(store).iloc[0]
    assert row["crps"] == pytest.approx(float(crps_samples(np.array(rec["samples"]), 35.0)))
    # 99 percentiles stand in for the draws: the CRPS is close to that of all 300
    assert row["crps"] == pytest.approx(float(crps_samples(draws, 35.0)), abs=0.1)
