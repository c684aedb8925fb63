"""The HTML report: a pure function of its record, self-contained, every panel present."""

from __future__ import annotations

import copy
import json
import re

import pytest

from realpolitik.forecast import forecast
from realpolitik.report import PANELS, collect, from_forecast_json, render
from realpolitik.report.html import chart_specs, json_for_script
from realpolitik.scenario import Actor, Issue, Scenario, Stance


def toy(position_b: float = 100.0) -> Scenario:
    return Scenario(
        name="toy", date="2001", salience_scale=1, uncertainty={"position": 10},
        actors=[Actor(id="A", capability=3, groups=("pact",), country="USA"),
                Actor(id="B", capability=1, groups=("pact",), country="KOR")],
        issues=[Issue(id="x", status_quo=50, tags=("security",))],
        stances=[Stance(actor="A", issue="x", position=0, salience=1,
                        provenance={"position": {"quote": "we <won't> budge & that's \"it\""}}),
                 Stance(actor="B", issue="x", position=position_b, salience=0.5)])


def test_same_record_same_bytes(korea_record, korea_html):
    html = korea_html
    assert render(korea_record) == html
    # a record saved as JSON and read back rebuilds the very same file
    assert render(json.loads(json.dumps(korea_record))) == html
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", html)  # no timestamp slipped in


def test_same_inputs_same_record(tmp_path):
    a = collect(toy(), seed=3, draws=50, sobol_samples=0, data_dir=tmp_path)
    b = collect(toy(), seed=3, draws=50, sobol_samples=0, data_dir=tmp_path)
    assert a == b and render(a) == render(b)
    c = collect(toy(position_b=80), seed=3, draws=50, sobol_samples=0, data_dir=tmp_path)
    assert render(c) != render(a)


def test_self_contained(korea_record, korea_html):
    html = korea_html
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=", markup)
    assert not re.search(r"<link[^>]*href=", markup)
    assert "vegaEmbed" in html and "vegaLite" in html  # the libraries are inlined
    assert html.count("<script") == html.count("</script>")
    assert "BSD-3-Clause" in html  # their licence notice travels with them


def test_every_panel_is_present(korea_record, korea_html):
    html = korea_html
    for pid, heading in PANELS:
        assert f'id="panel-{pid}"' in html, pid
        assert heading.split(":")[0] in html
    specs = chart_specs(korea_record)
    expected = ["chart-actor-map", "chart-trajectories", "chart-intervals", "chart-histograms",
                "chart-tornado", "chart-sobol", "chart-comparison", "chart-cohesion-rounds",
                "chart-cohesion-components"]
    assert [k for k in expected if specs[k] is None] == []
    for k in expected:
        assert f'id="{k}"' in html and f'id="spec-{k}"' in html
    if korea_record["cohesion"]["data"] is None:  # the shared data are optional
        assert any("data-based cohesion" in n for n in korea_record["notes"])
    else:
        assert korea_record["cohesion"]["data"]["dyad"] == ["USA", "KOR"]
        assert specs["chart-cohesion-data"] is not None


def test_scenario_table_carries_provenance(korea_record, korea_html):
    html = korea_html
    # the U.S. capability's quote and the ROK position's note are in hover titles
    assert re.search(r'title="source: Op-ed[^"]*honest broker', html)
    assert "Seoul prefers engagement" in html
    assert html.count('class="num prov"') >= 20


def test_values_are_escaped():
    rec = collect(toy(), seed=1, draws=0, sensitivity_model=None, dynamic_model=None)
    html = render(rec)
    assert "we &lt;won&#39;t&gt; budge &amp; that&#39;s &#34;it&#34;" in html
    assert "<won't>" not in html
    assert json_for_script({"a": "</script><!--"}) == '{"a":"\\u003c/script\\u003e\\u003c!--"}'


def test_record_contents_follow_the_analyses(korea_record, korea):
    fc = korea_record["forecast"]
    models = [m["model"] for m in fc["models"]]
    assert models[0] == "compromise" and "eum" in models
    point = {(r["model"], r["issue"]): r["outcome"] for r in fc["forecasts"]}
    rows = korea_record["distributions"]["rows"]
    assert {r["model"] for r in rows} >= {"compromise", "eum"}
    for r in rows:
        assert r["point"] == point[(r["model"], r["issue"])]
        assert 0 <= r["p2_5"] <= r["p10"] <= r["median"] <= r["p90"] <= r["p97_5"] <= 100
    tornado = korea_record["sensitivity"]["tornado"]
    assert {t["issue"] for t in tornado} == set(korea.issue_ids)
    strains = {s["alliance"]: s for s in korea_record["cohesion"]["scenario"]}
    assert set(strains) == {"US-ROK alliance", "US-Japan alliance"}
    assert strains["US-ROK alliance"]["dynamics"]["model"] == "eum"


def test_missing_analyses_become_notes():
    rec = collect(toy(), seed=1, draws=0, sensitivity_model=None, dynamic_model=None,
                  data_dir="/nonexistent")
    assert rec["distributions"] is None and rec["sensitivity"] is None
    assert any("data-based cohesion USA–KOR" in n for n in rec["notes"])
    html = render(rec)
    assert "No outcome distributions in this record" in html
    assert "No sensitivity analysis in this record" in html


def test_from_a_forecast_document():
    sc = toy()
    doc = forecast(sc, ["compromise", "median"], seed=5).to_dict()
    bare = from_forecast_json(copy.deepcopy(doc))
    assert bare["scenario"] is None and bare["notes"]
    html = render(bare)
    assert "The record holds no scenario" in html and 'id="chart-comparison"' in html
    full = from_forecast_json(doc, sc, draws=0, sensitivity_model=None)
    assert full["forecast"] == doc and full["scenario"]["name"] == "toy"
    with pytest.raises(ValueError, match="different scenario"):
        from_forecast_json(doc, toy(position_b=70))
    with pytest.raises(ValueError, match="not a forecast record"):
        from_forecast_json({"schema": "something/1"})
