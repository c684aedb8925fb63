"""The workbench's server side: documents checked with the readers' builder (the CLI's
messages, keyed by cell), applied, downloaded; run parameters from the models' schemas;
results downloaded as the CLI writes them."""

from __future__ import annotations

import json

import pytest
import yaml

from realpolitik.exports import forecast_csv, to_json
from realpolitik.forecast import forecast
from realpolitik.scenario.document import check, document, draft_of, empty
from realpolitik.scenario.io import load
from realpolitik.web.params_form import param_fields, submitted_params

from .conftest import REPO

KOREA = REPO / "examples" / "korea-2006.yaml"


def test_a_valid_document_round_trips_to_the_same_scenario():
    sc = load(KOREA)
    again, problems = check(document(sc))
    assert problems == [] and again == sc


def test_document_problems_are_the_readers_messages_keyed_by_value(tmp_path):
    doc = document(load(KOREA))
    doc["actors"][0]["capability"] = -3
    doc["stances"][0]["position"] = "abc"
    _, problems = check(doc)
    # the same messages a YAML file with these values gets from `realpolitik validate`
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    keys = {p.key: p.message for p in problems}
    assert keys[("actor", "USA", "capability")] == "capability of 'USA' is negative (-3)"
    s = doc["stances"][0]
    assert "must be a number" in keys[("stance", s["actor"], s["issue"], "position")]
    assert all(p.line is None for p in problems)  # a document has no lines


def test_a_new_document_reports_what_is_missing():
    _, problems = check(empty())
    assert {p.key for p in problems} == {("actors",), ("issues",)}


def test_a_file_that_fails_validation_keeps_its_draft(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nactors: [{id: A, capability: -1}, {id: B, capability: 1}]\n"
                   "issues: [{id: i}]\nstances: {A: {i: {position: 50, salience: 1}},"
                   " B: {i: {position: 20, salience: 1}}}\n", encoding="utf-8")
    with pytest.raises(Exception) as e:
        load(bad)
    doc = draft_of(e.value)
    assert doc is not None and [a["id"] for a in doc["actors"]] == ["A", "B"]
    doc["actors"][0]["capability"] = 2
    doc["salience_scale"] = 1  # the file did not say (the editor offers 0–100 or 0–1)
    sc, problems = check(doc)
    assert problems == [] and sc is not None and sc.actor("A").capability == 2


def test_check_apply_and_download_through_the_app(client):
    client.open_example()
    doc = document(load(KOREA))
    headers = {"X-CSRF-Token": client.csrf}
    doc["actors"][0]["capability"] = "x"
    r = client.http.post("/api/editor/check", json={"doc": doc}, headers=headers)
    body = r.json()
    assert not body["ok"] and body["problems"][0]["key"] == ["actor", "USA", "capability"]
    assert body["problems"][0]["text"].startswith("actor USA: capability")
    r = client.http.post("/editor/download", data={"csrf": client.csrf, "format": "yaml",
                                                   "doc": json.dumps(doc)})
    assert r.status_code == 200 and "draft with problems" in r.text  # YAML keeps a draft
    r = client.http.post("/editor/download", data={"csrf": client.csrf, "format": "csv",
                                                   "doc": json.dumps(doc)})
    assert r.status_code == 400
    doc["actors"][0]["capability"] = 33
    r = client.http.post("/api/editor/apply", json={"doc": doc}, headers=headers)
    assert r.json()["ok"]
    assert load_text(client.http.get("/scenario.yaml").text, "yaml").actor("USA").capability == 33


def load_text(text, fmt, tmp=None):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"s.{fmt}"
        p.write_text(text, encoding="utf-8")
        return load(p)


def test_check_needs_the_csrf_token(client):
    client.open_example()
    r = client.http.post("/api/editor/check", json={"doc": empty()})
    assert r.status_code == 403


def test_param_fields_follow_the_schema():
    eum = {f["name"]: f for f in param_fields("eum")}
    assert eum["rounds"]["default"] == "10" and eum["rounds"]["kind"] == "number"
    assert eum["rounds"]["min"] == 0 and "rounds" in eum["rounds"]["help"]
    assert eum["variant"]["choices"] == ["paper", "scholz-code"]
    assert eum["capitulation"]["choices"] == ["true", "false"]
    assert eum["probability"]["help"].startswith("P_ij")  # from the `#:` comment
    form = {"param:eum.rounds": "3", "param:eum.variant": "paper", "param:smp.max_turns": "7"}
    assert submitted_params(form, ["eum"]) == {"eum.rounds": "3"}


def test_run_parameters_and_result_downloads_match_the_cli_records(client):
    client.open_example()
    r = client.http.post("/run", data={"csrf": client.csrf, "model": ["compromise", "eum"],
                                       "seed": "3", "draws": "0", "param:eum.rounds": "4"},
                         follow_redirects=False)
    assert r.status_code == 303
    job = r.headers["location"].split("/jobs/")[1].split("?")[0]
    import time

    for _ in range(600):
        if client.http.get(f"/api/jobs/{job}").json()["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    expected = forecast(load(KOREA), ["compromise", "eum"], {"eum.rounds": "4"}, seed=3)
    from realpolitik.backtest.trust import trusted  # the CLI's record: flags, intervals, record

    assert client.http.get("/results.json").text == to_json(trusted(expected)[2])
    assert client.http.get("/results.csv").text == forecast_csv(expected)
    assert 'id="param-eum.rounds" value="4"' in client.http.get("/run").text


def test_bad_parameters_are_refused_before_a_job_starts(client):
    client.open_example()
    r = client.http.post("/run", data={"csrf": client.csrf, "model": "eum",
                                       "param:eum.rounds": "-2"}, follow_redirects=False)
    assert r.status_code == 400 and "rounds" in r.text


def test_whatif_with_draws_and_levers_for_a_searched_model(client):
    from realpolitik.analysis.strategy.levers import advise
    from realpolitik.analysis.strategy.whatif import whatif
    from realpolitik.exports import with_uncertainty

    client.open_example()
    r = client.http.post("/whatif", data={"csrf": client.csrf, "shocks": "USA capability *0.5",
                                          "model": "compromise", "draws": "50"})
    assert r.status_code == 200 and "change, 80% interval" in r.text
    expected = whatif(with_uncertainty(load(KOREA))[0], ["USA capability *0.5"],
                      ["compromise"], seed=0, draws=50).to_dict()
    d = expected["rows"][0]["difference_distribution"]
    assert f"{d['p10']:+.1f} … {d['p90']:+.1f}" in r.text
    r = client.http.post("/levers", data={"csrf": client.csrf, "actor": "ROK",
                                          "model": "median"})
    advice = advise(load(KOREA), "ROK", "median")
    assert r.status_code == 200 and f"(median, {advice.method})" in r.text
    assert advice.method.startswith("search")
