"""Monte Carlo forecasts: engines agree, the JSON extends the contract, runs reproduce."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from realpolitik.analysis.uncertainty.montecarlo import (
    NamedRange,
    distribution,
    evaluate,
    forecast_draws,
    parse_range,
)
from realpolitik.analysis.uncertainty.sampling import inputs, uniforms, with_default_uncertainty
from realpolitik.cli import app
from realpolitik.forecast import forecast
from realpolitik.scenario import ScenarioError
from realpolitik.scenario.io import load

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def korea():
    return with_default_uncertainty(load(EXAMPLES / "korea-2006.yaml"))


@pytest.mark.parametrize("model", ["compromise", "median", "mean", "status-quo", "eum"])
def test_batched_engine_equals_the_model_run_draw_by_draw(korea, model):
    spec = inputs(korea)
    v = spec.ppf(uniforms(spec.names, 11, 0, 24))
    fast = evaluate(spec, v, model, {}, engine="batched")
    slow = evaluate(spec, v, model, {}, engine="per-draw")
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-9, equal_nan=True)


def test_json_extends_the_forecast_contract(korea):
    mc = forecast_draws(
        korea,
        ["compromise", "eum"],
        seed=5,
        draws=300,
        chunk_size=100,
        ranges=[parse_range("below 50=..50")],
    )
    doc = mc.to_dict()
    base = forecast(korea, ["compromise", "eum"], seed=5).to_dict()
    assert set(base) <= set(doc) and doc["draws"]["n"] == 300
    for k in ("schema", "engine", "scenario", "seed", "models"):
        assert doc[k] == base[k]
    for row, brow in zip(doc["forecasts"], base["forecasts"], strict=True):
        assert set(brow) <= set(row)
        d = row["distribution"]
        assert row["outcome"] == d["median"] and d["point"] == brow["outcome"]
        assert d["p2_5"] <= d["p10"] <= d["median"] <= d["p90"] <= d["p97_5"]
        assert sum(d["histogram"]["counts"]) == d["n"] == 300
        draws = mc.outcomes[row["model"]][:, korea.issue_ids.index(row["issue"])]
        assert d["probabilities"]["below 50"] == pytest.approx(np.mean(draws < 50))


def test_same_seed_same_bytes_other_seed_other_numbers(korea):
    def js(seed):
        return json.dumps(
            forecast_draws(korea, ["median"], seed=seed, draws=250, chunk_size=100).to_dict()
        )

    assert js(1) == js(1)
    assert js(1) != js(2)


def test_no_uncertainty_means_every_draw_is_the_point_forecast():
    sc = load(EXAMPLES / "emission-1994.yaml")
    mc = forecast_draws(sc, ["compromise"], seed=1, draws=50)
    assert np.all(mc.outcomes["compromise"] == mc.base.outcome("compromise", sc.issue_ids[0]))


def test_serial_equals_process_pool(korea):
    kw = dict(seed=3, draws=400, chunk_size=100)
    serial = forecast_draws(korea, ["compromise", "median"], **kw).to_dict()
    pool = forecast_draws(korea, ["compromise", "median"], workers=2, **kw).to_dict()
    assert json.dumps(serial) == json.dumps(pool)


def _alarm(seconds):
    def boom(*_):
        raise TimeoutError(f"dask test took over {seconds} s")

    signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)


def test_serial_equals_two_worker_local_dask_cluster(korea):
    distributed = pytest.importorskip("distributed")
    _alarm(60)
    try:
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            kw = dict(seed=4, draws=300, chunk_size=100)
            dist = forecast_draws(korea, ["eum"], scheduler=cluster.scheduler_address, **kw)
            serial = forecast_draws(korea, ["eum"], **kw)
    finally:
        signal.alarm(0)
    assert json.dumps(dist.to_dict()) == json.dumps(serial.to_dict())


def test_cli_forecast_draws_json_is_reproducible_and_pool_equals_serial():
    runner = CliRunner()
    args = [
        "forecast",
        str(EXAMPLES / "korea-2006.yaml"),
        "-m",
        "compromise",
        "-m",
        "eum",
        "--draws",
        "200",
        "--seed",
        "1",
        "--format",
        "json",
        "--range",
        "below 50=..50",
        "--no-rounds",
    ]
    a = runner.invoke(app, args)
    assert a.exit_code == 0, a.output
    b = runner.invoke(app, [*args, "--workers", "2"])
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    assert doc["draws"]["n"] == 200 and doc["draws"]["uncertainty"]["position"] == 10
    assert all("below 50" in r["distribution"]["probabilities"] for r in doc["forecasts"])


def test_cli_bad_range_is_a_user_error():
    r = CliRunner().invoke(
        app,
        ["forecast", str(EXAMPLES / "emission-1994.yaml"), "--draws", "10", "--range", "nonsense"],
    )
    assert r.exit_code == 2 and "LABEL=LOW..HIGH" in r.output


def test_parse_range_forms():
    assert parse_range("above 60=60..") == NamedRange("above 60", 60.0)
    assert parse_range("a:mid=1..2", ["a"]) == NamedRange("mid", 1.0, 2.0, "a")
    assert parse_range("b:mid=1..2", ["a"]).label == "b:mid"
    with pytest.raises(ScenarioError):
        parse_range("x=1-2")


@settings(max_examples=50, deadline=None)
@given(v=st.lists(st.floats(-50, 150), min_size=1, max_size=60), cut=st.floats(0, 100))
def test_property_distribution_is_consistent(v, cut):
    d = distribution(np.array(v), 0, 100, [NamedRange("lo", high=cut), NamedRange("hi", cut)])
    assert d["p2_5"] <= d["p10"] <= d["median"] <= d["p90"] <= d["p97_5"]
    assert sum(d["histogram"]["counts"]) == len(v)
    assert d["probabilities"]["lo"] + d["probabilities"]["hi"] == pytest.approx(1.0)
    assert distribution(np.array([np.nan]), 0, 1) is None
