"""``realpolitik report``: from a scenario, a saved record, a forecast JSON or a run id."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.web.security import is_loopback

runner = CliRunner()
KOREA = Path(__file__).resolve().parents[2] / "examples" / "korea-2006.yaml"
FAST = ["--draws", "0", "--sensitivity-model", "none", "-m", "compromise", "-m", "median"]


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_report_from_scenario_and_from_its_record(tmp_path):
    out, rec = tmp_path / "a.html", tmp_path / "rec.json"
    r = invoke("report", str(KOREA), "-o", str(out), "--record", str(rec), *FAST,
               "--data", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert "data-based cohesion" in r.output  # the note says why the series is missing
    again = tmp_path / "b.html"
    r = invoke("report", str(rec), "-o", str(again))
    assert r.exit_code == 0, r.output
    assert again.read_bytes() == out.read_bytes()
    assert json.loads(rec.read_text())["schema"] == "realpolitik.report/1"


def test_report_from_forecast_json_with_and_without_scenario(tmp_path):
    r = invoke("forecast", str(KOREA), "-m", "compromise", "--seed", "2", "-f", "json")
    assert r.exit_code == 0
    doc = tmp_path / "fc.json"
    doc.write_text(r.stdout)
    bare = tmp_path / "bare.html"
    assert invoke("report", str(doc), "-o", str(bare)).exit_code == 0
    assert "The record holds no scenario" in bare.read_text()
    full = tmp_path / "full.html"
    r = invoke("report", str(doc), "--scenario", str(KOREA), "-o", str(full), "--draws", "0",
               "--sensitivity-model", "none", "--data", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert 'id="chart-actor-map"' in full.read_text()


def test_report_from_a_stored_run(tmp_path):
    db = f"sqlite:///{tmp_path / 'runs.db'}"
    r = invoke("runs", "save", str(KOREA), "-m", "compromise", "--seed", "1", "--db", db)
    assert r.exit_code == 0, r.output
    out = tmp_path / "run.html"
    r = invoke("report", "1", "--db", db, "-o", str(out), "--draws", "0",
               "--sensitivity-model", "none", "--data", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert "korea-2006" in out.read_text()
    r = invoke("report", "99", "--db", db, "-o", str(out))
    assert r.exit_code == 2 and "no run 99" in r.output


def test_report_user_errors(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json")
    r = invoke("report", str(bad), "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2 and "not a JSON record" in r.output


def test_loopback_detection():
    assert all(map(is_loopback, ["127.0.0.1", "localhost", "::1", "127.1.2.3"]))
    assert not any(map(is_loopback, ["0.0.0.0", "192.168.1.4", "::", "example.org"]))
