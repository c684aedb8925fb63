"""``forecast --draws`` without ``-m``: the point forecast's models (the strategic ones, whose
draws are batched, included) and every static model, each reproducible at seed 0."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from realpolitik.analysis.uncertainty.montecarlo import forecast_draws
from realpolitik.analysis.uncertainty.sampling import with_default_uncertainty
from realpolitik.cli import app
from realpolitik.forecast import default_draw_models, default_models
from realpolitik.scenario.io import load

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def korea():
    return with_default_uncertainty(load(EXAMPLES / "korea-2006.yaml"))


def test_default_draw_models_are_the_point_forecasts_after_every_static_one(korea):
    models, static = default_draw_models(korea), default_models(korea, dynamic=False)
    assert set(default_models(korea)) <= set(models) and {"eum", "exchange", "smp"} <= set(models)
    assert models[: len(static)] == static  # the static models keep their place: JSON additive
    assert len(set(models)) == len(models)
    no_sq = korea.replace(issues=[i.model_copy(update={"status_quo": None})
                                  for i in korea.issues])
    assert "nash" not in default_draw_models(no_sq)  # needs a status quo, as in the point run


def test_cli_default_draws_cover_the_strategic_models_reproducibly():
    args = ["forecast", str(EXAMPLES / "korea-2006.yaml"), "--draws", "100", "--seed", "0",
            "-f", "json", "--no-rounds"]
    a, b = (CliRunner().invoke(app, args) for _ in range(2))
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout  # same seed, same bytes
    doc = json.loads(a.stdout)
    sc = load(EXAMPLES / "korea-2006.yaml")
    assert [m["model"] for m in doc["models"]] == default_draw_models(sc)
    assert set(doc["draws"]["engines"]) == set(default_draw_models(sc))
    rows = {(r["model"], r["issue"]): r for r in doc["forecasts"]}
    for m in ("eum", "exchange", "smp"):
        for issue in sc.issue_ids:
            d = rows[(m, issue)]["distribution"]
            assert d is not None and d["n"] == 100 and d["p2_5"] <= d["median"] <= d["p97_5"]
    # -m keeps its meaning: only the named model
    one = CliRunner().invoke(app, [*args[:2], "-m", "smp", *args[2:]])
    assert {r["model"] for r in json.loads(one.stdout)["forecasts"]} == {"smp"}


def test_each_models_median_is_its_own_run_at_seed_0(korea):
    # a model's draws depend on the seed and the chunk size only, not on which other models
    # run: each median of the default run is that of the model run alone
    mc = forecast_draws(korea, None, seed=0, draws=100)
    for m in default_draw_models(korea):
        alone = forecast_draws(korea, [m], seed=0, draws=100, chunk_size=mc.chunk_size)
        np.testing.assert_array_equal(alone.outcomes[m], mc.outcomes[m], err_msg=m)
        for issue in korea.issue_ids:
            assert alone.distribution(m, issue) == mc.distribution(m, issue)


def test_progress_is_reported_chunk_by_chunk_and_changes_no_number() -> None:
    """``on_progress`` hears (done, total) at the start and after every chunk — what the web
    app's progress bar shows — and the draws are those of a run without it."""
    sc = load(EXAMPLES / "korea-2006.yaml").replace(uncertainty={"position": 10})
    heard: list[tuple[int, int]] = []
    kw = {"seed": 0, "draws": 250, "chunk_size": 100}
    a = forecast_draws(sc, ["compromise", "median"], on_progress=lambda d, t: heard.append((d, t)),
                       **kw)
    b = forecast_draws(sc, ["compromise", "median"], **kw)
    assert heard == [(k, 6) for k in range(7)]  # 2 models × 3 chunks (100, 100, 50)
    for m in ("compromise", "median"):
        assert np.array_equal(a.outcomes[m], b.outcomes[m])
