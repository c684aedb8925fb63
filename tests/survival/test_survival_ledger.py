"""`realpolitik survival ledger`: the op-eds, the model and the base rate sealed, resolved from
ATOP and scored by Brier — on the real data, in a fresh SQLite ledger."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from realpolitik.analysis.alliance.survival import forecast as fc
from realpolitik.analysis.alliance.survival import models as mdl
from realpolitik.analysis.alliance.survival import questions as qs
from realpolitik.analysis.alliance.survival.opeds import OPEDS
from realpolitik.cli import app
from realpolitik.store import Store
from realpolitik.store import ledger as L


@pytest.fixture(scope="module")
def run(survival_env, tmp_path_factory):
    """The command run twice on one ledger: (data, db URL, first output, second output)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ledger') / 'ledger.db'}"
    runner = CliRunner()
    docs = []
    for _ in range(2):
        res = runner.invoke(app, ["survival", "ledger", "--db", url, "--format", "json"])
        assert res.exit_code == 0, res.output
        docs.append(json.loads(res.stdout))
    return survival_env[0], url, docs[0], docs[1]


def _spell_end(data, year):
    """The U.S.–ROK spell alive in ``year``, read from the spells table itself."""
    s = data.spells
    row = s[(s["ccode1"] == 2) & (s["ccode2"] == 732) & (s["start"] <= year)
            & (s["end"] >= year)]
    assert len(row) == 1
    return int(row["end"].iloc[0]), str(row["ending"].iloc[0])


def test_questions_resolve_from_atop_as_not_ended(run):
    data, _, doc, _ = run
    res = {r["question"]: r for r in doc["records"] if r["type"] == "resolution"}
    assert set(res) == {qs.question(o.year) for o in OPEDS}
    for o in OPEDS:
        end, ending = _spell_end(data, o.year)
        ended = ending == "abrogation" and end <= o.year + 4
        assert not ended and end > o.year + 4  # still allied after both windows
        r = res[qs.question(o.year)]
        assert r["value"] == 0.0 and "ATOP" in r["source"]
        assert r["date"] == f"{o.year + 4}-12-31"


def test_op_eds_brier_follows_from_their_probability_and_the_outcome(run):
    _, _, doc, _ = run
    rows = {(r["question"], r["forecaster"]): r for r in doc["scores"]}
    got = {}
    for o in OPEDS:
        r = rows[qs.question(o.year), o.forecaster]
        assert r["value"] == o.p_end_5y and r["outcome"] == 0.0
        assert r["brier"] == pytest.approx((o.p_end_5y - 0.0) ** 2)
        assert r["crps"] == pytest.approx(100 * r["brier"])
        assert not r["hindsight"]
        got[o.year] = r["brier"]
    assert got == pytest.approx({2003: 0.81, 2006: 0.01})
    # the model's and the base rate's forecasts are scored on the same questions, as backtests
    for who in (qs.forecaster("cox"), qs.forecaster(qs.BASE_RATE)):
        for o in OPEDS:
            r = rows[qs.question(o.year), who]
            assert r["brier"] == pytest.approx(r["value"] ** 2) and r["hindsight"]


def test_model_record_was_fitted_only_on_earlier_years(run):
    data, _, doc, _ = run
    year = OPEDS[0].year
    rec = next(r for r in doc["records"] if r["type"] == "forecast"
               and r["question"] == qs.question(year) and r["forecaster"] == qs.forecaster("cox"))
    assert rec["fitted_through"] == year - 1 and rec["backtest"]
    # a fresh fit on the rows up to year − 1 (no cache, no warm start) gives the same number
    fresh = mdl.make("cox").fit(data.before(year))
    assert int(data.before(year)["year"].max()) == year - 1
    same = fc.forecast_year(data, "USA", "KOR", year, "cox", fresh)
    assert rec["value"] == pytest.approx(same["p_end_5y"], rel=1e-6)
    lo, hi = rec["p_interval_90"]
    assert lo < rec["value"] < hi


def test_second_run_seals_nothing_and_the_ledger_verifies(run):
    _, url, first, second = run
    assert len(first["sealed"]) == len(first["records"]) == 8 and first["already_sealed"] == 0
    assert second["sealed"] == [] and second["already_sealed"] == 8
    assert second["scores"] == first["scores"]
    with Store(url) as store:
        assert L.head(store)[1] == 8
    res = CliRunner().invoke(app, ["ledger", "verify", "--db", url])
    assert res.exit_code == 0 and "ledger intact: 8 entries" in res.output


def test_table_output_and_a_bad_model(run):
    _, url, _, _ = run
    runner = CliRunner()
    res = runner.invoke(app, ["survival", "ledger", "--db", url])
    assert res.exit_code == 0, res.output
    assert "sealed 0 new entries" in res.output and "0.810" in res.output
    bad = runner.invoke(app, ["survival", "ledger", "--db", url, "--model", "nope"])
    assert bad.exit_code == 2 and "--model" in bad.output


def test_missing_data_is_a_located_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    res = CliRunner().invoke(app, ["survival", "ledger", "--db", url, "--data",
                                   str(tmp_path / "none")])
    assert res.exit_code == 2 and "atop_alliance.rda" in res.output
