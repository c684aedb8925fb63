"""The survival pictures: their data (KM by type, hazard ratios, a dyad's yearly line with the
op-eds), the yearly-fit cache, and the charts in the report and on the web app's cohesion page."""

from __future__ import annotations

import dataclasses
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from realpolitik.analysis.alliance.survival import figures as fg
from realpolitik.analysis.alliance.survival import fits
from realpolitik.analysis.alliance.survival import forecast as fc
from realpolitik.analysis.alliance.survival import models as mdl
from realpolitik.report import charts_survival as cs
from realpolitik.report import render
from realpolitik.report.html import chart_specs


@pytest.fixture(scope="module")
def data(survival_env):
    return survival_env[0]


@pytest.fixture(scope="module")
def overview(data):
    return fg.overview(data)


@pytest.fixture(scope="module")
def line(data):
    return fg.dyad_line(data, "USA", "KOR", 2002, 2007)


def test_km_by_type_matches_a_count_from_the_spells(data, overview):
    rows = overview["km_by_type"]
    kinds = fg.alliance_type(data.spells)
    for name in fg.TYPES:
        curve = [r for r in rows if r["type"] == name]
        if not curve:
            continue
        surv = [r["survival"] for r in curve]
        assert surv[0] == 1.0 and all(np.diff(surv) <= 0)  # a survival curve never rises
        mine = data.spells[kinds == name]
        # S(1): share of the type's spells not abrogated in their first year, from the spells
        first_year = ((mine["duration"] == 1) & (mine["ending"] == "abrogation")).sum()
        assert curve[1]["survival"] == pytest.approx(1 - first_year / len(mine))
        assert curve[0]["spells"] == len(mine)
        assert all(r["at_risk"] >= fg.MIN_AT_RISK for r in curve[1:])


def test_forest_is_the_thesis_full_sample_fit(overview):
    rows = overview["forest"]
    assert [r["covariate"] for r in rows][:2] == ["un_agree", "un_kappa"]
    for r in rows:
        assert r["lo"] <= r["hr"] <= r["hi"]
    igos = next(r for r in rows if r["covariate"] == "igos")
    assert igos["hi"] < 1.0  # shared IGOs: the one covariate the docs call supported
    assert rows[0]["events"] == int(overview["forest"][0]["events"]) > rows[0]["clusters"]


def test_line_marks_the_op_eds_with_the_models_probability(data, line):
    years = [r["year"] for r in line["rows"]]
    assert years == list(range(2002, 2008))
    assert [m["year"] for m in line["marks"]] == [2003, 2006]
    by_year = {r["year"]: r for r in line["rows"]}
    for m in line["marks"]:
        assert m["p_model"] == by_year[m["year"]]["p_end_5y"]
        assert by_year[m["year"]]["ended_within_5y"] is False  # the alliance held
    assert line["marks"][0]["p_claim"] > 0.5 > line["marks"][1]["p_claim"]
    assert fg.dyad_line(data, "FRA", "DEU", 1990, 1992)["marks"] == []  # not the seeds' dyad


def test_late_years_are_not_separated_by_missing_indicators(data):
    # After 2011 the rivalry, dispute and IGO data stop: a fit must not read "missing" as
    # "never ends" (a −∞ coefficient would put the 5-year probability near 0 with a 0–1 band).
    row = fc.forecast_year(data, "USA", "KOR", 2018)
    lo, hi = row["interval_90"]
    assert 1e-4 < lo <= row["p_end_5y"] <= hi < 0.1


def test_yearly_fits_are_cached_and_equal_a_fresh_fit(data, survival_env):
    _, cache = survival_env
    got = fits.yearly_models(data, [2004, 2005])
    assert list(cache.glob("survival-fits-*-cox.pkl"))
    fresh = mdl.make("cox").fit(data.before(2005))
    rows = data.table[data.table["year"] == 2005]
    # warm-started from 2004 or not, the fitted probabilities agree far below print precision
    assert np.max(np.abs(mdl.ending_within(got[2005], rows)
                         - mdl.ending_within(fresh, rows))) < 1e-8
    fits.clear_memory()
    again = fits.yearly_models(data, [2005])[2005]  # from disk
    assert np.array_equal(again.params, got[2005].params)
    altered = dataclasses.replace(data, table=data.table.assign(
        event=np.where(data.table["year"] == 2000, 1, data.table["event"])))
    assert fits.fingerprint(altered) != fits.fingerprint(data)  # never meets the old fits


def test_charts_draw_every_part(overview, line):
    km = cs.km_by_type(overview["km_by_type"])
    forest = cs.forest(overview["forest"])
    ln = cs.dyad_line(line)
    text = json.dumps(ln)
    assert "2003 op-ed: will end" in text and "2006 op-ed: will hold" in text
    assert len(forest["datasets"][next(iter(forest["datasets"]))]) == 13
    assert "Kaplan" in json.dumps(km)
    assert cs.km_by_type([]) is None and cs.forest(None) is None and cs.dyad_line(None) is None


def test_report_panel_shows_the_pictures(overview, line, tmp_path):
    from realpolitik.report import from_forecast_json
    from realpolitik.scenario.io import load

    repo = Path(__file__).resolve().parents[2]
    sc = load(repo / "examples" / "korea-2006.yaml")
    from realpolitik.forecast import forecast

    rec = from_forecast_json(forecast(sc, ["compromise"]).to_dict(), None)
    rec["survival"] = {"dyad": ["USA", "KOR"], **overview, "line": line}
    specs = chart_specs(rec)
    assert all(specs[k] for k in ("chart-survival-km", "chart-survival-forest",
                                  "chart-survival-line"))
    html = render(rec)
    assert 'id="panel-survival"' in html and 'id="oped-table"' in html
    assert "beyond repair" in html and 'id="spec-chart-survival-line"' in html
    rec["survival"] = None
    assert "report --survival adds it" in render(rec)


def test_cohesion_page_survival_section(survival_env, tmp_path):
    from realpolitik.web import Settings, create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    data_dir = Path(str(survival_env[0].version["data_dir"]))
    settings = Settings(store_url=f"sqlite:///{tmp_path / 'runs.db'}", data_dir=data_dir,
                        report_draws=0, report_sobol=0)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        page = client.get("/cohesion?a=USA&b=KOR&start=2002&end=2007").text
        assert 'id="survival-link"' in page and "chart-survival-line" not in page
        page = client.get("/cohesion?a=USA&b=KOR&start=2002&end=2007&survival=1").text
        for k in ("spec-chart-survival-line", "spec-chart-survival-km",
                  "spec-chart-survival-forest", 'id="oped-table"'):
            assert k in page, k
        page = client.get("/cohesion?a=USA&b=KOR&start=1900&end=1910&survival=1").text
        assert 'id="survival-note"' in page and "no ATOP alliance" in page
