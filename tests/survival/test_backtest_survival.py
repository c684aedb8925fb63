"""`realpolitik backtest --survival`: the survival validation table beside the bargaining
leaderboard, its JSON key, and its disk cache — a reduced run (one cut, few replicates)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from realpolitik.analysis.alliance.survival import fits
from realpolitik.analysis.alliance.survival import validate as val
from realpolitik.backtest import survival as bs
from realpolitik.cli import app

ARGS = ["backtest", "korea-2003", "-m", "compromise", "-m", "mean", "--boot", "100",
        "--survival", "--survival-cut", "2000", "--survival-reps", "5",
        "--survival-model", "km", "--survival-model", "controls"]


@pytest.fixture(scope="module")
def doc(survival_env):
    res = CliRunner().invoke(app, [*ARGS, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_json_adds_the_survival_key_and_keeps_the_leaderboard(doc, survival_env):
    data, _ = survival_env
    plain = CliRunner().invoke(app, [*ARGS[:8], "--format", "json"])
    base = json.loads(plain.stdout)
    assert "survival" not in base and set(doc) == set(base) | {"survival"}
    assert doc["leaderboard"] == base["leaderboard"]
    got = doc["survival"]
    want = val.validate(data, (2000,), ("km", "controls"), 5, 0).to_json()
    assert got["cuts"] == [2000] and got["bootstrap_reps"] == 5 and got["seed"] == 0
    assert got["independent_events"] == want["independent_events"] >= 1
    assert [r["model"] for r in got["models"]] == ["km", "controls"]
    for g, w in zip(got["models"], want["models"], strict=True):
        for key in ("c_index", "auc", "brier"):
            assert g[key] == pytest.approx(w[key])
            assert g[f"{key}_ci"] == pytest.approx(w[f"{key}_ci"])
    assert got["models"][1]["brier_vs_km"] == pytest.approx(want["models"][1]["brier_vs_km"])


def test_the_result_is_cached_on_disk_under_the_table_fingerprint(doc, survival_env,
                                                                  monkeypatch):
    data, cache = survival_env
    name = bs.cache_name((2000,), ("km", "controls"), 5, 0)
    assert (cache / f"survival-{name}-{fits.fingerprint(data)}.pkl").exists()
    fits.clear_memory()  # the next call must come from the disk, not recompute

    def refuse(*args, **kwargs):
        raise AssertionError("validated again instead of reading the cache")

    monkeypatch.setattr(val, "validate", refuse)
    assert bs.benchmark(data, (2000,), ("km", "controls"), 5, 0) == doc["survival"]
    with pytest.raises(AssertionError):  # another seed is another key
        bs.benchmark(data, (2000,), ("km", "controls"), 5, 1)


def test_table_has_its_own_caption_and_bad_options_are_located(doc):
    runner = CliRunner()
    res = runner.invoke(app, ARGS)
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "Leaderboard" in text and "Alliance survival (ATOP)" in text
    assert f"{doc['survival']['independent_events']} independent events" in text
    late = runner.invoke(app, [*ARGS[:8], "--survival", "--survival-cut", "2016"])
    assert late.exit_code == 2 and "--survival-cut" in late.output
    bad = runner.invoke(app, [*ARGS[:8], "--survival", "--survival-model", "nope"])
    assert bad.exit_code == 2 and "--survival-model" in bad.output


def test_missing_data_is_a_located_error(tmp_path, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_DATA", str(tmp_path))
    res = CliRunner().invoke(app, [*ARGS[:8], "--survival"])
    assert res.exit_code == 2 and "--survival" in res.output and ".rda" in res.output
