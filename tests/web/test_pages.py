"""Every page through the ASGI test client: open/upload, edit, run, compare, what-if and
levers, saved runs, cohesion, downloads. The numbers shown are the library's numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from realpolitik.forecast import forecast
from realpolitik.scenario.io import dumps, load

REPO = Path(__file__).resolve().parents[2]
KOREA = REPO / "examples" / "korea-2006.yaml"


def outcomes_shown(html: str) -> dict[tuple[str, str], float]:
    cells = re.findall(r'data-model="([^"]+)" data-issue="([^"]+)">([-\d.]+)', html)
    return {(m, i): float(v) for m, i, v in cells}


@pytest.mark.parametrize("path", ["/scenario", "/run", "/compare", "/whatif", "/report"])
def test_scenario_pages_need_a_scenario(client, path):
    r = client.http.get(path)
    assert r.status_code in (200, 409)
    if r.status_code == 409:
        assert "open a scenario first" in r.text
    else:  # the table and the report page send you to open one
        assert r.url.path == "/" or "Open a scenario" in r.text


def test_every_page_renders_after_opening(client):
    client.open_example()
    for path in ("/", "/scenario", "/run", "/compare", "/whatif", "/runs", "/cohesion",
                 "/report"):
        r = client.http.get(path)
        assert r.status_code == 200, path
        assert "korea-2006" in r.text
        assert r.headers["cache-control"] == "no-store"


def test_upload_any_format_round_trips(client):
    sc = load(KOREA)
    for name, text in (("k.yaml", dumps(sc, "yaml")), ("k.csv", dumps(sc, "csv"))):
        r = client.http.post("/upload", data={"csrf": client.csrf},
                             files={"file": (name, text.encode(), "text/plain")})
        assert r.status_code == 200 and r.url.path == "/scenario", r.text[:300]
        assert client.http.app.state.rp.workspaces.get(
            client.http.cookies["rp_session"]).scenario == sc
    predictioneer = "Actor,Capability,Position,Salience\nA,100,20,80\nB,50,80,60\n"
    r = client.http.post("/upload", data={"csrf": client.csrf, "format": "predictioneer"},
                         files={"file": ("p.csv", predictioneer.encode(), "text/csv")})
    assert r.status_code == 200 and 'name="pos:A:' in r.text


def test_run_shows_the_library_numbers(client):
    client.open_example()
    assert client.run("compromise", "eum", seed=4)["status"] == "done"
    html = client.http.get("/run").text
    expected = forecast(load(KOREA), ["compromise", "eum"], seed=4).to_frame()
    shown = outcomes_shown(html)
    for row in expected.itertuples():
        assert shown[(row.model, row.issue)] == pytest.approx(row.outcome, abs=0.05)
    assert 'id="spec-chart-trajectories"' in html and 'id="spec-chart-comparison"' in html
    # beside the numbers: each model's track record, the verdict and the knife-edge flag
    assert "track record: error vs compromise" in html and 'id="verdict"' in html
    assert "The evidence favours compromise" in html
    assert "⚑ eum · nk_policy" in html


def test_run_with_draws_shows_distributions(client):
    client.open_example()
    status = client.run("compromise", draws=100)
    assert status["status"] == "done" and status["progress"] == 1.0
    assert 'id="spec-chart-intervals"' in client.http.get("/run").text


def test_failed_run_is_reported(client):
    client.open_example()
    r = client.http.post("/run", data={"csrf": client.csrf, "model": "no-such-model"})
    assert r.status_code == 400 and "choose at least one model" in r.text


def test_edit_saves_and_the_forecast_changes(client):
    client.open_example()
    client.run("compromise")
    before = outcomes_shown(client.http.get("/run").text)[("compromise", "nk_policy")]
    r = client.http.post("/scenario", data={"csrf": client.csrf, "pos:USA:nk_policy": "10"})
    assert r.status_code == 200 and 'id="saved"' in r.text and 'id="rerun"' in r.text
    assert "The scenario changed since the last run" in client.http.get("/run").text
    client.run("compromise")
    html = client.http.get("/run").text
    after = outcomes_shown(html)[("compromise", "nk_policy")]
    assert after < before and f"was {before:.1f}" in html


def test_invalid_edit_is_shown_beside_its_cell(client):
    client.open_example()
    r = client.http.post("/scenario", data={"csrf": client.csrf, "sal:ROK:opcon": "250",
                                            "cap:Japan": "lots"})
    assert r.status_code == 400
    assert re.search(r'data-for="sal:ROK:opcon" role="alert">[^<]*outside the declared '
                     r"salience scale", r.text)
    assert re.search(r'data-for="cap:Japan" role="alert">[^<]*not a number', r.text)
    assert 'value="250"' in r.text  # what the user typed is kept
    ws = client.http.app.state.rp.workspaces.get(client.http.cookies["rp_session"])
    assert ws.scenario == load(KOREA)  # nothing was applied


def test_whatif_and_levers(client):
    client.open_example()
    r = client.http.post("/whatif", data={"csrf": client.csrf, "model": "compromise",
                                          "shocks": "USA capability *0.5\n# a comment\n"})
    assert r.status_code == 200 and 'id="whatif-result"' in r.text
    assert "USA capability *0.5" in r.text
    r = client.http.post("/whatif", data={"csrf": client.csrf, "shocks": "USA flies away"})
    assert r.status_code == 400 and 'class="problem"' in r.text
    r = client.http.post("/levers", data={"csrf": client.csrf, "actor": "ROK",
                                          "model": "compromise"})
    assert r.status_code == 200 and 'id="levers-result"' in r.text
    assert "exact (closed form)" in r.text
    r = client.http.post("/levers", data={"csrf": client.csrf, "actor": "Mars"})
    assert r.status_code == 400 and "unknown actor" in r.text


def test_saved_runs_and_their_report(client):
    client.open_example()
    client.run("compromise", "median", seed=9)
    r = client.http.post("/runs/save", data={"csrf": client.csrf, "note": "first look"})
    assert r.status_code == 200 and "first look" in r.text
    assert "/runs/1/report.html" in r.text
    r = client.http.get("/runs/1/report.html")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert 'id="panel-comparison"' in r.text
    assert client.http.get("/runs/42/report.html").status_code == 404


def test_cohesion_page_without_data_says_why(client):
    r = client.http.get("/cohesion?a=USA&b=KOR&start=2000&end=2005")
    assert r.status_code == 200 and "USA–KOR" in r.text
    assert 'class="note" role="alert"' in r.text  # the data folder of this test is empty
    r = client.http.get("/cohesion?a=<script>&b=KOR")
    assert "<script>" not in r.text.split("</header>")[1].split("<script")[0]


def test_downloads(client):
    client.open_example()
    r = client.http.get("/scenario.yaml")
    assert r.status_code == 200 and "korea-2006.yaml" in r.headers["content-disposition"]
    assert load_text(r.text, ".yaml") == load(KOREA)
    assert client.http.get("/scenario.exe").status_code == 404
    r = client.http.get("/report.html?draws=0&sobol=0")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="korea-2006-report.html"'
    assert 'id="panel-actor-map"' in r.text


def load_text(text: str, suffix: str):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / f"s{suffix}"
        p.write_text(text, encoding="utf-8")
        return load(p)


def test_api_forecast_for_clients(client):
    r = client.http.post("/api/forecast", json={"example": "korea-2006",
                                                "models": ["compromise"], "seed": 1})
    assert r.status_code == 200
    assert r.json() == forecast(load(KOREA), ["compromise"], seed=1).to_dict(rounds=False)
    r = client.http.post("/api/forecast", json={"example": "korea-2006", "models": ["nope"]})
    assert r.status_code == 422 and "unknown model" in r.json()["error"]
    r = client.http.post("/api/forecast", json={"scenario": {"name": "x"}})
    assert r.status_code == 422


def test_ledger_shown_and_verified(client):
    from realpolitik.store import ledger

    client.open_example()
    client.run("compromise", seed=2)
    client.http.post("/runs/save", data={"csrf": client.csrf})
    store = client.http.app.state.rp.store
    sealed = ledger.seal_run(store, 1)
    html = client.http.get("/runs").text
    assert len(sealed) == 4 and "Hash chain verified" in html
    assert html.count("<td>korea-2006:") == 4  # one row per sealed question
    with store.session() as s:  # tamper with a sealed record: the page says so
        from realpolitik.store import LedgerEntry

        s.get(LedgerEntry, 2).record = s.get(LedgerEntry, 2).record.replace("compromise",
                                                                           "median")
    assert "does not verify" in client.http.get("/runs").text


def test_cohesion_page_states_thresholds_and_explains_measures(client):
    client.open_example()
    html = client.http.get("/cohesion").text
    assert 'id="strain-thresholds"' in html and "cohesive below 0.25" in html
    assert "at risk from 0.5" in html and 'id="measure-legend"' in html
    assert "Alliance-portfolio agreement beyond chance" in html  # atop_val_kappa_quadratic
